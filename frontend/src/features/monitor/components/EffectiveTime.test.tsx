import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';

import { makeQueryClient } from '@/app/provider';
import { mockApi } from '@/testing/api-mock';
import { exposure, processDetail } from '@/testing/fixtures';

import { EffectiveTime } from './EffectiveTime';

const TILE = {
  tile: 1042,
  program: 'DARK',
  exposures: 2,
  measured: 2,
  efftime: 1250,
  goal: 1000,
  fraction: 1.25,
  last_night: 20261121,
};

function renderPanel(process = processDetail()) {
  const client = makeQueryClient();
  client.setDefaultOptions({ queries: { retry: false } });
  return render(
    <QueryClientProvider client={client}>
      <EffectiveTime process={process} pollMs={false} />
    </QueryClientProvider>,
  );
}

test("this exposure's effective time against its requested time, per petal, and the tile", async () => {
  const { calls } = mockApi({
    'GET /api/exposures/3/efftime/': {
      expid: 3,
      program: 'DARK',
      exptime: 1000,
      efftime: 650,
      efftime_goal_units: 650,
      cameras: { b0: 700, r0: 600 },
      petals: { '0': 650 },
      tile: TILE,
    },
  });
  renderPanel();
  await waitFor(() =>
    expect(screen.getByLabelText('Exposure effective time')).toHaveTextContent(
      '650 s of 1000 s (65 %)',
    ),
  );
  expect(screen.getByLabelText('Effective time per petal')).toHaveTextContent('0 650 s');
  const tile = screen.getByLabelText('Tile progress');
  expect(tile).toHaveTextContent('1250 s of 1000 s (125 %)');
  expect(tile.querySelector('meter')).toHaveAttribute('value', '1');
  expect(calls.map((c) => c.url.pathname)).toEqual(['/api/exposures/3/efftime/']);
});

test('before any camera measured it the panel says so, and calibrations have none', async () => {
  const { calls } = mockApi({});
  renderPanel();
  expect(await screen.findByText('No effective time yet.')).toBeInTheDocument();
  expect(screen.getByLabelText('Exposure effective time')).toHaveTextContent('—');
  calls.length = 0;
  const arc = processDetail({ exposure: { ...exposure, flavor: 'arc' } });
  const { container } = renderPanel(arc);
  expect(container).toBeEmptyDOMElement();
  expect(calls).toHaveLength(0);
});
