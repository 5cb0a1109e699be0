import { night } from '@/lib/format';

import type { ThresholdVersion } from '../api/thresholds';

import { entryText as entry } from './threshold-entry';

/** Every version, newest first: files (the baseline) and the edits made in the browser. */
export function VersionList({ versions }: { versions: ThresholdVersion[] }) {
  return (
    <table className="table wrapping" aria-label="Threshold versions">
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
