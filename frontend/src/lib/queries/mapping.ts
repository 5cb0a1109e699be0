import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '../api-client';
import type { Mapping, MappingStep } from '../types';

/** The ql_mapping served by the backend: steps and metrics per flavor (never copied here). */
export const mappingQueryOptions = queryOptions({
  queryKey: ['ql-mapping'],
  queryFn: () => api.get<Mapping>('ql-mapping/'),
  staleTime: 10 * 60_000,
});

export function useQlMapping() {
  return useQuery(mappingQueryOptions);
}

export function stepsOf(mapping: Mapping | undefined, flavor: string | undefined): MappingStep[] {
  if (!mapping || !flavor) return [];
  return mapping[flavor]?.steps ?? [];
}
