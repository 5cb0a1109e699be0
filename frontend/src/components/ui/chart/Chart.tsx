import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

import { ChartAnnouncer } from './ChartTooltip';
import {
  alignSeries,
  xRange,
  yRange,
  type ChartBand,
  type ChartLine,
  type ChartSeries,
  type FlatPoint,
} from './chart-model';
import { MARKER_LEGEND, drawMarker } from './markers';

export type { ChartBand, ChartLine, ChartPoint, ChartSeries } from './chart-model';

type Props = {
  label: string;
  xLabel: string;
  yLabel: string;
  xKind: 'time' | 'linear';
  series: ChartSeries[];
  bands?: ChartBand[];
  lines?: ChartLine[];
  /** Values the y axis must show (e.g. the WARNING limits). The x axis fits the data. */
  yInclude?: number[];
  height?: number;
  /** Say how to zoom under the chart (once per page is enough). */
  hint?: boolean;
};

const NONE: number[] = [];
const BAND_FILL = {
  normal: 'rgba(47, 179, 68, 0.13)',
  warning: 'rgba(240, 180, 41, 0.16)',
  alarm: 'rgba(229, 72, 77, 0.14)',
} as const;
const BAND_TEXT = { normal: 'NORMAL', warning: 'WARNING', alarm: 'ALARM' } as const;
const AXIS = { stroke: '#8593a3', grid: '#2a3440', text: '#d8dee6' };

/** Whether this browser can draw on a canvas (not so in the screen tests' jsdom). */
function canDraw(): boolean {
  try {
    return Boolean(document.createElement('canvas').getContext('2d'));
  } catch {
    return false;
  }
}

/**
 * A time series or scatter chart drawn by uPlot (canvas; fast for a year of points): drag to
 * zoom (x), the mouse wheel zooms around the pointer, double-click shows everything again; the
 * values under the pointer in the legend and a tooltip; QA bands behind the points and a shape
 * per status (▲ WARNING, ✖ ALARM, ? not graded). From the keyboard (Tab to it) ← → Home End
 * move through the points in time order, read aloud.
 */
