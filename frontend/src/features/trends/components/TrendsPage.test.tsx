import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { vi } from 'vitest';

import { installFakeSocket, mockApi } from '@/testing/api-mock';
import { mapping } from '@/testing/fixtures';
import { renderApp, viewer } from '@/testing/render';

const band = (ref: number) => ({
  ref,
  normal: [ref - 1.5, ref + 1.5],
  warn: [ref - 2, ref + 2],
  expid: 12,
});

function series(camera: string, index: string, values: number[], statuses: string[], ref: number) {
  return {
    camera,
    index,
    expid: [10, 11, 12],
    night: [20261110, 20261111, 20261112],
    mjd: [61354.1, 61355.1, 61356.1],
    value: values,
    status: statuses,
    band: band(ref),
  };
}

const TREND = {
  key: 'NOISE_AMP',
  flavor: null,
  resolution: 'exposure',
  night_from: 20261101,
  night_to: 20261122,
  series: [
    series('b0', 'A', [2.9, 3.0, 6.0], ['NORMAL', 'NORMAL', 'ALARM'], 3.0),
    series('b0', 'B', [3.1, 3.1, 3.2], ['NORMAL', 'NORMAL', 'NORMAL'], 3.0),
    series('r3', 'A', [3.0, 3.2, 4.9], ['NORMAL', 'NORMAL', 'WARNING'], 3.1),
  ],
};

function trendApi(answer: (url: URL) => { status?: number; body: unknown }) {
  return mockApi({
    'GET /api/auth/me/': viewer,
    'GET /api/ql-mapping/': mapping,
    'GET /api/trends/': ({ url }) => answer(url),
  });
}

const rows = () =>
  within(screen.getByRole('table', { name: 'Series' }))
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    );

test('each series is judged against its own REF: Δ from REF on one set of bands', async () => {
  installFakeSocket(true);
  const { calls } = trendApi(() => ({ body: TREND }));
  renderApp('/trends?cameras=b0,r3&from=2026-11-01&to=2026-11-22');
  await screen.findByRole('table', { name: 'Series' });
  const asked = calls.find((c) => c.url.pathname === '/api/trends/')!.url.searchParams;
  expect(asked.get('key')).toBe('NOISE_AMP'); // the first metric of the mapping
  expect(asked.get('cameras')).toBe('b0,r3');
  expect(asked.get('night_from')).toBe('2026-11-01');

  expect(screen.getAllByRole('rowheader').map((h) => h.textContent?.trim())).toEqual([
    'b0 A',
    'b0 B',
    'r3 A',
  ]);
  // points, last, min, max (the values, whatever the axis), REF, NORMAL range, WARNING, ALARM
  expect(rows()).toEqual([
    ['3', '6', '2.9', '6', '3', '1.5 – 4.5', '0', '1'],
    ['3', '3.2', '3.1', '3.2', '3', '1.5 – 4.5', '0', '0'],
    ['3', '4.9', '3', '4.9', '3.1', '1.6 – 4.6', '1', '0'],
  ]);
  // r3 A has its own REF (3.1): nobody is painted with b0 A's bands (issue 16); every series
  // is drawn as its distance from its REF, and the ranges around REF agree: one set of bands.
  expect(screen.getByLabelText('Axis')).toHaveValue('auto');
  expect(screen.getByLabelText('Bands')).toHaveTextContent(
    'distance from its own REF (table below); bands: REF 0 · NORMAL -1.5 – 1.5 · WARNING -2 – 2 · ALARM beyond',
  );
  const chart = screen.getByRole('img', { name: 'NOISE_AMP over time' });
  expect(chart).toHaveAttribute('data-points', '9');
  expect(screen.getByText('9 points: 1 WARNING, 1 ALARM.')).toBeInTheDocument();

  // The values themselves: no common bands, since the REFs differ.
  const user = userEvent.setup({ delay: null });
  await user.selectOptions(screen.getByLabelText('Axis'), 'values');
  expect(screen.getByLabelText('Bands')).toHaveTextContent(
    'The series have different thresholds: no bands drawn',
  );

  // Elements: only amp A.
  await user.click(
    within(screen.getByRole('group', { name: 'Elements' })).getByRole('button', { name: 'A' }),
  );
  expect(screen.getAllByRole('rowheader').map((h) => h.textContent?.trim())).toEqual([
    'b0 A',
    'r3 A',
  ]);
});

test('one camera whose series share their thresholds: values on their bands', async () => {
  installFakeSocket(true);
  trendApi(() => ({ body: { ...TREND, series: TREND.series.slice(0, 2) } }));
  renderApp('/trends?cameras=b0');
  expect(await screen.findByLabelText('Bands')).toHaveTextContent(
    'Bands (every series): REF 3 · NORMAL 1.5 – 4.5 · WARNING 1 – 5 · ALARM beyond',
  );
  expect(screen.getByText('6 points: 1 ALARM.')).toBeInTheDocument();
});

test('reads the points from the keyboard and asks again when the cameras change', async () => {
  installFakeSocket(true);
  const { calls } = trendApi(() => ({ body: TREND }));
  renderApp('/trends?cameras=b0');
  const chart = await screen.findByRole('group', { name: /NOISE_AMP over time/ });
  fireEvent.keyDown(chart, { key: 'ArrowRight' });
  // Points in time order: the first is exposure 10 of the first series.
  expect(
    await screen.findByText(/b0 A, exposure 10, night 2026-11-10, 2.9 \(REF 3 − 0.1\) · NORMAL/),
  ).toBeInTheDocument();
  fireEvent.keyDown(chart, { key: 'End' });
  expect(
    await screen.findByText(
      /r3 A, exposure 12, night 2026-11-12, 4.9 \(REF 3.1 \+ 1.8\) · WARNING/,
    ),
  ).toBeInTheDocument();

  const user = userEvent.setup({ delay: null });
  await user.click(screen.getByRole('button', { name: 'z9' }));
  const last = () =>
    calls.filter((c) => c.url.pathname === '/api/trends/').at(-1)!.url.searchParams;
  expect(last().get('cameras')).toBe('b0,z9');
  await user.click(screen.getByRole('button', { name: 'all r' }));
  expect(last().get('cameras')?.split(',')).toHaveLength(12);
});

test('says when there is no value, and shows the error of a bad request', async () => {
  installFakeSocket(true);
  trendApi((url) =>
    url.searchParams.get('resolution') === 'night'
      ? {
          status: 400,
          body: { detail: 'night_from: must not be after night_to', field: 'night_from' },
        }
      : { body: { ...TREND, series: [] } },
  );
  renderApp('/trends?cameras=b0&from=2026-11-01&to=2026-11-05');
  expect(
    await screen.findByText(
      'No value of NOISE_AMP for these cameras between 2026-11-01 and 2026-11-05.',
    ),
  ).toBeInTheDocument();
  const user = userEvent.setup({ delay: null });
  await user.selectOptions(screen.getByLabelText('Points'), 'night');
  expect(await screen.findByRole('alert')).toHaveTextContent(
    'night_from: must not be after night_to',
  );
});

test('shows that it is loading', async () => {
  installFakeSocket(true);
  trendApi(() => ({ body: TREND }));
  const answered = globalThis.fetch;
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) =>
    String(input).includes('/api/trends/') ? new Promise(() => {}) : answered(input, init),
  );
  renderApp('/trends');
  expect(await screen.findByText('Loading the trend…')).toBeInTheDocument();
});
