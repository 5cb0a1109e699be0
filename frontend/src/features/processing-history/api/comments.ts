import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

export type Comment = { id: number; author: string | null; text: string; created: string };

const key = (processId: number) => ['processes', processId, 'comments'] as const;

export function useComments(processId: number) {
  return useQuery({
    queryKey: key(processId),
    queryFn: () => api.get<Comment[]>(`processes/${processId}/comments/`),
  });
}

export function useAddComment(processId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => api.post<Comment>(`processes/${processId}/comments/`, { text }),
    onSuccess: () => client.invalidateQueries({ queryKey: key(processId) }),
  });
}
