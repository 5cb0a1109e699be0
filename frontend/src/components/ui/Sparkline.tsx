type Props = {
  values: (number | null)[];
  /** a shaded band, either constant [low, high] or one value per point */
  band?: [number, number] | { low: (number | null)[]; high: (number | null)[] };
  width?: number;
  height?: number;
  label: string;
};

/** A small line of `values` (the last point marked) over an optional band, for tables. */
export function Sparkline({ values, band, width = 140, height = 36, label }: Props) {
  const lows = band ? (Array.isArray(band) ? [band[0]] : band.low) : [];
  const highs = band ? (Array.isArray(band) ? [band[1]] : band.high) : [];
  const all = [...values, ...lows, ...highs].filter((v): v is number => v !== null);
  if (!values.length || !all.length) return null;
  const bottom = Math.min(...all);
  const span = Math.max(...all) - bottom || 1;
  const step = (width - 4) / Math.max(1, values.length - 1);
  const x = (i: number) => 2 + i * step;
  const y = (v: number) => height - 2 - ((v - bottom) / span) * (height - 4);
  const line = values
    .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
    .filter(Boolean)
    .join(' ');
  const last = values[values.length - 1];
  let shade: string | null = null;
  if (band && Array.isArray(band)) {
    shade = `${x(0)},${y(band[1])} ${x(values.length - 1)},${y(band[1])} ${x(values.length - 1)},${y(band[0])} ${x(0)},${y(band[0])}`;
  } else if (band && band.low.length === values.length && band.high.length === values.length) {
    const top = band.high.map((v, i) => `${x(i)},${y(v ?? bottom)}`);
    const under = band.low.map((v, i) => `${x(i)},${y(v ?? bottom)}`).reverse();
    shade = [...top, ...under].join(' ');
  }
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
    >
      {shade && <polygon points={shade} fill="var(--accent)" fillOpacity={0.2} />}
      <polyline points={line} fill="none" stroke="var(--accent)" strokeWidth={1.5} />
      {last !== null && last !== undefined && (
        <circle cx={x(values.length - 1)} cy={y(last)} r={2.5} fill="var(--alarm)" />
      )}
    </svg>
  );
}
