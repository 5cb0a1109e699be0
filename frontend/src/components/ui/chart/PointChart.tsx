import { useMemo } from 'react';

import { sig } from '@/lib/format';

import { ChartAnnouncer, ChartTooltip } from './ChartTooltip';
import { Marker, type MarkerStatus } from './markers';
import { extent, linearScale, niceTicks, padded, timeLabel, timeTicks } from './scale';
import { usePointCursor } from './usePointCursor';

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

type Props = {
  label: string;
  xLabel: string;
  yLabel: string;
  xKind: 'time' | 'linear';
  series: ChartSeries[];
  bands?: ChartBand[];
  lines?: ChartLine[];
  /** Values the axes must show (e.g. the WARNING limits, the ends of the chosen dates). */
  xInclude?: number[];
  yInclude?: number[];
  /** The viewBox size: text keeps its size when the width matches the space on the page. */
  width?: number;
  height?: number;
};

const M = { left: 70, right: 18, top: 12, bottom: 42 };
const HALF_DAY = 43_200_000;
const NONE: number[] = [];
const BAND_TEXT = { normal: 'NORMAL', warning: 'WARNING', alarm: 'ALARM' } as const;

type Flat = ChartPoint & { series: ChartSeries; px: number; py: number };

/**
 * A scatter / line chart in SVG: axes with round ticks, QA bands, status-shaped markers, and a
 * tooltip that follows the pointer or, from the keyboard, the arrow keys (left / right).
 */
