import type { Runbook } from '@/lib/queries/runbooks';

import { RunbookText, RunbookVersion } from './RunbookText';

/** The runbooks of a night's alarms, as the night summary and its report carry them. */
export function NightRunbooks({ runbooks }: { runbooks: Runbook[] }) {
  if (runbooks.length === 0) return null;
  return (
    <section aria-label="Runbooks of the night's alarms">
      <h2>Runbooks of the night&apos;s alarms</h2>
      {runbooks.map((r) => (
        <section key={`${r.key}-${r.scope}`} className="runbook" aria-label={`Runbook ${r.key}`}>
          <header>
            <strong>{r.key}</strong>
            {r.scope !== 'default' && <span className="runbook-scope">{r.scope}</span>}{' '}
            <RunbookVersion runbook={r} />
          </header>
          <RunbookText runbook={r} />
        </section>
      ))}
    </section>
  );
}
