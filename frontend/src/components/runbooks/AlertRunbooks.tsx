import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';

import { recentAlarmsOptions } from '@/lib/queries/alarms';

import { RunbookPanel } from './RunbookPanel';

type Props = {
  /** The alert's journal seq: its metric keys are looked up when `metrics` is not given. */
  seq?: number | null;
  metrics?: string[];
  camera?: string | null;
  flavor?: string | null;
  /** Show the first runbook at once (the alert a notification link selected). */
  open?: boolean;
  /** Over the page (for small boxes such as the Monitor's alerts) rather than under the alert. */
  floating?: boolean;
};

/** One "runbook" button per metric key of an alert, opening its runbook under the alert. */
export function AlertRunbooks({
  seq,
  metrics,
  camera,
  flavor,
  open = false,
  floating = false,
}: Props) {
  const lookup = !metrics?.length && seq != null;
  const recent = useQuery({ ...recentAlarmsOptions(), enabled: lookup }).data;
  const found = lookup ? recent?.find((r) => r.seq === seq) : undefined;
  const keys = metrics?.length ? metrics : (found?.metrics ?? []);
  const [chosen, setChosen] = useState<string | null | undefined>(undefined);
  const where = { camera: camera || null, flavor: flavor ?? found?.flavor ?? null };
  const shown = chosen === undefined ? (open ? (keys[0] ?? null) : null) : chosen;
  if (keys.length === 0) return null;
  return (
    <div className="alert-runbooks">
      {keys.map((key) => (
        <button
          key={key}
          className="btn small runbook-toggle"
          aria-expanded={shown === key}
          onClick={() => setChosen(shown === key ? null : key)}
        >
          runbook {key}
        </button>
      ))}
      {shown && floating && (
        <div className="runbook-dialog" role="dialog" aria-label={`Runbook of ${shown}`}>
          <button className="btn small runbook-close" onClick={() => setChosen(null)}>
            close
          </button>
          <RunbookPanel metricKey={shown} {...where} />
        </div>
      )}
      {shown && !floating && <RunbookPanel metricKey={shown} {...where} />}
    </div>
  );
}
