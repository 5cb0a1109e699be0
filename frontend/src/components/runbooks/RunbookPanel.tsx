import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';

import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { ApiError } from '@/lib/api-client';
import { useIsAdmin } from '@/lib/auth';
import { runbookOptions, type RunbookDetail, type RunbookWhere } from '@/lib/queries/runbooks';

import { RunbookEditor } from './RunbookEditor';
import { RunbookText, RunbookVersion } from './RunbookText';

import './runbooks.css';

type Props = RunbookWhere & { metricKey: string };

/** The scopes an admin may write from here: the shown one, or one more specific for this
 * alert's flavor and camera. */
function narrowerScopes({ flavor, camera }: RunbookWhere): string[] {
  const arm = camera && /^[brz]\d$/.test(camera) ? camera[0] : null;
  return [
    'default',
    ...(flavor ? [flavor] : []),
    ...(arm ? [arm] : []),
    ...(flavor && arm ? [`${flavor}/${arm}`] : []),
  ];
}

/** What the editor starts from for a key without any runbook (e.g. a metric added since). */
function blank(key: string): RunbookDetail {
  return {
    key, scope: 'default', alarm: '', warning: '', check_first: '', contact: '', version: '',
    source: 'database', author: '', created: null, note: '', base_version: null, history: [],
    scopes: [],
  }; // prettier-ignore
}

/** The runbook of one metric key (the most specific for the flavor and camera, or `scope`):
 * what ALARM and WARNING mean, what to check first, whom to call; its versions; edited in
 * place by admins. */
export function RunbookPanel({ metricKey, flavor, camera, scope }: Props) {
  const where = { flavor, camera, scope };
  const runbook = useQuery(runbookOptions(metricKey, where));
  const admin = useIsAdmin();
  const [editing, setEditing] = useState(false);
  const [history, setHistory] = useState(false);
  if (runbook.isLoading) return <Loading what={`Loading the runbook of ${metricKey}`} />;
  if (runbook.error instanceof ApiError && runbook.error.status === 404)
    return editing ? (
      <section className="runbook" aria-label={`Runbook ${metricKey}`}>
        <strong>New runbook {metricKey}</strong>
        <RunbookEditor
          runbook={blank(metricKey)}
          scopes={scope ? [scope] : narrowerScopes(where)}
          onDone={() => setEditing(false)}
          onCancel={() => setEditing(false)}
        />
      </section>
    ) : (
      <p className="muted small">
        No runbook for {metricKey}.{' '}
        {admin && (
          <button className="btn small" onClick={() => setEditing(true)}>
            write one
          </button>
        )}
      </p>
    );
  if (!runbook.data) return <ErrorMessage error={runbook.error} />;
  const r = runbook.data;
  return (
    <section className="runbook" aria-label={`Runbook ${metricKey}`}>
      <header>
        <strong>Runbook {r.key}</strong>
        {r.scope !== 'default' && <span className="runbook-scope">{r.scope}</span>}{' '}
        <RunbookVersion runbook={r} />
        <span className="runbook-actions">
          <button
            className="btn small"
            aria-expanded={history}
            onClick={() => setHistory(!history)}
          >
            history ({r.history.length})
          </button>
          {admin && !editing && (
            <button className="btn small" onClick={() => setEditing(true)}>
              edit
            </button>
          )}
        </span>
      </header>
      {editing ? (
        <RunbookEditor
          runbook={r}
          scopes={scope ? [scope] : narrowerScopes(where)}
          onDone={() => setEditing(false)}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <RunbookText runbook={r} />
      )}
      {history && (
        <ol className="runbook-history" aria-label={`Versions of the runbook ${r.key}`}>
          {r.history.map((v) => (
            <li key={v.version}>
              <details>
                <summary>
                  <RunbookVersion runbook={v} />
                </summary>
                <RunbookText runbook={v} />
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
