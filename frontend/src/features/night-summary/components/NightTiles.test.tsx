import { render, screen, within } from '@testing-library/react';

import { NightTiles } from './NightTiles';

test("the night's tiles: time added tonight and completeness at the night's end", () => {
  render(
    <NightTiles
      tiles={[
        {
          tile: 7,
          program: 'DARK',
          exposures: 2,
          tonight: 400,
          efftime: 950,
          goal: 1000,
          fraction: 0.95,
        },
      ]}
    />,
  );
  const table = screen.getByRole('table', { name: 'Effective time per tile of the night' });
  const row = within(table).getAllByRole('row')[1]!;
  expect(row).toHaveTextContent('400 s');
  expect(within(row).getByLabelText('Tile 7 completeness')).toHaveTextContent(
    '950 s of 1000 s (95 %)',
  );
});

test('a night without science on a tile says so', () => {
  render(<NightTiles tiles={[]} />);
  expect(screen.getByText('No science exposure on a tile this night.')).toBeInTheDocument();
  expect(screen.queryByRole('table')).toBeNull();
});
