import { expect, test } from 'vitest';

import { aitoff } from './sky';
import { linearFit } from './stats';

test('linearFit: slope, intercept and r of the pairs with both values', () => {
  const fit = linearFit([1, 2, 3, null, 5], [3, 5, 7, 100, null]);
  expect(fit).not.toBeNull();
  expect(fit!.slope).toBeCloseTo(2, 12);
  expect(fit!.intercept).toBeCloseTo(1, 12);
  expect(fit!.r).toBeCloseTo(1, 12);
  expect(fit!.n).toBe(3);
  expect(linearFit([1, 2, 3], [3, 1, 2])!.r).toBeCloseTo(-0.5, 12);
  expect(linearFit([1], [1])).toBeNull();
  expect(linearFit([2, 2, 2], [1, 2, 3])).toBeNull(); // x does not vary
  expect(linearFit([1, 2, 3], [4, 4, 4])!.r).toBeNull(); // y does not vary: no r
});

test('aitoff: RA 180 at the centre, RA increasing to the left, poles on the axis', () => {
  const [cx, cy] = aitoff(180, 0);
  expect(Math.abs(cx) + Math.abs(cy)).toBe(0);
  const [east] = aitoff(270, 0);
  const [west] = aitoff(90, 0);
  expect(east).toBeCloseTo(-Math.PI / 2, 12);
  expect(west).toBeCloseTo(Math.PI / 2, 12);
  const [px, py] = aitoff(42, 90);
  expect(px).toBeCloseTo(0, 12);
  expect(py).toBeCloseTo(Math.PI / 2, 12);
  expect(aitoff(1e-9, 0)[0]).toBeCloseTo(Math.PI, 6); // the edge
});
