/** Scales and axis ticks of the SVG charts (no dependency: a few pure functions). */

export type Scale = ((value: number) => number) & { domain: [number, number] };

/** Maps `domain` linearly onto `range` (pixels); a flat domain maps to the range's middle. */
export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const scale = ((value: number) =>
    span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0)) as Scale;
  scale.domain = domain;
  return scale;
}

/** The extent of `values` (finite ones), or null when there is none. */
export function extent(values: Iterable<number | null | undefined>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** `[lo, hi]` widened by `fraction` of its span on each side (a flat one by ±1 or ±10 %). */
export function padded([lo, hi]: [number, number], fraction = 0.06): [number, number] {
  const span = hi - lo;
  if (span === 0) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - d, hi + d];
  }
  return [lo - span * fraction, hi + span * fraction];
}

/** About `count` round tick values (steps of 1, 2 or 5 × 10^n) inside `[lo, hi]`. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return [lo];
  const raw = (hi - lo) / Math.max(count, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  // The round step whose number of ticks is nearest `count`.
  const steps = [1, 2, 5, 10].map((m) => m * power);
  const span = hi - lo;
  const step = steps.reduce((a, b) =>
    Math.abs(span / b - count) < Math.abs(span / a - count) ? b : a,
  );
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    ticks.push(Number((Math.round(v / step) * step).toPrecision(12)));
  return ticks;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TIME_STEPS = [HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY];

/** Tick times (ms, UTC) at round hours or days, and whether labels need the hour. */
export function timeTicks(lo: number, hi: number, count = 6): { ticks: number[]; hours: boolean } {
  if (!(hi > lo)) return { ticks: [lo], hours: true };
  const raw = (hi - lo) / Math.max(count, 1);
  const step = TIME_STEPS.find((s) => s >= raw) ?? Math.ceil(raw / (30 * DAY)) * 30 * DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) ticks.push(t);
  return { ticks, hours: step < DAY };
}

/** A UTC time as `2026-11-22` or `11-22 03:00` (when ticks fall within days). */
export function timeLabel(ms: number, hours: boolean): string {
  const iso = new Date(ms).toISOString();
  return hours ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

/** Milliseconds since 1970 of a Modified Julian Date. */
export function mjdToMs(mjd: number): number {
  return (mjd - 40587) * DAY;
}

/** Milliseconds since 1970 of a night YYYYMMDD (its date at 00:00 UTC). */
export function nightToMs(night: number): number {
  const s = String(night);
  return Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, Number(s.slice(6, 8)));
}
