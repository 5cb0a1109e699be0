import { useState, type FormEvent } from 'react';

import { ErrorMessage } from '@/components/ui/Feedback';

import { useCreateMask } from '../api/alarms';
import { NightInput } from '@/components/ui/NightInput';

const EMPTY = {
  camera: '',
  element: 'camera',
  amp: 'A',
  fiber: '',
  metrics: '',
  from: '',
  to: '',
  reason: '',
};

/** Mask a known-bad camera, amp or fiber for a range of nights (operators). */
export function MaskForm() {
  const [form, setForm] = useState(EMPTY);
  const create = useCreateMask();
  const set = (patch: Partial<typeof EMPTY>) => setForm((f) => ({ ...f, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        camera: form.camera.trim(),
        amp: form.element === 'amp' ? form.amp : '',
        fiber: form.element === 'fiber' && form.fiber !== '' ? Number(form.fiber) : null,
        metrics: form.metrics
          .split(/[\s,]+/)
          .filter(Boolean)
          .map((k) => k.toUpperCase()),
        night_from: form.from,
        night_to: form.to || null,
        reason: form.reason,
      },
      { onSuccess: () => setForm(EMPTY) },
    );
  };
  return (
    <form className="mask-form" aria-label="New mask" onSubmit={submit}>
      <label>
        Camera{' '}
        <input
          value={form.camera}
          onChange={(e) => set({ camera: e.target.value })}
          placeholder="r3"
          size={3}
          required
        />
      </label>
      <label>
        Element{' '}
        <select value={form.element} onChange={(e) => set({ element: e.target.value })}>
          <option value="camera">whole camera</option>
          <option value="amp">amp</option>
          <option value="fiber">fiber</option>
        </select>
      </label>
      {form.element === 'amp' && (
        <label>
          Amp{' '}
          <select value={form.amp} onChange={(e) => set({ amp: e.target.value })}>
            {['A', 'B', 'C', 'D'].map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
      )}
      {form.element === 'fiber' && (
        <label>
          Fiber{' '}
          <input
            type="number"
            min={0}
            max={499}
            value={form.fiber}
            onChange={(e) => set({ fiber: e.target.value })}
            required
          />
        </label>
      )}
      <label>
        Metrics{' '}
        <input
          value={form.metrics}
          onChange={(e) => set({ metrics: e.target.value })}
          placeholder="all (or BIAS_AMP, …)"
        />
      </label>
      <NightInput label="From night" value={form.from} onChange={(from) => set({ from })} />
      <NightInput label="To night" value={form.to} onChange={(to) => set({ to })} blank="open" />
      <label>
        Reason{' '}
        <input value={form.reason} onChange={(e) => set({ reason: e.target.value })} required />
      </label>
      <button className="btn small primary" type="submit" disabled={create.isPending}>
        Mask
      </button>
      <ErrorMessage error={create.error} />
    </form>
  );
}
