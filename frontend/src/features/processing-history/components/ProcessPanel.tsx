import { useState } from 'react';

import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { qaClass } from '@/lib/instrument';
import { useJobLog, useProcessDetail } from '@/lib/queries/processes';

import { Comments } from './Comments';

/** A process's comments and its per-camera logs. */
export function ProcessPanel({ processId }: { processId: number }) {
  const detail = useProcessDetail(processId);
  const [jobId, setJobId] = useState<number | null>(null);
  const log = useJobLog(jobId);
  const jobs = [...(detail.data?.jobs ?? [])].sort((a, b) => a.camera.localeCompare(b.camera));
  const camera = jobs.find((j) => j.id === jobId)?.camera;

  return (
    <div className="process-panel">
      <Comments processId={processId} />
      <div>
        <h3>Camera logs</h3>
        {detail.isLoading && <Loading />}
        <div className="camera-buttons" role="group" aria-label="Camera logs">
          {jobs.map((job) => (
            <button
              key={job.id}
              className={`chip ${qaClass(job.qa_status, job.status === 'failed')}`}
              aria-pressed={job.id === jobId}
              onClick={() => setJobId(job.id)}
            >
              {job.camera}
            </button>
          ))}
        </div>
        <ErrorMessage error={log.error} />
        {log.data && (
          <pre className="log short" aria-label={`log of ${camera}`}>
            {log.data.lines.join('\n')}
          </pre>
        )}
      </div>
    </div>
  );
}
