import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { installFakeSocket, mockApi } from '@/testing/api-mock';
import { mapping } from '@/testing/fixtures';
import { renderApp, viewer } from '@/testing/render';

const NIGHTS = [20261101, 20261102, 20261103, 20261104, 20261105, 20261106];

function driftApi() {
  return mockApi({
    'GET /api/auth/me/': viewer,
    'GET /api/ql-mapping/': mapping,
    'GET /api/nights/': {
      count: 1,
      next: null,
      previous: null,
      results: [{ night: 20261106, exposures: 4, science: 3, warning: 0, alarm: 0 }],
    },
    'GET /api/drift/': ({ url }) => ({
      body: {
        night: 20261106,
        flavor: '',
        config: { window: Number(url.searchParams.get('window')), k_step: 6, z_drift: 3 },
        judged: url.searchParams.get('camera') === 'b0' ? 4 : 12,
        flags:
          url.searchParams.get('camera') === 'b0'
            ? []
            : [
                { key: 'BIAS_AMP', camera: 'r3', index: 'C', kinds: ['step'], value: 1208.2,
                  median: 1200.1, sigma: 0.4, band: [1197.7, 1202.5], deviation: 20.3,
                  slope_per_night: 0.1, change: 0.5, drift_z: 0.9, nights: NIGHTS,
                  values: [1200, 1200.2, 1199.9, 1200.1, 1200, 1208.2] },
              ], // prettier-ignore
      },
    }),
  });
}

test('lists the flagged elements with their baseline sparkline and filters', async () => {
  installFakeSocket(true);
  const { calls } = driftApi();
  renderApp('/drift');
  const table = await screen.findByRole('table', { name: 'Drift flags' });
  const row = within(table).getByRole('row', { name: /BIAS_AMP r3 C step/ });
  expect(row).toHaveTextContent('1208.200');
  expect(row).toHaveTextContent('20.3');
  expect(within(row).getByRole('img', { name: 'BIAS_AMP r3 C: 6 nights' })).toBeInTheDocument();
  expect(screen.getByText(/1 of 12 metric elements flagged on 2026-11-06/)).toBeInTheDocument();
  const last = () => calls.filter((c) => c.url.pathname === '/api/drift/').at(-1)!.url.searchParams;
  expect(last().get('night')).toBe('20261106');
  expect(last().get('window')).toBe('10');

  const user = userEvent.setup({ delay: null });
  await user.selectOptions(screen.getByLabelText('Camera'), 'b0');
  expect(await screen.findByText(/0 of 4 metric elements flagged/)).toBeInTheDocument();
  expect(screen.queryByRole('table', { name: 'Drift flags' })).not.toBeInTheDocument();
  await user.selectOptions(screen.getByLabelText('Metric'), 'NOISE_AMP');
  await user.selectOptions(screen.getByLabelText('Baseline nights'), '20');
  expect(last().get('metric')).toBe('NOISE_AMP');
  expect(last().get('camera')).toBe('b0');
  expect(last().get('window')).toBe('20');
});
