import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { installFakeSocket, mockApi } from '@/testing/api-mock';
import { process, processDetail } from '@/testing/fixtures';
import { operator, renderApp, viewer } from '@/testing/render';

function historyApi(me: object) {
  const comments: { id: number; author: string; text: string; created: string }[] = [
    { id: 1, author: 'otto', text: 'r3 noisy amp C', created: '2026-11-22T03:20:00Z' },
  ];
  return mockApi({
    'GET /api/auth/me/': me,
    'GET /api/processes/': ({ url }) => ({
      body:
        url.searchParams.get('status') === 'failed'
          ? { count: 0, next: null, previous: null, results: [] }
          : {
              count: 120,
              next: null,
              previous: null,
              results: [process, { ...process, id: 6, qa_status: 'NORMAL' }],
            },
    }),
    'GET /api/processes/7/': processDetail(),
    'GET /api/processes/7/comments/': () => ({ body: comments }),
    'POST /api/processes/7/comments/': ({ body }) => {
      const text = (body as { text: string }).text;
      comments.push({ id: 2, author: 'otto', text, created: '2026-11-22T03:30:00Z' });
      return { status: 201, body: comments[1] };
    },
    'GET /api/jobs/14/log/': { job_id: 14, camera: 'r3', next_offset: 0, lines: ['r3 log line'] },
  });
}

test('lists processes with QA marks, orders, filters and pages through the API', async () => {
  installFakeSocket(true);
  const { calls } = historyApi(viewer);
  renderApp('/processing');
  const table = await screen.findByRole('table', { name: 'Processes' });
  const alarm = await within(table).findByRole('link', { name: 'QA of process 7: ALARM' });
  expect(alarm).toHaveTextContent('✖');
  expect(alarm).toHaveAttribute('href', '/qa/7');
  expect(within(table).getByRole('link', { name: 'QA of process 6: NORMAL' })).toHaveTextContent(
    '✔',
  );
  expect(screen.getByText('Page 1 of 3 · 120 rows')).toBeInTheDocument();

  const user = userEvent.setup({ delay: null });
  const last = () =>
    calls.filter((c) => c.url.pathname === '/api/processes/').at(-1)!.url.searchParams;
  await user.click(within(table).getByRole('button', { name: /Tile/ }));
  expect(last().get('ordering')).toBe('tile');
  await user.click(within(table).getByRole('button', { name: /Tile/ }));
  expect(last().get('ordering')).toBe('-tile');
  await user.click(screen.getByRole('button', { name: /Next/ }));
  expect(last().get('page')).toBe('2');

  await user.selectOptions(screen.getByLabelText('Status'), 'failed');
  expect(last().get('status')).toBe('failed');
  expect(last().get('page')).toBe('1');
  expect(await screen.findByText('No process matches these filters.')).toBeInTheDocument();
  await user.selectOptions(screen.getByLabelText('Status'), '');
  await user.selectOptions(screen.getByLabelText('Flavor'), 'science');
  expect(last().get('flavor')).toBe('science');
});

test('viewers read comments and logs; they cannot write', async () => {
  installFakeSocket(true);
  historyApi(viewer);
  renderApp('/processing');
  const user = userEvent.setup({ delay: null });
  const [open] = await screen.findAllByRole('button', { name: 'Comments & logs' });
  await user.click(open!);
  expect(await screen.findByText('r3 noisy amp C')).toBeInTheDocument();
  expect(screen.queryByPlaceholderText('Add a comment')).not.toBeInTheDocument();
  const cameras = await screen.findByRole('group', { name: 'Camera logs' });
  await user.click(within(cameras).getByRole('button', { name: 'r3' }));
  expect(await screen.findByLabelText('log of r3')).toHaveTextContent('r3 log line');
});

test('operators write comments', async () => {
  installFakeSocket(true);
  const { calls } = historyApi(operator);
  renderApp('/processing');
  const user = userEvent.setup({ delay: null });
  const [open] = await screen.findAllByRole('button', { name: 'Comments & logs' });
  await user.click(open!);
  await user.type(await screen.findByPlaceholderText('Add a comment'), 'rerun after fix');
  await user.click(screen.getByRole('button', { name: 'Comment' }));
  expect(await screen.findByText('rerun after fix')).toBeInTheDocument();
  expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ text: 'rerun after fix' });
});

test('orders by the observation: date and time, RA, Dec and exposure time', async () => {
  installFakeSocket(true);
  const observed = { dateobs: '2026-11-22T03:00:00Z', ra: 35.79, dec: -8.29, exptime: 1000 };
  const { calls } = mockApi({
    'GET /api/auth/me/': viewer,
    'GET /api/processes/': {
      count: 1,
      next: null,
      previous: null,
      results: [{ ...process, ...observed }],
    },
  });
  renderApp('/processing');
  const table = await screen.findByRole('table', { name: 'Processes' });
  const row = (await within(table).findByText('35.79')).closest('tr')!;
  expect(row).toHaveTextContent('2026-11-22 03:00:00');
  expect(within(row).getByText('-8.29')).toBeInTheDocument();
  expect(within(row).getByText('1000 s')).toBeInTheDocument();

  const user = userEvent.setup({ delay: null });
  const last = () =>
    calls.filter((c) => c.url.pathname === '/api/processes/').at(-1)!.url.searchParams;
  for (const [name, field] of [
    [/Obs\. date & time/, 'dateobs'],
    [/^RA/, 'ra'],
    [/^Dec/, 'dec'],
    [/Exp\. time/, 'exptime'],
  ] as const) {
    await user.click(within(table).getByRole('button', { name }));
    expect(last().get('ordering')).toBe(field);
    await user.click(within(table).getByRole('button', { name }));
    expect(last().get('ordering')).toBe(`-${field}`);
  }
  expect(within(table).getByRole('columnheader', { name: /Exp\. time/ })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
});
