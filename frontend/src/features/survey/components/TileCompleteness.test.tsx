import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';

import { makeQueryClient } from '@/app/provider';
import { mockApi } from '@/testing/api-mock';

import { TileCompleteness } from './TileCompleteness';

const TILES = {
  tile: [7, 8, 9],
  program: ['DARK', 'BRIGHT', 'DARK'],
  exposures: [3, 1, 1],
  measured: [3, 1, 0],
  efftime: [1100, 90, 0],
  goal: [1000, 180, 1000],
  fraction: [1.1, 0.5, 0],
  last_night: [20261121, 20261120, 20261121],
};

test('tiles least complete first, with their effective time against the goal', async () => {
  const { calls } = mockApi({ 'GET /api/survey/tiles/': TILES });
  const client = makeQueryClient();
  client.setDefaultOptions({ queries: { retry: false } });
  render(
    <QueryClientProvider client={client}>
      <TileCompleteness query={{ night_from: '', night_to: '20261121', program: '' }} />
    </QueryClientProvider>,
  );
  const table = await screen.findByRole('table', { name: 'Effective time per tile' });
  const rows = within(table).getAllByRole('row').slice(1);
  expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['9', '8', '7']);
  expect(rows[1]).toHaveTextContent('90 s of 180 s (50 %)');
  expect(rows[2]).toHaveTextContent('1100 s of 1000 s (110 %)');
  expect(screen.getByRole('region', { name: 'Tile completeness' })).toHaveTextContent(
    '1 of 3 tiles done',
  );
  // empty filters are not sent
  expect(Object.fromEntries(calls[0]!.url.searchParams)).toEqual({ night_to: '20261121' });
});
