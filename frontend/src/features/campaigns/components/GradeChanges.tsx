import { Link } from 'react-router';

import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { night } from '@/lib/format';
import { qaClass } from '@/lib/instrument';
import type { QaStatus } from '@/lib/types';

import { useCampaignDiff } from '../api/campaigns';

function Grade({ status }: { status: string }) {
  return (
    <span className={`grade ${qaClass((status || null) as QaStatus | null)}`}>{status || '—'}</span>
  );
}

/** The exposures and cameras whose grade the campaign changes (current → campaign). */
export function GradeChanges({ id }: { id: number }) {
  const diff = useCampaignDiff(id);
  if (diff.isLoading) return <Loading what="Comparing" />;
  if (diff.error) return <ErrorMessage error={diff.error} />;
  const d = diff.data!;
  return (
    <section className="panel" aria-label="Grade changes">
      <h2>Grade changes of campaign {id}</h2>
      <p role="status">
        {d.changed_exposures} of {d.exposures} exposures and {d.changed_cameras} of {d.cameras}{' '}
        cameras change grade (
        {d.state === 'promoted' ? 'before → after promotion' : 'shown → campaign'}).
      </p>
      {d.changed.length > 0 && (
        <table className="table" aria-label="Changed grades">
          <thead>
            <tr>
              <th>Exposure</th>
              <th>Night</th>
              <th>Flavor</th>
              <th>Exposure QA</th>
              <th>Cameras</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {d.changed.map((c) => (
              <tr key={c.expid}>
                <td>{c.expid}</td>
                <td>{night(c.night)}</td>
                <td>{c.flavor}</td>
                <td>
                  <Grade status={c.before} /> → <Grade status={c.after} />
                </td>
                <td className="grade-cameras">
                  {c.cameras.map((k, i) => (
                    <span key={k.camera}>
                      {i > 0 && ', '}
                      <span className="nowrap">
                        {k.camera} <Grade status={k.before} /> → <Grade status={k.after} />
                      </span>
                    </span>
                  ))}
                </td>
                <td>
                  {c.current_process_id && (
                    <Link
                      to={`/compare?expid=${c.expid}&a=${c.current_process_id}&b=${c.campaign_process_id}`}
                    >
                      compare
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
