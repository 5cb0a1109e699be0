import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

/** Observed tiles (columns) and exposure counts (`/api/survey/`). */
export type Survey = {
  tile: number[];
  ra: (number | null)[];
  dec: (number | null)[];
  exposures: number[];
  first_night: number[];
  last_night: number[];
  qa_status: string[];
  counts: { flavor: Record<string, number>; program: Record<string, number> };
};

export type SurveyQuery = { night_from: string; night_to: string; program: string };

export function useSurvey(query: SurveyQuery) {
  return useQuery({
    queryKey: ['survey', query],
    queryFn: () => api.get<Survey>('survey/', query),
    placeholderData: keepPreviousData,
  });
}
