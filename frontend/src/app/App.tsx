import type { QueryClient } from '@tanstack/react-query';

import { AppProvider } from './provider';
import { AppRouter } from './router';

export function App({ client, initialPath }: { client?: QueryClient; initialPath?: string }) {
  return (
    <AppProvider client={client}>
      <AppRouter initialPath={initialPath} />
    </AppProvider>
  );
}
