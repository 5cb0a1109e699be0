import { useState, type FormEvent } from 'react';

import { ErrorMessage } from '@/components/ui/Feedback';

import { useCreateThreshold, useThresholdDetail } from '../api/thresholds';
import { NightInput } from '@/components/ui/NightInput';

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

/** REF as typed: `calib:bias`, a number, or JSON (a list, or an object by camera/arm/label). */
function parseRef(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('calib:')) return t;
  return JSON.parse(t) as unknown;
}

const range = (low: string, high: string) => [Number(low), Number(high)];

/** A new threshold version: one metric entry changed, from a night on (admins). */
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
        ref: typeof e.REF === 'string' ? e.REF : JSON.stringify(e.REF),
        nlo: String(e.NORMAL_RANGE[0]),
        nhi: String(e.NORMAL_RANGE[1]),
        wlo: String(e.WARN_RANGE[0]),
        whi: String(e.WARN_RANGE[1]),
      }),
    });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let ref: unknown;
    try {
      ref = parseRef(form.ref);
      setRefError(null);
    } catch {
      setRefError(new Error('REF: a number, calib:…, or JSON ([…] or {…})'));
      return;
    }
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
            ? `latest version (${current}): REF ${JSON.stringify(existing.REF)}`
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
