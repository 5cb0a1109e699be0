import { useQuery } from '@tanstack/react-query';

import { api, apiUrl } from '@/lib/api-client';
import type { Runbook } from '@/lib/queries/runbooks';
import type { QaStatus } from '@/lib/types';

export type NightExposure = {
  expid: number;
  flavor: string;
  program: string;
  tile: number | null;
  qa_status: QaStatus | '';
  process_id: number | null;
  status: string | null;
  processes: number;
  readout_to_qa_s: number | null;
  budget_s: number | null;
  over_budget: boolean | null;
};

export type NightAlarm = {
  seq: number;
  time: string;
  level: 'WARNING' | 'ALARM' | string;
  camera: string;
  expid: number | null;
  text: string;
  ack: { author: string; note: string; time: string } | null;
};

export type NightTrend = {
  key: string;
  nights: number[];
  mean: number[];
  min: (number | null)[];
  max: (number | null)[];
  n_alarm: number[];
};

/** GET /api/nights/<night>/summary/ (docs/operations.md). */
export type NightSummary = {
  night: number;
  counts: {
    exposures: number;
    processes: number;
    by_flavor: Record<string, number>;
    by_flavor_program: { flavor: string; program: string; count: number }[];
    by_qa_status: Record<string, number>;
  };
  exposures: NightExposure[];
  latency: {
    measured: number;
    median_s: number | null;
    max_s: number | null;
    budget_s: number | null;
    over_budget: number;
  };
  failures: {
    process_id: number;
    expid: number;
    status: string;
    jobs: { camera: string; failed_step: string; error: string }[];
  }[];
  alarms: NightAlarm[];
  /** The runbooks in force for the metrics of the night's alarms. */
  runbooks?: Runbook[];
  comments: { process_id: number; expid: number; author: string; text: string; created: string }[];
  trends: NightTrend[];
  /** The tiles observed this night: effective time added tonight, total at the night's end. */
  tiles?: NightTile[];
};

export type NightTile = {
  tile: number;
  program: string;
  exposures: number;
  tonight: number;
  efftime: number;
  goal: number | null;
  fraction: number | null;
};

export function useNightSummary(night: number | null) {
  return useQuery({
    queryKey: ['nights', 'summary', night],
    queryFn: () => api.get<NightSummary>(`nights/${night}/summary/`),
    enabled: night !== null,
  });
}

/** The self-contained HTML report of a night (downloaded by the browser, session cookie). */
export function nightReportUrl(night: number): string {
  return apiUrl(`nights/${night}/report.html`);
}
