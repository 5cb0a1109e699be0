import { Sparkline } from '@/components/ui/Sparkline';
import { night, num } from '@/lib/format';

import type { NightTrend } from '../api/night-summary';

/** One thumbnail per key metric: the nightly mean over every camera, over the min–max band. */
export function KeyMetrics({ trends }: { trends: NightTrend[] }) {
  return (
    <div className="key-metrics" style={{ display: 'flex', flexWrap: 'wrap', gap: '1rem' }}>
      {trends.map((t) => (
        <figure key={t.key} className="panel" style={{ margin: 0 }}>
          <figcaption>
            <strong>{t.key}</strong> mean {num(t.mean[t.mean.length - 1])}
          </figcaption>
          <Sparkline
            values={t.mean}
            band={{ low: t.min, high: t.max }}
            label={`${t.key} over ${t.nights.length} nights`}
          />
          <div className="muted small">
            {night(t.nights[0])} – {night(t.nights[t.nights.length - 1])}
          </div>
        </figure>
      ))}
    </div>
  );
}
