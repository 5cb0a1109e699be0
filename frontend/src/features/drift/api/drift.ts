import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

/** One flagged metric element (docs/operations.md, "Drift detection"). */
export type DriftFlag = {
  key: string;
  camera: string;
  index: string;
  kinds: ('step' | 'drift')[];
  value: number;
  median: number;
  sigma: number;
  band: [number, number];
  deviation: number;
  slope_per_night: number;
  change: number;
  drift_z: number;
  nights: number[];
  values: number[];
};

export type DriftAnswer = {
  night: number;
  flavor: string;
  config: { window: number; k_step: number; z_drift: number; min_nights: number };
  judged: number;
  flags: DriftFlag[];
};

export type DriftQuery = { night: number | null; metric: string; camera: string; window: number };

export function useDrift(query: DriftQuery) {
  return useQuery({
    queryKey: ['drift', query],
    queryFn: () => api.get<DriftAnswer>('drift/', query),
    enabled: query.night !== null,
    placeholderData: keepPreviousData,
  });
}
