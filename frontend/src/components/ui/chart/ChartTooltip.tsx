type Props = {
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
  lines: string[];
};

/** A tooltip over an SVG of viewBox `width × height` at (x, y), flipped left near the right. */
export function ChartTooltip({ x, y, width, height, title, lines }: Props) {
  return (
    <div
      className="chart-tooltip"
      style={{
        left: `${(x / width) * 100}%`,
        top: `${(y / height) * 100}%`,
        transform:
          x > width * 0.6 ? 'translate(calc(-100% - 12px), -50%)' : 'translate(12px, -50%)',
      }}
    >
      <strong>{title}</strong>
      {lines.map((line) => (
        <div key={line}>{line}</div>
      ))}
    </div>
  );
}

/** What the tooltip says, for screen readers. */
export function ChartAnnouncer({ text }: { text: string }) {
  return (
    <p className="sr-only" aria-live="polite">
      {text}
    </p>
  );
}
