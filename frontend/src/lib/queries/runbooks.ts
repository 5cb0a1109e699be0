import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../api-client';

/** What an ALARM and a WARNING of a metric mean, what to check first, whom to call
 * (docs/operations.md, "Alarm runbooks"). */
export type Runbook = {
  key: string;
  /** default, a flavor, an arm, or flavor/arm */
  scope: string;
  alarm: string;
  warning: string;
  check_first: string;
  contact: string;
  version: string;
  source: 'file' | 'database';
  author: string;
  created: string | null;
  note: string;
  base_version: string | null;
};

/** GET runbooks/{key}/: the runbook in force, its scope's versions (newest first) and the
 * scopes the key has. */
export type RunbookDetail = Runbook & { history: Runbook[]; scopes: string[] };

export type RunbookEdit = Pick<
  Runbook,
  'key' | 'scope' | 'alarm' | 'warning' | 'check_first' | 'contact' | 'note'
> & { base_version: string };

export type RunbookWhere = { flavor?: string | null; camera?: string | null; scope?: string };

export const runbookKeys = {
  all: ['runbooks'] as const,
  list: ['runbooks', 'list'] as const,
  one: (key: string, where: RunbookWhere) =>
    ['runbooks', 'one', key, where.flavor ?? '', where.camera ?? '', where.scope ?? ''] as const,
};

/** The runbook shown for `key`: the most specific for the flavor and camera, or `scope`. */
export function runbookOptions(key: string, where: RunbookWhere = {}) {
  return queryOptions({
    queryKey: runbookKeys.one(key, where),
    queryFn: () =>
      api.get<RunbookDetail>(`runbooks/${encodeURIComponent(key)}/`, {
        flavor: where.flavor,
        camera: where.camera,
        scope: where.scope,
      }),
    staleTime: 60_000,
  });
}

export function runbookListOptions() {
  return queryOptions({
    queryKey: runbookKeys.list,
    queryFn: () => api.get<Runbook[]>('runbooks/'),
  });
}

/** Save a new version (admins); every runbook view refreshes. */
export function useEditRunbook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (edit: RunbookEdit) => api.post<RunbookDetail>('runbooks/', edit),
    onSuccess: () => client.invalidateQueries({ queryKey: runbookKeys.all }),
  });
}
