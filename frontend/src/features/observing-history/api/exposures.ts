import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Exposure, Page } from '@/lib/types';

export type ExposureQuery = {
  flavor: string;
  night_from: string;
  night_to: string;
  ordering: string;
  page: number;
  page_size: number;
};

/** Observing history; the first page (the newest exposures) refreshes every few seconds. */
export function useExposures(query: ExposureQuery, pollMs: number) {
  const live = query.page === 1 && query.ordering === '-expid';
  return useQuery({
    queryKey: ['exposures', 'list', query],
    queryFn: () => api.get<Page<Exposure>>('exposures/', query),
    placeholderData: keepPreviousData,
    refetchInterval: live ? pollMs : false,
  });
}

/** Queue an exposure again (operators), graded by `spec_version` (default: in force). */
export function useReprocess() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ expid, spec_version }: { expid: number; spec_version?: string }) =>
      api.post<{ queued?: number | null; detail?: string }>('pipeline/reprocess/', {
        expid,
        ...(spec_version ? { spec_version } : {}),
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['pipeline'] });
      void client.invalidateQueries({ queryKey: ['processes'] });
    },
  });
}
