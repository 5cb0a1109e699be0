import { ErrorMessage } from '@/components/ui/Feedback';
import { dateTime } from '@/lib/format';

import { useAudit } from '../api/alarms';

/** Who created, modified or ended what, and when (masks, acknowledgements, thresholds). */
export function AuditLog() {
  const audit = useAudit();
  return (
    <section className="panel" aria-label="Audit log">
      <h2>Audit log</h2>
      <ErrorMessage error={audit.error} />
      {audit.data?.length === 0 && <p className="muted">Nothing recorded yet.</p>}
      {!!audit.data?.length && (
        <table className="table" aria-label="Audit entries">
          <thead>
            <tr>
              <th>Time</th>
              <th>Who</th>
              <th>Action</th>
              <th>Target</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {audit.data.map((a) => (
              <tr key={a.id}>
                <td>{dateTime(a.time)}</td>
                <td>{a.author}</td>
                <td>{a.action}</td>
                <td>{a.target}</td>
                <td className="small">{JSON.stringify(a.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
