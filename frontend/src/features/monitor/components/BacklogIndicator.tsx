import { useEffect, useState } from 'react';

import { seconds } from '@/lib/format';
import type { PipelineStatus } from '@/lib/types';

import { useBacklog } from '../api/backlog';

/**
 * How many exposures wait and for how long the oldest has waited; WARNING when the pipeline is
 * behind (the oldest has waited more than twice its readout-to-QA budget). The queue comes live
 * from `pipeline.status`; ages from /api/pipeline/backlog/ when the queue changes, then counted
 * on here each second.
 */
export function BacklogIndicator({ status }: { status: PipelineStatus | undefined }) {
  const queue = status?.queue;
  const backlog = useBacklog(queue);
  const [now, setNow] = useState(() => Date.now());
  const oldest = queue?.length ? backlog.data?.oldest : null;
  useEffect(() => {
    if (!oldest) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [oldest]);

  if (!queue) return null;
  const fetched = backlog.data?.fetched ?? now;
  const age = oldest ? oldest.age_s + Math.max(0, now - fetched) / 1000 : null;
  const limit = oldest ? (backlog.data?.behind_factor ?? 2) * oldest.budget_s : null;
  const behind = age !== null && limit !== null && age > limit;
  return (
    <section
      className={`panel backlog ${behind ? 'alerts-warning' : ''}`}
      aria-label="Backlog"
      role="status"
    >
      <div className="kv">
        <span className="k">Backlog</span>
        <span>
          {queue.length === 0 ? 'none' : `${queue.length} waiting`}
          {age !== null && `, oldest #${oldest!.expid} for ${seconds(age, 0)}`}
        </span>
        {behind && (
          <span className="badge qa-warning" title={`waiting longer than ${seconds(limit, 0)}`}>
            WARNING: behind
          </span>
        )}
      </div>
    </section>
  );
}
