import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';

import { makeQueryClient } from '@/app/provider';
import { mockApi } from '@/testing/api-mock';

import { NightTiles } from './NightTiles';

const columns = (efftime: number, fraction: number) => ({
  tile: [7],
  program: ['DARK'],
  exposures: [2],
  measured: [2],
  efftime: [efftime],
  goal: [1000],
  fraction: [fraction],
  last_night: [20261121],
});

test("the night's tiles: time added tonight and completeness at the night's end", async () => {
  mockApi({
    'GET /api/survey/tiles/': ({ url }) => ({
      // tonight only (night_from = night_to), else everything through the night
      body: url.searchParams.get('night_from') ? columns(400, 0.4) : columns(950, 0.95),
    }),
  });
  const client = makeQueryClient();
  client.setDefaultOptions({ queries: { retry: false } });
  render(
    <QueryClientProvider client={client}>
      <NightTiles night={20261121} />
    </QueryClientProvider>,
  );
  const table = await screen.findByRole('table', { name: 'Effective time per tile of the night' });
  const row = within(table).getAllByRole('row')[1]!;
  expect(row).toHaveTextContent('400 s');
  expect(await within(row).findByLabelText('Tile 7 completeness')).toHaveTextContent(
    '950 s of 1000 s (95 %)',
  );
});
