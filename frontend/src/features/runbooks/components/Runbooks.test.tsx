import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import type { Alarm } from '@/lib/queries/alarms';
import type { Runbook, RunbookDetail } from '@/lib/queries/runbooks';
import { installFakeSocket, mockApi, type Handler } from '@/testing/api-mock';
import { mapping, process, processDetail, processQa } from '@/testing/fixtures';
import { renderApp, viewer } from '@/testing/render';

const admin = { username: 'ada', roles: ['viewer', 'operator', 'admin'] };

const shipped: Runbook = {
  key: 'BIAS_AMP', scope: 'default', version: '2026-01-01', source: 'file', author: 'QLF',
  created: null, note: 'First version', base_version: null,
  alarm: "An amplifier's overscan level jumped.", warning: 'The overscan level drifts.',
  check_first: '1. One amp or four?\n2. Trends of the night.', contact: 'Instrument scientist',
}; // prettier-ignore

function detail(runbook: Runbook, history: Runbook[] = [runbook]): RunbookDetail {
  return { ...runbook, history, scopes: ['default'] };
}

const alarms: Alarm[] = [
  { seq: 12, time: '2026-11-22T03:17:00Z', level: 'ALARM', camera: 'r3', expid: 42,
    text: 'r3 of 42: ALARM in CHECK_CCDs/BIAS_AMP', metrics: ['BIAS_AMP'], flavor: 'zero',
    ack: null, notified: [{ channel: 'email', status: 'sent', attempts: 1,
                            time: '2026-11-22T03:27:01Z' }] },
  { seq: 9, time: '2026-11-22T03:10:00Z', level: 'WARNING', camera: 'b0', expid: 41,
    text: 'b0 of 41: WARNING in CHECK_FIBERS/NGOODFIB', metrics: ['NGOODFIB'], flavor: 'flat',
    ack: null },
]; // prettier-ignore

function runbookApi(me: object, extra: Record<string, Handler | object> = {}) {
  let current = detail(shipped);
  return mockApi({
    'GET /api/auth/me/': me,
    'GET /api/alarms/': alarms,
    'GET /api/masks/': [],
    'GET /api/audit/': [],
    'GET /api/runbooks/': [shipped],
    'GET /api/runbooks/BIAS_AMP/': () => ({ body: current }),
    'POST /api/runbooks/': ({ body }) => {
      const edit = body as Runbook & { base_version: string };
      if (edit.base_version !== current.version)
        return { status: 409, body: { detail: 'changed meanwhile by bob' } };
      const saved: Runbook = { ...edit, version: '2026-11-22+db1', source: 'database',
        author: 'ada', created: '2026-11-22T04:00:00Z' }; // prettier-ignore
      current = detail(saved, [saved, shipped]);
      return { status: 201, body: current };
    },
    ...extra,
  });
}

test('a notification link selects its alert on the Alarms page with the runbook open', async () => {
  installFakeSocket(true);
  const { calls } = runbookApi(viewer);
  renderApp('/alarms?alert=12');
  const runbook = await screen.findByRole('region', { name: 'Runbook BIAS_AMP' });
  const item = runbook.closest('li')!;
  expect(item).toHaveClass('alert-selected');
  expect(item).toHaveTextContent('r3 of 42: ALARM in CHECK_CCDs/BIAS_AMP');
  expect(item).toHaveTextContent('notified: email sent 2026-11-22 03:27:01');
  expect(runbook).toHaveTextContent("An amplifier's overscan level jumped.");
  expect(runbook).toHaveTextContent('Whom to call');
  expect(within(runbook).queryByRole('button', { name: 'edit' })).toBeNull(); // viewers read
  const asked = calls.find((c) => c.url.pathname === '/api/runbooks/BIAS_AMP/')!.url;
  expect([asked.searchParams.get('flavor'), asked.searchParams.get('camera')]).toEqual([
    'zero',
    'r3',
  ]);
  expect(calls.find((c) => c.url.pathname === '/api/alarms/')!.url.searchParams.get('state')).toBe(
    'all',
  );
  // the other alarm's runbook opens on demand
  const other = screen.getByText(/b0 of 41/).closest('li')!;
  expect(within(other).queryByRole('region')).toBeNull();
  const user = userEvent.setup({ delay: null });
  await user.click(within(other).getByRole('button', { name: 'runbook NGOODFIB' }));
  expect(await within(other).findByText('No runbook for NGOODFIB.')).toBeInTheDocument();
});

