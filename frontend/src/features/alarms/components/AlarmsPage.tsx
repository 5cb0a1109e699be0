import { AlarmList } from './AlarmList';
import { AuditLog } from './AuditLog';
import { MaskList } from './MaskList';

/** Alarms & masks: acknowledge alarms, mask known-bad elements, read the audit log. */
export function AlarmsPage() {
  return (
    <div className="page">
      <h1>Alarms &amp; masks</h1>
      <AlarmList />
      <MaskList />
      <AuditLog />
    </div>
  );
}
