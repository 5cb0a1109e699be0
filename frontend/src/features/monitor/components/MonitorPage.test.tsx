import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { FakeSocket, installFakeSocket, mockApi } from '@/testing/api-mock';
import { mapping, process, processDetail } from '@/testing/fixtures';
import { operator, renderApp, viewer } from '@/testing/render';

function monitorApi(me: object) {
  return mockApi({
    'GET /api/auth/me/': me,
    'GET /api/pipeline/status/': {
      state: 'idle',
      queue: [9, 10],
      current: null,
      executor: 'local',
      workers: 2,
    },
    'GET /api/processes/recent/': [process],
    'GET /api/processes/7/': processDetail(),
    'GET /api/ql-mapping/': mapping,
    'GET /api/jobs/14/log/': {
      job_id: 14,
      camera: 'r3',
      next_offset: 10,
      lines: ['r3 CHECK_CCDs ALARM'],
    },
    'POST /api/pipeline/reset/': ({ body }) => ({
      body: (body as { confirm: boolean }).confirm
        ? { state: 'idle', queue: [], current: null }
        : { reset: false, detail: 'reset deletes processes, jobs, QA and scratch products' },
    }),
    'POST /api/pipeline/stop/': { state: 'stopped', queue: [], current: null },
  });
}

test('without the websocket the Monitor polls and shows the cameras, exposure and alerts', async () => {
  installFakeSocket(true);
  monitorApi(operator);
  renderApp('/');
  const grid = await screen.findByRole('grid');
  expect(await within(grid).findByRole('gridcell', { name: /^r3: done, ALARM/ })).toHaveClass(
    'qa-alarm',
  );
  expect(within(grid).getAllByRole('gridcell')).toHaveLength(30);
  expect(within(grid).getByRole('gridcell', { name: /^b5: done, WARNING/ })).toHaveClass(
    'qa-warning',
  );
  expect(
    within(grid).getByRole('gridcell', { name: /^b0: done, NORMAL; CHECK_CCDs done/ }),
  ).toBeInTheDocument();

  const status = screen.getByRole('region', { name: 'Pipeline status' });
  expect(status).toHaveTextContent('idle');
  expect(status).toHaveTextContent('#9 #10');
  expect(await within(status).findByText('polling')).toBeInTheDocument();

  const exposure = screen.getByRole('region', { name: 'Current exposure' });
  expect(exposure).toHaveTextContent('#3');
  expect(exposure).toHaveTextContent('DARK');
  expect(exposure).toHaveTextContent('1042');
  expect(exposure).toHaveTextContent('1000 s');

  const alerts = screen.getByRole('region', { name: 'Alerts' });
  expect(alerts).toHaveTextContent('ALARM r3 #3 CHECK_CCDs');
  expect(alerts).toHaveTextContent('WARNING b5');
  expect(screen.getByRole('region', { name: 'Pipeline log' })).toHaveTextContent(
    'r3 CHECK_CCDs 0.04 s',
  );
});

test('clicking a camera follows its log', async () => {
  installFakeSocket(true);
  monitorApi(viewer);
  renderApp('/');
  await userEvent.click(await screen.findByRole('gridcell', { name: /^r3:/ }));
  expect(await screen.findByLabelText('log of r3')).toHaveTextContent('r3 CHECK_CCDs ALARM');
});

test('operators reset only after confirming what it deletes', async () => {
  installFakeSocket(true);
  const { calls } = monitorApi(operator);
  renderApp('/');
  const user = userEvent.setup({ delay: null });
  await user.click(await screen.findByRole('button', { name: /Reset/ }));
  const dialog = await screen.findByRole('dialog', { name: 'Reset the pipeline?' });
  expect(dialog).toHaveTextContent('deletes processes, jobs, QA and scratch products');
  expect(calls.filter((c) => c.url.pathname.endsWith('/reset/')).map((c) => c.body)).toEqual([
    { confirm: false },
  ]);
  await user.click(within(dialog).getByRole('button', { name: 'Delete and reset' }));
  expect(calls.filter((c) => c.url.pathname.endsWith('/reset/')).map((c) => c.body)).toEqual([
    { confirm: false },
    { confirm: true },
  ]);
  expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  await user.click(screen.getByRole('button', { name: /Stop/ }));
  expect(calls.some((c) => c.method === 'POST' && c.url.pathname === '/api/pipeline/stop/')).toBe(
    true,
  );
});

test('viewers get no control buttons', async () => {
  installFakeSocket(true);
  monitorApi(viewer);
  renderApp('/');
  await screen.findByRole('grid');
  expect(screen.queryByRole('button', { name: /Start/ })).not.toBeInTheDocument();
  expect(screen.queryByRole('button', { name: /Reset/ })).not.toBeInTheDocument();
});

test('with the websocket, status and alerts arrive live', async () => {
  installFakeSocket(false);
  monitorApi(viewer);
  renderApp('/');
  const status = await screen.findByRole('region', { name: 'Pipeline status' });
  expect(await within(status).findByText('live')).toBeInTheDocument();
  act(() => {
    FakeSocket.last.receive({ type: 'hello', seq: null, last_seq: 40 });
    FakeSocket.last.receive({
      seq: null,
      type: 'pipeline.status',
      payload: { state: 'running', queue: [11], current: 3 },
    });
    FakeSocket.last.receive({
      seq: 41,
      type: 'alert',
      time: '2026-11-22T03:17:00Z',
      payload: { level: 'ALARM', camera: 'z7', expid: 3, text: 'NOISE_AMP out of range' },
    });
  });
  expect(status).toHaveTextContent('running');
  expect(status).toHaveTextContent('#11');
  expect(screen.getByRole('region', { name: 'Alerts' })).toHaveTextContent(
    'ALARM z7 #3 NOISE_AMP out of range',
  );
  expect(screen.getByRole('region', { name: 'Pipeline log' })).toHaveTextContent(
    'ALARM z7 NOISE_AMP out of range',
  );
});

