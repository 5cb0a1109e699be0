import { Grade, gradeGlyph } from '@/components/ui/Grade';
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

function refOf(ref: unknown, i: number): number | null {
  if (typeof ref === 'number') return ref;
  if (Array.isArray(ref) && typeof ref[i] === 'number') return ref[i] as number;
  return null;
}

/**
 * Why a metric is graded so, in words: the backend's reason when it gives one (UNKNOWN: what is
 * missing), else for WARNING / ALARM each element off its reference, against the ranges.
 */
export function explainMetric(m: QaMetric): string {
  if (m.reason) return m.reason;
  if (m.status !== 'WARNING' && m.status !== 'ALARM') return '';
  const parts = m.elements
    .map((e, i) => {
      if (e.status !== 'WARNING' && e.status !== 'ALARM') return '';
      const ref = refOf(m.ref, i);
      const name = e.index || m.key;
      if (e.value === null) return `${name}: no value`;
      if (ref === null) return `${name} ${num(e.value, 3)} ${e.status}`;
      const delta = e.value - ref;
      const outside = e.status === 'ALARM' ? m.warn_range : m.normal_range;
      return `${name} ${num(e.value, 3)} is ${delta >= 0 ? '+' : ''}${num(delta, 3)} from REF ${num(
        ref,
        3,
      )}${outside ? `, outside ${e.status === 'ALARM' ? 'WARNING' : 'NORMAL'} ${range(outside)}` : ''}`;
    })
    .filter(Boolean);
  return parts.join('; ');
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
          <span aria-hidden="true">{gradeGlyph(e.status)} </span>
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
        <Grade status={step?.status ?? null} failed={Boolean(step?.error)} compact />{' '}
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
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {step.metrics.map((m) => (
              <tr key={m.key}>
                <td>
                  <Grade status={m.status} reason={explainMetric(m)} compact />{' '}
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
                <td className="reason">{explainMetric(m) || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
