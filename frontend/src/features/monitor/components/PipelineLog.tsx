import { dateTime, seconds } from '@/lib/format';
import type { ProcessDetail } from '@/lib/types';

import type { LogLine } from '../api/monitor-feed';

/** Checkpoints of the process (per camera: each step's run-time) from the REST detail. */
export function checkpoints(process: ProcessDetail | undefined): string[] {
  if (!process) return [];
  const out = [
    `${dateTime(process.started)}  process ${process.id} started (exposure ${process.expid})`,
  ];
  const jobs = [...process.jobs].sort((a, b) => a.camera.localeCompare(b.camera));
  for (const job of jobs) {
    const steps = job.steps
      .map((s) => `${s.name} ${s.state === 'failed' ? 'FAILED' : seconds(s.duration_s, 2)}`)
      .join(' · ');
    const end =
      job.status === 'running'
        ? `running ${job.current_step}`
        : `${job.status} in ${seconds(job.duration_s, 2)}`;
    out.push(`  ${job.camera}  ${steps || '—'}  → ${end}${job.error ? `: ${job.error}` : ''}`);
  }
  if (process.ended)
    out.push(
      `${dateTime(process.ended)}  process ${process.id} ${process.status} in ${seconds(process.duration_s)}`,
    );
  return out;
}

export function PipelineLog({
  lines,
  process,
}: {
  lines: LogLine[];
  process: ProcessDetail | undefined;
}) {
  return (
    <section className="panel log-panel" aria-label="Pipeline log">
      <h2>Pipeline log</h2>
      <pre className="log">
        {checkpoints(process).join('\n')}
        {lines.length > 0 && '\n── live ──\n'}
        {lines.map((l) => (
          <span key={l.id} className={l.level ? `log-${l.level.toLowerCase()}` : undefined}>
            {`${dateTime(l.time).slice(11)}  ${l.text}\n`}
          </span>
        ))}
      </pre>
    </section>
  );
}
