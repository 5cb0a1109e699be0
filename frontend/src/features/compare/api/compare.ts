import { useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import type { Page, Process, QaStatus } from '@/lib/types';

export type CompareSide = {
  id: number;
  status: string;
  qa_status: QaStatus | '';
  started: string | null;
  ended: string | null;
  pipeline_version: string;
  /** the threshold version that graded it */
  spec_version: string;
};

export type CompareRow = {
  camera: string;
  step: string;
  key: string;
  index: string;
  value_a: number | null;
  value_b: number | null;
  difference: number | null;
  status_a: QaStatus | null;
  status_b: QaStatus | null;
  status_changed: boolean;
  changed: boolean;
};

/** GET /api/processes/compare/?a=&b= (docs/operations.md). */
export type Comparison = {
  expid: number;
  a: CompareSide;
  b: CompareSide;
  rows: CompareRow[];
  counts: { elements: number; changed: number; status_changed: number };
};

export function useComparison(a: number | null, b: number | null) {
  return useQuery({
    queryKey: ['processes', 'compare', a, b],
    queryFn: () => api.get<Comparison>('processes/compare/', { a, b }),
    enabled: a !== null && b !== null && a !== b,
  });
}

/** The processes of one exposure, newest first (the candidates to compare). */
export function useProcessesOfExposure(expid: number | null) {
  return useQuery({
    queryKey: ['processes', 'of-exposure', expid],
    queryFn: () => api.get<Page<Process>>('processes/', { expid, ordering: '-id', page_size: 100 }),
    enabled: expid !== null,
  });
}
