import { StateBadge } from '@/components/ui/QaBadge';
import type { SocketState } from '@/lib/monitorSocket';
import type { PipelineStatus } from '@/lib/types';

type Props = { status: PipelineStatus | undefined; error: Error | null; socketState: SocketState };

export function PipelineStatusPanel({ status, error, socketState }: Props) {
  const feed = socketState === 'live' ? 'live' : 'polling';
  return (
    <section className="panel status-panel" aria-label="Pipeline status">
      <div className="kv">
        <span className="k">Pipeline</span>
        {status?.state ? (
          <StateBadge state={status.state} />
        ) : (
          <span className="badge state-unknown">{error ? 'unreachable' : '…'}</span>
        )}
      </div>
      <div className="kv">
        <span className="k">Queue</span>
        <span>{status?.queue?.length ? status.queue.map((e) => `#${e}`).join(' ') : 'empty'}</span>
      </div>
      {status?.executor && (
        <div className="kv">
          <span className="k">Executor</span>
          <span>
            {status.executor} × {status.workers}
          </span>
        </div>
      )}
      <div className="kv">
        <span className="k">Feed</span>
        <span className={`feed feed-${feed}`} title={`websocket: ${socketState}`}>
          {feed}
        </span>
      </div>
      {error && <span className="error small">{error.message}</span>}
    </section>
  );
}
