import type { ChartBand, ChartSeries } from '@/components/ui/chart/PointChart';
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

/** The chart series and the table rows of a trend, keeping only the chosen elements. */
export function trendSeries(
  trend: Trend,
  elements: string[],
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
            y: value,
            status,
            tip: [
              `exposure ${s.expid[k]}, night ${night(s.night[k])}`,
              `${sig(value)} · ${status}`,
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
            y: mean,
            status: na > 0 ? 'ALARM' : nw > 0 ? 'WARNING' : 'NORMAL',
            tip: [
              `night ${night(s.night[k])}: ${s.count[k]} values`,
              `mean ${sig(mean)} (min ${sig(s.min[k])}, max ${sig(s.max[k])})`,
              `${nw} WARNING, ${na} ALARM`,
            ],
          });
        });
      }
      const ys = points.map((p) => p.y);
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

export function sameBand(a: TrendBand | null, b: TrendBand | null): boolean {
  if (!a || !b) return a === b;
  return a.ref === b.ref && a.normal.join() === b.normal.join() && a.warn.join() === b.warn.join();
}
