import { num } from '@/lib/format';

import type { ThresholdRange } from '@/lib/queries/thresholds';

import type { ThresholdEntry, ThresholdVersion } from '../api/thresholds';

/** REF as typed: `calib:bias`, a number, or JSON (a list, or an object by camera/arm/label). */
export function parseRef(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('calib:')) return t;
  return JSON.parse(t) as unknown;
}

/** REF as typed, or the error the form shows under it: `[ref, null]` or `[undefined, error]`. */
export function readRef(text: string): [unknown, Error | null] {
  try {
    return [parseRef(text), null];
  } catch {
    return [undefined, new Error('REF: a number, calib:…, or JSON ([…] or {…})')];
  }
}

/** REF as an admin types it back (the inverse of parseRef). */
export function refText(ref: unknown): string {
  return typeof ref === 'string' ? ref : JSON.stringify(ref);
}

export const rangeOf = (low: string, high: string) => [Number(low), Number(high)];

/** Every number of a REF (nested lists and objects), and how it is keyed. */
function numbersOf(ref: unknown): number[] {
  if (typeof ref === 'number') return [ref];
  if (Array.isArray(ref)) return ref.flatMap(numbersOf);
  if (ref && typeof ref === 'object') return Object.values(ref).flatMap(numbersOf);
  return [];
}

function keyed(ref: unknown): string {
  if (Array.isArray(ref)) return `[${ref.map(keyed).join(', ')}]`;
  if (ref && typeof ref === 'object')
    return Object.entries(ref as Record<string, unknown>)
      .map(([k, v]) => `${k} ${keyed(v)}`)
      .join(', ');
  return typeof ref === 'number' ? num(ref, 3) : String(ref);
}

/** A REF in a few words, never wider than a table cell: a number, the calibration it comes
 * from, a few keyed values, or how many values with their span. */
export function refSummary(ref: unknown): string {
  if (typeof ref === 'string')
    return ref.startsWith('calib:') ? `${ref.slice(6)} (calibration)` : ref;
  const numbers = numbersOf(ref);
  if (numbers.length <= 4) return keyed(ref);
  const by = Array.isArray(ref) ? 'per element' : 'by arm / camera / class';
  return `${numbers.length} values ${by}, ${num(Math.min(...numbers), 3)} … ${num(Math.max(...numbers), 3)}`;
}

/** Whether a range is one pair (what an edit sets), not a pair per arm or camera. */
export function isPair(range: ThresholdRange | null | undefined): range is number[] {
  return Array.isArray(range) && range.length === 2;
}

/** A range around REF: `−40 … +40`, or one per arm / camera. */
export function rangeText(range: ThresholdRange | null | undefined): string {
  const signed = (v: number | undefined) => `${(v ?? 0) > 0 ? '+' : ''}${num(v ?? null, 3)}`;
  if (isPair(range)) return `${signed(range[0])} … ${signed(range[1])}`;
  if (range && !Array.isArray(range))
    return Object.entries(range)
      .map(([k, r]) => `${k} ${signed(r[0])} … ${signed(r[1])}`)
      .join(', ');
  return '—';
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
