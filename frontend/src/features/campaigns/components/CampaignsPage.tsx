import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';

import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { useIsOperator } from '@/lib/auth';
import { useMonitorSocket, type MonitorEvent } from '@/lib/monitorSocket';

import { mergeProgress, useCampaigns, type Campaign } from '../api/campaigns';
import { CampaignList } from './CampaignList';
import { GradeChanges } from './GradeChanges';
import { StartCampaignForm } from './StartCampaignForm';

/** Campaigns: reprocess nights at low priority, follow them live, compare and promote. */
export function CampaignsPage() {
  const operator = useIsOperator();
  const campaigns = useCampaigns();
  const client = useQueryClient();
  const [selected, setSelected] = useState<number | null>(null);
  const onEvent = useCallback(
    (event: MonitorEvent) => {
      if (event.type === 'campaign.progress' && event.payload)
        mergeProgress(client, event.payload as Partial<Campaign> & { campaign_id: number });
    },
    [client],
  );
  useMonitorSocket(onEvent);
  const shown = selected ?? campaigns.data?.[0]?.id ?? null;
  return (
    <div className="page">
      <h1>Campaigns</h1>
      <p className="muted">
        A campaign runs the pipeline again over stored exposures with a chosen threshold version, on
        workers live exposures leave free. Its results are shown for its exposures only once it is
        promoted.
      </p>
      {operator && <StartCampaignForm />}
      <section className="panel" aria-label="Campaign list">
        {campaigns.isLoading && <Loading what="Loading campaigns" />}
        <ErrorMessage error={campaigns.error} />
        {campaigns.data && (
          <CampaignList campaigns={campaigns.data} selected={shown} onSelect={setSelected} />
        )}
      </section>
      {shown !== null && <GradeChanges id={shown} />}
    </div>
  );
}
