import { useState } from 'react';
import { useSearchParams } from 'react-router';

import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { dateTime, num } from '@/lib/format';
import { qaClass } from '@/lib/instrument';
import type { Process } from '@/lib/types';

import {
  useComparison,
  useProcessesOfExposure,
  type CompareSide,
  type Comparison,
} from '../api/compare';

function toId(value: string | null): number | null {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : null;
}

/** Two processes of one exposure side by side (`/compare?expid=…&a=…&b=…`). */
export function ComparePage() {
  const [params, setParams] = useSearchParams();
  const expid = toId(params.get('expid'));
  const processes = useProcessesOfExposure(expid);
  const runs = processes.data?.results ?? [];
  // Defaults: the newest process as B, the one before it as A.
  const a = toId(params.get('a')) ?? runs[1]?.id ?? null;
  const b = toId(params.get('b')) ?? runs[0]?.id ?? null;
  const comparison = useComparison(a, b);
  const [expidText, setExpidText] = useState(expid ? String(expid) : '');
  const set = (patch: Record<string, string>) =>
    setParams((old) => {
      const next = new URLSearchParams(old);
      for (const [k, v] of Object.entries(patch)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      return next;
    });

  return (
    <div className="page">
      <h1>Compare processes</h1>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          set({ expid: expidText.trim(), a: '', b: '' });
        }}
      >
        <label>
          Exposure
          <input
            value={expidText}
            inputMode="numeric"
            size={8}
            onChange={(e) => setExpidText(e.target.value)}
          />
        </label>
        <button className="btn small" type="submit">
          Show processes
        </button>
        {runs.length > 0 && (
          <>
            <ProcessSelect label="A" value={a} runs={runs} onChange={(id) => set({ a: id })} />
            <ProcessSelect label="B" value={b} runs={runs} onChange={(id) => set({ b: id })} />
          </>
        )}
      </form>
      <ErrorMessage error={processes.error ?? comparison.error} />
      {(processes.isLoading || comparison.isLoading) && <Loading />}
      {expid === null && (
        <p className="muted">Choose an exposure that was processed more than once.</p>
      )}
      {processes.data && runs.length < 2 && (
        <p className="muted">
          Exposure {expid} has {runs.length} process{runs.length === 1 ? '' : 'es'}: reprocess it to
          compare.
        </p>
      )}
      {a !== null && a === b && <p className="muted">Choose two different processes.</p>}
      {comparison.data && <ComparisonTable comparison={comparison.data} />}
    </div>
  );
}

function ProcessSelect(props: {
  label: string;
  value: number | null;
  runs: Process[];
  onChange: (id: string) => void;
}) {
  return (
    <label>
      Process {props.label}
      <select value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value)}>
        {props.runs.map((p) => (
          <option key={p.id} value={p.id}>
            #{p.id} {dateTime(p.started)} {p.status}
          </option>
        ))}
      </select>
    </label>
  );
}

function Side({ name, side }: { name: string; side: CompareSide }) {
  return (
    <dl className="facts inline" aria-label={`Versions of process ${name}`}>
      <dt>{name}</dt>
      <dd>
        #{side.id} · {side.status} · QA {side.qa_status || '—'} · pipeline{' '}
        {side.pipeline_version || '—'} · thresholds {side.spec_version || '—'}
      </dd>
    </dl>
  );
}

function ComparisonTable({ comparison }: { comparison: Comparison }) {
  const [changedOnly, setChangedOnly] = useState(true);
  const rows = changedOnly ? comparison.rows.filter((r) => r.changed) : comparison.rows;
  const { counts } = comparison;
  return (
    <section aria-label="Comparison">
      <Side name="A" side={comparison.a} />
      <Side name="B" side={comparison.b} />
      <p>
        {counts.changed} of {counts.elements} metric elements changed ({counts.status_changed}{' '}
        changed status).{' '}
        <label>
          <input
            type="checkbox"
            checked={changedOnly}
            onChange={(e) => setChangedOnly(e.target.checked)}
          />{' '}
          Changed only
        </label>
      </p>
      <table className="table" aria-label="Metric comparison">
        <thead>
          <tr>
            <th>Camera</th>
            <th>Step</th>
            <th>Metric</th>
            <th>Element</th>
            <th>A</th>
            <th>B</th>
            <th>B − A</th>
            <th>Status A → B</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={`${r.camera}/${r.step}/${r.key}/${r.index}`}
              className={r.changed ? 'changed' : undefined}
              style={r.changed ? { fontWeight: 600 } : undefined}
            >
              <td>{r.camera}</td>
              <td>{r.step}</td>
              <td>{r.key}</td>
              <td>{r.index || '—'}</td>
              <td>{num(r.value_a, 3)}</td>
              <td>{num(r.value_b, 3)}</td>
              <td>{num(r.difference, 3)}</td>
              <td>
                <span className={qaClass(r.status_a)}>{r.status_a ?? '—'}</span> →{' '}
                <span className={qaClass(r.status_b)}>{r.status_b ?? '—'}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="muted">No metric element changed.</p>}
    </section>
  );
}
