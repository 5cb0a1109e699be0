import { num } from '@/lib/format';

import type { ThresholdEntry, ThresholdVersion } from '../api/thresholds';

/** REF as typed: `calib:bias`, a number, or JSON (a list, or an object by camera/arm/label). */
export function parseRef(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('calib:')) return t;
  return JSON.parse(t) as unknown;
}

/** REF as an admin types it back (the inverse of parseRef). */
export function refText(ref: unknown): string {
  return typeof ref === 'string' ? ref : JSON.stringify(ref);
}

export const rangeOf = (low: string, high: string) => [Number(low), Number(high)];

/** A REF in a few words, never wider than a table cell: a number, the calibration it comes
 * from, a short list, or how many values per camera / arm / class with their span. */
export function refSummary(ref: unknown): string {
  if (typeof ref === 'number') return num(ref, 3);
  if (typeof ref === 'string')
    return ref.startsWith('calib:') ? `${ref.slice(6)} (calibration)` : ref;
  const values = Array.isArray(ref)
    ? ref
    : ref && typeof ref === 'object'
      ? Object.values(ref as Record<string, unknown>)
      : [];
  const numbers = values.filter((v): v is number => typeof v === 'number');
  if (Array.isArray(ref) && ref.length <= 4) return `[${numbers.map((v) => num(v, 3)).join(', ')}]`;
  if (!Array.isArray(ref) && ref && typeof ref === 'object' && values.length <= 4)
    return Object.entries(ref as Record<string, unknown>)
      .map(([k, v]) => `${k} ${typeof v === 'number' ? num(v, 3) : String(v)}`)
      .join(', ');
  if (!numbers.length) return `${values.length} values`;
  const by = Array.isArray(ref) ? 'per element' : 'per camera / arm / class';
  return `${values.length} values ${by}, ${num(Math.min(...numbers), 3)} … ${num(Math.max(...numbers), 3)}`;
}

/** A range around REF: `−40 … +40`. */
export function rangeText(range: number[] | null | undefined): string {
  if (!range || range.length !== 2) return '—';
  const signed = (v: number) => `${v > 0 ? '+' : ''}${num(v, 3)}`;
  return `${signed(range[0]!)} … ${signed(range[1]!)}`;
}

export function entryText(e: ThresholdEntry | null | undefined): string {
  if (!e) return '—';
  return `REF ${refSummary(e.REF)}, NORMAL ${rangeText(e.NORMAL_RANGE)}, WARNING ${rangeText(e.WARN_RANGE)}`;
}

/** Tonight as a night number (YYYYMMDD, local date). */
export function tonight(now = new Date()): number {
  return now.getFullYear() * 10000 + (now.getMonth() + 1) * 100 + now.getDate();
}

/** The version grading tonight: the newest one in effect by tonight (else the newest). */
export function versionInForce(versions: ThresholdVersion[], night = tonight()) {
  return versions.find((v) => v.effective_night <= night) ?? versions[0];
}
