import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { QaStatus } from '@/lib/types';

/** A campaign and its progress (`GET /api/campaigns/`, docs/operations.md). */
export type Campaign = {
  id: number;
  name: string;
  state: 'running' | 'paused' | 'cancelled' | 'done' | 'promoting' | 'promoted';
  filters: Record<string, unknown>;
  spec_version: string;
  pipeline_version: string;
  created_by: string;
  created: string;
  ended: string | null;
  promoted: string | null;
  total: number;
  done: number;
  failed: number;
  aborted: number;
  running: number;
  queued: number;
  remaining: number;
  superseded: number;
  rate_per_hour: number | null;
  eta_s: number | null;
};

export type CampaignAction = 'pause' | 'resume' | 'cancel' | 'promote';

export type NewCampaign = {
  name: string;
  night_from: string;
  night_to: string;
  flavor: string;
  program: string;
  tile: string;
  spec_version: string;
};

export type GradeChange = {
  expid: number;
  night: number;
  flavor: string;
  current_process_id: number | null;
  campaign_process_id: number;
  before: QaStatus | '';
  after: QaStatus | '';
  cameras: { camera: string; before: QaStatus | ''; after: QaStatus | '' }[];
};

export type CampaignDiff = {
  campaign_id: number;
  state: Campaign['state'];
  spec_version: string;
  exposures: number;
  cameras: number;
  changed_exposures: number;
  changed_cameras: number;
  changed: GradeChange[];
};

const keys = {
  list: ['campaigns'] as const,
  diff: (id: number) => ['campaigns', 'diff', id] as const,
};

const ACTIVE: Campaign['state'][] = ['running', 'paused', 'promoting'];

/** The campaigns; live `campaign.progress` events keep them current (mergeProgress), and while
 * one is active they are fetched again every 10 s too (no websocket, a missed event). */
export function useCampaigns() {
  return useQuery({
    queryKey: keys.list,
    queryFn: () => api.get<{ results: Campaign[] }>('campaigns/').then((r) => r.results),
    refetchInterval: (query) =>
      query.state.data?.some((c) => ACTIVE.includes(c.state)) ? 10_000 : false,
  });
}

export function useCampaignDiff(id: number | null) {
  return useQuery({
    queryKey: keys.diff(id ?? 0),
    queryFn: () => api.get<CampaignDiff>(`campaigns/${id}/diff/`),
    enabled: id !== null,
  });
}

/** The body of `POST /api/campaigns/`: a one-night campaign gives only `night`. */
export function startBody(form: NewCampaign): Record<string, unknown> {
  const body: Record<string, unknown> = { name: form.name, spec_version: form.spec_version };
  if (form.night_to && form.night_to !== form.night_from) {
    body.night_from = form.night_from;
    body.night_to = form.night_to;
  } else body.night = form.night_from;
  if (form.flavor) body.flavor = [form.flavor];
  if (form.program) body.program = [form.program];
  if (form.tile) body.tile = Number(form.tile);
  return body;
}

export function useStartCampaign() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (form: NewCampaign) =>
      api.post<Campaign & { skipped: { expid: number; reason: string }[] }>(
        'campaigns/',
        startBody(form),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.list }),
  });
}

export function useCampaignAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: number; action: CampaignAction }) =>
      api.post<Campaign>(`campaigns/${id}/${action}/`, {}),
    onSuccess: (campaign) => mergeProgress(client, campaign),
  });
}

/** Fold a `campaign.progress` payload (or an action's answer) into the cached list; a
 * campaign that finished or was promoted has new grade changes to fetch. */
export function mergeProgress(
  client: ReturnType<typeof useQueryClient>,
  progress: Partial<Campaign> & { id?: number; campaign_id?: number },
) {
  const id = progress.id ?? progress.campaign_id;
  if (id === undefined) return;
  const list = client.getQueryData<Campaign[]>(keys.list);
  if (!list?.some((c) => c.id === id)) {
    void client.invalidateQueries({ queryKey: keys.list }); // a campaign this page has not seen
    return;
  }
  client.setQueryData<Campaign[]>(keys.list, (old) =>
    (old ?? []).map((c) => (c.id === id ? { ...c, ...withoutId(progress) } : c)),
  );
  if (progress.state && ['done', 'promoted', 'cancelled'].includes(progress.state))
    void client.invalidateQueries({ queryKey: keys.diff(id) });
}

function withoutId(progress: Partial<Campaign> & { campaign_id?: number }): Partial<Campaign> {
  const copy: Partial<Campaign> & { campaign_id?: number } = { ...progress };
  delete copy.campaign_id;
  return copy;
}
