import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '../api-client';
import type { Page } from '../types';

/** A night with exposures and how many of them have WARNING or ALARM QA. */
export type NightRow = {
  night: number;
  exposures: number;
  science: number;
  warning: number;
  alarm: number;
};

export function nightsOptions() {
  return queryOptions({
    queryKey: ['nights', 'list'],
    queryFn: () => api.get<Page<NightRow>>('nights/', { page_size: 100 }),
  });
}

/** The 100 most recent nights with exposures, newest first. */
export function useNights() {
  return useQuery(nightsOptions());
}
