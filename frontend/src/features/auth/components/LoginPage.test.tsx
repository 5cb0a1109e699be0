import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { installFakeSocket, mockApi } from '@/testing/api-mock';
import { operator, renderApp } from '@/testing/render';

beforeEach(() => installFakeSocket(true));

test('signing in shows the screens; a wrong password shows the backend message', async () => {
  document.cookie = 'csrftoken=tok123';
  const { calls } = mockApi({
    'GET /api/auth/me/': { username: null, roles: [] },
    'POST /api/auth/login/': ({ body }) =>
      (body as { password: string }).password === 'right'
        ? { body: operator }
        : { status: 401, body: { detail: 'wrong username or password', field: null } },
    'GET /api/pipeline/status/': { state: 'idle', queue: [], current: null },
    'GET /api/processes/recent/': [],
    'GET /api/ql-mapping/': {},
  });
  renderApp('/');
  const user = userEvent.setup({ delay: null });
  await user.type(await screen.findByLabelText('Username'), 'otto');
  await user.type(screen.getByLabelText('Password'), 'wrong');
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  expect(await screen.findByRole('alert')).toHaveTextContent('wrong username or password');

  await user.clear(screen.getByLabelText('Password'));
  await user.type(screen.getByLabelText('Password'), 'right');
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  expect(await screen.findByRole('navigation', { name: 'Screens' })).toBeInTheDocument();
  expect(screen.getByText('otto')).toBeInTheDocument();
  const login = calls.filter((c) => c.method === 'POST')[1]!;
  expect(login.headers.get('X-CSRFToken')).toBe('tok123');
});
