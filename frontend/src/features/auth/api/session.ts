import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { meQueryOptions, type Me } from '@/lib/auth';

/** Forget every answer of the previous user but keep the `me` query its observers watch. */
function forgetData(client: QueryClient) {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { username: string; password: string }) =>
      api.post<Me>('auth/login/', credentials),
    onSuccess: (me) => {
      forgetData(client);
      client.setQueryData(meQueryOptions.queryKey, me);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post('auth/logout/'),
    onSuccess: () => {
      forgetData(client);
      client.setQueryData(meQueryOptions.queryKey, { username: null, roles: [] });
    },
  });
}
