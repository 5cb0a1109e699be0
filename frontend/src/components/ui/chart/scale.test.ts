import { expect, test } from 'vitest';

import { linearScale, mjdToMs, nightToMs, niceTicks, padded, timeTicks } from './scale';

test('linearScale maps the domain onto the range, reversed ranges too', () => {
  const y = linearScale([0, 10], [300, 100]);
  expect(y(0)).toBe(300);
  expect(y(10)).toBe(100);
  expect(y(2.5)).toBe(250);
  expect(linearScale([5, 5], [0, 100])(5)).toBe(50);
});

test('niceTicks: round steps inside the range', () => {
  expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
  expect(niceTicks(1140, 1262, 6)).toEqual([1140, 1160, 1180, 1200, 1220, 1240, 1260]);
  expect(niceTicks(0.93, 1.07, 5)).toEqual([0.94, 0.96, 0.98, 1, 1.02, 1.04, 1.06]);
  expect(padded([1, 1])).toEqual([0.9, 1.1]);
});

test('time: MJD and nights in ms; ticks at round days', () => {
  expect(new Date(mjdToMs(61366.125)).toISOString()).toBe('2026-11-22T03:00:00.000Z');
  expect(new Date(nightToMs(20261122)).toISOString()).toBe('2026-11-22T00:00:00.000Z');
  const { ticks, hours } = timeTicks(nightToMs(20261101), nightToMs(20261107), 6);
  expect(hours).toBe(false);
  expect(ticks.map((t) => new Date(t).toISOString().slice(0, 10))).toEqual([
    '2026-11-01',
    '2026-11-02',
    '2026-11-03',
    '2026-11-04',
    '2026-11-05',
    '2026-11-06',
    '2026-11-07',
  ]);
});
