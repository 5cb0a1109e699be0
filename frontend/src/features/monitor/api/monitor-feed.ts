import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';

import { config } from '@/config/env';
import { useMonitorSocket, type MonitorEvent } from '@/lib/monitorSocket';
import { alarmKeys, type Ack } from '@/lib/queries/alarms';
import { processKeys, recentProcessesOptions } from '@/lib/queries/processes';
import type { PipelineStatus } from '@/lib/types';

import { appendLogLines, replaceLogLines } from './camera-log';
import { pipelineStatusKey, pipelineStatusOptions } from './pipeline';

export type Alert = {
  id: string;
  level: 'WARNING' | 'ALARM';
  camera: string | null;
  expid: number | null;
  text: string;
  time: string;
  /** The journal's seq of a live alert (acknowledgements refer to it); null if derived. */
  seq?: number | null;
  ack?: Ack | null;
};

export type LogLine = { id: string; time: string; text: string; level?: string };

const MAX_LINES = 400;

function p<T>(event: MonitorEvent, key: string): T | undefined {
  return (event.payload ?? {})[key] as T | undefined;
}

function describe(event: MonitorEvent): string | null {
  const dur = p<number>(event, 'duration_s');
  const took = typeof dur === 'number' ? ` in ${dur.toFixed(2)} s` : '';
  switch (event.type) {
    case 'exposure.discovered':
      return `exposure ${p(event, 'expid')} discovered (${p(event, 'flavor')}, night ${p(event, 'night')})`;
    case 'process.started':
      return `process ${p(event, 'process_id')} started for exposure ${p(event, 'expid')}`;
    case 'process.finished':
      return `process ${p(event, 'process_id')} ${p(event, 'status')}${took}`;
    case 'job.step':
      return `${p(event, 'camera')} ${p(event, 'step')} ${p(event, 'state')}${took}`;
    case 'qa.ingested':
      return `${p(event, 'camera')} QA ingested: ${p(event, 'status') ?? 'no QA'}`;
    case 'alert':
      return `${p(event, 'level')} ${p(event, 'camera') ?? ''} ${p(event, 'text')}`;
    default:
      return null;
  }
}

/**
 * The Monitor's live state: the websocket when the backend offers it, REST polling of the
 * pipeline status and the recent processes otherwise (and while reconnecting).
 */
export function useMonitorFeed() {
  const client = useQueryClient();
  const [lines, setLines] = useState<LogLine[]>([]);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  /** An alert acknowledged (live event, or this browser's own POST): it stops flashing. */
  const markAcked = useCallback((ack: Ack) => {
    setAlerts((old) => old.map((a) => (a.seq === ack.seq ? { ...a, ack } : a)));
  }, []);

  const refresh = useCallback(
    (processId?: number) => {
      if (pending.current) return; // at most one refresh per 300 ms, however many events
      pending.current = setTimeout(() => {
        pending.current = null;
        void client.invalidateQueries({ queryKey: processKeys.recent });
        if (processId) void client.invalidateQueries({ queryKey: processKeys.detail(processId) });
      }, 300);
    },
    [client],
  );

  const onEvent = useCallback(
    (event: MonitorEvent) => {
      if (event.type === 'pipeline.status' && event.payload) {
        client.setQueryData<PipelineStatus>(pipelineStatusKey, (old) => ({
          ...old,
          ...(event.payload as PipelineStatus),
        }));
        return;
      }
      if (event.type === 'pipeline.reset') {
        // A confirmed Reset (any browser): forget the exposures and the alerts at once.
        setAlerts([]);
        setLines((old) => [
          ...old.slice(-MAX_LINES + 1),
          {
            id: `${event.seq}`,
            time: event.time ?? new Date().toISOString(),
            text: `pipeline reset: ${p(event, 'processes') ?? 0} processes deleted, ${p(event, 'alarms') ?? 0} open alarms cleared`,
          },
        ]);
        void client.resetQueries({ queryKey: processKeys.all }); // no old exposure meanwhile
        void client.invalidateQueries();
        return;
      }
      if (event.type === 'resync') {
        void client.invalidateQueries(); // too much was missed: reload every screen's data
        return;
      }
      const text = describe(event);
      if (text) {
        const line = {
          id: `${event.seq}`,
          time: event.time ?? new Date().toISOString(),
          text,
          level: event.type === 'alert' ? p<string>(event, 'level') : undefined,
        };
        setLines((old) => [...old.slice(-MAX_LINES + 1), line]);
      }
      if (event.type === 'alert') {
        void client.invalidateQueries({ queryKey: alarmKeys.all }); // its seq, for acknowledging
        const level = p<string>(event, 'level') === 'ALARM' ? 'ALARM' : 'WARNING';
        setAlerts((old) => [
          {
            id: `ws-${event.seq}`,
            seq: event.seq ?? null,
            level,
            camera: p<string>(event, 'camera') ?? null,
            expid: p<number>(event, 'expid') ?? null,
            text: String(p(event, 'text') ?? ''),
            time: event.time ?? new Date().toISOString(),
          },
          ...old.slice(0, 49),
        ]);
      }
      if (event.type === 'alert.acknowledged' && event.payload) {
        markAcked(event.payload as Ack);
        void client.invalidateQueries({ queryKey: alarmKeys.all });
      }
      if (event.type === 'job.log' || event.type === 'log.lines') {
        // job.log carries a payload; log.lines (the reply to a subscription) its own fields.
        const body = event.type === 'job.log' ? (event.payload ?? {}) : event;
        const { process_id: pid, camera, lines } = body as Record<string, unknown>;
        if (typeof pid === 'number' && typeof camera === 'string' && Array.isArray(lines)) {
          const write = event.type === 'job.log' ? appendLogLines : replaceLogLines;
          write(client, pid, camera, lines.map(String));
        }
      }
      if (
        event.type.startsWith('process.') ||
        event.type === 'job.step' ||
        event.type === 'qa.ingested'
      )
        refresh(p<number>(event, 'process_id'));
    },
    [client, refresh, markAcked],
  );

  const { state: socketState, socket } = useMonitorSocket(onEvent);
  const poll: number | false = socketState === 'live' ? false : config.pollMs;
  const status = useQuery(pipelineStatusOptions(poll));
  const recent = useQuery(recentProcessesOptions(poll));

  return {
    socketState,
    socket,
    poll,
    status,
    recent,
    lines,
    alerts,
    /** Forget this session's acknowledged alerts; open ones stay until acknowledged. */
    dismissAlerts: () => setAlerts((old) => old.filter((a) => !a.ack)),
    markAcked,
  };
}
