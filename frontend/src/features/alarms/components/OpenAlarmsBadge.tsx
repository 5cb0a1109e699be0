import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';

import { config } from '@/config/env';
import { openCountOptions } from '@/lib/queries/alarms';

/** Every page: how many alarms wait for an acknowledgement, linking to them (issue 16). */
export function OpenAlarmsBadge() {
  const count = useQuery(openCountOptions(Math.max(config.pollMs, 10000))).data;
  if (!count) return null;
  const level = count.ALARM ? 'alarm' : count.open ? 'warning' : 'none';
  const parts = [
    count.ALARM ? `${count.ALARM} ALARM` : '',
    count.WARNING ? `${count.WARNING} WARNING` : '',
  ].filter(Boolean);
  const said = count.open ? `${count.open} open alarms: ${parts.join(', ')}` : 'no open alarm';
  return (
    <Link
      to="/alarms"
      className={`open-alarms open-alarms-${level}`}
      aria-label={said}
      title={`${said} — acknowledge them on Alarms & masks`}
    >
      {count.ALARM ? '✖' : count.open ? '▲' : '✔'} {count.open}
      <span className="small"> open</span>
    </Link>
  );
}
