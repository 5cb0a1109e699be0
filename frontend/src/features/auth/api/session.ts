import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { meQueryOptions, type Me } from '@/lib/auth';

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { username: string; password: string }) =>
      api.post<Me>('auth/login/', credentials),
    onSuccess: (me) => {
      client.clear();
      client.setQueryData(meQueryOptions.queryKey, me);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post('auth/logout/'),
    onSuccess: () => {
      client.clear();
      client.setQueryData(meQueryOptions.queryKey, { username: null, roles: [] });
    },
  });
}