test('with the websocket the camera log reads its tail once, then appends the pushed lines', async () => {
  installFakeSocket(false);
  const file = ['line 1', 'line 2'];
  const { calls } = mockApi({
    'GET /api/auth/me/': viewer,
    'GET /api/pipeline/status/': { state: 'running', queue: [], current: 3 },
    'GET /api/processes/recent/': [process],
    'GET /api/processes/7/': processDetail(),
    'GET /api/ql-mapping/': mapping,
    'GET /api/jobs/14/log/': () => ({
      body: { job_id: 14, camera: 'r3', next_offset: 0, lines: [...file] },
    }),
  });
  const tails = () => calls.filter((c) => c.url.pathname === '/api/jobs/14/log/').length;
  renderApp('/');
  const status = await screen.findByRole('region', { name: 'Pipeline status' });
  expect(await within(status).findByText('live')).toBeInTheDocument();
  act(() => FakeSocket.last.receive({ type: 'hello', seq: null, last_seq: 40 }));
  await userEvent.click(await screen.findByRole('gridcell', { name: /^r3:/ }));
  const log = await screen.findByLabelText('log of r3');
  await within(log).findByText(/line 2/);
  expect(FakeSocket.last.sent).toContainEqual({ subscribe: 'log', process_id: 7, camera: 'r3' });

  const push = (seq: number, camera: string, lines: string[]) =>
    act(() =>
      FakeSocket.last.receive({ seq, type: 'job.log', payload: { process_id: 7, camera, lines } }),
    );
  push(41, 'r3', ['line 3', 'line 4']);
  push(42, 'b0', ['a b0 line']);
  push(43, 'r3', ['line 5']);
  // (the query cache tells the screen on its next tick)
  await waitFor(() =>
    expect(screen.getByLabelText('log of r3').textContent).toBe(
      'line 1\nline 2\nline 3\nline 4\nline 5',
    ),
  );
  expect(tails()).toBe(1); // pushed lines are appended, never re-read

  // The subscription's snapshot of the file replaces the lines; a line pushed while the server
  // read the file (not in it) is kept, one it has is not repeated; later pushes follow.
  push(44, 'r3', ['line 6', 'pushed meanwhile']);
  act(() =>
    FakeSocket.last.receive({
      type: 'log.lines',
      process_id: 7,
      camera: 'r3',
      lines: ['line 2', 'line 3', 'line 4', 'line 5', 'line 6'],
      last_seq: 44,
    }),
  );
  push(45, 'r3', ['line 7']);
  await waitFor(() =>
    expect(screen.getByLabelText('log of r3').textContent).toBe(
      'line 2\nline 3\nline 4\nline 5\nline 6\npushed meanwhile\nline 7',
    ),
  );
  expect(tails()).toBe(1);

  // A gap in the feed: once live again, the tail is read once more (with what was written).
  file.push('line 3', 'line 4', 'line 5', 'line 6', 'pushed meanwhile', 'line 7', 'line 8');
  act(() => FakeSocket.last.drop());
  // The socket reconnects after its back-off (1 s): generous time on a busy machine.
  await waitFor(() => expect(tails()).toBe(2), { timeout: 15000 });
  await waitFor(() => expect(screen.getByLabelText('log of r3')).toHaveTextContent(/line 8$/));
  expect(tails()).toBe(2);
}, 30000);

test('an UNKNOWN camera shows its shape and its reason; the list says why each is not NORMAL', async () => {
  installFakeSocket(true);
  const detail = processDetail();
  const z9 = detail.jobs.find((j) => j.camera === 'z9')!;
  Object.assign(z9, { qa_status: 'UNKNOWN', reasons: { SKYCONT: 'no sky fiber in this camera' } });
  mockApi({
    'GET /api/auth/me/': viewer,
    'GET /api/pipeline/status/': { state: 'idle', queue: [], current: null },
    'GET /api/processes/recent/': [process],
    'GET /api/processes/7/': detail,
    'GET /api/ql-mapping/': mapping,
    'GET /api/alarms/': [],
    'GET /api/alarms/open/': { open: 0, ALARM: 0, WARNING: 0 },
  });
  renderApp('/');
  const cell = await screen.findByRole('gridcell', { name: /^z9: done, UNKNOWN/ });
  expect(cell).toHaveAccessibleName(/\(SKYCONT: no sky fiber in this camera\)/);
  expect(cell).toHaveClass('qa-unknown');
  expect(cell).toHaveTextContent('?');
  const why = screen.getByRole('list', { name: 'Cameras not NORMAL' });
  expect(within(why).getByText('z9').closest('li')).toHaveTextContent(
    '? UNKNOWN z9 SKYCONT: no sky fiber in this camera',
  );
  expect(within(why).getByText('r3').closest('li')).toHaveTextContent('ALARM in CHECK_CCDs');
  expect(screen.getByRole('link', { name: 'no open alarm' })).toHaveAttribute('href', '/alarms');
});
