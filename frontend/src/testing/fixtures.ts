import { CAMERAS } from '@/lib/instrument';
import type { Exposure, Mapping, Process, ProcessDetail, QaStatus } from '@/lib/types';

export const STEPS = ['CHECK_CCDs', 'CHECK_FIBERS', 'CHECK_SPECTRA'];

export const mapping: Mapping = {
  science: {
    flavor: 'science',
    steps: [
      {
        name: 'CHECK_CCDs',
        display_name: 'Check CCDs',
        qa: [
          {
            name: 'noise',
            key: 'NOISE_AMP',
            display_name: 'Noise AMP',
            granularity: 'amp',
            units: 'e-',
          },
        ],
      },
      {
        name: 'CHECK_FIBERS',
        display_name: 'Check fibers',
        qa: [
          {
            name: 'ngoodfib',
            key: 'NGOODFIB',
            display_name: 'Good fibers',
            granularity: 'camera',
            units: 'fibers',
          },
        ],
      },
      { name: 'CHECK_SPECTRA', display_name: 'Check spectra', qa: [] },
    ],
  },
};

const statusOf = (camera: string): QaStatus =>
  camera === 'r3' ? 'ALARM' : camera === 'b5' ? 'WARNING' : 'NORMAL';

export const exposure: Exposure = {
  expid: 3,
  night: 20261121,
  flavor: 'science',
  program: 'DARK',
  tile: 1042,
  exptime: 1000,
  dateobs: '2026-11-22T03:00:00Z',
  mjd: 61366.125,
  airmass: 1.32,
  seeing: 1.4,
  ra: 35.787,
  dec: -8.293,
  sky_level: 21,
  qa_status: 'ALARM',
};

export const process: Process = {
  id: 7,
  expid: 3,
  night: 20261121,
  flavor: 'science',
  program: 'DARK',
  tile: 1042,
  status: 'done',
  qa_status: 'ALARM',
  qa_summary: Object.fromEntries(CAMERAS.map((c) => [c, statusOf(c)])),
  started: '2026-11-22T03:16:50Z',
  ended: '2026-11-22T03:17:02Z',
  duration_s: 12.5,
  spec_version: '2026-01-01',
};

export function processDetail(overrides: Partial<ProcessDetail> = {}): ProcessDetail {
  return {
    ...process,
    exposure,
    jobs: CAMERAS.map((camera, i) => ({
      id: i + 1,
      camera,
      status: 'done',
      qa_status: statusOf(camera),
      started: process.started,
      ended: process.ended,
      duration_s: 0.5,
      current_step: '',
      error: '',
      failed_step: '',
      steps: STEPS.map((name) => ({
        name,
        state: 'finished',
        qa_status: name === 'CHECK_CCDs' ? statusOf(camera) : 'NORMAL',
        duration_s: 0.04,
        error: '',
      })),
    })),
    ...overrides,
  };
}

export function processQa() {
  return {
    process_id: 7,
    cameras: CAMERAS.map((camera, i) => ({
      job_id: i + 1,
      camera,
      status: statusOf(camera),
      error: null,
      failed_step: null,
      amps: ['A', 'B', 'C', 'D'],
      steps: {
        CHECK_CCDs: {
          status: statusOf(camera),
          duration_s: 0.04,
          error: null,
          metrics: [
            {
              key: 'NOISE_AMP',
              value: [2.9, 2.9, camera === 'r3' ? 12.57 : 2.8, 2.5],
              status: statusOf(camera),
              ref: [2.9, 2.9, 3.1, 2.6],
              normal_range: [-1.5, 1.5],
              warn_range: [-2, 2],
              elements: ['A', 'B', 'C', 'D'].map((index) => ({
                index,
                value: index === 'C' && camera === 'r3' ? 12.57 : 2.9,
                status: index === 'C' ? statusOf(camera) : 'NORMAL',
              })),
            },
          ],
        },
        CHECK_FIBERS: {
          status: 'NORMAL',
          duration_s: 0.01,
          error: null,
          metrics: [
            {
              key: 'NGOODFIB',
              value: 25,
              status: 'NORMAL',
              ref: 25,
              normal_range: [-3, 3],
              warn_range: [-4, 4],
              elements: [{ index: '', value: 25, status: 'NORMAL' }],
            },
          ],
        },
      },
    })),
  };
}
