import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { installFakeSocket, mockApi } from '@/testing/api-mock';
import { process } from '@/testing/fixtures';
import { renderApp, viewer } from '@/testing/render';

const side = (id: number, version: string) => ({
  id, status: 'done', qa_status: 'ALARM', started: null, ended: null,
  pipeline_version: version, spec_version: '2026-01-01',
}); // prettier-ignore

function compareApi() {
  return mockApi({
    'GET /api/auth/me/': viewer,
    'GET /api/processes/': ({ url }) => ({
      body: {
        count: url.searchParams.get('expid') === '3' ? 2 : 1,
        next: null,
        previous: null,
        results:
          url.searchParams.get('expid') === '3'
            ? [{ ...process, id: 9 }, process]
            : [{ ...process, id: 5, expid: 4 }],
      },
    }),
    'GET /api/processes/compare/': ({ url }) => ({
      body: {
        expid: 3,
        a: side(Number(url.searchParams.get('a')), '0.1.0'),
        b: { ...side(Number(url.searchParams.get('b')), '0.2.0'), spec_version: '2026-11-20+db3' },
        rows: [
          { camera: 'r3', step: 'CHECK_CCDs', key: 'NOISE_AMP', index: 'C', value_a: 5.2,
            value_b: 3.1, difference: -2.1, status_a: 'ALARM', status_b: 'NORMAL',
            status_changed: true, changed: true },
          { camera: 'b0', step: 'CHECK_CCDs', key: 'NOISE_AMP', index: 'A', value_a: 3.0,
            value_b: 3.0, difference: 0, status_a: 'NORMAL', status_b: 'NORMAL',
            status_changed: false, changed: false },
        ],
        counts: { elements: 2, changed: 1, status_changed: 1 },
      },
    }), // prettier-ignore
  });
}

test('compares the two latest processes of an exposure, changed rows only by default', async () => {
  installFakeSocket(true);
  const { calls } = compareApi();
  renderApp('/compare');
  expect(
    await screen.findByText('Choose an exposure that was processed more than once.'),
  ).toBeVisible();
  const user = userEvent.setup({ delay: null });
  await user.type(screen.getByLabelText('Exposure'), '3');
  await user.click(screen.getByRole('button', { name: 'Show processes' }));

  const table = await screen.findByRole('table', { name: 'Metric comparison' });
  const compared = calls.find((c) => c.url.pathname === '/api/processes/compare/')!.url;
  expect([compared.searchParams.get('a'), compared.searchParams.get('b')]).toEqual(['7', '9']);
  expect(screen.getByLabelText('Versions of process B')).toHaveTextContent(
    'thresholds 2026-11-20+db3',
  );
  expect(screen.getByText(/1 of 2 metric elements changed \(1 changed status\)/)).toBeVisible();
  const rows = within(table).getAllByRole('row').slice(1);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toHaveTextContent('r3CHECK_CCDsNOISE_AMPC5.2003.100-2.100ALARM → NORMAL');
  expect(rows[0]).toHaveClass('changed');

  await user.click(screen.getByLabelText('Changed only'));
  expect(within(table).getAllByRole('row')).toHaveLength(3);

  await user.selectOptions(screen.getByLabelText('Process A'), '9');
  expect(await screen.findByText('Choose two different processes.')).toBeVisible();
});

test('an exposure processed once cannot be compared', async () => {
  installFakeSocket(true);
  compareApi();
  renderApp('/compare?expid=4');
  expect(
    await screen.findByText('Exposure 4 has 1 process: reprocess it to compare.'),
  ).toBeVisible();
  expect(screen.queryByRole('table', { name: 'Metric comparison' })).not.toBeInTheDocument();
});
