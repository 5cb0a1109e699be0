import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { installFakeSocket, mockApi } from '@/testing/api-mock';
import { mapping, process, processDetail, processQa } from '@/testing/fixtures';
import { renderApp, viewer } from '@/testing/render';

function qaApi() {
  return mockApi({
    'GET /api/auth/me/': viewer,
    'GET /api/processes/7/': processDetail(),
    'GET /api/processes/7/qa/': processQa(),
    'GET /api/ql-mapping/': mapping,
    'GET /api/processes/': { count: 1, next: null, previous: null, results: [process] },
  });
}

test('the focal plane colours each petal by arm; hover shows metrics, click drills down', async () => {
  installFakeSocket(true);
  const { calls } = qaApi();
  renderApp('/qa/7');
  const facts = await screen.findByLabelText('Exposure');
  expect(facts).toHaveTextContent('61366.12500');
  expect(facts).toHaveTextContent('DARK');
  expect(await screen.findByRole('button', { name: 'r3 ALARM' })).toHaveClass('qa-alarm');
  expect(screen.getByRole('button', { name: 'b5 WARNING' })).toHaveClass('qa-warning');
  expect(screen.getAllByRole('button', { name: /^[brz]\d NORMAL$/ })).toHaveLength(28);
  expect(calls.some((c) => c.url.pathname === '/api/ql-mapping/')).toBe(true);

  const user = userEvent.setup({ delay: null });
  await user.hover(screen.getByRole('button', { name: 'b5 WARNING' }));
  const hovered = screen.getByRole('region', { name: 'Hovered camera' });
  expect(within(hovered).getByRole('heading', { name: 'b5' })).toBeInTheDocument();
  expect(hovered).toHaveTextContent('Noise AMP');

  await user.click(screen.getByRole('button', { name: 'r3 ALARM' }));
  const camera = await screen.findByRole('region', { name: 'Camera r3' });
  const metrics = within(camera).getByRole('table', { name: 'Metrics of CHECK_CCDs' });
  expect(within(metrics).getByText('12.570').closest('.element')).toHaveClass('qa-alarm');
  expect(within(metrics).getByText('-1.500 … 1.500')).toBeInTheDocument();
  // Its plot: the worst metric first, fetched for this process and camera.
  expect(within(camera).getByLabelText('Plot')).toHaveValue('NOISE_AMP');
  await waitFor(() =>
    expect(calls.some((c) => c.url.pathname === '/api/plots/NOISE_AMP/')).toBe(true),
  );
  const plot = calls.find((c) => c.url.pathname === '/api/plots/NOISE_AMP/')!.url.searchParams;
  expect([plot.get('process'), plot.get('camera')]).toEqual(['7', 'r3']);
  expect(screen.getByLabelText('Spectrograph')).toHaveValue('3');
  expect(screen.getByLabelText('Arm')).toHaveValue('r');

  // Selectors: the step recolours the petals (CHECK_FIBERS is NORMAL everywhere) and the
  // spectrograph/arm pick the camera.
  await user.selectOptions(screen.getByLabelText('Step'), 'CHECK_FIBERS');
  expect(screen.getByRole('button', { name: 'r3 NORMAL' })).toHaveClass('qa-normal');
  await user.selectOptions(screen.getByLabelText('Arm'), 'z');
  expect(await screen.findByRole('region', { name: 'Camera z3' })).toHaveTextContent('Good fibers');
});

test('an exposure link opens the QA of its latest process', async () => {
  installFakeSocket(true);
  qaApi();
  renderApp('/qa/exposure/3');
  expect(await screen.findByRole('heading', { name: /QA of exposure 3/ })).toBeInTheDocument();
});
