import { expect, test } from 'vitest';

import { mergeTail } from './camera-log';

test('mergeTail appends the later lines the tail does not already end with', () => {
  expect(mergeTail(['a', 'b', 'c'], ['b', 'c', 'd'])).toEqual(['a', 'b', 'c', 'd']);
  expect(mergeTail(['a', 'b'], ['c'])).toEqual(['a', 'b', 'c']);
  expect(mergeTail(['a', 'b'], ['a', 'b'])).toEqual(['a', 'b']);
  expect(mergeTail([], ['x'])).toEqual(['x']);
  // A repeated line is kept when it is not an overlap.
  expect(mergeTail(['x', 'y'], ['y', 'y'])).toEqual(['x', 'y', 'y']);
});
