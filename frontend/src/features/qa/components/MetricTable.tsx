import { num } from '@/lib/format';
import { qaClass } from '@/lib/instrument';
import type { MappingStep } from '@/lib/types';

import type { QaMetric, QaStep } from '../api/qa';

function show(value: unknown): string {
  if (typeof value === 'number') return num(value, 3);
  if (Array.isArray(value))
    return value.length > 6 ? `[${value.length} values]` : `[${value.map(show).join(', ')}]`;
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${k} ${show(v)}`)
      .join(', ');
  return String(value);
}

function range(r: [number, number] | null): string {
  return r ? `${num(r[0], 3)} … ${num(r[1], 3)}` : '—';
}

function Elements({ metric }: { metric: QaMetric }) {
  return (
    <span className="elements">
      {metric.elements.map((e, i) => (
        <span
          key={`${e.index}-${i}`}
          className={`element ${qaClass(e.status)}${e.masked ? ' masked' : ''}`}
          title={`${e.index || metric.key}: ${e.status ?? 'no QA'}${e.masked ? ` (masked: ${e.masked})` : ''}`}
        >
          {e.index ? <small>{e.index} </small> : null}
          {num(e.value, 3)}
          {e.masked ? <small className="masked-mark"> masked</small> : null}
        </span>
      ))}
    </span>
  );
}

type Props = {
  name: string;
  step: QaStep | undefined;
  mapping: MappingStep | undefined;
  compact?: boolean;
};

/** One step's metrics: value per element coloured by its grade, reference and ranges. */
export function MetricTable({ name, step, mapping, compact = false }: Props) {
  const meta = new Map((mapping?.qa ?? []).map((m) => [m.key, m]));
  return (
    <div className="metric-step">
      <h3>
        <span className={`dot ${qaClass(step?.status ?? null, Boolean(step?.error))}`} />
        {mapping?.display_name ?? name}
        {step?.error && <span className="error small"> failed: {step.error}</span>}
      </h3>
      {!step ? (
        <p className="muted">No QA for this step.</p>
      ) : (
        <table className="table metrics" aria-label={`Metrics of ${name}`}>
          <thead>
            <tr>
              <th>Metric</th>
              <th>Value</th>
              {!compact && (
                <>
                  <th>Reference</th>
                  <th>Normal (Δ)</th>
                  <th>Warning (Δ)</th>
                </>
              )}
            </tr>
          </thead>
          <tbody>
            {step.metrics.map((m) => (
              <tr key={m.key}>
                <td>
                  <span className={`dot ${qaClass(m.status)}`} />
                  {meta.get(m.key)?.display_name ?? m.key}
                  {meta.get(m.key)?.units ? (
                    <small className="muted"> {meta.get(m.key)?.units}</small>
                  ) : null}
                </td>
                <td>
                  <Elements metric={m} />
                </td>
                {!compact && (
                  <>
                    <td>{show(m.ref)}</td>
                    <td>{range(m.normal_range)}</td>
                    <td>{range(m.warn_range)}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
