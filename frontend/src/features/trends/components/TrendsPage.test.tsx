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

test('draws each series with its values, statuses and the WARNING / ALARM bands', async () => {
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
  // points, last, min, max, WARNING, ALARM
  expect(rows()).toEqual([
    ['3', '6', '2.9', '6', '0', '1'],
    ['3', '3.2', '3.1', '3.2', '0', '0'],
    ['3', '4.9', '3', '4.9', '1', '0'],
  ]);
  expect(document.querySelectorAll('.chart-points .marker')).toHaveLength(9);
  expect(document.querySelectorAll('.marker-alarm')).toHaveLength(1);
  expect(document.querySelectorAll('.marker-warning')).toHaveLength(1);

  // Bands of the first series (b0 A): REF 3, NORMAL 1.5 – 4.5, WARNING 1 – 5, ALARM beyond.
  expect(screen.getByLabelText('Bands')).toHaveTextContent(
    'Bands of b0 A: REF 3 · NORMAL 1.5 – 4.5 · WARNING 1 – 5 · ALARM beyond',
  );
  const zone = (kind: string, from: number) => {
    const g = document.querySelector(`.band-${kind}[data-from="${from}"]`)!;
    const rect = g.querySelector('rect')!;
    return { top: Number(rect.getAttribute('y')), height: Number(rect.getAttribute('height')) };
  };
  const warnHigh = zone('warning', 4.5);
  const normal = zone('normal', 1.5);
  const warnLow = zone('warning', 1);
  const alarmHigh = zone('alarm', 5);
  // SVG y grows downwards: ALARM above WARNING above NORMAL above WARNING, edges touching.
  expect(alarmHigh.top + alarmHigh.height).toBeCloseTo(warnHigh.top, 5);
  expect(warnHigh.top + warnHigh.height).toBeCloseTo(normal.top, 5);
  expect(normal.top + normal.height).toBeCloseTo(warnLow.top, 5);
  expect(normal.height).toBeCloseTo(warnHigh.height * 6, 5); // 3.0 wide against 0.5
  expect(screen.getAllByText('WARNING', { selector: '.band text' })).toHaveLength(2);

  // The series whose bands are drawn stands out (the bands differ between series).
  const strong = () =>
    [...document.querySelectorAll('.series-line.strong')].map((l) => l.getAttribute('stroke'));
  expect(strong()).toEqual(['#56b4e9']); // b0 A, the first colour

  const user = userEvent.setup({ delay: null });
  await user.selectOptions(screen.getByLabelText('Bands of'), 'r3-A');
  expect(screen.getByLabelText('Bands')).toHaveTextContent('Bands of r3 A: REF 3.1');
  expect(strong()).toEqual(['#cc79a7']); // r3 A, the third
  expect(document.querySelector('.band-warning[data-from="4.6"]')).not.toBeNull();

  // Elements: only amp A.
  await user.click(
    within(screen.getByRole('group', { name: 'Elements' })).getByRole('button', { name: 'A' }),
  );
  expect(screen.getAllByRole('rowheader').map((h) => h.textContent?.trim())).toEqual([
    'b0 A',
    'r3 A',
  ]);
});

test('reads the points from the keyboard and asks again when the cameras change', async () => {
  installFakeSocket(true);
  const { calls } = trendApi(() => ({ body: TREND }));
  renderApp('/trends?cameras=b0');
  const chart = await screen.findByRole('group', { name: /NOISE_AMP over time/ });
  fireEvent.keyDown(chart, { key: 'ArrowRight' });
  // Points in time order: the first is exposure 10 of the first series.
  expect(
    await screen.findByText(/b0 A, exposure 10, night 2026-11-10, 2.9 · NORMAL/),
  ).toBeInTheDocument();
  fireEvent.keyDown(chart, { key: 'End' });
  expect(
    await screen.findByText(/exposure 12, night 2026-11-12, 4.9 · WARNING/),
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
