import type { ChartBand, ChartSeries } from '@/components/ui/chart/Chart';
import type { MarkerStatus } from '@/components/ui/chart/markers';
import { seriesColor } from '@/components/ui/chart/palette';
import { mjdToMs, nightToMs } from '@/components/ui/chart/scale';
import { night, sig } from '@/lib/format';

import type { Trend, TrendBand } from '../api/trends';

export type SeriesSummary = {
  id: string;
  name: string;
  color: string;
  points: number;
  last: number | null;
  min: number | null;
  max: number | null;
  warnings: number;
  alarms: number;
  band: TrendBand | null;
};

const seriesId = (camera: string, index: string) => (index ? `${camera}-${index}` : camera);
const seriesName = (camera: string, index: string) => (index ? `${camera} ${index}` : camera);

function grade(status: string | null | undefined): MarkerStatus {
  return status === 'NORMAL' || status === 'WARNING' || status === 'ALARM' ? status : 'UNKNOWN';
}

/**
 * The chart series and the table rows of a trend, keeping only the chosen elements. With
 * `delta`, each series is drawn as its distance from its own REF (the REF that graded its newest
 * exposure), so series with different references share one axis and one set of bands.
 */
export function trendSeries(
  trend: Trend,
  elements: string[],
  delta = false,
): { series: ChartSeries[]; summary: SeriesSummary[] } {
  const keep = (index: string) => elements.length === 0 || elements.includes(index);
  const series: ChartSeries[] = [];
  const summary: SeriesSummary[] = [];
  const all = trend.series as Trend['series'][number][];
  all
    .filter((s) => keep(s.index))
    .forEach((s, i) => {
      const id = seriesId(s.camera, s.index);
      const name = seriesName(s.camera, s.index);
      const color = seriesColor(i);
      const points: ChartSeries['points'] = [];
      const ref = delta ? (s.band?.ref ?? null) : 0;
      if (ref === null) return; // no reference to measure from: not on a Δ axis
      let warnings = 0;
      let alarms = 0;
      if ('expid' in s) {
        s.value.forEach((value, k) => {
          const status = grade(s.status[k]);
          if (status === 'WARNING') warnings += 1;
          if (status === 'ALARM') alarms += 1;
          if (value === null) return;
          const mjd = s.mjd[k];
          points.push({
            x: mjd != null ? mjdToMs(mjd) : nightToMs(s.night[k] ?? 0),
            y: value - ref,
            status,
            tip: [
              `exposure ${s.expid[k]}, night ${night(s.night[k])}`,
              `${sig(value)}${delta ? ` (REF ${sig(ref)} ${value - ref >= 0 ? '+' : '−'} ${sig(Math.abs(value - ref))})` : ''} · ${status}`,
            ],
          });
        });
      } else {
        s.mean.forEach((mean, k) => {
          const nw = s.n_warning[k] ?? 0;
          const na = s.n_alarm[k] ?? 0;
          warnings += nw;
          alarms += na;
          if (mean === null) return;
          points.push({
            x: nightToMs(s.night[k] ?? 0),
            y: mean - ref,
            status: na > 0 ? 'ALARM' : nw > 0 ? 'WARNING' : 'NORMAL',
            tip: [
              `night ${night(s.night[k])}: ${s.count[k]} values`,
              `mean ${sig(mean)} (min ${sig(s.min[k])}, max ${sig(s.max[k])})`,
              `${nw} WARNING, ${na} ALARM`,
            ],
          });
        });
      }
      const ys = points.map((p) => p.y + ref);
      series.push({ id, name, color, points, line: true });
      summary.push({
        id,
        name,
        color,
        points: points.length,
        last: ys.length ? (ys[ys.length - 1] ?? null) : null,
        min: ys.length ? Math.min(...ys) : null,
        max: ys.length ? Math.max(...ys) : null,
        warnings,
        alarms,
        band: s.band,
      });
    });
  return { series, summary };
}

/** The WARNING and ALARM zones (and the NORMAL one between them) of a band. */
export function bandZones(band: TrendBand): ChartBand[] {
  const [n0, n1] = band.normal;
  const [w0, w1] = band.warn;
  return [
    { from: -Infinity, to: w0, kind: 'alarm' },
    { from: w0, to: n0, kind: 'warning' },
    { from: n0, to: n1, kind: 'normal' },
    { from: n1, to: w1, kind: 'warning' },
    { from: w1, to: Infinity, kind: 'alarm' },
  ];
}

/** A band measured from its REF (REF at 0), for the Δ axis. */
export function deltaBand(band: TrendBand): TrendBand {
  const from = (v: number) => Number((v - band.ref).toPrecision(10));
  return {
    ...band,
    ref: 0,
    normal: [from(band.normal[0]), from(band.normal[1])],
    warn: [from(band.warn[0]), from(band.warn[1])],
  };
}

/** Whether two bands have the same ranges around their REFs (the REFs may differ). */
export function sameRanges(a: TrendBand | null, b: TrendBand | null): boolean {
  if (!a || !b) return a === b;
  return sameBand(deltaBand(a), deltaBand(b));
}

export function sameBand(a: TrendBand | null, b: TrendBand | null): boolean {
  if (!a || !b) return a === b;
  return a.ref === b.ref && a.normal.join() === b.normal.join() && a.warn.join() === b.warn.join();
}