test('an admin edits a runbook in place: a new version with a note, its history kept', async () => {
  installFakeSocket(true);
  const { calls } = runbookApi(admin);
  renderApp('/alarms?alert=12');
  const runbook = await screen.findByRole('region', { name: 'Runbook BIAS_AMP' });
  const user = userEvent.setup({ delay: null });
  await user.click(within(runbook).getByRole('button', { name: 'edit' }));
  const form = within(runbook).getByRole('form', { name: 'Edit runbook BIAS_AMP' });
  const save = within(form).getByRole('button', { name: 'Save new version' });
  const contact = within(form).getByLabelText('Whom to call');
  await user.clear(contact);
  await user.type(contact, 'Night support +1 555 0100');
  expect(save).toBeDisabled(); // a note is required
  expect(within(form).getByLabelText('Applies to')).toHaveValue('default');
  await user.selectOptions(within(form).getByLabelText('Applies to'), 'zero/r');
  await user.type(within(form).getByLabelText('Note (why it changed)'), 'our phone');
  await user.click(save);
  await waitFor(() => expect(runbook).toHaveTextContent('Night support +1 555 0100'));
  const post = calls.find((c) => c.method === 'POST')!.body as Record<string, string>;
  expect(post).toMatchObject({
    key: 'BIAS_AMP',
    scope: 'zero/r',
    base_version: '2026-01-01',
    note: 'our phone',
    alarm: "An amplifier's overscan level jumped.",
  });
  expect(runbook).toHaveTextContent('version 2026-11-22+db1 · ada · 2026-11-22 · “our phone”');
  await user.click(within(runbook).getByRole('button', { name: 'history (2)' }));
  const versions = within(runbook).getByRole('list', { name: 'Versions of the runbook BIAS_AMP' });
  expect(within(versions).getAllByRole('listitem')).toHaveLength(2);
  expect(versions).toHaveTextContent('version 2026-01-01 · QLF · shipped');
});

test('an edit refused because someone saved first says so', async () => {
  installFakeSocket(true);
  runbookApi(admin, {
    'POST /api/runbooks/': () => ({ status: 409, body: { detail: 'changed meanwhile by bob' } }),
  });
  renderApp('/runbooks?key=BIAS_AMP&scope=default');
  const runbook = await screen.findByRole('region', { name: 'Runbook BIAS_AMP' });
  expect(screen.getByRole('button', { name: 'BIAS_AMP', pressed: true })).toBeInTheDocument();
  const user = userEvent.setup({ delay: null });
  await user.click(within(runbook).getByRole('button', { name: 'edit' }));
  await user.type(within(runbook).getByLabelText('Note (why it changed)'), 'x');
  await user.type(within(runbook).getByLabelText('What an ALARM means'), ' More.');
  await user.click(within(runbook).getByRole('button', { name: 'Save new version' }));
  expect(await within(runbook).findByRole('alert')).toHaveTextContent('changed meanwhile by bob');
});

