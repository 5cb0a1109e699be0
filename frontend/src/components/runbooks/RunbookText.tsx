import type { Runbook } from '@/lib/queries/runbooks';

import './runbooks.css';

/** The four parts of a runbook, as written (line breaks kept). */
export function RunbookText({ runbook }: { runbook: Runbook }) {
  return (
    <dl className="runbook-text">
      <dt className="qa-alarm">ALARM</dt>
      <dd>{runbook.alarm}</dd>
      <dt className="qa-warning">WARNING</dt>
      <dd>{runbook.warning}</dd>
      <dt>Check first</dt>
      <dd>{runbook.check_first}</dd>
      <dt>Whom to call</dt>
      <dd>{runbook.contact}</dd>
    </dl>
  );
}

/** `version 2026-12-02+db4 · ada · 2026-12-02 · "note"`: where this text comes from. */
export function RunbookVersion({ runbook }: { runbook: Runbook }) {
  const when = runbook.created ? runbook.created.slice(0, 10) : 'shipped';
  return (
    <span className="muted small">
      version {runbook.version} · {runbook.author || '—'} · {when}
      {runbook.note && <> · “{runbook.note}”</>}
    </span>
  );
}
