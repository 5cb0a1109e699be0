import { act, screen } from '@testing-library/react';

import { FakeSocket, installFakeSocket, mockApi } from '@/testing/api-mock';
import { mapping, process, processDetail } from '@/testing/fixtures';
import { renderApp, viewer } from '@/testing/render';

/** The Monitor with a queue of two; the oldest waited `age_s` with a 20 s budget. */
function backlogApi(ageOf: (queue: string) => number) {
  let queue = '9,10';
  return mockApi({
    'GET /api/auth/me/': viewer,
    'GET /api/pipeline/status/': { state: 'running', queue: [9, 10], current: 3 },
    'GET /api/processes/recent/': [process],
    'GET /api/processes/7/': processDetail(),
    'GET /api/ql-mapping/': mapping,
    'GET /api/pipeline/backlog/': () => {
      const age = ageOf(queue);
      queue = '11';
      return {
        body: {
          time: '2026-11-22T03:20:00Z',
          length: 2,
          behind: age > 40,
          behind_factor: 2,
          oldest: { process_id: 8, expid: 9, age_s: age, budget_s: 20 },
        },
      };
    },
  });
}

test('the backlog turns WARNING when the oldest exposure waited more than twice its budget', async () => {
  installFakeSocket(true);
  backlogApi(() => 52);
  renderApp('/');
  const backlog = await screen.findByRole('status', { name: 'Backlog' });
  expect(await screen.findByText('WARNING: behind')).toBeInTheDocument();
  expect(backlog).toHaveTextContent(/2 waiting, oldest #9 for 5\d s/);
});

test('a short wait is no warning; a new queue from the live feed is fetched again', async () => {
  installFakeSocket(false);
  const { calls } = backlogApi((queue) => (queue === '9,10' ? 6 : 45));
  renderApp('/');
  const backlog = await screen.findByRole('status', { name: 'Backlog' });
  expect(await screen.findByText(/oldest #9 for \d s/)).toBeInTheDocument();
  expect(screen.queryByText('WARNING: behind')).not.toBeInTheDocument();
  await screen.findByText('live');
  act(() => {
    FakeSocket.last.receive({ type: 'hello', seq: null, last_seq: 40 });
    FakeSocket.last.receive({
      seq: null,
      type: 'pipeline.status',
      payload: { state: 'running', queue: [11], current: 10 },
    });
  });
  expect(await screen.findByText('WARNING: behind')).toBeInTheDocument();
  expect(backlog).toHaveTextContent('1 waiting');
  expect(calls.filter((c) => c.url.pathname === '/api/pipeline/backlog/')).toHaveLength(2);
});
