import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { installFakeSocket, mockApi } from '@/testing/api-mock';
import { exposure } from '@/testing/fixtures';
import { operator, renderApp, viewer } from '@/testing/render';

function observingApi(me: object) {
  return mockApi({
    'GET /api/auth/me/': me,
    'GET /api/exposures/': { count: 1, next: null, previous: null, results: [exposure] },
    'POST /api/pipeline/reprocess/': { queued: 3 },
  });
}

test('exposures with their latest QA; operators queue one again', async () => {
  installFakeSocket(true);
  const { calls } = observingApi(operator);
  renderApp('/observing');
  const table = await screen.findByRole('table', { name: 'Exposures' });
  const row = (await within(table).findByRole('link', { name: 'QA of exposure 3: ALARM' })).closest(
    'tr',
  )!;
  expect(row).toHaveTextContent('35.787');
  expect(row).toHaveTextContent('-8.293');
  expect(row).toHaveTextContent('2026-11-22 03:00:00');
  const user = userEvent.setup({ delay: null });
  await user.click(within(table).getByRole('button', { name: /RA/ }));
  expect(calls.at(-1)!.url.searchParams.get('ordering')).toBe('ra');
  await user.type(screen.getByLabelText('From'), '2026-11-20');
  expect(calls.at(-1)!.url.searchParams.get('night_from')).toBe('2026-11-20');

  await user.click(within(table).getByRole('button', { name: 'Reprocess' }));
  expect(await screen.findByText('Exposure 3 queued for processing.')).toBeInTheDocument();
  expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ expid: 3 });
});

test('viewers have no Reprocess action', async () => {
  installFakeSocket(true);
  observingApi(viewer);
  renderApp('/observing');
  await screen.findByRole('link', { name: 'QA of exposure 3: ALARM' });
  expect(screen.queryByRole('button', { name: 'Reprocess' })).not.toBeInTheDocument();
});
