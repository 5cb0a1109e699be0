import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '../api-client';
import type { JobLog, Process, ProcessDetail } from '../types';

export const processKeys = {
  all: ['processes'] as const,
  recent: ['processes', 'recent'] as const,
  detail: (id: number) => ['processes', 'detail', id] as const,
};

export function recentProcessesOptions(pollMs: number | false = false) {
  return queryOptions({
    queryKey: processKeys.recent,
    queryFn: () => api.get<Process[]>('processes/recent/'),
    refetchInterval: pollMs,
  });
}

export function processDetailOptions(id: number | null, pollMs: number | false = false) {
  return queryOptions({
    queryKey: processKeys.detail(id ?? 0),
    queryFn: () => api.get<ProcessDetail>(`processes/${id}/`),
    enabled: id !== null,
    refetchInterval: pollMs,
  });
}

export function useProcessDetail(id: number | null, pollMs: number | false = false) {
  return useQuery(processDetailOptions(id, pollMs));
}

/** The last lines of a camera job's log, polled while `pollMs` is set. */
export function useJobLog(jobId: number | null, pollMs: number | false = false) {
  return useQuery({
    queryKey: ['jobs', jobId, 'log'],
    queryFn: () => api.get<JobLog>(`jobs/${jobId}/log/`, { tail: 500 }),
    enabled: jobId !== null,
    refetchInterval: pollMs,
    retry: false,
  });
}
