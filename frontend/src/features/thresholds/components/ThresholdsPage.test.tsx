import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { installFakeSocket, mockApi } from '@/testing/api-mock';
import { renderApp, viewer } from '@/testing/render';

import type { RegradeReport, ThresholdVersion } from '../api/thresholds';

const admin = { username: 'ada', roles: ['viewer', 'operator', 'admin'] };
const BIAS = { REF: 'calib:bias', NORMAL_RANGE: [-40, 40], WARN_RANGE: [-60, 60] };

function thresholdsApi(me: object) {
  const versions: ThresholdVersion[] = [
    { version: '2026-01-01', effective_night: 20260101, source: 'file', author: 'QLF team',
      note: 'measured on the simulation', base_version: null, change: null, created: null },
  ]; // prettier-ignore
  const report: RegradeReport = {
    version: '2026-01-01', night_from: 20261120, night_to: null, exposures: 12, cameras: 360,
    changed: [{ expid: 42, night: 20261122, flavor: 'science', process_id: 7, before: 'ALARM',
      after: 'WARNING', cameras: [{ camera: 'r3', before: 'ALARM', after: 'WARNING' }] }],
  }; // prettier-ignore
  return mockApi({
    'GET /api/auth/me/': me,
    'GET /api/thresholds/': () => ({ body: versions }),
    'GET /api/thresholds/2026-01-01/': { ...versions[0], metrics: { BIAS_AMP: { default: BIAS } } },
    'GET /api/thresholds/2026-11-20%2Bdb1/': {
      ...versions[0],
      metrics: { BIAS_AMP: { default: BIAS } },
    },
    'POST /api/thresholds/': ({ body }) => {
      const b = body as { key: string; selector: string; reason: string };
      const made: ThresholdVersion = {
        version: '2026-11-20+db1', effective_night: 20261120, source: 'database', author: 'ada',
        note: b.reason, base_version: '2026-01-01', created: '2026-11-22T05:00:00Z',
        change: { key: b.key, selector: b.selector, before: BIAS,
                  after: { ...BIAS, NORMAL_RANGE: [-100, 100], WARN_RANGE: [-150, 150] } },
      }; // prettier-ignore
      versions.unshift(made);
      return { status: 201, body: made };
    },
    'GET /api/thresholds/2026-11-20%2Bdb1/regrade/': { ...report, version: '2026-11-20+db1' },
    'POST /api/thresholds/2026-11-20%2Bdb1/regrade/': { ...report, version: '2026-11-20+db1' },
  });
}

