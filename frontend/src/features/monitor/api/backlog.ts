import { useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

/** GET /api/pipeline/backlog/: the queued processes, oldest first (docs/operations.md). */
export type Backlog = {
  time: string;
  length: number;
  behind: boolean;
  behind_factor: number;
  oldest: { process_id: number; expid: number; age_s: number; budget_s: number } | null;
};

/** The backlog, fetched again whenever the live queue (`pipeline.status`) changes. */
export function useBacklog(queue: number[] | undefined) {
  return useQuery({
    queryKey: ['pipeline', 'backlog', (queue ?? []).join(',')],
    queryFn: async () => ({
      ...(await api.get<Backlog>('pipeline/backlog/')),
      fetched: Date.now(),
    }),
    enabled: queue !== undefined,
    retry: false,
  });
}
