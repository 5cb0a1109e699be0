import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { FakeSocket, installFakeSocket, mockApi } from '@/testing/api-mock';
import { mapping, process, processDetail } from '@/testing/fixtures';
import { operator, renderApp, viewer } from '@/testing/render';

const ack = {
  seq: 41,
  level: 'ALARM',
  camera: 'z7',
  expid: 3,
  author: 'otto',
  note: 'z7 amp B known bad',
  time: '2026-11-22T03:20:00Z',
};

function monitorApi(me: object, alarms: ({ ack: object | null } & Record<string, unknown>)[] = []) {
  return mockApi({
    'GET /api/alarms/': ({ url }) => ({
      body: url.searchParams.get('state') === 'open' ? alarms.filter((a) => !a.ack) : alarms,
    }),
    'GET /api/alarms/open/': { open: alarms.filter((a) => !a.ack).length, ALARM: 0, WARNING: 0 },
    'GET /api/auth/me/': me,
    'GET /api/pipeline/status/': { state: 'idle', queue: [], current: null },
    'GET /api/processes/recent/': [process],
    'GET /api/processes/7/': processDetail(),
    'GET /api/ql-mapping/': mapping,
    'POST /api/alarms/41/ack/': () => ({ status: 201, body: ack }),
  });
}

function liveAlarm() {
  act(() => {
    FakeSocket.last.receive({ type: 'hello', seq: null, last_seq: 40 });
    FakeSocket.last.receive({
      seq: 41,
      type: 'alert',
      time: '2026-11-22T03:17:00Z',
      payload: { level: 'ALARM', camera: 'z7', expid: 3, text: 'NOISE_AMP out of range' },
    });
  });
}

async function liveAlert() {
  const status = await screen.findByRole('region', { name: 'Pipeline status' });
  expect(await within(status).findByText('live')).toBeInTheDocument();
  liveAlarm();
  const box = screen.getByRole('region', { name: 'Alerts' });
  const item = within(box).getByText('NOISE_AMP out of range', { exact: false }).closest('li')!;
  return { box, item };
}

test('an operator acknowledges a live alarm with a note: it stops flashing', async () => {
  installFakeSocket(false);
  const { calls } = monitorApi(operator);
  renderApp('/');
  const { item } = await liveAlert();
  expect(item).toHaveClass('alert-flash');
  const user = userEvent.setup({ delay: null });
  await user.click(within(item).getByRole('button', { name: 'Acknowledge ALARM z7 #3' }));
  const button = within(item).getByRole('button', { name: 'Acknowledge' });
  expect(button).toBeDisabled(); // a note is required
  await user.type(within(item).getByLabelText('Acknowledgement note'), 'z7 amp B known bad');
  await user.click(button);
  expect(await within(item).findByText(/otto: z7 amp B known bad/)).toBeInTheDocument();
  expect(item).toHaveClass('alert-acked');
  expect(item).not.toHaveClass('alert-flash');
  const post = calls.find((c) => c.method === 'POST')!;
  expect(post.url.pathname).toBe('/api/alarms/41/ack/');
  expect(post.body).toEqual({ note: 'z7 amp B known bad' });
});

test('an acknowledgement made elsewhere arrives live; viewers cannot acknowledge', async () => {
  installFakeSocket(false);
  monitorApi(viewer);
  renderApp('/');
  const { item } = await liveAlert();
  expect(within(item).queryByRole('button', { name: /Acknowledge/ })).not.toBeInTheDocument();
  act(() => {
    FakeSocket.last.receive({
      seq: 42,
      type: 'alert.acknowledged',
      time: '2026-11-22T03:20:00Z',
      payload: ack,
    });
  });
  expect(within(item).getByText(/otto: z7 amp B known bad/)).toBeInTheDocument();
  expect(item).toHaveClass('alert-acked');
});

test('after a reload, alerts of the shown exposure are matched to the journal and its acks', async () => {
  installFakeSocket(true); // polling: the alert box derives its alerts from the process
  const { calls } = monitorApi(operator, [
    { seq: 31, time: '2026-11-22T03:17:00Z', level: 'WARNING', camera: 'b5', expid: 3,
      text: 'b5 of 3: WARNING', ack: null },
    { seq: 30, time: '2026-11-22T03:16:00Z', level: 'ALARM', camera: 'r3', expid: 3,
      text: 'r3 of 3: ALARM', ack: { ...ack, seq: 30, camera: 'r3', expid: 3, note: 'r3 known' } },
  ]); // prettier-ignore
  renderApp('/');
  const box = await screen.findByRole('region', { name: 'Alerts' });
  const r3 = (await within(box).findByText(/otto: r3 known/)).closest('li')!;
  expect(r3).toHaveTextContent('ALARM r3 #3');
  expect(r3).toHaveClass('alert-acked');
  const b5 = within(box).getByText('b5 of 3: WARNING', { exact: false }).closest('li')!;
  expect(b5).toHaveClass('alert-flash');
  const user = userEvent.setup({ delay: null });
  await user.click(within(b5).getByRole('button', { name: 'Acknowledge WARNING b5 #3' }));
  await user.type(within(b5).getByLabelText('Acknowledgement note'), 'fiber 2 dead');
  await user.click(within(b5).getByRole('button', { name: 'Acknowledge' }));
  await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
  expect(calls.find((c) => c.method === 'POST')!.url.pathname).toBe('/api/alarms/31/ack/');
});

test('open alarms of earlier exposures stay after a reload until acknowledged; Reset clears them', async () => {
  installFakeSocket(false);
  monitorApi(operator, [
    { seq: 12, time: '2026-11-22T02:17:00Z', level: 'ALARM', camera: 'r3', expid: 6,
      text: 'r3 of 6: ALARM in CHECK_CCDs (NOISE_AMP)', ack: null },
    { seq: 11, time: '2026-11-22T02:16:00Z', level: 'WARNING', camera: 'b4', expid: 5,
      text: 'b4 of 5: WARNING', ack: null },
  ]); // prettier-ignore
  renderApp('/');
  const box = await screen.findByRole('region', { name: 'Alerts' });
  const r3 = (await within(box).findByText(/r3 of 6: ALARM/)).closest('li')!;
  expect(r3).toHaveClass('alert-flash');
  expect(within(box).getByText(/b4 of 5/)).toBeInTheDocument();
  expect(within(box).getByLabelText('2 open')).toBeInTheDocument();
  expect(within(r3).getByRole('img', { name: 'ALARM' })).toHaveTextContent('✖');
  // every page shows the count in the top bar
  expect(await screen.findByRole('link', { name: /2 open alarms/ })).toHaveAttribute(
    'href',
    '/alarms',
  );
  const status = await screen.findByRole('region', { name: 'Pipeline status' });
  expect(await within(status).findByText('live')).toBeInTheDocument();
  act(() => {
    FakeSocket.last.receive({ type: 'hello', seq: null, last_seq: 40 });
    FakeSocket.last.receive({
      seq: 41,
      type: 'pipeline.reset',
      time: '2026-11-22T03:00:00Z',
      payload: { processes: 6, alarms: 2 },
    });
  });
  expect(
    await screen.findByText(/pipeline reset: 6 processes deleted, 2 open alarms cleared/),
  ).toBeInTheDocument();
});