test('the Monitor shows the runbook of a live alert, the QA drill-down of the chosen metric', async () => {
  installFakeSocket(true);
  const { calls } = runbookApi(viewer, {
    'GET /api/alarms/': [{ ...alarms[0], seq: 41, expid: 3, camera: 'r3', flavor: 'science' }],
    'GET /api/pipeline/status/': { state: 'idle', queue: [], current: null },
    'GET /api/processes/recent/': [process],
    'GET /api/processes/7/': processDetail(),
    'GET /api/processes/7/qa/': processQa(),
    'GET /api/processes/': { count: 1, next: null, previous: null, results: [process] },
    'GET /api/ql-mapping/': mapping,
    'GET /api/runbooks/NOISE_AMP/': detail({ ...shipped, key: 'NOISE_AMP', alarm: 'Noisy.' }),
  });
  renderApp('/');
  const box = await screen.findByRole('region', { name: 'Alerts' });
  const user = userEvent.setup({ delay: null });
  await user.click(await within(box).findByRole('button', { name: 'runbook BIAS_AMP' }));
  const dialog = await within(box).findByRole('dialog', { name: 'Runbook of BIAS_AMP' });
  expect(await within(dialog).findByRole('region', { name: 'Runbook BIAS_AMP' })).toHaveTextContent(
    'Instrument scientist',
  );
  await user.click(within(dialog).getByRole('button', { name: 'close' }));
  expect(within(box).queryByRole('dialog')).toBeNull();

  await user.click(screen.getByRole('link', { name: 'QA' }));
  await user.click(await screen.findByRole('button', { name: /^r3 ALARM/ }));
  const camera = await screen.findByRole('region', { name: 'Camera r3' });
  const runbook = await within(camera).findByRole('region', { name: 'Runbook NOISE_AMP' });
  expect(runbook).toHaveTextContent('Noisy.');
  const asked = calls.filter((c) => c.url.pathname === '/api/runbooks/NOISE_AMP/').at(-1)!.url;
  expect([asked.searchParams.get('flavor'), asked.searchParams.get('camera')]).toEqual([
    'science',
    'r3',
  ]);
});

test('the night summary carries the runbooks of the night’s alarms', async () => {
  installFakeSocket(true);
  const none = { count: 0, next: null, previous: null, results: [] };
  runbookApi(viewer, {
    'GET /api/nights/': { ...none, count: 1, results: [{ night: 20261122, exposures: 1 }] },
    'GET /api/nights/20261122/summary/': {
      night: 20261122,
      counts: { exposures: 1, processes: 1, by_flavor: {}, by_flavor_program: [],
                by_qa_status: {} }, // prettier-ignore
      exposures: [],
      latency: { measured: 0, median_s: null, max_s: null, budget_s: null, over_budget: 0 },
      failures: [],
      alarms: [],
      comments: [],
      trends: [],
      runbooks: [{ ...shipped, scope: 'zero' }],
    },
  });
  renderApp('/nights');
  const section = await screen.findByRole('region', { name: "Runbooks of the night's alarms" });
  const runbook = within(section).getByRole('region', { name: 'Runbook BIAS_AMP' });
  expect(runbook).toHaveTextContent('zero');
  expect(runbook).toHaveTextContent('Check first1. One amp or four?');
  expect(runbook).toHaveTextContent('version 2026-01-01 · QLF · shipped');
});

test('an admin writes the first runbook of a metric that has none', async () => {
  installFakeSocket(true);
  let made: RunbookDetail | null = null;
  const { calls } = runbookApi(admin, {
    'GET /api/runbooks/NGOODFIB/': () =>
      made ? { body: made } : { status: 404, body: { detail: "no runbook for 'NGOODFIB'" } },
    'POST /api/runbooks/': ({ body }) => {
      const edit = body as Runbook;
      made = detail({ ...shipped, ...edit, version: '2026-11-22+db2', source: 'database' });
      return { status: 201, body: made };
    },
  });
  renderApp('/alarms');
  const other = (await screen.findByText(/b0 of 41/)).closest('li')!;
  const user = userEvent.setup({ delay: null });
  await user.click(within(other).getByRole('button', { name: 'runbook NGOODFIB' }));
  await user.click(await within(other).findByRole('button', { name: 'write one' }));
  const form = within(other).getByRole('form', { name: 'Edit runbook NGOODFIB' });
  await user.type(within(form).getByLabelText('What an ALARM means'), 'Fibers dark.');
  await user.type(within(form).getByLabelText('What a WARNING means'), 'A few dark.');
  await user.type(within(form).getByLabelText('What to check first'), 'Which fibers?');
  await user.type(within(form).getByLabelText('Whom to call'), 'Fiber team');
  await user.type(within(form).getByLabelText('Note (why it changed)'), 'new metric');
  await user.click(within(form).getByRole('button', { name: 'Save new version' }));
  const runbook = await within(other).findByRole('region', { name: 'Runbook NGOODFIB' });
  await waitFor(() => expect(runbook).toHaveTextContent('Fibers dark.'));
  const post = calls.find((c) => c.method === 'POST')!.body as Record<string, string>;
  expect(post).toMatchObject({ key: 'NGOODFIB', scope: 'default', base_version: '' });
});
