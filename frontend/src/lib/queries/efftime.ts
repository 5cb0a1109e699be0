import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api } from '../api-client';

/** GET survey/tiles/: survey speed per tile (columns), in the units of its program's goal
 * (docs/api.md). */
export type TileEfftime = {
  tile: number[];
  program: string[];
  exposures: number[];
  measured: number[];
  efftime: number[];
  goal: (number | null)[];
  fraction: (number | null)[];
  last_night: number[];
};

export type TileRow = {
  tile: number;
  program: string;
  exposures: number;
  measured: number;
  efftime: number;
  goal: number | null;
  fraction: number | null;
  last_night: number;
};

/** GET exposures/{expid}/efftime/: one exposure's effective time and its tile's progress. */
export type ExposureEfftime = {
  expid: number;
  program: string;
  exptime: number | null;
  efftime: number | null;
  efftime_goal_units: number | null;
  cameras: Record<string, number>;
  petals: Record<string, number>;
  tile: TileRow | null;
};

export type TileQuery = { night_from?: string; night_to?: string; program?: string };

/** The rows of the columnar answer. */
export function tileRows(data: TileEfftime): TileRow[] {
  return data.tile.map((tile, i) => ({
    tile,
    program: data.program[i] ?? '',
    exposures: data.exposures[i] ?? 0,
    measured: data.measured[i] ?? 0,
    efftime: data.efftime[i] ?? 0,
    goal: data.goal[i] ?? null,
    fraction: data.fraction[i] ?? null,
    last_night: data.last_night[i] ?? 0,
  }));
}

export function useTileEfftime(query: TileQuery) {
  const params = Object.fromEntries(Object.entries(query).filter(([, v]) => v));
  return useQuery({
    queryKey: ['survey-tiles', params],
    queryFn: () => api.get<TileEfftime>('survey/tiles/', params),
    placeholderData: keepPreviousData,
  });
}

/** ``revision`` changes when the exposure's QA does (cameras finished), to fetch again when
 * the live feed, not polling, brings the news. */
export function useExposureEfftime(
  expid: number | null,
  revision: string,
  pollMs: number | false = false,
) {
  return useQuery({
    queryKey: ['exposure-efftime', expid, revision],
    queryFn: () => api.get<ExposureEfftime>(`exposures/${expid}/efftime/`),
    enabled: expid !== null,
    refetchInterval: pollMs,
  });
}
