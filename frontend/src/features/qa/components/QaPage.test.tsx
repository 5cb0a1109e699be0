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
  const r3 = await screen.findByRole('button', { name: /^r3 ALARM/ });
  expect(r3).toHaveClass('qa-alarm');
  // the reason, in words: value against REF and the range it left
  expect(r3).toHaveAccessibleName(
    'r3 ALARM: NOISE_AMP ALARM: C 12.570 is +9.470 from REF 3.100, outside WARNING -2 … 2',
  );
  expect(screen.getByRole('button', { name: /^b5 WARNING/ })).toHaveClass('qa-warning');
  expect(screen.getAllByRole('button', { name: /^[brz]\d NORMAL$/ })).toHaveLength(28);
  expect(calls.some((c) => c.url.pathname === '/api/ql-mapping/')).toBe(true);

  const user = userEvent.setup({ delay: null });
  await user.hover(screen.getByRole('button', { name: /^b5 WARNING/ }));
  const hovered = screen.getByRole('region', { name: 'Hovered camera' });
  expect(within(hovered).getByRole('heading', { name: /^b5/ })).toHaveTextContent('▲ WARNING');
  expect(hovered).toHaveTextContent('Noise AMP');
  expect(hovered).toHaveTextContent('outside NORMAL -1.500 … 1.500');
  expect(within(hovered).queryByRole('table')).not.toBeInTheDocument(); // the table: once, below

  await user.click(screen.getByRole('button', { name: /^r3 ALARM/ }));
  const camera = await screen.findByRole('region', { name: 'Camera r3' });
  const metrics = within(camera).getByRole('table', { name: 'Metrics of CHECK_CCDs' });
  expect(within(metrics).getByText('12.570').closest('.element')).toHaveClass('qa-alarm');
  expect(within(metrics).getByText('-1.500 … 1.500')).toBeInTheDocument();
  expect(within(camera).getAllByRole('table')).toHaveLength(2); // one per step with QA, once
  // Its plots side by side: the worst metrics first and the CCD image.
  expect(within(camera).getByRole('checkbox', { name: /Noise AMP/ })).toBeChecked();
  expect(within(camera).getByRole('checkbox', { name: /CCD image/ })).toBeChecked();
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

test('an UNKNOWN metric shows its reason on the petal, the hover panel and the table', async () => {
  installFakeSocket(true);
  const qa = processQa();
  const z9 = qa.cameras.find((c) => c.camera === 'z9')!;
  z9.status = 'UNKNOWN';
  z9.steps.CHECK_CCDs.status = 'UNKNOWN';
  Object.assign(z9.steps.CHECK_CCDs.metrics[0]!, {
    status: 'UNKNOWN',
    reason: 'amp D has no overscan pixels',
  });
  mockApi({
    'GET /api/auth/me/': viewer,
    'GET /api/processes/7/': processDetail(),
    'GET /api/processes/7/qa/': qa,
    'GET /api/ql-mapping/': mapping,
  });
  renderApp('/qa/7');
  const petal = await screen.findByRole('button', { name: /^z9 UNKNOWN/ });
  expect(petal).toHaveClass('qa-unknown');
  expect(petal).toHaveAccessibleName('z9 UNKNOWN: NOISE_AMP UNKNOWN: amp D has no overscan pixels');
  const user = userEvent.setup({ delay: null });
  await user.click(petal);
  const camera = await screen.findByRole('region', { name: 'Camera z9' });
  const metrics = within(camera).getByRole('table', { name: 'Metrics of CHECK_CCDs' });
  expect(within(metrics).getByRole('img', { name: /UNKNOWN: amp D/ })).toHaveTextContent('?');
  expect(metrics).toHaveTextContent('amp D has no overscan pixels');
});
