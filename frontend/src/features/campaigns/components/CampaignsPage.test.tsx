import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { FakeSocket, installFakeSocket, mockApi } from '@/testing/api-mock';
import { operator, renderApp, viewer } from '@/testing/render';

import type { Campaign, CampaignDiff } from '../api/campaigns';

const running: Campaign = {
  id: 3, name: 'new bias', state: 'running', filters: { night: 20261122, flavor: ['science'] },
  spec_version: '2026-11-20+db1', pipeline_version: '0.1.0', created_by: 'otto',
  created: '2026-11-23T10:00:00Z', ended: null, promoted: null, total: 40, done: 12, failed: 1,
  aborted: 0, running: 2, queued: 25, remaining: 27, superseded: 0, rate_per_hour: 340,
  eta_s: 286,
}; // prettier-ignore

const diff: CampaignDiff = {
  campaign_id: 3, state: 'running', spec_version: '2026-11-20+db1', exposures: 13, cameras: 390,
  changed_exposures: 1, changed_cameras: 2,
  changed: [{ expid: 42, night: 20261122, flavor: 'science', current_process_id: 7,
    campaign_process_id: 91, before: 'NORMAL', after: 'ALARM',
    cameras: [{ camera: 'r3', before: 'NORMAL', after: 'ALARM' },
              { camera: 'b5', before: 'NORMAL', after: 'WARNING' }] }],
}; // prettier-ignore

function campaignsApi(me: object, campaigns: Campaign[] = [running]) {
  return mockApi({
    'GET /api/auth/me/': me,
    'GET /api/campaigns/': () => ({ body: { results: campaigns } }),
    'GET /api/campaigns/3/diff/': diff,
    'GET /api/thresholds/': [
      { version: '2026-11-20+db1', effective_night: 20261120, source: 'database' },
      { version: '2026-01-01', effective_night: 20260101, source: 'file' },
    ],
    'POST /api/campaigns/': ({ body }) => ({
      status: 201,
      body: {
        ...running,
        id: 4,
        total: 30,
        skipped: [{ expid: 9, reason: 'raw file not found' }],
        body,
      },
    }),
    'POST /api/campaigns/3/pause/': { ...running, state: 'paused', eta_s: null },
    'POST /api/campaigns/3/promote/': { ...running, state: 'promoting' },
  });
}

test('progress, rate and time left, updated live; the grade changes link to Compare', async () => {
  installFakeSocket(false);
  campaignsApi(viewer);
  renderApp('/campaigns');
  const table = await screen.findByRole('table', { name: 'Campaigns' });
  const bar = within(table).getByRole('progressbar', { name: 'campaign 3 progress' });
  expect(bar).toHaveAttribute('aria-valuenow', '13');
  expect(bar).toHaveAttribute('aria-valuemax', '40');
  const row = within(table).getAllByRole('row')[1]!;
  expect(row).toHaveTextContent('2026-11-22 · science');
  expect(row).toHaveTextContent('12 / 1 / 27');
  expect(row).toHaveTextContent('340/h');
  expect(row).toHaveTextContent('4 min 46 s');
  // viewers read: no start form, no buttons
  expect(screen.queryByRole('form', { name: 'New campaign' })).toBeNull();
  expect(within(row).queryByRole('button', { name: 'pause' })).toBeNull();

  act(
    () =>
    FakeSocket.last.receive({
      seq: 10, type: 'campaign.progress', time: '2026-11-23T10:05:00Z',
      payload: { campaign_id: 3, state: 'running', total: 40, done: 30, failed: 1, aborted: 0,
                 running: 2, queued: 7, remaining: 9, superseded: 0, rate_per_hour: 360, eta_s: 90 },
    }), // prettier-ignore
  );
  await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '31')); // the cache notifies
  expect(row).toHaveTextContent('30 / 1 / 9');
  expect(row).toHaveTextContent('90 s');

  const changes = await screen.findByRole('table', { name: 'Changed grades' });
  expect(screen.getByRole('region', { name: 'Grade changes' })).toHaveTextContent(
    '1 of 13 exposures and 2 of 390 cameras change grade',
  );
  const change = within(changes).getAllByRole('row')[1]!;
  expect(change).toHaveTextContent('r3 NORMAL → ALARM, b5 NORMAL → WARNING');
  expect(within(change).getByRole('link', { name: 'compare' })).toHaveAttribute(
    'href',
    '/compare?expid=42&a=7&b=91',
  );
});

test('an operator starts a campaign with filters and a threshold version', async () => {
  installFakeSocket(true);
  const { calls } = campaignsApi(operator, []);
  renderApp('/campaigns');
  const user = userEvent.setup({ delay: null });
  const form = await screen.findByRole('form', { name: 'New campaign' });
  await within(form).findByRole('option', { name: '2026-11-20+db1' });
  await user.type(within(form).getByLabelText('Nights from'), '20261120');
  await user.type(within(form).getByLabelText('to'), '20261122');
  await user.selectOptions(within(form).getByLabelText('Flavor'), 'science');
  await user.selectOptions(within(form).getByLabelText('Program'), 'DARK');
  await user.type(within(form).getByLabelText('Tile'), '1042');
  await user.selectOptions(within(form).getByLabelText('Thresholds'), '2026-11-20+db1');
  await user.click(within(form).getByRole('button', { name: 'Start campaign' }));
  const post = calls.find((c) => c.method === 'POST')!;
  expect(post.body).toEqual({
    name: '', spec_version: '2026-11-20+db1', night_from: '20261120', night_to: '20261122',
    flavor: ['science'], program: ['DARK'], tile: 1042,
  }); // prettier-ignore
  expect(await screen.findByText(/Campaign 4 started over 30 exposures/)).toHaveTextContent(
    'skipped 9 (raw file not found)',
  );
});

test('an operator pauses, and promotes after confirming', async () => {
  installFakeSocket(true);
  const done = { ...running, state: 'done' as const, remaining: 0, queued: 0, running: 0 };
  const { calls } = campaignsApi(operator, [running, { ...done, id: 2, name: '' }]);
  renderApp('/campaigns');
  const user = userEvent.setup({ delay: null });
  const table = await screen.findByRole('table', { name: 'Campaigns' });
  const [, first, second] = within(table).getAllByRole('row');
  expect(within(second!).queryByRole('button', { name: 'pause' })).toBeNull();
  expect(within(second!).getByRole('button', { name: 'promote' })).toBeInTheDocument();
  await user.click(within(first!).getByRole('button', { name: 'pause' }));
  expect(calls.at(-1)).toMatchObject({ method: 'POST' });
  expect(calls.at(-1)!.url.pathname).toBe('/api/campaigns/3/pause/');
  expect(await within(first!).findByText('paused')).toBeInTheDocument();
  expect(within(first!).getByRole('button', { name: 'resume' })).toBeInTheDocument();

  await user.click(within(second!).getByRole('button', { name: 'promote' }));
  const dialog = screen.getByRole('dialog', { name: 'Promote campaign 2?' });
  expect(calls.filter((c) => c.url.pathname.endsWith('/promote/'))).toHaveLength(0);
  await user.click(within(dialog).getByRole('button', { name: 'Promote' }));
  expect(calls.at(-1)!.url.pathname).toBe('/api/campaigns/2/promote/');
});
