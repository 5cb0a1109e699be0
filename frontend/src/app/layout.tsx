import { NavLink, Outlet } from 'react-router';

import { OpenAlarmsBadge } from '@/features/alarms/components/OpenAlarmsBadge';
import { UserMenu } from '@/features/auth/components/UserMenu';

const LINKS: [string, string][] = [
  ['/', 'Monitor'],
  ['/processing', 'Processing History'],
  ['/observing', 'Observing History'],
  ['/qa', 'QA'],
  ['/trends', 'Trends'],
  ['/conditions', 'Conditions'],
  ['/survey', 'Survey'],
  ['/nights', 'Night Summary'],
  ['/drift', 'Drift'],
  ['/compare', 'Compare'],
  ['/alarms', 'Alarms & masks'],
  ['/thresholds', 'Thresholds'],
  ['/campaigns', 'Campaigns'],
];

export function Layout() {
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">QLF</span>
        <nav aria-label="Screens">
          {LINKS.map(([to, label]) => (
            <NavLink key={to} to={to} end={to === '/'}>
              {label}
            </NavLink>
          ))}
        </nav>
        <OpenAlarmsBadge />
        <UserMenu />
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
