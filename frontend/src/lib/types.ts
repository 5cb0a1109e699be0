/** Shapes of the REST API (docs/api.md) as the screens use them. */
/** UNKNOWN: the metric could not be computed (a missing value); its reason says why. */
export type QaStatus = 'NORMAL' | 'WARNING' | 'ALARM' | 'UNKNOWN';
/** Why a metric is graded so, by metric KEY (issue 16; absent in older data). */
export type Reasons = Record<string, string>;
export type ProcessStatus = 'queued' | 'running' | 'done' | 'failed' | 'aborted';

export type Page<T> = { count: number; next: string | null; previous: string | null; results: T[] };

export type Exposure = {
  expid: number;
  night: number;
  flavor: string;
  program: string | null;
  tile: number | null;
  exptime: number | null;
  dateobs: string | null;
  mjd: number | null;
  airmass: number | null;
  seeing: number | null;
  ra: number | null;
  dec: number | null;
  sky_level: number | null;
  qa_status: QaStatus | null;
};

export type Process = {
  id: number;
  expid: number;
  night: number;
  flavor: string;
  program: string | null;
  tile: number | null;
  status: ProcessStatus;
  qa_status: QaStatus | null;
  qa_summary: Record<string, QaStatus | null> | null;
  started: string | null;
  ended: string | null;
  duration_s: number | null;
  pipeline_version?: string;
  spec_version?: string;
  /** history and detail: readout-to-QA time (file complete → QA, first process only) and its budget */
  readout_to_qa_s?: number | null;
  /** The observation of the processed exposure. */
  dateobs?: string | null;
  exptime?: number | null;
  ra?: number | null;
  dec?: number | null;
  budget_s?: number;
};

export type StepRun = {
  name: string;
  state: 'started' | 'finished' | 'failed' | string;
  qa_status: QaStatus | null;
  duration_s: number | null;
  error: string;
};

export type Job = {
  id: number;
  camera: string;
  status: 'queued' | 'running' | 'done' | 'failed' | string;
  qa_status: QaStatus | null;
  started: string | null;
  ended: string | null;
  duration_s: number | null;
  current_step: string;
  error: string;
  failed_step: string;
  steps: StepRun[];
  /** Why metrics are UNKNOWN (or otherwise graded), by KEY; absent in older data. */
  reasons?: Reasons | null;
};

export type ProcessDetail = Process & { exposure: Exposure; jobs: Job[] };

export type PipelineStatus = {
  state: 'idle' | 'running' | 'stopping' | 'stopped' | string;
  queue: number[];
  current: number | null;
  executor?: string;
  workers?: number;
};

export type MappingMetric = {
  name: string;
  key: string;
  display_name: string;
  granularity: string;
  units: string;
};
export type MappingStep = { name: string; display_name: string; qa: MappingMetric[] };
export type Mapping = Record<string, { flavor: string; steps: MappingStep[] }>;

export type JobLog = { job_id: number; camera: string; next_offset: number; lines: string[] };
