import { useState } from 'react';

import { RunbookPanel } from '@/components/runbooks/RunbookPanel';
import { gradeGlyph } from '@/components/ui/Grade';
import type { MappingStep } from '@/lib/types';

import type { QaCamera } from '../api/qa';

import { BokehPlot } from './BokehPlot';

type Props = { processId: number; camera: QaCamera; steps: MappingStep[]; flavor?: string };

const SHOWN_AT_FIRST = 3;

/**
 * The drill-down plots of one camera, several side by side: at first the worst metrics (ALARM,
 * then WARNING, then the others) and the CCD image; toggle any metric on or off. A metric
 * graded WARNING or ALARM shows its runbook under its plot.
 */
export function CameraPlots({ processId, camera, steps, flavor }: Props) {
  const metrics = steps.flatMap((s) =>
    (camera.steps[s.name]?.metrics ?? []).map((m) => ({
      key: m.key,
      status: m.status,
      label: s.qa.find((q) => q.key === m.key)?.display_name ?? m.key,
    })),
  );
  const rank = (status: string | null) =>
    status === 'ALARM' ? 0 : status === 'WARNING' ? 1 : status === 'UNKNOWN' ? 2 : 3;
  const worst = [...metrics].sort((a, b) => rank(a.status) - rank(b.status));
  const [shown, setShown] = useState<string[]>(() => [
    ...worst.slice(0, SHOWN_AT_FIRST).map((m) => m.key),
    'ccd',
  ]);
  const toggle = (key: string) =>
    setShown((old) => (old.includes(key) ? old.filter((k) => k !== key) : [...old, key]));
  const choices = [...metrics, { key: 'ccd', status: null, label: 'CCD image' }];

  return (
    <div className="camera-plots">
      <fieldset className="plot-picker">
        <legend>Plots</legend>
        {choices.map((m) => (
          <label key={m.key} className={shown.includes(m.key) ? 'on' : undefined}>
            <input type="checkbox" checked={shown.includes(m.key)} onChange={() => toggle(m.key)} />{' '}
            {m.key === 'ccd' ? '' : `${gradeGlyph(m.status)} `}
            {m.label}
          </label>
        ))}
      </fieldset>
      <div className="plot-grid">
        {choices
          .filter((m) => shown.includes(m.key))
          .map((m) => (
            <figure key={`${camera.camera}-${m.key}`} className="plot-cell" aria-label={m.label}>
              <BokehPlot
                request={
                  m.key === 'ccd'
                    ? { kind: 'ccd', process: processId, camera: camera.camera }
                    : { kind: 'metric', metric: m.key, process: processId, camera: camera.camera }
                }
              />
              {(m.status === 'WARNING' || m.status === 'ALARM') && (
                <RunbookPanel metricKey={m.key} camera={camera.camera} flavor={flavor} />
              )}
            </figure>
          ))}
      </div>
    </div>
  );
}
