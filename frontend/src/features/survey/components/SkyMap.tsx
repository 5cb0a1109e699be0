import { useMemo } from 'react';

import { ChartAnnouncer, ChartTooltip } from '@/components/ui/chart/ChartTooltip';
import { Marker, type MarkerStatus } from '@/components/ui/chart/markers';
import { usePointCursor } from '@/components/ui/chart/usePointCursor';
import { aitoff } from '@/lib/sky';

export type SkyTile = {
  tile: number;
  ra: number;
  dec: number;
  status: MarkerStatus;
  tip: string[];
};

const W = 900;
const H = 470;
const R = 420; // half width of the projection, in viewBox units
const CX = W / 2;
const CY = H / 2 - 4;
const STATUS_COLOR: Record<MarkerStatus, string> = {
  NORMAL: 'var(--normal)',
  WARNING: 'var(--warning)',
  ALARM: 'var(--alarm)',
  UNKNOWN: 'var(--none)',
};

function project(ra: number, dec: number): [number, number] {
  const [x, y] = aitoff(ra, dec);
  return [CX + (x / Math.PI) * R, CY - (y / Math.PI) * R];
}

function path(points: [number, number][]): string {
  return points.map(([x, y], i) => `${i ? 'L' : 'M'} ${x.toFixed(1)} ${y.toFixed(1)}`).join(' ');
}

const RANGE = (from: number, to: number, step: number) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

/** Lines of constant RA (every 30°) and Dec (every 30°), and the outline. */
function Graticule() {
  const EDGE = 1e-4; // RA 0 is both edges: just inside each
  const meridians = RANGE(30, 330, 30).map((ra) =>
    path(RANGE(-90, 90, 5).map((d) => project(ra, d))),
  );
  const parallels = RANGE(-60, 60, 30).map((dec) =>
    path(RANGE(0, 360, 5).map((ra) => project(Math.min(Math.max(ra, EDGE), 360 - EDGE), dec))),
  );
  const outline = [
    ...RANGE(-90, 90, 2).map((d) => project(EDGE, d)),
    ...RANGE(-90, 90, 2)
      .reverse()
      .map((d) => project(360 - EDGE, d)),
  ];
  return (
    <g className="sky-grid" aria-hidden="true">
      <path className="sky-outline" d={`${path(outline)} Z`} />
      {meridians.map((d, i) => (
        <path key={`m${i}`} d={d} />
      ))}
      {parallels.map((d, i) => (
        <path key={`p${i}`} d={d} />
      ))}
      {RANGE(60, 300, 60).map((ra) => {
        const [x, y] = project(ra, 0);
        return (
          <text key={ra} x={x} y={y + 14} textAnchor="middle">
            {ra}°
          </text>
        );
      })}
      {[-60, -30, 0, 30, 60].map((dec) => {
        const [x, y] = project(360 - EDGE, dec);
        return (
          <text key={dec} x={x - 6} y={y + 4} textAnchor="end">
            {dec > 0 ? `+${dec}` : dec}°
          </text>
        );
      })}
    </g>
  );
}

/** The observed tiles on the sky (Aitoff projection, RA increasing to the left). */
export function SkyMap({ tiles }: { tiles: SkyTile[] }) {
  const placed = useMemo(
    () =>
      tiles
        .map((t) => {
          const [px, py] = project(t.ra, t.dec);
          return { ...t, px, py };
        })
        .sort((a, b) => a.ra - b.ra || a.dec - b.dec),
    [tiles],
  );
  const { svgRef, active, clear, onPointerMove, onKeyDown } = usePointCursor(placed, W, H);
  const current = active === null ? null : (placed[active] ?? null);
  return (
    <figure className="chart sky-map">
      <div
        className="chart-frame"
        tabIndex={0}
        role="group"
        aria-label="Tiles on the sky: use the left and right arrow keys to read the tiles"
        onKeyDown={onKeyDown}
        onBlur={clear}
      >
        <svg
          ref={svgRef}
          viewBox={`0 0 ${W} ${H}`}
          role="img"
          aria-label={`${tiles.length} tiles on the sky, RA increasing to the left`}
          onPointerMove={onPointerMove}
          onPointerLeave={clear}
        >
          <Graticule />
          <g className="chart-points">
            {placed.map((t, i) => (
              <g key={t.tile} data-tile={t.tile} data-status={t.status}>
                <Marker
                  x={t.px}
                  y={t.py}
                  status={t.status}
                  color={STATUS_COLOR[t.status]}
                  size={4}
                  active={i === active}
                />
              </g>
            ))}
          </g>
          <text className="chart-axis-label" x={W - 8} y={H - 6} textAnchor="end">
            RA (deg) increases to the left · Dec (deg) up
          </text>
        </svg>
        {current && (
          <ChartTooltip
            x={current.px}
            y={current.py}
            width={W}
            height={H}
            title={`Tile ${current.tile}`}
            lines={current.tip}
          />
        )}
      </div>
      <ChartAnnouncer text={current ? [`Tile ${current.tile}`, ...current.tip].join(', ') : ''} />
    </figure>
  );
}
