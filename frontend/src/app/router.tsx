import { useState } from 'react';
import {
  createBrowserRouter,
  createMemoryRouter,
  RouterProvider,
  type RouteObject,
} from 'react-router';

import { Loading } from '@/components/ui/Feedback';
import { AlarmsPage } from '@/features/alarms/components/AlarmsPage';
import { CampaignsPage } from '@/features/campaigns/components/CampaignsPage';
import { LoginPage } from '@/features/auth/components/LoginPage';
import { ComparePage } from '@/features/compare/components/ComparePage';
import { ConditionsPage } from '@/features/conditions/components/ConditionsPage';
import { DriftPage } from '@/features/drift/components/DriftPage';
import { MonitorPage } from '@/features/monitor/components/MonitorPage';
import { NightSummaryPage } from '@/features/night-summary/components/NightSummaryPage';
import { ObservingHistoryPage } from '@/features/observing-history/components/ObservingHistoryPage';
import { ProcessingHistoryPage } from '@/features/processing-history/components/ProcessingHistoryPage';
import { QaLatestRoute, QaOfExposureRoute, QaRoute } from '@/features/qa/components/QaRoutes';
import { RunbooksPage } from '@/features/runbooks/components/RunbooksPage';
import { SurveyPage } from '@/features/survey/components/SurveyPage';
import { ThresholdsPage } from '@/features/thresholds/components/ThresholdsPage';
import { TrendsPage } from '@/features/trends/components/TrendsPage';
import { useMe } from '@/lib/auth';

import { Layout } from './layout';

const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <MonitorPage /> },
      { path: 'processing', element: <ProcessingHistoryPage /> },
      { path: 'observing', element: <ObservingHistoryPage /> },
      { path: 'qa', element: <QaLatestRoute /> },
      { path: 'qa/exposure/:expid', element: <QaOfExposureRoute /> },
      { path: 'qa/:processId', element: <QaRoute /> },
      { path: 'trends', element: <TrendsPage /> },
      { path: 'conditions', element: <ConditionsPage /> },
      { path: 'survey', element: <SurveyPage /> },
      { path: 'nights', element: <NightSummaryPage /> },
      { path: 'nights/:night', element: <NightSummaryPage /> },
      { path: 'drift', element: <DriftPage /> },
      { path: 'compare', element: <ComparePage /> },
      { path: 'alarms', element: <AlarmsPage /> },
      { path: 'thresholds', element: <ThresholdsPage /> },
      { path: 'runbooks', element: <RunbooksPage /> },
      { path: 'campaigns', element: <CampaignsPage /> },
      { path: '*', element: <p className="muted">No such page.</p> },
    ],
  },
];

/** Signed-in users get the screens; everyone else the login page (session auth). */
export function AppRouter({ initialPath }: { initialPath?: string }) {
  const me = useMe();
  if (me.isLoading) return <Loading what="Connecting" />;
  if (me.error)
    return (
      <p role="alert" className="error">
        {me.error.message}
      </p>
    );
  if (!me.data?.username) return <LoginPage />;
  return <Routes initialPath={initialPath} />;
}

function Routes({ initialPath }: { initialPath?: string }) {
  const [router] = useState(() =>
    initialPath === undefined
      ? createBrowserRouter(routes)
      : createMemoryRouter(routes, { initialEntries: [initialPath] }),
  );
  return <RouterProvider router={router} />;
}
