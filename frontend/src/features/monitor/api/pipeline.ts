import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { PipelineStatus } from '@/lib/types';

export const pipelineStatusKey = ['pipeline', 'status'] as const;

export function pipelineStatusOptions(pollMs: number | false) {
  return queryOptions({
    queryKey: pipelineStatusKey,
    queryFn: () => api.get<PipelineStatus>('pipeline/status/'),
    refetchInterval: pollMs,
    retry: false,
  });
}

export type ResetAnswer = PipelineStatus & { reset?: boolean; detail?: string };

/** start / stop / reset (reset acts only with confirm; without, the daemon says what it would
 * delete). */
export function usePipelineAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ action, confirm }: { action: 'start' | 'stop' | 'reset'; confirm?: boolean }) =>
      api.post<ResetAnswer>(
        `pipeline/${action}/`,
        action === 'reset' ? { confirm: !!confirm } : {},
      ),
    onSuccess: (answer, { action }) => {
      if (action === 'reset' && answer.reset) {
        // Forget the deleted processes and cleared alarms now, not at the next poll.
        void client.resetQueries({ queryKey: ['processes'] });
        return client.invalidateQueries();
      }
      return client.invalidateQueries({ queryKey: ['pipeline'] });
    },
  });
}
