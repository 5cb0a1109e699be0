/** Point markers: the shape tells the QA status (colour is never the only signal). */
export type MarkerStatus = 'NORMAL' | 'WARNING' | 'ALARM' | 'UNKNOWN';

export const MARKER_LEGEND: [MarkerStatus, string][] = [
  ['NORMAL', '● NORMAL'],
  ['WARNING', '▲ WARNING'],
  ['ALARM', '◆ ALARM'],
  ['UNKNOWN', '○ no QA'],
];

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
    const h = s * 1.5;
    return (
      <path
        {...common}
        d={`M ${x} ${y - h} L ${x + h} ${y} L ${x} ${y + h} L ${x - h} ${y} Z`}
        stroke="var(--alarm)"
        strokeWidth={2}
      />
    );
  }
  if (status === 'UNKNOWN')
    return <circle {...common} cx={x} cy={y} r={s} fill="none" stroke={color} strokeWidth={1.5} />;
  return <circle {...common} cx={x} cy={y} r={s} />;
}
