import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { processKeys } from '@/lib/queries/processes';
import type { Page, Process } from '@/lib/types';

export type ProcessQuery = {
  status: string;
  flavor: string;
  night_from: string;
  night_to: string;
  ordering: string;
  page: number;
  page_size: number;
};

/** Processing history; the first page (the newest rows) refreshes every few seconds. */
export function useProcesses(query: ProcessQuery, pollMs: number) {
  const live = query.page === 1 && query.ordering === '-id';
  return useQuery({
    queryKey: [...processKeys.all, 'list', query],
    queryFn: () => api.get<Page<Process>>('processes/', query),
    placeholderData: keepPreviousData,
    refetchInterval: live ? pollMs : false,
  });
}
