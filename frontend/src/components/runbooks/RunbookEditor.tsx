import { useState } from 'react';

import { ErrorMessage } from '@/components/ui/Feedback';
import { useEditRunbook, type RunbookDetail } from '@/lib/queries/runbooks';

const FIELDS = [
  ['alarm', 'What an ALARM means'],
  ['warning', 'What a WARNING means'],
  ['check_first', 'What to check first'],
  ['contact', 'Whom to call'],
] as const;

type Field = (typeof FIELDS)[number][0];

type Props = {
  runbook: RunbookDetail;
  /** More specific scopes the admin may write instead (e.g. this flavor only). */
  scopes: string[];
  onDone: (saved: RunbookDetail) => void;
  onCancel: () => void;
};

/** Edit a runbook in place (admins): a new version with a note; refused (409) if someone
 * saved a newer version meanwhile. */
export function RunbookEditor({ runbook, scopes, onDone, onCancel }: Props) {
  const [texts, setTexts] = useState<Record<Field, string>>({
    alarm: runbook.alarm,
    warning: runbook.warning,
    check_first: runbook.check_first,
    contact: runbook.contact,
  });
  const [scope, setScope] = useState(runbook.scope);
  const [note, setNote] = useState('');
  const edit = useEditRunbook();
  const complete = FIELDS.every(([f]) => texts[f].trim()) && note.trim();
  return (
    <form
      className="runbook-editor"
      aria-label={`Edit runbook ${runbook.key}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!complete) return;
        edit.mutate(
          { key: runbook.key, scope, ...texts, note, base_version: runbook.version },
          { onSuccess: onDone },
        );
      }}
    >
      <label>
        Applies to
        <select value={scope} onChange={(e) => setScope(e.target.value)}>
          {[runbook.scope, ...scopes.filter((s) => s !== runbook.scope)].map((s) => (
            <option key={s} value={s}>
              {s === 'default' ? 'every flavor and camera (default)' : s}
            </option>
          ))}
        </select>
      </label>
      {FIELDS.map(([field, label]) => (
        <label key={field}>
          {label}
          <textarea
            rows={field === 'contact' ? 2 : 4}
            value={texts[field]}
            maxLength={field === 'contact' ? 1000 : 4000}
            onChange={(e) => setTexts({ ...texts, [field]: e.target.value })}
          />
        </label>
      ))}
      <label>
        Note (why it changed)
        <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className="runbook-actions">
        <button className="btn small primary" type="submit" disabled={!complete || edit.isPending}>
          Save new version
        </button>
        <button className="btn small" type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ErrorMessage error={edit.error} />
    </form>
  );
}
