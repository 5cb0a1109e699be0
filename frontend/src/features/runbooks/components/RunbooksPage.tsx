import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';

import { RunbookPanel } from '@/components/runbooks/RunbookPanel';
import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { runbookListOptions } from '@/lib/queries/runbooks';

/** Every runbook in force, by metric key and scope; choosing one opens it (history, and
 * editing for admins). `?key=&scope=` is the choice, so a runbook can be linked. */
export function RunbooksPage() {
  const list = useQuery(runbookListOptions());
  const [params, setParams] = useSearchParams();
  const key = params.get('key');
  const scope = params.get('scope') ?? 'default';
  return (
    <div className="page">
      <h1>Alarm runbooks</h1>
      <p className="muted">
        What an ALARM and a WARNING of each metric mean, what to check first and whom to call. Shown
        with every alert, on the QA drill-down and in the night report; admins edit them (each
        change is a new version, audited).
      </p>
      <ErrorMessage error={list.error} />
      {list.isLoading && <Loading />}
      <div className="runbooks-layout">
        <table className="table" aria-label="Runbooks">
          <thead>
            <tr>
              <th>Metric</th>
              <th>Applies to</th>
              <th>Version</th>
              <th>By</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((r) => {
              const chosen = r.key === key && r.scope === scope;
              return (
                <tr key={`${r.key}-${r.scope}`} aria-selected={chosen}>
                  <th scope="row">
                    <button
                      className="btn small"
                      aria-pressed={chosen}
                      onClick={() => setParams({ key: r.key, scope: r.scope })}
                    >
                      {r.key}
                    </button>
                  </th>
                  <td>{r.scope}</td>
                  <td>{r.version}</td>
                  <td>{r.author}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div>
          {key ? (
            <RunbookPanel key={`${key}-${scope}`} metricKey={key} scope={scope} />
          ) : (
            <p className="muted">Choose a runbook.</p>
          )}
        </div>
      </div>
    </div>
  );
}
