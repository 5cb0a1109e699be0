import type { MarkerStatus } from './markers';

export type ChartPoint = { x: number; y: number; status?: MarkerStatus | null; tip: string[] };
export type ChartSeries = {
  id: string;
  name: string;
  color: string;
  points: ChartPoint[];
  line?: boolean;
  /** Drawn thicker (e.g. the series whose bands are shown). */
  strong?: boolean;
};
/** A horizontal zone of the y axis (±Infinity reaches the edge of the plot). */
export type ChartBand = { from: number; to: number; kind: 'normal' | 'warning' | 'alarm' };
/** A straight line drawn over the points (a reference level, a fit). */
export type ChartLine = { x0: number; y0: number; x1: number; y1: number; label: string };

/** One point of the chart in reading order (time, then series), for the keyboard and tooltip. */
export type FlatPoint = ChartPoint & { series: ChartSeries; row: number; column: number };

/**
 * The series on one shared x array, as uPlot draws them: `xs` ascending, one `y` array per
 * series with null where it has no point, and every point in reading order. Series share a row
 * where their x agree (the cameras of one exposure); a series with several points at one x (a
 * scatter plot) gets a row for each, so no point is lost.
 */
export function alignSeries(series: ChartSeries[]) {
  const rowsAt = new Map<number, number>(); // x → rows it needs
  for (const s of series) {
    const seen = new Map<number, number>();
    for (const p of s.points) seen.set(p.x, (seen.get(p.x) ?? 0) + 1);
    for (const [x, n] of seen) rowsAt.set(x, Math.max(n, rowsAt.get(x) ?? 0));
  }
  const xs: number[] = [];
  const firstRow = new Map<number, number>();
  for (const x of [...rowsAt.keys()].sort((a, b) => a - b)) {
    firstRow.set(x, xs.length);
    for (let k = 0; k < rowsAt.get(x)!; k++) xs.push(x);
  }
  const flat: FlatPoint[] = [];
  const ys = series.map((s, column) => {
    const y: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    const used = new Map<number, number>();
    for (const p of s.points) {
      const k = used.get(p.x) ?? 0;
      used.set(p.x, k + 1);
      const row = firstRow.get(p.x)! + k;
      y[row] = p.y;
      flat.push({ ...p, series: s, row, column });
    }
    return y;
  });
  flat.sort((a, b) => a.x - b.x || a.column - b.column || a.row - b.row);
  return { xs, ys, flat };
}

/** The y range to show: the data, what must be seen (e.g. the WARNING limits), padded. */
export function yRange(values: (number | null)[][], include: number[]): [number, number] {
  const all = [...values.flat(), ...include].filter(
    (v): v is number => v !== null && Number.isFinite(v),
  );
  if (!all.length) return [0, 1];
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    return [lo - pad, hi + pad];
  }
  const pad = (hi - lo) * 0.06;
  lo -= pad;
  hi += pad;
  return [lo, hi];
}

/** The x range to show: the data (never the requested dates), half a day around one time. */
export function xRange(xs: number[], kind: 'time' | 'linear'): [number, number] {
  if (!xs.length) return [0, 1];
  const lo = xs[0]!;
  const hi = xs[xs.length - 1]!;
  if (lo === hi) return kind === 'time' ? [lo - 43_200, hi + 43_200] : [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.02;
  return [lo - pad, hi + pad];
}
