import { describe, expect, it } from 'vitest';

import { seconds } from './format';

describe('seconds', () => {
  it('shows short durations with decimals', () => {
    expect(seconds(7.62)).toBe('7.6 s');
  });
  it('carries rounded seconds into minutes', () => {
    expect(seconds(6539.6)).toBe('109 min 0 s');
    expect(seconds(125.2)).toBe('2 min 5 s');
  });
  it('shows a dash when unknown', () => {
    expect(seconds(null)).toBe('—');
  });
});
