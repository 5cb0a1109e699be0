import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { alarmKeys, type Alarm } from '@/lib/queries/alarms';

export type AlarmState = 'all' | 'open' | 'acknowledged';

export type { Alarm };

export type Mask = {
  id: number;
  camera: string;
  amp: string;
  fiber: number | null;
  target: string;
  metrics: string[];
  night_from: number;
  night_to: number | null;
  reason: string;
  created_by: string;
  created: string;
  ended: string | null;
};

export type NewMask = {
  camera: string;
  amp?: string;
  fiber?: number | null;
  metrics?: string[];
  night_from: string;
  night_to?: string | null;
  reason: string;
};

export type AuditEntry = {
  id: number;
  time: string;
  author: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
};

const maskKey = ['alarms', 'masks'] as const;

export function useAlarms(state: AlarmState, pollMs: number) {
  return useQuery({
    queryKey: alarmKeys.list(state),
    queryFn: () => api.get<Alarm[]>('alarms/', { state, limit: 200 }),
    refetchInterval: pollMs,
  });
}

export function useMasks() {
  return useQuery({ queryKey: maskKey, queryFn: () => api.get<Mask[]>('masks/') });
}

export function useAudit() {
  return useQuery({
    queryKey: alarmKeys.audit,
    queryFn: () => api.get<AuditEntry[]>('audit/', { limit: 100 }),
  });
}

/** Create a mask (operators); statuses of its nights change, so QA views refresh too. */
export function useCreateMask() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (mask: NewMask) => api.post<Mask>('masks/', mask),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: alarmKeys.all });
      void client.invalidateQueries({ queryKey: ['processes'] });
      void client.invalidateQueries({ queryKey: ['exposures'] });
    },
  });
}

/** End a mask: its last night is the night before tonight (operators). */
export function useEndMask() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.post<Mask>(`masks/${id}/end/`, {}),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: alarmKeys.all });
      void client.invalidateQueries({ queryKey: ['processes'] });
      void client.invalidateQueries({ queryKey: ['exposures'] });
    },
  });
}