export function PointChart(props: Props) {
  const { label, xLabel, yLabel, xKind, series, bands = [], lines = [] } = props;
  const { xInclude = NONE, yInclude = NONE } = props;
  const W = props.width ?? 900;
  const H = props.height ?? 300;
  const plot = { x0: M.left, x1: W - M.right, y0: H - M.bottom, y1: M.top };

  const { x, y, flat } = useMemo(() => {
    const all = series.flatMap((s) => s.points);
    const xs = extent([
      ...all.map((p) => p.x),
      ...xInclude,
      ...lines.flatMap((l) => [l.x0, l.x1]),
    ]) ?? [0, 1];
    const ys = extent([...all.map((p) => p.y), ...yInclude]) ?? [0, 1];
    // One time only: half a day either side (a fraction of "ms since 1970" would be years).
    const flatTime = xKind === 'time' && xs[0] === xs[1];
    const x = linearScale(flatTime ? [xs[0] - HALF_DAY, xs[1] + HALF_DAY] : padded(xs, 0.02), [
      plot.x0,
      plot.x1,
    ]);
    const y = linearScale(padded(ys), [plot.y0, plot.y1]);
    const flat: Flat[] = series
      .flatMap((s) => s.points.map((p) => ({ ...p, series: s, px: x(p.x), py: y(p.y) })))
      .sort((a, b) => a.x - b.x);
    return { x, y, flat };
  }, [series, lines, xInclude, yInclude, xKind, plot.x0, plot.x1, plot.y0, plot.y1]);
  const { svgRef, active, clear, onPointerMove, onKeyDown } = usePointCursor(flat, W, H);
  const current = active === null ? null : (flat[active] ?? null);

  const yTicks = niceTicks(y.domain[0], y.domain[1], 6);
  const time = xKind === 'time' ? timeTicks(x.domain[0], x.domain[1], 6) : null;
  const xTicks = time ? time.ticks : niceTicks(x.domain[0], x.domain[1], 8);
  const xText = (v: number) => (time ? timeLabel(v, time.hours) : sig(v));
  // Labels at the ends stay inside the picture.
  const anchor = (px: number) =>
    px > plot.x1 - 45 ? 'end' : px < plot.x0 + 45 ? 'start' : 'middle';
  const clampY = (v: number) => Math.min(plot.y0, Math.max(plot.y1, y(v)));

  return (
    <figure className="chart">
      <div
        className="chart-frame"
        tabIndex={0}
        role="group"
        aria-label={`${label}: use the left and right arrow keys to read the points`}
        onKeyDown={onKeyDown}
        onBlur={clear}
      >
        <svg
          ref={svgRef}
          viewBox={`0 0 ${W} ${H}`}
          role="img"
          aria-label={label}
          onPointerMove={onPointerMove}
          onPointerLeave={clear}
        >
          <g className="chart-bands">
            {bands.map((band, i) => {
              const top = clampY(Math.max(band.from, band.to));
              const bottom = clampY(Math.min(band.from, band.to));
              if (bottom - top < 0.5) return null;
              return (
                <g
                  key={i}
                  className={`band band-${band.kind}`}
                  data-from={band.from}
                  data-to={band.to}
                >
                  <rect x={plot.x0} width={plot.x1 - plot.x0} y={top} height={bottom - top} />
                  {bottom - top >= 7 && (
                    // The zone's name in it (smaller in a thin zone): colour is not the only sign.
                    <text
                      x={plot.x1 - 6}
                      y={bottom - top >= 14 ? top + 12 : (top + bottom) / 2 + 3}
                      fontSize={Math.min(11, bottom - top - 1)}
                      textAnchor="end"
                    >
                      {BAND_TEXT[band.kind]}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
          <g className="chart-grid">
            {yTicks.map((t) => (
              <line key={t} x1={plot.x0} x2={plot.x1} y1={y(t)} y2={y(t)} />
            ))}
          </g>
          <g className="chart-axis" aria-hidden="true">
            <line x1={plot.x0} x2={plot.x1} y1={plot.y0} y2={plot.y0} />
            <line x1={plot.x0} x2={plot.x0} y1={plot.y0} y2={plot.y1} />
            {yTicks.map((t) => (
              <text key={t} x={plot.x0 - 6} y={y(t) + 4} textAnchor="end">
                {sig(t)}
              </text>
            ))}
            {xTicks.map((t) => (
              <g key={t}>
                <line x1={x(t)} x2={x(t)} y1={plot.y0} y2={plot.y0 + 4} />
                <text x={x(t)} y={plot.y0 + 17} textAnchor={anchor(x(t))}>
                  {xText(t)}
                </text>
              </g>
            ))}
            <text
              className="chart-axis-label"
              x={(plot.x0 + plot.x1) / 2}
              y={H - 6}
              textAnchor="middle"
            >
              {xLabel}
            </text>
            <text
              className="chart-axis-label"
              transform={`translate(14 ${(plot.y0 + plot.y1) / 2}) rotate(-90)`}
              textAnchor="middle"
            >
              {yLabel}
            </text>
          </g>
          {series.map((s) =>
            s.line && s.points.length > 1 ? (
              <path
                key={`line-${s.id}`}
                className={s.strong ? 'series-line strong' : 'series-line'}
                stroke={s.color}
                d={[...s.points]
                  .sort((a, b) => a.x - b.x)
                  .map((p, i) => `${i ? 'L' : 'M'} ${x(p.x).toFixed(1)} ${y(p.y).toFixed(1)}`)
                  .join(' ')}
              />
            ) : null,
          )}
          {lines.map((l) => (
            <line
              key={l.label}
              className="fit-line"
              x1={x(l.x0)}
              y1={y(l.y0)}
              x2={x(l.x1)}
              y2={y(l.y1)}
            >
              <title>{l.label}</title>
            </line>
          ))}
          <g className="chart-points">
            {flat.map((p, i) => (
              <Marker
                key={i}
                x={p.px}
                y={p.py}
                status={p.status}
                color={p.series.color}
                active={i === active}
              />
            ))}
          </g>
          {current && (
            <line
              className="chart-cursor"
              x1={current.px}
              x2={current.px}
              y1={plot.y0}
              y2={plot.y1}
            />
          )}
        </svg>
        {current && (
          <ChartTooltip
            x={current.px}
            y={current.py}
            width={W}
            height={H}
            title={current.series.name}
            lines={current.tip}
          />
        )}
      </div>
      <ChartAnnouncer text={current ? [current.series.name, ...current.tip].join(', ') : ''} />
    </figure>
  );
}
