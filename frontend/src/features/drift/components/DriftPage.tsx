import { useState } from 'react';

import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { Sparkline } from '@/components/ui/Sparkline';
import { night as nightText, num } from '@/lib/format';
import { CAMERAS } from '@/lib/instrument';
import { useQlMapping } from '@/lib/queries/mapping';
import { useNights } from '@/lib/queries/nights';

import { useDrift, type DriftQuery } from '../api/drift';

/** Metric elements that stepped or drifted away from their own last nights. */
export function DriftPage() {
  const nights = useNights();
  const [query, setQuery] = useState<Omit<DriftQuery, 'night'> & { night: number | null }>({
    night: null,
    metric: '',
    camera: '',
    window: 10,
  });
  const night = query.night ?? nights.data?.results[0]?.night ?? null;
  const drift = useDrift({ ...query, night });
  const update = (patch: Partial<DriftQuery>) => setQuery((q) => ({ ...q, ...patch }));
  const flags = drift.data?.flags ?? [];
  const mapping = useQlMapping();
  const metricKeys = [
    ...new Set(
      Object.values(mapping.data ?? {}).flatMap((m) =>
        m.steps.flatMap((s) => s.qa.map((q) => q.key)),
      ),
    ),
  ].sort();

  return (
    <div className="page">
      <h1>Drift</h1>
      <p className="muted">
        Per metric element, the night&apos;s mean against the median and MAD of its last{' '}
        {query.window} nights: a <b>step</b> beyond {drift.data?.config.k_step ?? '…'} σ, a{' '}
        <b>drift</b> when the values trend monotonically (Mann–Kendall |Z| ≥{' '}
        {drift.data?.config.z_drift ?? '…'}) by more than their scatter — even inside the fixed
        ranges.
      </p>
      <div className="filters">
        <label>
          Night
          <select value={night ?? ''} onChange={(e) => update({ night: Number(e.target.value) })}>
            {nights.data?.results.map((n) => (
              <option key={n.night} value={n.night}>
                {nightText(n.night)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Metric
          <select value={query.metric} onChange={(e) => update({ metric: e.target.value })}>
            <option value="">all</option>
            {metricKeys.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Camera
          <select value={query.camera} onChange={(e) => update({ camera: e.target.value })}>
            <option value="">all</option>
            {CAMERAS.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Baseline nights
          <select value={query.window} onChange={(e) => update({ window: Number(e.target.value) })}>
            {[5, 10, 20, 30].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessage error={nights.error ?? drift.error} />
      {(nights.isLoading || drift.isLoading) && <Loading />}
      {nights.data?.count === 0 && <p className="muted">No night has exposures yet.</p>}
      {drift.data && (
        <p>
          {flags.length} of {drift.data.judged} metric elements flagged on{' '}
          {nightText(drift.data.night)}.
        </p>
      )}
      {flags.length > 0 && (
        <table className="table" aria-label="Drift flags">
          <thead>
            <tr>
              <th>Metric</th>
              <th>Camera</th>
              <th>Amp / index</th>
              <th>Flag</th>
              <th>Value</th>
              <th>Baseline median</th>
              <th>Deviation (σ)</th>
              <th>Slope / night</th>
              <th>Last nights</th>
            </tr>
          </thead>
          <tbody>
            {flags.map((f) => (
              <tr key={`${f.key}/${f.camera}/${f.index}`}>
                <td>{f.key}</td>
                <td>{f.camera}</td>
                <td>{f.index || '—'}</td>
                <td>
                  {f.kinds.map((k) => (
                    <span key={k} className="badge qa-warning">
                      {k}
                    </span>
                  ))}
                </td>
                <td>{num(f.value, 3)}</td>
                <td>{num(f.median, 3)}</td>
                <td>{num(f.deviation, 1)}</td>
                <td>{num(f.slope_per_night, 3)}</td>
                <td>
                  <Sparkline
                    values={f.values}
                    band={f.band}
                    label={`${f.key} ${f.camera} ${f.index}: ${f.values.length} nights`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