test('an admin saves a new version, previews and applies a re-grade', async () => {
  installFakeSocket(true);
  const { calls } = thresholdsApi(admin);
  renderApp('/thresholds');
  const user = userEvent.setup({ delay: null });
  const form = await screen.findByRole('form', { name: 'New threshold version' });
  await within(form).findByRole('option', { name: 'BIAS_AMP' });
  await user.selectOptions(within(form).getByLabelText('Metric'), 'BIAS_AMP');
  expect(within(form).getByLabelText('REF')).toHaveValue('calib:bias'); // the entry in force
  expect(within(form).getByLabelText('Normal low')).toHaveValue('-40');
  for (const [label, value] of [
    ['Normal low', '-100'],
    ['Normal high', '100'],
    ['Warn low', '-150'],
    ['Warn high', '150'],
  ]) {
    // prettier-ignore
    await user.clear(within(form).getByLabelText(label!));
    await user.type(within(form).getByLabelText(label!), value!);
  }
  await user.type(within(form).getByLabelText('From night'), '20261120');
  await user.type(within(form).getByLabelText('Reason'), 'bias wanders in winter');
  await user.click(within(form).getByRole('button', { name: 'Save as new version' }));
  const post = calls.find((c) => c.method === 'POST')!;
  expect(post.body).toEqual({
    key: 'BIAS_AMP', selector: 'default', ref: 'calib:bias', normal_range: [-100, 100],
    warn_range: [-150, 150], effective_night: '20261120', reason: 'bias wanders in winter',
  }); // prettier-ignore
  const versions = screen.getByRole('table', { name: 'Threshold versions' });
  expect(await within(versions).findByText('2026-11-20+db1')).toBeInTheDocument();
  expect(within(versions).getByText(/BIAS_AMP \(default\)/)).toHaveTextContent(
    'REF bias (calibration), NORMAL -40 … +40',
  );

  const regrade = screen.getByRole('region', { name: 'Re-grade' });
  await user.type(within(regrade).getByLabelText('Nights from'), '20261120');
  await user.click(within(regrade).getByRole('button', { name: 'Preview' }));
  const changes = await within(regrade).findByRole('table', { name: 'Status changes' });
  expect(changes).toHaveTextContent('ALARM → WARNING');
  expect(changes).toHaveTextContent('r3 ALARM → WARNING');
  expect(
    within(regrade).getByText(/12 exposures, 360 cameras; 1 exposures change/),
  ).toBeInTheDocument();
  await user.click(within(regrade).getByRole('button', { name: 'Apply re-grade' }));
  expect(await within(regrade).findByText('Re-graded with 2026-11-20+db1.')).toBeInTheDocument();
  const applied = calls.filter((c) => c.method === 'POST').at(-1)!;
  expect(applied.url.pathname).toBe('/api/thresholds/2026-11-20%2Bdb1/regrade/');
  expect(applied.body).toEqual({ night_from: '20261120', night_to: null });
});

test('viewers see versions and can preview, not edit or apply', async () => {
  installFakeSocket(true);
  thresholdsApi(viewer);
  renderApp('/thresholds');
  expect(await screen.findByText('measured on the simulation')).toBeInTheDocument();
  expect(screen.queryByRole('form', { name: 'New threshold version' })).not.toBeInTheDocument();
  expect(screen.queryByRole('button', { name: 'Apply re-grade' })).not.toBeInTheDocument();
  const inForce = await screen.findByRole('table', { name: 'Metric thresholds' });
  const bias = await within(inForce).findByRole('row', { name: /BIAS_AMP/ });
  expect(bias).toHaveTextContent('bias (calibration)-40 … +40-60 … +60');
  expect(within(bias).queryByRole('button')).not.toBeInTheDocument();
});

test("an admin edits a metric's REF and ranges in place, as a new version", async () => {
  installFakeSocket(true);
  const { calls } = thresholdsApi(admin);
  renderApp('/thresholds');
  const inForce = await screen.findByRole('table', { name: 'Metric thresholds' });
  const user = userEvent.setup({ delay: null });
  await user.click(await within(inForce).findByRole('button', { name: 'Edit BIAS_AMP default' }));
  const form = within(inForce).getByRole('form', { name: 'Edit BIAS_AMP (default)' });
  expect(within(form).getByLabelText('REF')).toHaveValue('calib:bias');
  for (const [label, value] of [
    ['NORMAL low', '-100'],
    ['NORMAL high', '100'],
    ['WARNING low', '-150'],
    ['WARNING high', '150'],
  ]) {
    await user.clear(within(form).getByLabelText(label!));
    await user.type(within(form).getByLabelText(label!), value!);
  }
  await user.clear(within(form).getByLabelText('From night'));
  await user.type(within(form).getByLabelText('From night'), '20261120');
  await user.type(within(form).getByLabelText('Reason'), 'bias wanders in winter');
  await user.click(within(form).getByRole('button', { name: 'Save as new version' }));
  expect(await screen.findByText('Version 2026-11-20+db1 saved.')).toBeInTheDocument();
  expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
    key: 'BIAS_AMP', selector: 'default', ref: 'calib:bias', normal_range: [-100, 100],
    warn_range: [-150, 150], effective_night: '20261120', reason: 'bias wanders in winter',
  }); // prettier-ignore
});
