import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { useIsAdmin } from '@/lib/auth';

import { useThresholds } from '../api/thresholds';

import { RegradePanel } from './RegradePanel';
import { ThresholdForm } from './ThresholdForm';
import { VersionList } from './VersionList';

/** Thresholds as living data: versions, new versions (admins) and re-grading history. */
export function ThresholdsPage() {
  const versions = useThresholds();
  const admin = useIsAdmin();
  const list = versions.data ?? [];
  return (
    <div className="page">
      <h1>Thresholds</h1>
      <ErrorMessage error={versions.error} />
      {versions.isLoading && <Loading />}
      {admin && list.length > 0 && (
        <section className="panel" aria-label="Edit a threshold">
          <h2>Edit a threshold</h2>
          <ThresholdForm current={list[0]?.version} />
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