export function Chart(props: Props) {
  const { label, xLabel, yLabel, xKind, series, bands = [], lines = [] } = props;
  const { yInclude = NONE, height = 300, hint = true } = props;
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [active, setActive] = useState<number | null>(null);
  const [hovered, setHovered] = useState<FlatPoint | null>(null);
  const scale = xKind === 'time' ? 1000 : 1; // uPlot's time axis counts seconds

  const model = useMemo(() => {
    const scaled = series.map((s) => ({
      ...s,
      points: s.points.map((p) => ({ ...p, x: p.x / scale })),
    }));
    const aligned = alignSeries(scaled);
    const scaledLines = lines.map((l) => ({ ...l, x0: l.x0 / scale, x1: l.x1 / scale }));
    return { ...aligned, lines: scaledLines, series: scaled };
  }, [series, lines, scale]);

  useEffect(() => {
    const element = host.current;
    if (!element || !canDraw()) return;
    const { xs, ys } = model;
    const [x0, x1] = xRange(xs, xKind);
    const [y0, y1] = yRange(ys, yInclude);
    const graded = model.flat.filter((p) => p.status && p.status !== 'NORMAL');
    const at = new Map(model.flat.map((p) => [`${p.row}:${p.column}`, p]));
    const opts: uPlot.Options = {
      width: Math.max(300, element.clientWidth),
      height,
      // times are UTC whatever the browser's zone (the night is in UTC)
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: {
        x: { time: xKind === 'time', range: (_u, lo, hi) => (lo === hi ? [x0, x1] : [lo, hi]) },
        y: { range: () => [y0, y1] }, // zooming in time keeps the bands and every value in view
      },
      axes: [
        { ...axis(xLabel, xKind === 'time'), ...(xKind === 'time' ? { values: timeTicks } : {}) },
        { ...axis(yLabel, false), size: 70, space: 24 },
      ],
      series: [
        { label: xKind === 'time' ? 'time (UTC)' : xLabel, value: xValue(xKind) },
        ...model.series.map((s) => ({
          label: s.name,
          stroke: s.color,
          width: s.strong ? 2.5 : 1.5,
          spanGaps: true,
          paths: s.line ? undefined : () => null,
          points: { show: true, size: s.strong ? 6 : 5, fill: s.color, stroke: s.color },
          value: (_u: uPlot, v: number | null) => (v === null ? '—' : short(v)),
        })),
      ],
      cursor: { drag: { x: true, y: false }, focus: { prox: 24 } },
      legend: { show: true, live: true },
      hooks: {
        drawClear: [(u) => drawBands(u, bands)],
        draw: [(u) => drawExtras(u, graded, model.lines)],
        // the point under the pointer: its exposure, value and grade under the chart
        setCursor: [(u) => setHovered(nearest(u, at, model.series.length))],
      },
      plugins: [wheelZoom()],
    };
    const u = new uPlot(opts, [xs, ...ys] as uPlot.AlignedData, element);
    u.setScale('x', { min: x0, max: x1 });
    u.setScale('y', { min: y0, max: y1 });
    plot.current = u;
    const resize = new ResizeObserver(() =>
      u.setSize({ width: Math.max(300, element.clientWidth), height }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [model, bands, xKind, xLabel, yLabel, yInclude, height]);

  const flat = model.flat;
  const current: FlatPoint | null = active === null ? null : (flat[active] ?? null);
  const shown = current ?? hovered;
  useEffect(() => {
    const u = plot.current;
    if (!u || !current) return;
    u.setCursor({
      left: u.valToPos(current.x, 'x'),
      top: u.valToPos(current.y, 'y'),
    });
  }, [current]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (flat.length === 0) return;
    const last = flat.length - 1;
    const moves: Record<string, number> = {
      ArrowRight: active === null ? 0 : Math.min(last, active + 1),
      ArrowLeft: active === null ? last : Math.max(0, active - 1),
      Home: 0,
      End: last,
    };
    if (event.key in moves) {
      event.preventDefault();
      setActive(moves[event.key] ?? null);
    } else if (event.key === 'Escape') setActive(null);
  };

  return (
    <figure className="chart uchart">
      <div
        className="chart-frame"
        role="group"
        tabIndex={0}
        aria-label={`${label}: use the left and right arrow keys to read the points`}
        onKeyDown={onKeyDown}
        onBlur={() => setActive(null)}
      >
        <div ref={host} role="img" aria-label={label} data-points={flat.length} />
      </div>
      <div className="chart-readout" aria-hidden="true">
        {shown ? (
          <>
            <strong>{shown.series.name}</strong> {shown.tip.join(' · ')}
          </>
        ) : (
          '\u00a0'
        )}
      </div>
      {flat.some((p) => p.status) && (
        <ul className="chart-shapes muted small" aria-label="Marker shapes">
          {MARKER_LEGEND.map(([status, text]) => (
            <li key={status}>{text}</li>
          ))}
        </ul>
      )}
      {hint && (
        <figcaption className="muted small">
          Drag to zoom, wheel to zoom around the pointer, double-click to see everything.
        </figcaption>
      )}
      <p className="sr-only">{pointsSummary(flat)}</p>
      <ChartAnnouncer text={current ? [current.series.name, ...current.tip].join(', ') : ''} />
    </figure>
  );
}

/** The point of row `u.cursor.idx` nearest the pointer vertically, within 30 px. */
function nearest(u: uPlot, at: Map<string, FlatPoint>, columns: number): FlatPoint | null {
  const { idx, top } = u.cursor;
  if (idx == null || top == null || top < 0) return null;
  let best: FlatPoint | null = null;
  let distance = 30;
  for (let column = 0; column < columns; column++) {
    const p = at.get(`${idx}:${column}`);
    if (!p || u.series[column + 1]?.show === false) continue;
    const d = Math.abs(u.valToPos(p.y, 'y') - top);
    if (d < distance) [best, distance] = [p, d];
  }
  return best;
}

/** How many points, and how many of them are not NORMAL, in words. */
function pointsSummary(points: FlatPoint[]): string {
  const count = (status: string) => points.filter((p) => p.status === status).length;
  const parts = [
    [count('WARNING'), 'WARNING'],
    [count('ALARM'), 'ALARM'],
    [count('UNKNOWN'), 'not graded'],
  ]
    .filter(([n]) => n)
    .map(([n, what]) => `${n} ${what}`);
  return `${points.length} points${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

function short(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** Time ticks in UTC, 24 h: hours within a night, dates (and hours) over longer spans. */
function timeTicks(u: uPlot, ticks: number[]): string[] {
  const span = (u.scales.x?.max ?? 0) - (u.scales.x?.min ?? 0);
  return ticks.map((t) => {
    const iso = new Date(t * 1000).toISOString(); // 2026-11-22T03:19:00.000Z
    if (span <= 36 * 3600) return iso.slice(11, 16);
    if (span <= 5 * 86400) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
    if (span <= 200 * 86400) return iso.slice(5, 10);
    return iso.slice(0, 10);
  });
}

function xValue(kind: 'time' | 'linear') {
  return (_u: uPlot, v: number | null) => {
    if (v === null) return '—';
    if (kind !== 'time') return short(v);
    return new Date(v * 1000).toISOString().slice(0, 16).replace('T', ' ');
  };
}

function axis(label: string, time: boolean): uPlot.Axis {
  return {
    label,
    stroke: AXIS.text,
    labelFont: '12px system-ui, sans-serif',
    font: '11px system-ui, sans-serif',
    grid: { stroke: AXIS.grid, width: 1 },
    ticks: { stroke: AXIS.grid, width: 1 },
    ...(time ? { space: 70 } : {}),
  };
}

/** The QA zones across the plot, each named at its right edge. */
function drawBands(u: uPlot, bands: ChartBand[]) {
  const { ctx, bbox } = u;
  const top = bbox.top;
  const bottom = bbox.top + bbox.height;
  ctx.save();
  for (const band of bands) {
    const a = Number.isFinite(band.to) ? u.valToPos(band.to, 'y', true) : top;
    const b = Number.isFinite(band.from) ? u.valToPos(band.from, 'y', true) : bottom;
    const y0 = Math.max(top, Math.min(a, b));
    const y1 = Math.min(bottom, Math.max(a, b));
    if (y1 <= y0) continue;
    ctx.fillStyle = BAND_FILL[band.kind];
    ctx.fillRect(bbox.left, y0, bbox.width, y1 - y0);
    if (y1 - y0 > 14 * uPlot.pxRatio) {
      ctx.fillStyle = AXIS.stroke;
      ctx.font = `${11 * uPlot.pxRatio}px system-ui, sans-serif`;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      ctx.fillText(BAND_TEXT[band.kind], bbox.left + bbox.width - 6, (y0 + y1) / 2);
    }
  }
  ctx.restore();
}

/** The status shapes over the points, and the straight lines (REF, a fit) with their labels. */
function drawExtras(u: uPlot, graded: FlatPoint[], lines: ChartLine[]) {
  const { ctx } = u;
  const min = u.scales.x?.min ?? -Infinity;
  const max = u.scales.x?.max ?? Infinity;
  ctx.save();
  for (const p of graded) {
    if (p.x < min || p.x > max || u.series[p.column + 1]?.show === false) continue;
    const x = u.valToPos(p.x, 'x', true);
    const y = u.valToPos(p.y, 'y', true);
    drawMarker(ctx, x, y, p.status ?? 'UNKNOWN', p.series.color, uPlot.pxRatio);
  }
  for (const line of lines) {
    ctx.strokeStyle = AXIS.text;
    ctx.setLineDash([6 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
    ctx.lineWidth = 1.2 * uPlot.pxRatio;
    ctx.beginPath();
    ctx.moveTo(u.valToPos(line.x0, 'x', true), u.valToPos(line.y0, 'y', true));
    ctx.lineTo(u.valToPos(line.x1, 'x', true), u.valToPos(line.y1, 'y', true));
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = AXIS.text;
    ctx.font = `${11 * uPlot.pxRatio}px system-ui, sans-serif`;
    ctx.textAlign = 'left';
    ctx.fillText(
      line.label,
      u.bbox.left + 6 * uPlot.pxRatio,
      u.valToPos(line.y0, 'y', true) - 4 * uPlot.pxRatio,
    );
  }
  ctx.restore();
}

/** Mouse wheel: zoom the x axis around the pointer. */
function wheelZoom(factor = 0.8): uPlot.Plugin {
  return {
    hooks: {
      ready: (u) => {
        u.over.addEventListener(
          'wheel',
          (event) => {
            event.preventDefault();
            const { left } = u.cursor;
            if (left == null || left < 0) return;
            const at = u.posToVal(left, 'x');
            const lo = u.scales.x?.min ?? at;
            const hi = u.scales.x?.max ?? at;
            const k = event.deltaY < 0 ? factor : 1 / factor;
            u.setScale('x', { min: at - (at - lo) * k, max: at + (hi - at) * k });
          },
          { passive: false },
        );
      },
    },
  };
}
