import { GradeLegend, gradeGlyph, gradeName } from '@/components/ui/Grade';
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

/** Why a camera is graded so: the backend's reasons by metric, else the steps at its grade. */
export function cameraReason(job: Job | undefined): string {
  if (!job) return '';
  if (job.status === 'failed') return job.error || `failed in ${job.failed_step || 'a step'}`;
  const reasons = Object.entries(job.reasons ?? {}).map(([key, text]) => `${key}: ${text}`);
  if (reasons.length) return reasons.join('; ');
  if (job.qa_status && job.qa_status !== 'NORMAL') {
    const steps = job.steps.filter((s) => s.qa_status === job.qa_status).map((s) => s.name);
    if (steps.length) return `${job.qa_status} in ${steps.join(', ')}`;
  }
  return '';
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
              const reason = cameraReason(job);
              const grade =
                job?.qa_status || failed ? `, ${gradeName(job?.qa_status, failed)}` : '';
              const label = `${camera}: ${job ? job.status : 'no job'}${grade}${
                reason ? ` (${reason})` : ''
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
                  {job && (job.qa_status || failed) && (
                    <span className="camera-glyph" aria-hidden="true">
                      {gradeGlyph(job.qa_status, failed)}
                    </span>
                  )}
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
        QA: <GradeLegend />
      </p>
      <WhyList jobs={jobs} />
    </section>
  );
}

/** The cameras not NORMAL and why, in words (hover is not needed to know). */
function WhyList({ jobs }: { jobs: Job[] }) {
  const odd = jobs
    .filter((j) => j.status === 'failed' || (j.qa_status && j.qa_status !== 'NORMAL'))
    .sort((a, b) => a.camera.localeCompare(b.camera));
  if (!odd.length) return null;
  return (
    <ul className="why-list" aria-label="Cameras not NORMAL">
      {odd.map((j) => (
        <li key={j.camera}>
          <span className={`grade ${qaClass(j.qa_status, j.status === 'failed')}`}>
            {gradeGlyph(j.qa_status, j.status === 'failed')}{' '}
            {gradeName(j.qa_status, j.status === 'failed')}
          </span>{' '}
          <strong>{j.camera}</strong> <span className="reason">{cameraReason(j) || '—'}</span>
        </li>
      ))}
    </ul>
  );
}
