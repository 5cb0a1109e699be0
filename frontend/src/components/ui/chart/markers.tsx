/** Point markers: the shape tells the QA status (colour is never the only signal). */
export type MarkerStatus = 'NORMAL' | 'WARNING' | 'ALARM' | 'UNKNOWN';

export const MARKER_LEGEND: [MarkerStatus, string][] = [
  ['NORMAL', '● NORMAL'],
  ['WARNING', '▲ WARNING'],
  ['ALARM', '✖ ALARM'],
  ['UNKNOWN', '? no grade'],
];

const STATUS_STROKE: Record<string, string> = {
  WARNING: '#f0b429',
  ALARM: '#e5484d',
  UNKNOWN: '#9d8df1',
};

/** A status shape on a canvas at (x, y) in canvas pixels: ▲ WARNING, ✖ ALARM, ? UNKNOWN. */
export function drawMarker(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  status: string,
  color: string,
  ratio = 1,
) {
  const h = 6 * ratio;
  ctx.lineWidth = 2 * ratio;
  ctx.strokeStyle = STATUS_STROKE[status] ?? color;
  ctx.fillStyle = color;
  ctx.beginPath();
  if (status === 'WARNING') {
    ctx.moveTo(x, y - h);
    ctx.lineTo(x + h, y + h * 0.8);
    ctx.lineTo(x - h, y + h * 0.8);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
  } else if (status === 'ALARM') {
    ctx.lineWidth = 3 * ratio;
    ctx.moveTo(x - h, y - h);
    ctx.lineTo(x + h, y + h);
    ctx.moveTo(x + h, y - h);
    ctx.lineTo(x - h, y + h);
    ctx.stroke();
  } else {
    ctx.arc(x, y, h, 0, 2 * Math.PI);
    ctx.fillStyle = '#0f1318';
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = ctx.strokeStyle;
    ctx.font = `bold ${9 * ratio}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('?', x, y + 0.5 * ratio);
  }
}

type Props = {
  x: number;
  y: number;
  status?: MarkerStatus | null;
  color: string;
  size?: number;
  active?: boolean;
};

export function Marker({ x, y, status, color, size = 3.5, active = false }: Props) {
  const s = active ? size * 1.8 : size;
  const common = { className: `marker marker-${(status ?? 'none').toLowerCase()}`, fill: color };
  if (status === 'WARNING') {
    const h = s * 1.25;
    return (
      <path
        {...common}
        d={`M ${x} ${y - h} L ${x + h} ${y + h * 0.8} L ${x - h} ${y + h * 0.8} Z`}
        stroke="var(--warning)"
        strokeWidth={1.5}
      />
    );
  }
  if (status === 'ALARM') {
    const h = s * 1.3;
    return (
      <path
        {...common}
        d={`M ${x - h} ${y - h} L ${x + h} ${y + h} M ${x + h} ${y - h} L ${x - h} ${y + h}`}
        stroke="var(--alarm)"
        strokeWidth={3}
      />
    );
  }
  if (status === 'UNKNOWN')
    return <circle {...common} cx={x} cy={y} r={s} fill="none" stroke={color} strokeWidth={1.5} />;
  return <circle {...common} cx={x} cy={y} r={s} />;
}
