import type { ChartSeries } from './chart-model';
import { MARKER_LEGEND } from './markers';

/** The series' colours and names, and what the marker shapes mean. */
export function ChartLegend({
  series,
  shapes = true,
}: {
  series: ChartSeries[];
  shapes?: boolean;
}) {
  return (
    <div className="chart-legend">
      {series.length > 1 && (
        <ul aria-label="Series">
          {series.map((s) => (
            <li key={s.id}>
              <span className="swatch-line" style={{ background: s.color }} aria-hidden="true" />
              {s.name}
            </li>
          ))}
        </ul>
      )}
      {shapes && (
        <ul aria-label="Marker shapes" className="muted">
          {MARKER_LEGEND.map(([status, text]) => (
            <li key={status}>{text}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
