import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import {
  thresholdKeys,
  thresholdListOptions,
  type ThresholdEntry,
  type ThresholdVersion,
} from '@/lib/queries/thresholds';
import type { QaStatus } from '@/lib/types';

export type ThresholdDetail = ThresholdVersion & {
  metrics: Record<string, Record<string, ThresholdEntry>>;
};

export type NewThreshold = {
  key: string;
  selector: string;
  ref: unknown;
  normal_range: number[];
  warn_range: number[];
  effective_night: string;
  reason: string;
};

export type RegradeRange = { version: string; night_from: string; night_to: string };

export type RegradeChange = {
  expid: number;
  night: number;
  flavor: string;
  process_id: number;
  before: QaStatus;
  after: QaStatus;
  cameras: { camera: string; before: QaStatus; after: QaStatus }[];
};

export type RegradeReport = {
  version: string;
  night_from: number;
  night_to: number | null;
  exposures: number;
  cameras: number;
  changed: RegradeChange[];
};

export type { ThresholdEntry, ThresholdVersion };

const keys = {
  all: thresholdKeys.all,
  detail: (version: string) => ['thresholds', 'detail', version] as const,
  preview: (range: RegradeRange) => ['thresholds', 'regrade', range] as const,
};

export function useThresholds() {
  return useQuery(thresholdListOptions);
}

export function useThresholdDetail(version: string | undefined) {
  return useQuery({
    queryKey: keys.detail(version ?? ''),
    queryFn: () => api.get<ThresholdDetail>(`thresholds/${encodeURIComponent(version ?? '')}/`),
    enabled: Boolean(version),
  });
}

/** A new version (admins); the specs and the version lists change. */
export function useCreateThreshold() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: NewThreshold) => api.post<ThresholdVersion>('thresholds/', change),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.all });
      void client.invalidateQueries({ queryKey: ['alarms'] }); // the audit log
    },
  });
}

const regradePath = (version: string) => `thresholds/${encodeURIComponent(version)}/regrade/`;

/** What re-grading would change (nothing written); runs when `range` is given. */
export function useRegradePreview(range: RegradeRange | null) {
  return useQuery({
    queryKey: keys.preview(range ?? { version: '', night_from: '', night_to: '' }),
    queryFn: () =>
      api.get<RegradeReport>(regradePath(range!.version), {
        night_from: range!.night_from,
        night_to: range!.night_to,
      }),
    enabled: range !== null,
  });
}

/** Re-grade the nights (admins): statuses of history change. */
export function useApplyRegrade() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (range: RegradeRange) =>
      api.post<RegradeReport>(regradePath(range.version), {
        night_from: range.night_from,
        night_to: range.night_to || null,
      }),
    onSuccess: () => {
      for (const key of ['thresholds', 'processes', 'exposures', 'alarms'])
        void client.invalidateQueries({ queryKey: [key] });
    },
  });
}
