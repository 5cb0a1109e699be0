import { useState } from 'react';
import { Link } from 'react-router';

import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { useIsAdmin } from '@/lib/auth';
import { night } from '@/lib/format';
import { qaClass } from '@/lib/instrument';

import {
  useApplyRegrade,
  useRegradePreview,
  type RegradeRange,
  type RegradeReport,
  type ThresholdVersion,
} from '../api/thresholds';
import { NightInput } from '@/components/ui/NightInput';

function Changes({ report }: { report: RegradeReport }) {
  return (
    <>
      <p role="status">
        {report.exposures} exposures, {report.cameras} cameras; {report.changed.length} exposures
        change status.
      </p>
      {report.changed.length > 0 && (
        <table className="table" aria-label="Status changes">
          <thead>
            <tr>
              <th>Exposure</th>
              <th>Night</th>
              <th>Flavor</th>
              <th>Exposure QA</th>
              <th>Cameras</th>
            </tr>
          </thead>
          <tbody>
            {report.changed.map((c) => (
              <tr key={c.expid}>
                <td>
                  <Link to={`/qa/${c.process_id}`}>{c.expid}</Link>
                </td>
                <td>{night(c.night)}</td>
                <td>{c.flavor}</td>
                <td>
                  <span className={qaClass(c.before)}>{c.before}</span> →{' '}
                  <span className={qaClass(c.after)}>{c.after}</span>
                </td>
                <td>{c.cameras.map((k) => `${k.camera} ${k.before} → ${k.after}`).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Re-grade history with a version: preview the changes (everyone), apply them (admins). */
export function RegradePanel({ versions }: { versions: ThresholdVersion[] }) {
  const admin = useIsAdmin();
  const [form, setForm] = useState<RegradeRange>({ version: '', night_from: '', night_to: '' });
  const [asked, setAsked] = useState<RegradeRange | null>(null);
  const preview = useRegradePreview(asked);
  const apply = useApplyRegrade();
  const set = (patch: Partial<RegradeRange>) => setForm((f) => ({ ...f, ...patch }));
  const version = form.version || versions[0]?.version || '';
  const range = { ...form, version };
  return (
    <section className="panel" aria-label="Re-grade">
      <h2>Re-grade history</h2>
      <form
        className="threshold-form"
        onSubmit={(e) => {
          e.preventDefault();
          apply.reset();
          setAsked(range);
        }}
      >
        <label>
          Version{' '}
          <select value={version} onChange={(e) => set({ version: e.target.value })}>
            {versions.map((v) => (
              <option key={v.version}>{v.version}</option>
            ))}
          </select>
        </label>
        <NightInput
          label="Nights from"
          value={form.night_from}
          onChange={(night_from) => set({ night_from })}
        />
        <NightInput
          label="to"
          value={form.night_to}
          onChange={(night_to) => set({ night_to })}
          blank="latest"
        />
        <button className="btn small" type="submit">
          Preview
        </button>
        {admin && asked && preview.data && (
          <button
            className="btn small danger"
            type="button"
            disabled={apply.isPending}
            onClick={() => apply.mutate(asked)}
          >
            Apply re-grade
          </button>
        )}
      </form>
      <ErrorMessage error={preview.error ?? apply.error} />
      {preview.isFetching && <Loading what="Grading again" />}
      {apply.data ? (
        <>
          <p className="notice">Re-graded with {apply.data.version}.</p>
          <Changes report={apply.data} />
        </>
      ) : (
        preview.data && <Changes report={preview.data} />
      )}
    </section>
  );
}
