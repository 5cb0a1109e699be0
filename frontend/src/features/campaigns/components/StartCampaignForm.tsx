import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';

import { ChoiceFilter } from '@/components/ui/ChoiceFilter';
import { ErrorMessage } from '@/components/ui/Feedback';
import { NightInput } from '@/components/ui/NightInput';
import { plural } from '@/lib/format';
import { thresholdListOptions } from '@/lib/queries/thresholds';

import { useStartCampaign, type NewCampaign } from '../api/campaigns';

const FLAVORS = ['', 'zero', 'dark', 'flat', 'arc', 'science'] as const;
const PROGRAMS = ['', 'DARK', 'GRAY', 'BRIGHT'] as const;
const EMPTY: NewCampaign = {
  name: '',
  night_from: '',
  night_to: '',
  flavor: '',
  program: '',
  tile: '',
  spec_version: '',
};

/** Operators start a campaign: which exposures (nights and filters) and which thresholds. */
export function StartCampaignForm() {
  const [form, setForm] = useState<NewCampaign>(EMPTY);
  const versions = useQuery(thresholdListOptions);
  const start = useStartCampaign();
  const set = (patch: Partial<NewCampaign>) => setForm((f) => ({ ...f, ...patch }));
  return (
    <section className="panel" aria-label="Start a campaign">
      <h2>Start a campaign</h2>
      <form
        className="threshold-form"
        aria-label="New campaign"
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate(form);
        }}
      >
        <NightInput
          label="Nights from"
          value={form.night_from}
          onChange={(v) => set({ night_from: v })}
        />
        <NightInput
          label="to"
          value={form.night_to}
          onChange={(v) => set({ night_to: v })}
          blank="same night"
        />
        <ChoiceFilter
          label="Flavor"
          value={form.flavor}
          choices={FLAVORS}
          onChange={(v) => set({ flavor: v })}
        />
        <ChoiceFilter
          label="Program"
          value={form.program}
          choices={PROGRAMS}
          onChange={(v) => set({ program: v })}
        />
        <label>
          Tile{' '}
          <input
            value={form.tile}
            onChange={(e) => set({ tile: e.target.value })}
            inputMode="numeric"
            size={6}
            placeholder="any"
          />
        </label>
        <label>
          Thresholds{' '}
          <select value={form.spec_version} onChange={(e) => set({ spec_version: e.target.value })}>
            <option value="">in force on each night</option>
            {(versions.data ?? []).map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name <input value={form.name} onChange={(e) => set({ name: e.target.value })} size={16} />
        </label>
        <button className="btn small primary" type="submit" disabled={start.isPending}>
          Start campaign
        </button>
      </form>
      <ErrorMessage error={start.error} />
      {start.data && (
        <p className="notice" role="status">
          Campaign {start.data.id} started over {plural(start.data.total, 'exposure')}
          {start.data.skipped.length > 0 &&
            `; skipped ${start.data.skipped.map((s) => `${s.expid} (${s.reason})`).join(', ')}`}
          .
        </p>
      )}
    </section>
  );
}
