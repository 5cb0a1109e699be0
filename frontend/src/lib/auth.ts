import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from './api-client';

export type Me = { username: string | null; roles: string[] };

export const meQueryOptions = queryOptions({
  queryKey: ['auth', 'me'],
  queryFn: () => api.get<Me>('auth/me/'), // also sets the csrftoken cookie
  staleTime: 60_000,
});

export function useMe() {
  return useQuery(meQueryOptions);
}

/** Operators get the control buttons; everyone signed in reads. */
export function useIsOperator(): boolean {
  const { data } = useMe();
  return Boolean(data?.roles.includes('operator'));
}

/** Admins edit thresholds and re-grade history. */
export function useIsAdmin(): boolean {
  const { data } = useMe();
  return Boolean(data?.roles.includes('admin'));
}
