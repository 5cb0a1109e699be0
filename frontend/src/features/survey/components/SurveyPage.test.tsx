import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { installFakeSocket, mockApi } from '@/testing/api-mock';
import { renderApp, viewer } from '@/testing/render';

const SURVEY = {
  tile: [7, 8, 9, 10],
  ra: [150.0, 10.0, 300.0, 200.0],
  dec: [2.0, -20.0, 45.0, 0.0],
  exposures: [2, 1, 3, 1],
  first_night: [20261120, 20261121, 20261119, 20261121],
  last_night: [20261121, 20261121, 20261121, 20261121],
  qa_status: ['WARNING', 'NORMAL', 'ALARM', ''],
  counts: { flavor: { science: 7, zero: 2, flat: 1 }, program: { DARK: 4, BRIGHT: 3, '': 3 } },
};
const EMPTY = {
  tile: [],
  ra: [],
  dec: [],
  exposures: [],
  first_night: [],
  last_night: [],
  qa_status: [],
  counts: { flavor: {}, program: {} },
};

test('draws the tiles by QA status with counts per flavor and program', async () => {
  installFakeSocket(true);
  const { calls } = mockApi({
    'GET /api/auth/me/': viewer,
    'GET /api/survey/': ({ url }) => ({
      body: url.searchParams.get('program') === 'GRAY' ? EMPTY : SURVEY,
    }),
  });
  renderApp('/survey');
  const map = await screen.findByRole('img', {
    name: '4 tiles on the sky, RA increasing to the left',
  });
  const status = (tile: number) =>
    map.querySelector(`[data-tile="${tile}"]`)?.getAttribute('data-status');
  expect([7, 8, 9, 10].map(status)).toEqual(['WARNING', 'NORMAL', 'ALARM', 'UNKNOWN']);
  // Shapes as well as colours: a cross for ALARM, a triangle for WARNING.
  expect(map.querySelector('[data-tile="9"] .marker-alarm')).not.toBeNull();
  expect(map.querySelector('[data-tile="7"] .marker-warning')).not.toBeNull();
  // RA increases to the left: tile 10 (RA 200) is left of tile 7 (RA 150), tile 8 (RA 10) far right.
  const x = (tile: number) =>
    Number(
      map.querySelector(`[data-tile="${tile}"] .marker`)!.getAttribute('d')?.split(' ')[1] ??
        map.querySelector(`[data-tile="${tile}"] circle`)!.getAttribute('cx'),
    );
  expect(x(10)).toBeLessThan(x(7));
  expect(x(7)).toBeLessThan(x(8));

  const legend = screen.getByRole('list', { name: 'Tiles by QA status' });
  expect(legend).toHaveTextContent('● NORMAL: 1▲ WARNING: 1✖ ALARM: 1? no grade: 1');
  const flavors = screen.getByRole('table', { name: 'Exposures per flavor' });
  expect(
    within(flavors)
      .getAllByRole('row')
      .map((r) => r.textContent),
  ).toEqual(['science7', 'zero2', 'flat1', 'total10']);
  const programs = screen.getByRole('table', { name: 'Exposures per program' });
  expect(
    within(programs)
      .getAllByRole('row')
      .map((r) => r.textContent),
  ).toEqual(['DARK4', 'BRIGHT3', 'none3', 'total10']);
  const attention = screen.getByRole('table', { name: 'Tiles with WARNING or ALARM' });
  expect(
    within(attention)
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.textContent),
  ).toEqual(['9✖ ALARM30045', '7▲ WARNING1502']);

  fireEvent.keyDown(screen.getByRole('group', { name: /Tiles on the sky/ }), { key: 'ArrowRight' });
  // Tiles in RA order: the first is tile 8.
  expect(
    await screen.findByText('Tile 8, RA 10°, Dec -20°, 1 exposure, 2026-11-21, QA NORMAL'),
  ).toBeInTheDocument();

  const user = userEvent.setup({ delay: null });
  await user.selectOptions(screen.getByLabelText('Program'), 'GRAY');
  expect(await screen.findByText('No tile observed with these filters.')).toBeInTheDocument();
  expect(calls.at(-1)!.url.searchParams.get('program')).toBe('GRAY');
});

test('says what went wrong', async () => {
  installFakeSocket(true);
  mockApi({
    'GET /api/auth/me/': viewer,
    'GET /api/survey/': () => ({
      status: 400,
      body: { detail: 'night_from: must not be after night_to' },
    }),
  });
  renderApp('/survey?from=2026-11-30&to=2026-11-01');
  expect(await screen.findByRole('alert')).toHaveTextContent('must not be after night_to');
});
