import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

import { api } from '@/lib/api-client';
import type { JobLog } from '@/lib/types';

/**
 * The log of the camera the Monitor follows. Its tail is read from the REST API once when the
 * camera is opened (and again after the live feed was lost); then the feed's `job.log` lines are
 * appended (DESIGN.md 7). The subscription's `log.lines` reply, the file's tail at the moment of
 * subscribing, replaces the lines: from then on the feed misses nothing.
 */
export type CameraLogData = {
  lines: string[];
  /** Lines appended from `job.log` events so far. */
  pushed: number;
  /** `log.lines` snapshots received so far. */
  snapshots: number;
};

const MAX_LINES = 2000;
const TAIL = 500;

export const cameraLogKey = (processId: number, camera: string) =>
  ['camera-log', processId, camera] as const;

/** Whether the Monitor follows this log (it has lines, or is reading them). */
function followed(client: QueryClient, key: readonly unknown[]): boolean {
  const state = client.getQueryState(key);
  return Boolean(state && (state.data !== undefined || state.fetchStatus === 'fetching'));
}

/** `job.log`: the pushed lines after those the log has. */
export function appendLogLines(
  client: QueryClient,
  processId: number,
  camera: string,
  lines: string[],
) {
  const key = cameraLogKey(processId, camera);
  if (!followed(client, key)) return;
  client.setQueryData<CameraLogData>(key, (old) => ({
    lines: [...(old?.lines ?? []), ...lines].slice(-MAX_LINES),
    pushed: (old?.pushed ?? 0) + lines.length,
    snapshots: old?.snapshots ?? 0,
  }));
}

/** `log.lines`: the file's tail when the subscription started. */
export function replaceLogLines(
  client: QueryClient,
  processId: number,
  camera: string,
  lines: string[],
) {
  const key = cameraLogKey(processId, camera);
  if (!followed(client, key)) return;
  client.setQueryData<CameraLogData>(key, (old) => ({
    lines: lines.slice(-MAX_LINES),
    pushed: old?.pushed ?? 0,
    snapshots: (old?.snapshots ?? 0) + 1,
  }));
}

/** `tail` followed by the lines of `later` it does not already end with. */
export function mergeTail(tail: string[], later: string[]): string[] {
  for (let k = Math.min(tail.length, later.length); k > 0; k -= 1) {
    if (later.slice(0, k).every((line, i) => line === tail[tail.length - k + i]))
      return [...tail, ...later.slice(k)];
  }
  return [...tail, ...later];
}

async function readTail(client: QueryClient, processId: number, camera: string, jobId: number) {
  const key = cameraLogKey(processId, camera);
  const before = client.getQueryData<CameraLogData>(key);
  const tail = await api.get<JobLog>(`jobs/${jobId}/log/`, { tail: TAIL });
  const now = client.getQueryData<CameraLogData>(key);
  if (!now) return { lines: tail.lines, pushed: 0, snapshots: 0 };
  // A subscription snapshot arrived meanwhile: it and the lines after it are exact.
  if (now.snapshots > (before?.snapshots ?? 0)) return now;
  const during = Math.min(now.pushed - (before?.pushed ?? 0), now.lines.length);
  const pushed = during > 0 ? now.lines.slice(-during) : [];
  return { ...now, lines: mergeTail(tail.lines, pushed).slice(-MAX_LINES) };
}

type Options = { live: boolean; pollMs: number | false };

/** The followed camera's log; polled only while the job runs and the feed is not live. */
export function useCameraLog(
  processId: number | null,
  camera: string | null,
  jobId: number | null,
  { live, pollMs }: Options,
) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: cameraLogKey(processId ?? 0, camera ?? ''),
    queryFn: () => readTail(client, processId!, camera!, jobId!),
    enabled: processId !== null && camera !== null && jobId !== null,
    staleTime: Infinity,
    refetchOnMount: 'always',
    refetchOnWindowFocus: false,
    refetchInterval: live ? false : pollMs,
    retry: false,
  });
  // Back from a gap in the feed: what was written meanwhile comes from the REST tail, once.
  const wasLive = useRef(live);
  const { refetch, data } = query;
  const following = data !== undefined;
  useEffect(() => {
    if (live && !wasLive.current && following) void refetch();
    wasLive.current = live;
  }, [live, following, refetch]);
  return query;
}
