import type { QaStatus } from './types';

export const ARMS = ['b', 'r', 'z'] as const;
export const SPECTROGRAPHS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
export const CAMERAS = ARMS.flatMap((arm) => SPECTROGRAPHS.map((sp) => `${arm}${sp}`));

/** The colour class of a QA status: NORMAL / WARNING / ALARM / UNKNOWN (could not be
 * computed), `none` without QA, `failed`. */
export function qaClass(status: QaStatus | null | undefined, failed = false): string {
  if (failed) return 'qa-failed';
  if (status === 'NORMAL') return 'qa-normal';
  if (status === 'WARNING') return 'qa-warning';
  if (status === 'ALARM') return 'qa-alarm';
  if (status === 'UNKNOWN') return 'qa-unknown';
  return 'qa-none';
}
