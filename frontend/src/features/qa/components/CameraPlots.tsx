import { useState } from 'react';

import { RunbookPanel } from '@/components/runbooks/RunbookPanel';
import type { MappingStep } from '@/lib/types';

import type { QaCamera } from '../api/qa';

import { BokehPlot } from './BokehPlot';

type Props = { processId: number; camera: QaCamera; steps: MappingStep[]; flavor?: string };

/** The drill-down plots of one camera: a metric's plot (the worst one first) or the CCD image. */
export function CameraPlots({ processId, camera, steps, flavor }: Props) {
  const metrics = steps.flatMap((s) =>
    (camera.steps[s.name]?.metrics ?? []).map((m) => ({
      key: m.key,
      status: m.status,
      label: s.qa.find((q) => q.key === m.key)?.display_name ?? m.key,
    })),
  );
  const worst =
    metrics.find((m) => m.status === 'ALARM') ??
    metrics.find((m) => m.status === 'WARNING') ??
    metrics[0];
  const [choice, setChoice] = useState<string>(worst?.key ?? 'ccd');
  const request =
    choice === 'ccd'
      ? ({ kind: 'ccd', process: processId, camera: camera.camera } as const)
      : ({ kind: 'metric', metric: choice, process: processId, camera: camera.camera } as const);

  return (
    <div className="camera-plots">
      <label className="filters">
        Plot
        <select value={choice} onChange={(e) => setChoice(e.target.value)}>
          {metrics.map((m) => (
            <option key={m.key} value={m.key}>
              {m.label} ({m.status ?? 'no QA'})
            </option>
          ))}
          <option value="ccd">CCD image</option>
        </select>
      </label>
      <BokehPlot key={`${camera.camera}-${choice}`} request={request} />
      {choice !== 'ccd' && (
        <RunbookPanel metricKey={choice} camera={camera.camera} flavor={flavor} />
      )}
    </div>
  );
}
