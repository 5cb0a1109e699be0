import { rangeText, refSummary, versionInForce } from './threshold-entry';

test('REFs and ranges of every shape read in a few words (never [object Object])', () => {
  expect(refSummary('calib:bias')).toBe('bias (calibration)');
  expect(refSummary(0.61)).toBe('0.610');
  expect(refSummary({ b: [1.05, 1], r: [1.05, 1] })).toBe('b [1.050, 1], r [1.050, 1]');
  const snr = { b: { ELG: 3.43, LRG: 3.45 }, r: { ELG: 2.56, LRG: 2.59 }, z: { ELG: 1.66 } };
  expect(refSummary(snr)).toBe('5 values by arm / camera / class, 1.660 … 3.450');
  expect(rangeText([-40, 40])).toBe('-40 … +40');
  expect(rangeText({ b: [-3.24, 3.24], r: [-2.73, 2.73] })).toBe(
    'b -3.240 … +3.240, r -2.730 … +2.730',
  );
});

test('the version in force is the newest in effect by tonight', () => {
  const v = (version: string, effective_night: number) =>
    ({ version, effective_night }) as Parameters<typeof versionInForce>[0][number];
  const list = [
    v('2027-01-01', 20270101),
    v('2026-11-20+db1', 20261120),
    v('2026-01-01', 20260101),
  ];
  expect(versionInForce(list, 20261201)?.version).toBe('2026-11-20+db1');
  expect(versionInForce(list, 20270102)?.version).toBe('2027-01-01');
});
