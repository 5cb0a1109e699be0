import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { useIsOperator } from '@/lib/auth';
import { dateTime, night } from '@/lib/format';

import { useEndMask, useMasks } from '../api/alarms';

import { MaskForm } from './MaskForm';

/** Known-bad masks: what, which nights, why, by whom; operators add and end them. */
export function MaskList() {
  const masks = useMasks();
  const end = useEndMask();
  const operator = useIsOperator();
  return (
    <section className="panel" aria-label="Masks">
      <h2>Known-bad masks</h2>
      {operator && <MaskForm />}
      <ErrorMessage error={masks.error ?? end.error} />
      {masks.isLoading && <Loading />}
      {masks.data?.length === 0 && <p className="muted">Nothing is masked.</p>}
      {!!masks.data?.length && (
        <table className="table" aria-label="Mask list">
          <thead>
            <tr>
              <th>Masked</th>
              <th>Metrics</th>
              <th>Nights</th>
              <th>Reason</th>
              <th>By</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {masks.data.map((m) => (
              <tr key={m.id}>
                <td>{m.target}</td>
                <td>{m.metrics.length ? m.metrics.join(', ') : 'all'}</td>
                <td>
                  {night(m.night_from)} → {m.night_to ? night(m.night_to) : 'open'}
                </td>
                <td>{m.reason}</td>
                <td>
                  {m.created_by} <span className="muted small">{dateTime(m.created)}</span>
                </td>
                <td>
                  {m.ended ? (
                    `ended ${dateTime(m.ended)}`
                  ) : operator ? (
                    <button
                      className="btn small"
                      disabled={end.isPending}
                      onClick={() => end.mutate(m.id)}
                      aria-label={`End mask of ${m.target}`}
                    >
                      End
                    </button>
                  ) : (
                    'active'
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
