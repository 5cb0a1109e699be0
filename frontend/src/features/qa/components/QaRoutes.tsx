import { useQuery } from '@tanstack/react-query';
import { Navigate, useParams } from 'react-router';

import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { recentProcessesOptions } from '@/lib/queries/processes';

import { useLatestProcessOf } from '../api/qa';

import { QaPage } from './QaPage';

export function QaRoute() {
  const { processId } = useParams();
  const id = Number(processId);
  if (!Number.isInteger(id) || id <= 0) return <p className="error">Bad process id.</p>;
  return <QaPage key={id} processId={id} />;
}

/** /qa/exposure/:expid → the QA of the exposure's latest process. */
export function QaOfExposureRoute() {
  const { expid } = useParams();
  const found = useLatestProcessOf(Number(expid));
  if (found.error) return <ErrorMessage error={found.error} />;
  if (!found.data) return <Loading />;
  const process = found.data.results[0];
  if (!process) return <p className="muted">Exposure {expid} has not been processed.</p>;
  return <Navigate replace to={`/qa/${process.id}`} />;
}

/** /qa → the QA of the most recent process. */
export function QaLatestRoute() {
  const recent = useQuery(recentProcessesOptions());
  if (recent.error) return <ErrorMessage error={recent.error} />;
  if (!recent.data) return <Loading />;
  const process = recent.data[0];
  if (!process) return <p className="muted">No process yet.</p>;
  return <Navigate replace to={`/qa/${process.id}`} />;
}
