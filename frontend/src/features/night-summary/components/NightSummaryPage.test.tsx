import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { installFakeSocket, mockApi } from '@/testing/api-mock';
import { renderApp, viewer } from '@/testing/render';

import type { NightSummary } from '../api/night-summary';

const summary: NightSummary = {
  night: 20261122,
  counts: {
    exposures: 3,
    processes: 4,
    by_flavor: { science: 2, zero: 1 },
    by_flavor_program: [
      { flavor: 'science', program: 'DARK', count: 2 },
      { flavor: 'zero', program: '', count: 1 },
    ],
    by_qa_status: { ALARM: 1, NORMAL: 2 },
  },
  exposures: [
    { expid: 1, flavor: 'zero', program: '', tile: null, qa_status: 'NORMAL', process_id: 1,
      status: 'done', processes: 1, readout_to_qa_s: 11.2, budget_s: 20, over_budget: false },
    { expid: 2, flavor: 'science', program: 'DARK', tile: 7, qa_status: 'ALARM', process_id: 4,
      status: 'failed', processes: 2, readout_to_qa_s: 48.5, budget_s: 20, over_budget: true },
  ], // prettier-ignore
  latency: { measured: 2, median_s: 29.85, max_s: 48.5, budget_s: 20, over_budget: 1 },
  failures: [
    { process_id: 4, expid: 2, status: 'failed',
      jobs: [{ camera: 'r3', failed_step: 'CHECK_CCDs', error: 'r3 HDU missing' }] },
  ], // prettier-ignore
  alarms: [
    { seq: 31, time: '2026-11-22T03:10:00Z', level: 'ALARM', camera: 'r3', expid: 2,
      text: 'r3 of 2: ALARM in CHECK_CCDs/NOISE_AMP',
      ack: { author: 'otto', note: 'amp C known hot', time: '2026-11-22T03:12:00Z' } },
    { seq: 32, time: '2026-11-22T03:11:00Z', level: 'WARNING', camera: 'b1', expid: 2,
      text: 'b1 of 2: WARNING in CHECK_FIBERS/NGOODFIB', ack: null },
  ], // prettier-ignore
  comments: [
    { process_id: 4, expid: 2, author: 'otto', text: 'reseated r3 cable',
      created: '2026-11-22T03:20:00Z' },
  ], // prettier-ignore
  trends: [
    { key: 'NOISE_AMP', nights: [20261120, 20261121, 20261122], mean: [3.0, 3.1, 3.4],
      min: [2.9, 2.9, 3.0], max: [3.2, 3.3, 4.1], n_alarm: [0, 0, 2] },
  ], // prettier-ignore
};

function nightsApi() {
  return mockApi({
    'GET /api/auth/me/': viewer,
    'GET /api/nights/': {
      count: 2,
      next: null,
      previous: null,
      results: [
        { night: 20261122, exposures: 3, science: 2, warning: 0, alarm: 1 },
        { night: 20261121, exposures: 5, science: 4, warning: 1, alarm: 0 },
      ],
    },
    'GET /api/nights/20261122/summary/': summary,
    'GET /api/nights/20261121/summary/': {
      ...summary,
      night: 20261121,
      failures: [],
      comments: [],
      alarms: [],
    },
  });
}

test('the latest night is summarised: counts, latency, failures, alarms, comments, trends', async () => {
  installFakeSocket(true);
  nightsApi();
  renderApp('/nights');
  const latency = await screen.findByRole('region', { name: 'Readout to QA' });
  expect(latency).toHaveTextContent('Median 29.9 s, max 48.5 s against a budget of 20.0 s');
  const late = within(latency).getByText('48.5 s');
  expect(late).toHaveClass('error');
  expect(within(latency).getByText('11.2 s')).not.toHaveClass('error');
  expect(within(latency).getByText('failed (2 runs)')).toBeInTheDocument();

  const kinds = screen.getByRole('region', { name: 'Exposures by flavor and program' });
  expect(kinds).toHaveTextContent('3 exposures, 4 processes');
  expect(within(kinds).getByRole('cell', { name: 'DARK' })).toBeInTheDocument();

  expect(screen.getByRole('region', { name: 'Failures' })).toHaveTextContent(
    'r3 in CHECK_CCDs: r3 HDU missing',
  );
  const alarms = screen.getByRole('region', { name: 'Alarms' });
  expect(within(alarms).getByRole('row', { name: /ALARM.*otto: amp C known hot/ })).toBeVisible();
  expect(within(alarms).getByRole('row', { name: /WARNING.*NGOODFIB not yet/ })).toBeVisible();
  expect(screen.getByRole('region', { name: 'Comments' })).toHaveTextContent('reseated r3 cable');
  expect(screen.getByRole('img', { name: 'NOISE_AMP over 3 nights' })).toBeInTheDocument();

  const download = screen.getByRole('link', { name: 'Download report (HTML)' });
  expect(download).toHaveAttribute('href', '/api/nights/20261122/report.html');
  expect(download).toHaveAttribute('download');
});

test('choosing another night loads its summary', async () => {
  installFakeSocket(true);
  const { calls } = nightsApi();
  renderApp('/nights');
  await screen.findByRole('region', { name: 'Failures' });
  const user = userEvent.setup({ delay: null });
  await user.selectOptions(screen.getByLabelText('Night'), '20261121');
  expect(await screen.findByText('No failed process.')).toBeInTheDocument();
  expect(screen.getByText('No alarm.')).toBeInTheDocument();
  expect(calls.some((c) => c.url.pathname === '/api/nights/20261121/summary/')).toBe(true);
  expect(screen.getByRole('link', { name: 'Download report (HTML)' })).toHaveAttribute(
    'href',
    '/api/nights/20261121/report.html',
  );
});
