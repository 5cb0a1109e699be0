import { Fragment, useState, type FormEvent } from 'react';

import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { NightInput } from '@/components/ui/NightInput';
import { useIsAdmin } from '@/lib/auth';
import { night } from '@/lib/format';
import { useQlMapping } from '@/lib/queries/mapping';
import type { MappingMetric } from '@/lib/types';

import {
  useCreateThreshold,
  useThresholdDetail,
  type ThresholdEntry,
  type ThresholdVersion,
} from '../api/thresholds';

import {
  isPair,
  readRef,
  rangeOf,
  rangeText,
  refSummary,
  refText,
  tonight,
} from './threshold-entry';

type Row = { key: string; selector: string; entry: ThresholdEntry };

/** An edit sets one pair per range; entries with a range per arm are changed in the files. */
const editable = (entry: ThresholdEntry) => isPair(entry.NORMAL_RANGE) && isPair(entry.WARN_RANGE);

const pair = (range: ThresholdEntry['NORMAL_RANGE']) => (isPair(range) ? range : [NaN, NaN]);

/** Every metric's REF and ranges in the version in force; admins edit an entry in place
 * (saved as a new version from a night on, with a reason — docs/operations.md). */
export function InForceTable({ version }: { version: ThresholdVersion }) {
  const detail = useThresholdDetail(version.version);
  const mapping = useQlMapping().data;
  const admin = useIsAdmin();
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const meta = new Map<string, MappingMetric>();
  for (const flavor of Object.values(mapping ?? {}))
    for (const step of flavor.steps) for (const m of step.qa) meta.set(m.key, m);
  const rows: Row[] = Object.entries(detail.data?.metrics ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([key, bySelector]) =>
      Object.entries(bySelector).map(([selector, entry]) => ({ key, selector, entry })),
    );

  return (
    <section className="panel" aria-label="Thresholds in force">
      <h2>
        In force: version {version.version}{' '}
        <span className="muted small">
          from night {night(version.effective_night)} · a metric is graded NORMAL within REF + the
          NORMAL range, WARNING within REF + the WARNING range, ALARM beyond
        </span>
      </h2>
      <ErrorMessage error={detail.error} />
      {detail.isLoading && <Loading />}
      {saved && (
        <p role="status" className="notice">
          Version {saved} saved.
        </p>
      )}
      <table className="table wrapping thresholds-in-force" aria-label="Metric thresholds">
        <thead>
          <tr>
            <th>Metric</th>
            <th>For</th>
            <th>REF</th>
            <th>NORMAL (Δ from REF)</th>
            <th>WARNING (Δ from REF)</th>
            {admin && <th aria-label="Edit" />}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const id = `${row.key} ${row.selector}`;
            const m = meta.get(row.key);
            return (
              <Fragment key={id}>
                <tr>
                  <th scope="row">
                    {row.key}
                    {m && (
                      <small className="muted">
                        {' '}
                        {m.display_name}
                        {m.units ? ` (${m.units})` : ''}
                      </small>
                    )}
                  </th>
                  <td>{row.selector}</td>
                  <td title={refText(row.entry.REF)}>{refSummary(row.entry.REF)}</td>
                  <td>{rangeText(row.entry.NORMAL_RANGE)}</td>
                  <td>{rangeText(row.entry.WARN_RANGE)}</td>
                  {admin && (
                    <td>
                      <button
                        className="btn small"
                        aria-label={`Edit ${id}`}
                        onClick={() => setEditing(editing === id ? null : id)}
                        aria-expanded={editing === id}
                        disabled={!editable(row.entry)}
                        title={
                          editable(row.entry)
                            ? undefined
                            : 'ranges per arm: change them in the specs file (docs/operations.md)'
                        }
                      >
                        edit
                      </button>
                    </td>
                  )}
                </tr>
                {editing === id && (
                  <tr className="editing">
                    <td colSpan={6}>
                      <EntryEditor
                        row={row}
                        onDone={(made) => {
                          setEditing(null);
                          setSaved(made);
                        }}
                      />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** An entry's REF and ranges as fields; Save makes a new version from a night on. */
function EntryEditor({ row, onDone }: { row: Row; onDone: (version: string) => void }) {
  const create = useCreateThreshold();
  const [form, setForm] = useState({
    ref: refText(row.entry.REF),
    nlo: String(pair(row.entry.NORMAL_RANGE)[0]),
    nhi: String(pair(row.entry.NORMAL_RANGE)[1]),
    wlo: String(pair(row.entry.WARN_RANGE)[0]),
    whi: String(pair(row.entry.WARN_RANGE)[1]),
    night: String(tonight()),
    reason: '',
  });
  const [refError, setRefError] = useState<Error | null>(null);
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const label = `${row.key} (${row.selector})`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const [ref, problem] = readRef(form.ref);
    setRefError(problem);
    if (problem) return;
    create.mutate(
      {
        key: row.key,
        selector: row.selector,
        ref,
        normal_range: rangeOf(form.nlo, form.nhi),
        warn_range: rangeOf(form.wlo, form.whi),
        effective_night: form.night,
        reason: form.reason,
      },
      { onSuccess: (made) => onDone(made.version) },
    );
  };
  const field = (name: 'nlo' | 'nhi' | 'wlo' | 'whi', text: string) => (
    <input
      aria-label={text}
      value={form[name]}
      onChange={(e) => set({ [name]: e.target.value })}
      size={6}
      required
    />
  );
  return (
    <form className="threshold-form" aria-label={`Edit ${label}`} onSubmit={submit}>
      <label>
        REF{' '}
        <input value={form.ref} onChange={(e) => set({ ref: e.target.value })} size={16} required />
      </label>
      <label>NORMAL {field('nlo', 'NORMAL low')}</label>
      {field('nhi', 'NORMAL high')}
      <label>WARNING {field('wlo', 'WARNING low')}</label>
      {field('whi', 'WARNING high')}
      <NightInput label="From night" value={form.night} onChange={(n) => set({ night: n })} />
      <label>
        Reason{' '}
        <input value={form.reason} onChange={(e) => set({ reason: e.target.value })} required />
      </label>
      <button className="btn small primary" type="submit" disabled={create.isPending}>
        Save as new version
      </button>
      <ErrorMessage error={refError ?? create.error} />
    </form>
  );
}
