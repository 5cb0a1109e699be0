import { useState, type FormEvent } from 'react';

import { ErrorMessage } from '@/components/ui/Feedback';

import { NightInput } from '@/components/ui/NightInput';

import { useCreateThreshold, useThresholdDetail } from '../api/thresholds';

import { isPair, readRef, rangeOf as range, refSummary, refText } from './threshold-entry';

const SELECTORS = [
  'default',
  'zero',
  'dark',
  'flat',
  'arc',
  'science',
  'science/DARK',
  'science/GRAY',
  'science/BRIGHT',
];

/** A new threshold version for any metric and flavor / program, also one with no entry yet
 * (admins); the table of entries in force edits the existing ones in place. */
export function ThresholdForm({ current }: { current: string | undefined }) {
  const detail = useThresholdDetail(current);
  const create = useCreateThreshold();
  const [form, setForm] = useState({
    key: '',
    selector: 'default',
    ref: '',
    nlo: '',
    nhi: '',
    wlo: '',
    whi: '',
    night: '',
    reason: '',
  });
  const [refError, setRefError] = useState<Error | null>(null);
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const metrics = detail.data?.metrics ?? {};
  const existing = metrics[form.key]?.[form.selector];

  const choose = (key: string, selector: string) => {
    const e = metrics[key]?.[selector];
    set({
      key,
      selector,
      ...(e && {
        ref: refText(e.REF),
        ...(isPair(e.NORMAL_RANGE) && {
          nlo: String(e.NORMAL_RANGE[0]),
          nhi: String(e.NORMAL_RANGE[1]),
        }),
        ...(isPair(e.WARN_RANGE) && { wlo: String(e.WARN_RANGE[0]), whi: String(e.WARN_RANGE[1]) }),
      }),
    });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const [ref, problem] = readRef(form.ref);
    setRefError(problem);
    if (problem) return;
    create.mutate({
      key: form.key,
      selector: form.selector,
      ref,
      normal_range: range(form.nlo, form.nhi),
      warn_range: range(form.wlo, form.whi),
      effective_night: form.night,
      reason: form.reason,
    });
  };
  return (
    <form className="threshold-form" aria-label="New threshold version" onSubmit={submit}>
      <label>
        Metric{' '}
        <select value={form.key} onChange={(e) => choose(e.target.value, form.selector)} required>
          <option value="">—</option>
          {Object.keys(metrics)
            .sort()
            .map((k) => (
              <option key={k}>{k}</option>
            ))}
        </select>
      </label>
      <label>
        For{' '}
        <select value={form.selector} onChange={(e) => choose(form.key, e.target.value)}>
          {SELECTORS.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        REF{' '}
        <input value={form.ref} onChange={(e) => set({ ref: e.target.value })} size={12} required />
      </label>
      <label>
        Normal{' '}
        <input
          aria-label="Normal low"
          value={form.nlo}
          onChange={(e) => set({ nlo: e.target.value })}
          size={5}
          required
        />
      </label>
      <input
        aria-label="Normal high"
        value={form.nhi}
        onChange={(e) => set({ nhi: e.target.value })}
        size={5}
        required
      />
      <label>
        Warn{' '}
        <input
          aria-label="Warn low"
          value={form.wlo}
          onChange={(e) => set({ wlo: e.target.value })}
          size={5}
          required
        />
      </label>
      <input
        aria-label="Warn high"
        value={form.whi}
        onChange={(e) => set({ whi: e.target.value })}
        size={5}
        required
      />
      <NightInput label="From night" value={form.night} onChange={(night) => set({ night })} />
      <label>
        Reason{' '}
        <input value={form.reason} onChange={(e) => set({ reason: e.target.value })} required />
      </label>
      <button className="btn small primary" type="submit" disabled={create.isPending}>
        Save as new version
      </button>
      {form.key && (
        <span className="muted small">
          {existing
            ? `in force (${current}): REF ${refSummary(existing.REF)}`
            : `no ${form.selector} entry yet`}
        </span>
      )}
      <ErrorMessage error={refError ?? create.error} />
      {create.data && (
        <p role="status" className="notice">
          Version {create.data.version} saved.
        </p>
      )}
    </form>
  );
}
