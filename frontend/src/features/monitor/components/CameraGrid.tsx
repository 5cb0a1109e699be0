import { ARMS, SPECTROGRAPHS, qaClass } from '@/lib/instrument';
import type { Job, MappingStep } from '@/lib/types';

export type StepState = 'waiting' | 'running' | 'done' | 'failed';

export function stepState(job: Job | undefined, step: string): StepState {
  const run = job?.steps.find((s) => s.name === step);
  if (!run) return job?.current_step === step ? 'running' : 'waiting';
  if (run.state === 'failed') return 'failed';
  if (run.state === 'finished') return 'done';
  return 'running';
}

type Props = {
  jobs: Job[];
  steps: MappingStep[];
  selected: string | null;
  onSelect: (camera: string) => void;
};

/** The 30 cameras (arms × spectrographs), each with its steps' states and its QA colour. */
export function CameraGrid({ jobs, steps, selected, onSelect }: Props) {
  const byCamera = new Map(jobs.map((job) => [job.camera, job]));
  return (
    <section className="panel" aria-label="Cameras">
      <h2>Cameras</h2>
      <div className="camera-grid" role="grid">
        <div role="row" className="camera-row header">
          <span />
          {SPECTROGRAPHS.map((sp) => (
            <span key={sp} role="columnheader">
              {sp}
            </span>
          ))}
        </div>
        {ARMS.map((arm) => (
          <div role="row" className="camera-row" key={arm}>
            <span role="rowheader" className={`arm arm-${arm}`}>
              {arm}
            </span>
            {SPECTROGRAPHS.map((sp) => {
              const camera = `${arm}${sp}`;
              const job = byCamera.get(camera);
              const failed = job?.status === 'failed';
              const states = steps.map((s) => [s.name, stepState(job, s.name)] as const);
              const label = `${camera}: ${job ? job.status : 'no job'}${
                job?.qa_status ? `, ${job.qa_status}` : ''
              }; ${states.map(([n, st]) => `${n} ${st}`).join(', ')}`;
              return (
                <button
                  key={camera}
                  type="button"
                  role="gridcell"
                  aria-label={label}
                  aria-selected={selected === camera}
                  title={label}
                  className={`camera ${job ? qaClass(job.qa_status, failed) : 'qa-empty'} ${
                    selected === camera ? 'selected' : ''
                  }`}
                  onClick={() => onSelect(camera)}
                >
                  <span className="camera-name">{camera}</span>
                  <span className="pips">
                    {states.map(([name, st]) => (
                      <span key={name} className={`pip pip-${st}`} />
                    ))}
                  </span>
                </button>
              );
            })}
          </div>
        ))}
      </div>
      <p className="legend">
        steps: <span className="pip pip-waiting" /> waiting <span className="pip pip-running" />{' '}
        running <span className="pip pip-done" /> done <span className="pip pip-failed" /> failed ·
        QA: <span className="swatch qa-normal" /> NORMAL <span className="swatch qa-warning" />{' '}
        WARNING <span className="swatch qa-alarm" /> ALARM <span className="swatch qa-none" /> no QA{' '}
        <span className="swatch qa-failed" /> failed
      </p>
    </section>
  );
}
