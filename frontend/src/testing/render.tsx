import { render } from '@testing-library/react';

import { App } from '@/app/App';
import { makeQueryClient } from '@/app/provider';

/** The whole app at `path`, with a fresh query cache (no retries). */
export function renderApp(path = '/') {
  const client = makeQueryClient();
  client.setDefaultOptions({ queries: { retry: false, refetchOnWindowFocus: false } });
  return render(<App client={client} initialPath={path} />);
}

export const operator = { username: 'otto', roles: ['viewer', 'operator'] };
export const viewer = { username: 'vera', roles: ['viewer'] };
