import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

import { api } from '@/lib/api-client';
import type { JobLog } from '@/lib/types';

/**
 * The log of the camera the Monitor follows. Its tail is read from the REST API once when the
 * camera is opened (and again after the live feed was lost); then the feed's `job.log` lines are
 * appended (DESIGN.md 7). The subscription's `log.lines` reply (the file's tail; docs/live.md)
 * replaces the lines read before, keeping the lines pushed since the subscription started that
 * it does not end with (the server subscribes before it reads the file): nothing goes missing.
 */
export type CameraLogData = {
  lines: string[];
  /** Lines appended from `job.log` events so far. */
  pushed: number;
  /** The value of `pushed` when the lines were last read whole (tail, snapshot, feed lost). */
  mark: number;
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

/** The last lines pushed since `since` (a value of `pushed`). */
function pushedSince(data: CameraLogData, since: number): string[] {
  const count = Math.min(data.pushed - since, data.lines.length);
  return count > 0 ? data.lines.slice(-count) : [];
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
    mark: old?.mark ?? 0,
    snapshots: old?.snapshots ?? 0,
  }));
}

/** `log.lines`: the file's tail read by the subscription. */
export function replaceLogLines(
  client: QueryClient,
  processId: number,
  camera: string,
  lines: string[],
) {
  const key = cameraLogKey(processId, camera);
  if (!followed(client, key)) return;
  client.setQueryData<CameraLogData>(key, (old) => {
    const later = old ? pushedSince(old, old.mark) : [];
    return {
      lines: mergeLines(lines, later).slice(-MAX_LINES),
      pushed: old?.pushed ?? 0,
      mark: old?.pushed ?? 0,
      snapshots: (old?.snapshots ?? 0) + 1,
    };
  });
}

/** The feed was lost: lines pushed before belong to the old subscription (the file has them). */
function markFeedLost(client: QueryClient, key: readonly unknown[]) {
  client.setQueryData<CameraLogData>(key, (old) => old && { ...old, mark: old.pushed });
}

/**
 * `base` (lines read from the file) followed by those of `later` (lines pushed, in order) it
 * does not hold: the longest first part of `later` found in a row in `base` was read already.
 */
export function mergeLines(base: string[], later: string[]): string[] {
  for (let k = later.length; k > 0; k -= 1) {
    for (let end = base.length; end >= k; end -= 1) {
      if (later.slice(0, k).every((line, i) => line === base[end - k + i]))
        return [...base, ...later.slice(k)];
    }
  }
  return [...base, ...later];
}

async function readTail(
  client: QueryClient,
  processId: number,
  camera: string,
  jobId: number,
): Promise<CameraLogData> {
  const key = cameraLogKey(processId, camera);
  const before = client.getQueryData<CameraLogData>(key);
  const tail = await api.get<JobLog>(`jobs/${jobId}/log/`, { tail: TAIL });
  const now = client.getQueryData<CameraLogData>(key);
  if (!now) return { lines: tail.lines, pushed: 0, mark: 0, snapshots: 0 };
  // A subscription snapshot arrived meanwhile: it and the lines after it are exact.
  if (now.snapshots > (before?.snapshots ?? 0)) return now;
  const during = pushedSince(now, before?.pushed ?? 0);
  return { ...now, lines: mergeLines(tail.lines, during).slice(-MAX_LINES), mark: now.pushed };
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
  const key = cameraLogKey(processId ?? 0, camera ?? '');
  const query = useQuery({
    queryKey: key,
    queryFn: () => readTail(client, processId!, camera!, jobId!),
    enabled: processId !== null && camera !== null && jobId !== null,
    staleTime: Infinity,
    refetchOnMount: 'always',
    refetchOnWindowFocus: false,
    refetchInterval: live ? false : pollMs,
    retry: false,
  });
  // Feed lost: mark the lines. Back: what was written meanwhile comes from the REST tail, once.
  const wasLive = useRef(live);
  const { refetch, data } = query;
  const following = data !== undefined;
  useEffect(() => {
    if (!live && wasLive.current && following)
      markFeedLost(client, cameraLogKey(processId ?? 0, camera ?? ''));
    if (live && !wasLive.current && following) void refetch();
    wasLive.current = live;
  }, [live, following, refetch, client, processId, camera]);
  return query;
}
