import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

/** Columns, one value per exposure, in time order (`/api/conditions/`). */
export type Conditions = {
  night_from: number;
  night_to: number;
  expid: number[];
  night: number[];
  mjd: (number | null)[];
  dateobs: (string | null)[];
  program: string[];
  airmass: (number | null)[];
  seeing: (number | null)[];
  sky_level: (number | null)[];
  exptime: (number | null)[];
  moonsep: (number | null)[];
  /** Only with a camera: the sky continuum it measured (SKYCONT). */
  sky_camera?: (number | null)[];
};

export type ConditionsQuery = {
  night_from: string;
  night_to: string;
  flavor: string;
  program: string;
  camera: string;
};

export function useConditions(query: ConditionsQuery) {
  return useQuery({
    queryKey: ['conditions', query],
    queryFn: () => api.get<Conditions>('conditions/', query),
    placeholderData: keepPreviousData,
  });
}
