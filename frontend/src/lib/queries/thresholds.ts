import { queryOptions } from '@tanstack/react-query';

import { api } from '../api-client';

/** A range around REF: a pair, or a pair per arm / camera (files only; edits set one pair). */
export type ThresholdRange = number[] | Record<string, number[]>;
export type ThresholdEntry = {
  REF: unknown;
  NORMAL_RANGE: ThresholdRange;
  WARN_RANGE: ThresholdRange;
};

/** A threshold version: a file of specs/ or an edit made in the browser (docs/operations.md). */
export type ThresholdVersion = {
  version: string;
  effective_night: number;
  source: 'file' | 'database';
  author: string;
  note: string;
  base_version: string | null;
  change: {
    key: string;
    selector: string;
    before: ThresholdEntry | null;
    after: ThresholdEntry;
  } | null;
  created: string | null;
};

export const thresholdKeys = { all: ['thresholds'] as const };

/** Every version, newest first (Thresholds screen; the reprocess version picker). */
export const thresholdListOptions = queryOptions({
  queryKey: thresholdKeys.all,
  queryFn: () => api.get<ThresholdVersion[]>('thresholds/'),
});
