import { useState } from 'react';

import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { Grade, GradeLegend } from '@/components/ui/Grade';
import { QaBadge, StateBadge } from '@/components/ui/QaBadge';
import { dateTime, night, num } from '@/lib/format';
import { ARMS, SPECTROGRAPHS } from '@/lib/instrument';
import { stepsOf, useQlMapping } from '@/lib/queries/mapping';
import { useProcessDetail } from '@/lib/queries/processes';
import type { MappingStep } from '@/lib/types';

import { useProcessQa, type QaCamera } from '../api/qa';

import { CameraPlots } from './CameraPlots';
import { FocalPlane, cameraStatus } from './FocalPlane';
import { MetricTable, explainMetric } from './MetricTable';

/** QA of one process: the focal plane by petal and arm, hover for metrics, click to drill down. */
export function QaPage({ processId }: { processId: number }) {
  const detail = useProcessDetail(processId);
  const qa = useProcessQa(processId);
  const mapping = useQlMapping();
  const [step, setStep] = useState('');
  const [spectrograph, setSpectrograph] = useState<number | null>(null);
  const [arm, setArm] = useState<string>('b');
  const [hovered, setHovered] = useState<string | null>(null);

  const process = detail.data;
  const steps = stepsOf(mapping.data, process?.flavor);
  const cameras = qa.data?.cameras ?? [];
  const selected = spectrograph === null ? null : `${arm}${spectrograph}`;
  const shownSteps = step ? steps.filter((s) => s.name === step) : steps;
  const hoveredQa = cameras.find((c) => c.camera === hovered);
  const selectedQa = cameras.find((c) => c.camera === selected);

  const select = (camera: string) => {
    setArm(camera[0] ?? 'b');
    setSpectrograph(Number(camera.slice(1)));
  };

  if (detail.error) return <ErrorMessage error={detail.error} />;
  if (!process) return <Loading what="Loading the process" />;
  const e = process.exposure;

  return (
    <div className="page qa-page">
      <h1>
        QA of exposure {e.expid}{' '}
        <QaBadge status={process.qa_status} failed={process.status === 'failed'} />
      </h1>
      <dl className="facts inline" aria-label="Exposure">
        <dt>Exposure</dt>
        <dd>{e.expid}</dd>
        <dt>Process</dt>
        <dd>
          {process.id} <StateBadge state={process.status} />
        </dd>
        <dt>Flavor</dt>
        <dd>{e.flavor}</dd>
        <dt>Program</dt>
        <dd>{e.program ?? '—'}</dd>
        <dt>MJD</dt>
        <dd>{num(e.mjd, 5)}</dd>
        <dt>Date</dt>
        <dd>{e.dateobs ? dateTime(e.dateobs) : night(e.night)}</dd>
        <dt>Thresholds</dt>
        <dd>{process.spec_version || '—'}</dd>
      </dl>

      <form className="filters" aria-label="QA selectors" onSubmit={(ev) => ev.preventDefault()}>
        <label>
          Step
          <select value={step} onChange={(ev) => setStep(ev.target.value)}>
            <option value="">all steps</option>
            {steps.map((s) => (
              <option key={s.name} value={s.name}>
                {s.display_name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Spectrograph
          <select
            value={spectrograph ?? ''}
            onChange={(ev) =>
              setSpectrograph(ev.target.value === '' ? null : Number(ev.target.value))
            }
          >
            <option value="">—</option>
            {SPECTROGRAPHS.map((sp) => (
              <option key={sp} value={sp}>
                {sp}
              </option>
            ))}
          </select>
        </label>
        <label>
          Arm
          <select value={arm} onChange={(ev) => setArm(ev.target.value)}>
            {ARMS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorMessage error={qa.error} />

      <div className="qa-layout">
        <div className="panel">
          <FocalPlane
            cameras={cameras}
            step={step}
            selected={selected}
            onHover={setHovered}
            onSelect={select}
          />
          <p className="legend">
            <GradeLegend /> · b inside, z outside
          </p>
        </div>
        <section className="panel hover-panel" aria-live="polite" aria-label="Hovered camera">
          {hoveredQa ? (
            <>
              <h2>
                {hoveredQa.camera}{' '}
                <QaBadge
                  status={cameraStatus(hoveredQa, step)[0]}
                  failed={cameraStatus(hoveredQa, step)[1]}
                />
              </h2>
              <WhyCamera camera={hoveredQa} steps={shownSteps} />
              <p className="muted small">Click the petal for its plots and every metric.</p>
            </>
          ) : (
            <p className="muted">
              Hover a petal to see why it is graded so; click it to drill down.
            </p>
          )}
        </section>
      </div>

      {selected && (
        <section className="panel" aria-label={`Camera ${selected}`}>
          <h2>
            Camera {selected}{' '}
            {selectedQa && (
              <QaBadge status={selectedQa.status} failed={Boolean(selectedQa.error)} />
            )}
          </h2>
          {!selectedQa && <p className="muted">No QA for {selected} in this process.</p>}
          {selectedQa?.error && <p className="error">{selectedQa.error}</p>}
          {selectedQa && (
            <CameraPlots
              key={selectedQa.camera}
              processId={processId}
              camera={selectedQa}
              steps={shownSteps}
              flavor={process.flavor}
            />
          )}
          {selectedQa &&
            shownSteps.map((s) => (
              <MetricTable key={s.name} name={s.name} step={selectedQa.steps[s.name]} mapping={s} />
            ))}
        </section>
      )}
    </div>
  );
}

/** A hovered camera's metrics that are not NORMAL, each with why (the table is below, once). */
function WhyCamera({ camera, steps }: { camera: QaCamera; steps: MappingStep[] }) {
  const rows = steps.flatMap((s) =>
    (camera.steps[s.name]?.metrics ?? []).map((m) => ({ step: s, metric: m })),
  );
  const odd = rows.filter((r) => r.metric.status !== 'NORMAL');
  const normal = rows.length - odd.length;
  if (camera.error) return <p className="error">{camera.error}</p>;
  return (
    <>
      <ul className="why-list" aria-label={`Why ${camera.camera}`}>
        {odd.map(({ step, metric }) => (
          <li key={`${step.name}-${metric.key}`}>
            <Grade status={metric.status} />{' '}
            <strong>{step.qa.find((q) => q.key === metric.key)?.display_name ?? metric.key}</strong>{' '}
            <span className="reason">{explainMetric(metric) || 'no reason given'}</span>
          </li>
        ))}
      </ul>
      <p className="muted small">
        {normal} of {rows.length} metrics NORMAL.
      </p>
    </>
  );
}
