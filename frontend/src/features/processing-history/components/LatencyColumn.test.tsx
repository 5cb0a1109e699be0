import { screen, within } from '@testing-library/react';

import { installFakeSocket, mockApi } from '@/testing/api-mock';
import { process } from '@/testing/fixtures';
import { renderApp, viewer } from '@/testing/render';

test('Processing History shows readout to QA, red over its budget', async () => {
  installFakeSocket(true);
  mockApi({
    'GET /api/auth/me/': viewer,
    'GET /api/processes/': {
      count: 3,
      next: null,
      previous: null,
      results: [
        { ...process, id: 9, readout_to_qa_s: null, budget_s: 20 },
        { ...process, id: 8, readout_to_qa_s: 31.5, budget_s: 20 },
        { ...process, id: 7, readout_to_qa_s: 14.2, budget_s: 20 },
      ],
    },
  });
  renderApp('/processing');
  const table = await screen.findByRole('table', { name: 'Processes' });
  expect(within(table).getByRole('columnheader', { name: 'Readout → QA' })).toBeInTheDocument();
  const late = await within(table).findByText('31.5 s');
  expect(late).toHaveClass('error');
  expect(late).toHaveAttribute('title', 'budget 20.0 s');
  expect(within(table).getByText('14.2 s')).not.toHaveClass('error');
  const reprocess = within(table).getAllByRole('row')[1]!;
  expect(within(reprocess).getAllByRole('cell').at(-2)).toHaveTextContent('—');
});
