import { useEffect, useState } from 'react';
import { Link } from 'react-router';

import { QaBadge, StateBadge } from '@/components/ui/QaBadge';
import { num, seconds } from '@/lib/format';
import type { ProcessDetail } from '@/lib/types';

function useNow(active: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [active]);
  return now;
}

export function CurrentExposure({
  process,
  live,
}: {
  process: ProcessDetail | undefined;
  live: boolean;
}) {
  const running = process?.status === 'running' || process?.status === 'queued';
  const now = useNow(running);
  if (!process) {
    return (
      <section className="panel exposure" aria-label="Current exposure">
        <h2>Exposure</h2>
        <p className="muted">No exposure processed yet.</p>
      </section>
    );
  }
  const started = process.started ? new Date(process.started).getTime() : null;
  const elapsed = running && started ? (now - started) / 1000 : process.duration_s;
  const e = process.exposure;
  const latency = process.readout_to_qa_s ?? null;
  const overBudget = latency !== null && latency > (process.budget_s ?? Infinity);
  return (
    <section className="panel exposure" aria-label="Current exposure">
      <h2>
        {live && running ? 'Current exposure' : 'Last exposure'}{' '}
        <Link to={`/qa/${process.id}`}>#{e.expid}</Link>
      </h2>
      <dl className="facts">
        <dt>Process</dt>
        <dd>
          {process.id} <StateBadge state={process.status} />
        </dd>
        <dt>Flavor</dt>
        <dd>{e.flavor}</dd>
        <dt>Program</dt>
        <dd>{e.program ?? '—'}</dd>
        <dt>Exp. time</dt>
        <dd>{e.exptime === null ? '—' : `${num(e.exptime, 0)} s`}</dd>
        <dt>Tile</dt>
        <dd>{e.tile ?? '—'}</dd>
        <dt>Elapsed</dt>
        <dd>{seconds(elapsed)}</dd>
        <dt>Readout → QA</dt>
        <dd
          className={overBudget ? 'error' : undefined}
          title={process.budget_s ? `budget ${seconds(process.budget_s)}` : undefined}
        >
          {running ? '…' : seconds(latency)}
          {overBudget && ' (over budget)'}
        </dd>
        <dt>QA</dt>
        <dd>
          <QaBadge status={process.qa_status} failed={process.status === 'failed'} />
        </dd>
      </dl>
    </section>
  );
}
