import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { installFakeSocket, mockApi } from '@/testing/api-mock';
import { renderApp, viewer } from '@/testing/render';

// Seeing = 0.5 × airmass + 0.4 exactly for exposures 1–3; exposure 4 has no seeing.
const CONDITIONS = {
  night_from: 20261101,
  night_to: 20261130,
  expid: [1, 2, 3, 4],
  night: [20261110, 20261110, 20261111, 20261112],
  mjd: [61354.1, 61354.2, 61355.1, 61356.1],
  dateobs: [
    '2026-11-11T02:24:00Z',
    '2026-11-11T04:48:00Z',
    '2026-11-12T02:24:00Z',
    '2026-11-13T02:24:00Z',
  ],
  program: ['DARK', 'DARK', 'GRAY', 'BRIGHT'],
  airmass: [1.0, 1.2, 1.6, 1.1],
  seeing: [0.9, 1.0, 1.2, null],
  sky_level: [21.0, 20.8, 20.1, 19.0],
  exptime: [900, 900, 600, 300],
  moonsep: [60, 61, 62, 40],
};

function conditionsApi() {
  return mockApi({
    'GET /api/auth/me/': viewer,
    'GET /api/conditions/': ({ url }) => {
      const camera = url.searchParams.get('camera');
      if (url.searchParams.get('program') === 'BRIGHT')
        return {
          body: {
            ...CONDITIONS,
            ...Object.fromEntries(
              Object.keys(CONDITIONS)
                .slice(2)
                .map((k) => [k, []]),
            ),
          },
        };
      if (camera === 'r3') return { body: { ...CONDITIONS, sky_camera: [20.9, 20.7, 20.0, 18.9] } };
      if (camera === 'z9') return { status: 500, body: { detail: 'database unreachable' } };
      return { body: CONDITIONS };
    },
  });
}

test('plots airmass, seeing and sky level over time and fits one against another', async () => {
  installFakeSocket(true);
  const { calls } = conditionsApi();
  renderApp('/conditions?from=2026-11-01&to=2026-11-30');
  expect(await screen.findByText('4 exposures.')).toBeInTheDocument();
  const asked = calls.find((c) => c.url.pathname === '/api/conditions/')!.url.searchParams;
  expect(asked.get('night_from')).toBe('2026-11-01');
  expect(asked.get('flavor')).toBe('science');

  for (const name of [
    'Airmass over time',
    'Seeing [arcsec] over time',
    'Sky level (header SKYLEVEL) over time',
  ])
    expect(screen.getByRole('img', { name })).toBeInTheDocument();
  // Airmass: 4 points; seeing: 3 (one missing); the scatter: the 3 pairs.
  const points = (name: string) => screen.getByRole('img', { name }).dataset.points;
  expect(points('Airmass over time')).toBe('4');
  expect(points('Seeing [arcsec] over time')).toBe('3');
  expect(points('Seeing [arcsec] against Airmass')).toBe('3');
  expect(screen.getByLabelText('Fit')).toHaveTextContent(
    'Least-squares fit: seeing = 0.5 × airmass + 0.4 · r = 1.000 · N = 3',
  );

  const chart = screen.getByRole('group', { name: /Airmass over time/ });
  fireEvent.keyDown(chart, { key: 'End' });
  expect(
    await screen.findByText(/Airmass, exposure 4 BRIGHT, 2026-11-13 02:24:00, 1.1/),
  ).toBeInTheDocument();

  const user = userEvent.setup({ delay: null });
  await user.selectOptions(screen.getByLabelText('Vertical'), 'sky_level');
  expect(screen.getByLabelText('Fit')).toHaveTextContent('sky_level = ');
  expect(screen.getByLabelText('Fit')).toHaveTextContent('N = 4');
});

test('one camera: its exposures and its own sky; empty and error states', async () => {
  installFakeSocket(true);
  const { calls } = conditionsApi();
  renderApp('/conditions?camera=r3&x=sky_camera&y=sky_level');
  expect(await screen.findByText('4 exposures measured by r3.')).toBeInTheDocument();
  const asked = calls.find((c) => c.url.pathname === '/api/conditions/')!.url.searchParams;
  expect(asked.get('camera')).toBe('r3');
  expect(
    screen.getByRole('img', {
      name: "Camera's sky continuum (SKYCONT) [AB mag/arcsec²] over time",
    }),
  ).toBeInTheDocument();
  expect(screen.getByLabelText('Fit')).toHaveTextContent('sky_level = ');

  const user = userEvent.setup({ delay: null });
  await user.selectOptions(screen.getByLabelText('Program'), 'BRIGHT');
  expect(
    await screen.findByText(/No exposure between .* with these filters\./),
  ).toBeInTheDocument();
  await user.selectOptions(screen.getByLabelText('Program'), '');
  await user.selectOptions(screen.getByLabelText('Camera'), 'z9');
  expect(await screen.findByRole('alert')).toHaveTextContent('database unreachable');
});
