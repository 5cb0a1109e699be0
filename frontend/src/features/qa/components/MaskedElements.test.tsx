import { render, screen } from '@testing-library/react';

import type { QaStep } from '../api/qa';

import { MetricTable } from './MetricTable';

test('a masked element keeps its value and grade, with a "masked" mark and the reason', () => {
  const step: QaStep = {
    status: 'ALARM',
    duration_s: 0.2,
    error: null,
    metrics: [
      {
        key: 'BIAS_AMP',
        value: [1300, 1198],
        status: 'ALARM',
        ref: [1200, 1200],
        normal_range: [-40, 40],
        warn_range: [-60, 60],
        elements: [
          { index: 'A', value: 1300, status: 'ALARM', masked: 'amp A bias jumps' },
          { index: 'B', value: 1198, status: 'NORMAL', masked: null },
        ],
      },
    ],
  } as QaStep;
  render(<MetricTable name="CHECK_CCDs" step={step} mapping={undefined} />);
  const a = screen.getByTitle('A: ALARM (masked: amp A bias jumps)');
  expect(a).toHaveClass('qa-alarm', 'masked');
  expect(a).toHaveTextContent(/1300.*masked/);
  const b = screen.getByTitle('B: NORMAL');
  expect(b).not.toHaveClass('masked');
  expect(b).not.toHaveTextContent('masked');
});
