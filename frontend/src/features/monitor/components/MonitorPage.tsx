import { useEffect, useState } from 'react';

import { useQlMapping, stepsOf } from '@/lib/queries/mapping';
import { useProcessDetail } from '@/lib/queries/processes';

import { useMonitorFeed } from '../api/monitor-feed';

import { AlertBox } from './AlertBox';
import { BacklogIndicator } from './BacklogIndicator';
import { CameraGrid } from './CameraGrid';
import { CameraLog } from './CameraLog';
import { ControlBar } from './ControlBar';
import { CurrentExposure } from './CurrentExposure';
import { EffectiveTime } from './EffectiveTime';
import { PipelineLog } from './PipelineLog';
import { PipelineStatusPanel } from './PipelineStatusPanel';

export function MonitorPage() {
  const feed = useMonitorFeed();
  const [camera, setCamera] = useState<string | null>(null);
  const status = feed.status.data;
  const recent = feed.recent.data ?? [];
  // The exposure being processed, else the most recent process.
  const current =
    (status?.current != null && recent.find((p) => p.expid === status.current)) || recent[0];
  const detail = useProcessDetail(current?.id ?? null, feed.poll);
  const mapping = useQlMapping();
  const process = detail.data;
  const steps = stepsOf(mapping.data, process?.flavor);
  const job = process?.jobs.find((j) => j.camera === camera);

  const { socket, socketState } = feed;
  const processId = process?.id;
  useEffect(() => {
    if (socketState !== 'live' || !processId || !camera) return;
    socket.subscribeLog(processId, camera);
    return () => socket.unsubscribeLog(processId, camera);
  }, [socket, socketState, processId, camera]);

  return (
    <div className="monitor">
      <div className="monitor-top">
        <PipelineStatusPanel
          status={status}
          error={feed.status.error}
          socketState={feed.socketState}
        />
        <BacklogIndicator status={status} />
        <ControlBar state={status?.state} />
      </div>
      <div className="monitor-middle">
        <CurrentExposure process={process} live={status?.current != null} />
        <EffectiveTime process={process} pollMs={feed.poll} />
        <AlertBox
          live={feed.alerts}
          process={process}
          onClear={feed.dismissAlerts}
          onAcked={feed.markAcked}
          pollMs={feed.poll}
        />
      </div>
      <CameraGrid jobs={process?.jobs ?? []} steps={steps} selected={camera} onSelect={setCamera} />
      <div className="monitor-logs">
        <PipelineLog lines={feed.lines} process={process} />
        <CameraLog
          job={job}
          processId={process?.id ?? null}
          camera={camera}
          live={socketState === 'live'}
          pollMs={feed.poll}
        />
      </div>
    </div>
  );
}
