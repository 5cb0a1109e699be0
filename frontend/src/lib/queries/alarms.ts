import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

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
  openCount: ['alarms', 'open-count'] as const,
};

/** An alert of the journal with its acknowledgement (GET alarms/). */
export type Alarm = {
  seq: number;
  time: string;
  level: 'WARNING' | 'ALARM' | string;
  camera: string;
  expid: number | null;
  text: string;
  /** The metric keys it is about (their runbooks), and its exposure's flavor. */
  metrics?: string[];
  flavor?: string | null;
  ack: Ack | null;
  /** E-mail and webhook messages sent about it (an ALARM left unacknowledged). */
  notified?: { channel: string; status: string; attempts: number; time: string }[];
  /** Raised before the last Reset and never acknowledged: no longer open. */
  cleared?: boolean;
};

export type OpenCount = { open: number; ALARM: number; WARNING: number };

/** The newest alerts, acknowledged or not: the Monitor matches its alerts to them. */
export function recentAlarmsOptions(pollMs: number | false = false) {
  return queryOptions({
    queryKey: alarmKeys.list('recent'),
    queryFn: () => api.get<Alarm[]>('alarms/', { state: 'all', limit: 100 }),
    refetchInterval: pollMs,
  });
}

/** The alerts waiting for an acknowledgement, across reloads (the Monitor keeps them). */
export function openAlarmsOptions(pollMs: number | false = false) {
  return queryOptions({
    queryKey: alarmKeys.list('open'),
    queryFn: () => api.get<Alarm[]>('alarms/', { state: 'open', limit: 200 }),
    refetchInterval: pollMs,
  });
}

/** How many alerts are open, per level: every page shows it in the top bar. */
export function openCountOptions(pollMs: number | false) {
  return queryOptions({
    queryKey: alarmKeys.openCount,
    queryFn: () => api.get<OpenCount>('alarms/open/'),
    refetchInterval: pollMs,
  });
}

/** Acknowledge the alert event `seq` with a note (operators); shared by Monitor and Alarms. */
export function useAcknowledge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ seq, note }: { seq: number; note: string }) =>
      api.post<Ack>(`alarms/${seq}/ack/`, { note }),
    onSuccess: () => client.invalidateQueries({ queryKey: alarmKeys.all }),
  });
}
