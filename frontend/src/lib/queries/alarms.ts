import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../api-client';

/** An operator's acknowledgement of one alert (docs/operations.md). */
export type Ack = {
  seq: number;
  level: string;
  camera: string;
  expid: number | null;
  author: string;
  note: string;
  time: string;
};

export const alarmKeys = {
  all: ['alarms'] as const,
  list: (state: string) => ['alarms', 'list', state] as const,
  audit: ['alarms', 'audit'] as const,
};

/** Acknowledge the alert event `seq` with a note (operators); shared by Monitor and Alarms. */
export function useAcknowledge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ seq, note }: { seq: number; note: string }) =>
      api.post<Ack>(`alarms/${seq}/ack/`, { note }),
    onSuccess: () => client.invalidateQueries({ queryKey: alarmKeys.all }),
  });
}
