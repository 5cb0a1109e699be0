import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { QaStatus } from '@/lib/types';

/** The thresholds that graded a series' newest exposure, as values (REF + ranges). */
export type TrendBand = {
  ref: number;
  normal: [number, number];
  warn: [number, number];
  expid: number;
};

type SeriesBase = { camera: string; index: string; band: TrendBand | null };
export type ExposureSeries = SeriesBase & {
  expid: number[];
  night: number[];
  mjd: (number | null)[];
  value: (number | null)[];
  status: (QaStatus | 'UNKNOWN' | null)[];
};
export type NightSeries = SeriesBase & {
  night: number[];
  count: number[];
  mean: (number | null)[];
  min: (number | null)[];
  max: (number | null)[];
  n_warning: number[];
  n_alarm: number[];
};
export type Trend =
  | {
      key: string;
      resolution: 'exposure';
      series: ExposureSeries[];
      night_from: number;
      night_to: number;
    }
  | {
      key: string;
      resolution: 'night';
      series: NightSeries[];
      night_from: number;
      night_to: number;
    };

export type TrendQuery = {
  key: string;
  flavor: string;
  night_from: string;
  night_to: string;
  cameras: string;
  resolution: string;
};

/** One metric's values over a range of nights (`/api/trends/`, docs/api.md). */
export function useTrend(query: TrendQuery) {
  return useQuery({
    queryKey: ['trends', query],
    queryFn: () => api.get<Trend>('trends/', query),
    enabled: query.key !== '' && query.cameras !== '',
    placeholderData: keepPreviousData,
  });
}
