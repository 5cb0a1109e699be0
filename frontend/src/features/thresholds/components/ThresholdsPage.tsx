import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { useIsAdmin } from '@/lib/auth';

import { useThresholds } from '../api/thresholds';

import { InForceTable } from './InForceTable';
import { RegradePanel } from './RegradePanel';
import { versionInForce } from './threshold-entry';
import { ThresholdForm } from './ThresholdForm';
import { VersionList } from './VersionList';

/** Thresholds as living data: versions, new versions (admins) and re-grading history. */
export function ThresholdsPage() {
  const versions = useThresholds();
  const admin = useIsAdmin();
  const list = versions.data ?? [];
  const inForce = versionInForce(list);
  return (
    <div className="page">
      <h1>Thresholds</h1>
      <ErrorMessage error={versions.error} />
      {versions.isLoading && <Loading />}
      {inForce && <InForceTable version={inForce} />}
      {admin && inForce && (
        <section className="panel" aria-label="Add a threshold entry">
          <h2>Another metric, flavor or program</h2>
          <ThresholdForm current={inForce.version} />
        </section>
      )}
      <section className="panel" aria-label="Versions">
        <h2>Versions</h2>
        <VersionList versions={list} />
      </section>
      {list.length > 0 && <RegradePanel versions={list} />}
    </div>
  );
}
