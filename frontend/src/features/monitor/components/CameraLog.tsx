import { useEffect, useRef } from 'react';

import { ErrorMessage } from '@/components/ui/Feedback';
import type { Job } from '@/lib/types';

import { useCameraLog } from '../api/camera-log';

type Props = {
  job: Job | undefined;
  processId: number | null;
  camera: string | null;
  live: boolean;
  pollMs: number | false;
};

/** The selected camera's log: its tail, then the lines the live feed pushes. */
export function CameraLog({ job, processId, camera, live, pollMs }: Props) {
  const running = job?.status === 'running' || job?.status === 'queued';
  const log = useCameraLog(processId, camera, job?.id ?? null, {
    live,
    pollMs: running ? pollMs || 2000 : false,
  });
  const end = useRef<HTMLDivElement>(null);
  const count = log.data?.lines.length ?? 0;
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [count]);

  return (
    <section className="panel log-panel" aria-label="Camera log">
      <h2>{camera ? `Log of ${camera}` : 'Camera log'}</h2>
      {!camera && <p className="muted">Click a camera to follow its log.</p>}
      {camera && !job && <p className="muted">No job for {camera} in this process.</p>}
      {log.error && <ErrorMessage error={log.error} />}
      {log.data && (
        <pre className="log" aria-label={`log of ${camera}`}>
          {log.data.lines.join('\n')}
          <div ref={end} />
        </pre>
      )}
    </section>
  );
}
