import { useState } from 'react';

import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { StateBadge } from '@/components/ui/QaBadge';
import { dateTime, night, num, seconds } from '@/lib/format';
import { useIsOperator } from '@/lib/auth';

import { useCampaignAction, type Campaign, type CampaignAction } from '../api/campaigns';

/** Which actions a campaign in each state offers (the backend refuses the others). */
const ACTIONS: Record<Campaign['state'], CampaignAction[]> = {
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  done: ['promote'],
  cancelled: ['promote'],
  promoting: [],
  promoted: [],
};

function what(campaign: Campaign): string {
  const f = campaign.filters as Record<string, number | string[] | undefined>;
  const nights = f.night
    ? night(f.night as number)
    : `${night(f.night_from as number)} – ${f.night_to ? night(f.night_to as number) : 'latest'}`;
  const extra = [f.flavor, f.program].flat().filter(Boolean).join(', ');
  return [nights, extra, f.tile !== undefined ? `tile ${f.tile}` : ''].filter(Boolean).join(' · ');
}

export function ProgressBar({ campaign }: { campaign: Campaign }) {
  const { total, done, failed, aborted } = campaign;
  const part = (n: number) => `${total ? (100 * n) / total : 0}%`;
  return (
    <div
      className="campaign-bar"
      role="progressbar"
      aria-label={`campaign ${campaign.id} progress`}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done + failed}
    >
      <span className="bar-done" style={{ width: part(done) }} />
      <span className="bar-failed" style={{ width: part(failed) }} />
      <span className="bar-aborted" style={{ width: part(aborted) }} />
    </div>
  );
}

/** Every campaign with its progress, rate and time left; operators act on them. */
export function CampaignList({
  campaigns,
  selected,
  onSelect,
}: {
  campaigns: Campaign[];
  selected: number | null;
  onSelect: (id: number) => void;
}) {
  const operator = useIsOperator();
  const action = useCampaignAction();
  const [asked, setAsked] = useState<{ id: number; action: CampaignAction } | null>(null);
  if (campaigns.length === 0) return <p className="muted">No campaign yet.</p>;
  return (
    <>
      <table className="table" aria-label="Campaigns">
        <thead>
          <tr>
            <th>#</th>
            <th>Exposures</th>
            <th>Thresholds</th>
            <th>State</th>
            <th>Progress</th>
            <th>Done / failed / left</th>
            <th>Rate</th>
            <th>Time left</th>
            <th>Started</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {campaigns.map((c) => (
            <tr key={c.id} className={c.id === selected ? 'selected' : undefined}>
              <td>
                <button className="link" type="button" onClick={() => onSelect(c.id)}>
                  {c.id}
                  {c.name && ` ${c.name}`}
                </button>
              </td>
              <td>{what(c)}</td>
              <td>{c.spec_version || 'in force'}</td>
              <td>
                <StateBadge state={c.state} />
              </td>
              <td className="campaign-progress">
                <ProgressBar campaign={c} />
                {c.done + c.failed}/{c.total}
              </td>
              <td>
                {c.done} / {c.failed} / {c.remaining}
                {c.aborted > 0 && ` (${c.aborted} aborted)`}
              </td>
              <td>{c.rate_per_hour === null ? '—' : `${num(c.rate_per_hour, 0)}/h`}</td>
              <td>{c.state === 'running' ? seconds(c.eta_s, 0) : '—'}</td>
              <td>
                {dateTime(c.created)} {c.created_by && `by ${c.created_by}`}
              </td>
              <td>
                {operator &&
                  ACTIONS[c.state].map((a) => (
                    <button
                      key={a}
                      type="button"
                      className={`btn small ${a === 'cancel' ? 'danger' : a === 'promote' ? 'primary' : ''}`}
                      disabled={action.isPending}
                      onClick={() =>
                        a === 'pause' || a === 'resume'
                          ? action.mutate({ id: c.id, action: a })
                          : setAsked({ id: c.id, action: a })
                      }
                    >
                      {a}
                    </button>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {action.error && (
        <p role="alert" className="error">
          {action.error.message}
        </p>
      )}
      {asked && (
        <ConfirmDialog
          title={`${asked.action === 'cancel' ? 'Cancel' : 'Promote'} campaign ${asked.id}?`}
          confirmLabel={asked.action === 'cancel' ? 'Cancel campaign' : 'Promote'}
          busy={action.isPending}
          onCancel={() => setAsked(null)}
          onConfirm={() => action.mutate(asked, { onSettled: () => setAsked(null) })}
        >
          {asked.action === 'cancel'
            ? 'Its queued exposures are not processed; what it finished can still be promoted.'
            : 'Its results become the ones shown for its exposures (statuses, trends, QA files).'}
        </ConfirmDialog>
      )}
    </>
  );
}
