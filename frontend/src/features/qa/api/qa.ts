import { useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Page, Process, QaStatus } from '@/lib/types';

export type QaElement = {
  index: string;
  value: number | null;
  status: QaStatus | null;
  /** The reason of the known-bad mask covering it (docs/operations.md), if any. */
  masked?: string | null;
};
export type QaMetric = {
  key: string;
  value: unknown;
  status: QaStatus | null;
  ref: unknown;
  normal_range: [number, number] | null;
  warn_range: [number, number] | null;
  elements: QaElement[];
  /** Why it is graded so (UNKNOWN: what is missing); absent or null in older data. */
  reason?: string | null;
};
export type QaStep = {
  status: QaStatus | null;
  duration_s: number | null;
  error: string | null;
  metrics: QaMetric[];
};
export type QaCamera = {
  job_id: number;
  camera: string;
  status: QaStatus | null;
  error: string | null;
  failed_step: string | null;
  amps: string[];
  steps: Record<string, QaStep>;
};

export function useProcessQa(processId: number) {
  return useQuery({
    queryKey: ['processes', processId, 'qa'],
    queryFn: () =>
      api.get<{ process_id: number; cameras: QaCamera[] }>(`processes/${processId}/qa/`),
  });
}

/** The latest process of an exposure (Observing History links to its QA). */
export function useLatestProcessOf(expid: number) {
  return useQuery({
    queryKey: ['processes', 'of-exposure', expid],
    queryFn: () => api.get<Page<Process>>('processes/', { expid, ordering: '-id', page_size: 1 }),
  });
}
