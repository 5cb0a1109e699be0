import { Link } from 'react-router';

import { AlarmList } from './AlarmList';
import { AuditLog } from './AuditLog';
import { MaskList } from './MaskList';

/** Alarms & masks: acknowledge alarms, mask known-bad elements, read the audit log. */
export function AlarmsPage() {
  return (
    <div className="page">
      <h1>Alarms &amp; masks</h1>
      <p className="muted">
        Each alarm&apos;s runbook opens under it; <Link to="/runbooks">every runbook</Link>.
      </p>
      <AlarmList />
      <MaskList />
      <AuditLog />
    </div>
  );
}
