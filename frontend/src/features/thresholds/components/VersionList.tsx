import { night } from '@/lib/format';

import type { ThresholdEntry, ThresholdVersion } from '../api/thresholds';

function entry(e: ThresholdEntry | null | undefined): string {
  if (!e) return '—';
  return `REF ${JSON.stringify(e.REF)}, normal ${JSON.stringify(e.NORMAL_RANGE)}, warn ${JSON.stringify(e.WARN_RANGE)}`;
}

/** Every version, newest first: files (the baseline) and the edits made in the browser. */
export function VersionList({ versions }: { versions: ThresholdVersion[] }) {
  return (
    <table className="table" aria-label="Threshold versions">
      <thead>
        <tr>
          <th>Version</th>
          <th>From night</th>
          <th>Source</th>
          <th>Author</th>
          <th>Change</th>
          <th>Reason / note</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr key={v.version}>
            <td>{v.version}</td>
            <td>{night(v.effective_night)}</td>
            <td>{v.source}</td>
            <td>{v.author || '—'}</td>
            <td className="small">
              {v.change
                ? `${v.change.key} (${v.change.selector}): ${entry(v.change.before)} → ${entry(v.change.after)}`
                : '—'}
            </td>
            <td className="small">{v.note}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
