import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { installFakeSocket, mockApi } from '@/testing/api-mock';
import { exposure } from '@/testing/fixtures';
import { operator, renderApp } from '@/testing/render';

test('an operator reprocesses an exposure with a chosen threshold version', async () => {
  installFakeSocket(true);
  const { calls } = mockApi({
    'GET /api/auth/me/': operator,
    'GET /api/exposures/': { count: 1, next: null, previous: null, results: [exposure] },
    'GET /api/thresholds/': [
      { version: '2026-11-20+db1', effective_night: 20261120, source: 'database' },
      { version: '2026-01-01', effective_night: 20260101, source: 'file' },
    ],
    'POST /api/pipeline/reprocess/': { queued: 3 },
  });
  renderApp('/observing');
  const table = await screen.findByRole('table', { name: 'Exposures' });
  const picker = screen.getByLabelText('Reprocess with thresholds');
  await within(picker).findByRole('option', { name: '2026-01-01' });
  const user = userEvent.setup({ delay: null });
  await user.selectOptions(picker, '2026-01-01');
  await user.click(within(table).getByRole('button', { name: 'Reprocess' }));
  expect(
    await screen.findByText('Exposure 3 queued for processing with thresholds 2026-01-01.'),
  ).toBeInTheDocument();
  expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
    expid: 3,
    spec_version: '2026-01-01',
  });
});
