import { useState } from 'react';

import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { ErrorMessage } from '@/components/ui/Feedback';
import { useIsOperator } from '@/lib/auth';

import { usePipelineAction } from '../api/pipeline';

const RESET_FALLBACK = 'Reset deletes every process, job, QA result and scratch product.';

/** Start / Stop / Reset for operators; viewers see none of it. */
export function ControlBar({ state }: { state: string | undefined }) {
  const operator = useIsOperator();
  const action = usePipelineAction();
  const [resetText, setResetText] = useState<string | null>(null);
  if (!operator) return null;

  const askReset = () =>
    action.mutate(
      { action: 'reset' },
      {
        onSuccess: (answer) => setResetText(answer.detail ?? RESET_FALLBACK),
        onError: () => setResetText(RESET_FALLBACK),
      },
    );
  const running = state === 'running' || state === 'idle';

  return (
    <div className="controls" role="group" aria-label="Pipeline control">
      <button
        className="btn start"
        disabled={action.isPending || running}
        onClick={() => action.mutate({ action: 'start' })}
      >
        ▶ Start
      </button>
      <button
        className="btn stop"
        disabled={action.isPending || state === 'stopped'}
        onClick={() => action.mutate({ action: 'stop' })}
      >
        ■ Stop
      </button>
      <button className="btn danger" disabled={action.isPending} onClick={askReset}>
        ↺ Reset
      </button>
      <ErrorMessage error={action.error} />
      {resetText !== null && (
        <ConfirmDialog
          title="Reset the pipeline?"
          confirmLabel="Delete and reset"
          busy={action.isPending}
          onCancel={() => setResetText(null)}
          onConfirm={() =>
            action.mutate(
              { action: 'reset', confirm: true },
              { onSettled: () => setResetText(null) },
            )
          }
        >
          <p>{resetText}</p>
          <p className="muted">Raw exposure files are kept; the night can be processed again.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
