import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';

import { processDetail } from '@/testing/fixtures';

import { CurrentExposure } from './CurrentExposure';

function renderExposure(readout_to_qa_s: number | null) {
  render(
    <MemoryRouter>
      <CurrentExposure process={processDetail({ readout_to_qa_s, budget_s: 20 })} live />
    </MemoryRouter>,
  );
  return screen.getByRole('region', { name: 'Current exposure' });
}

test('readout to QA is the backend measure, marked when over its budget', () => {
  const panel = renderExposure(31.5);
  const value = screen.getByText(/31\.5 s/);
  expect(value).toHaveTextContent('(over budget)');
  expect(value).toHaveClass('error');
  expect(panel).not.toHaveTextContent('min');
});

test('an unknown readout to QA (a reprocess) is shown plainly', () => {
  const panel = renderExposure(null);
  expect(panel).not.toHaveTextContent('over budget');
  expect(panel.querySelector('dd.error')).toBeNull();
});
