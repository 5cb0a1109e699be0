import { EffTimeMeter } from '@/components/efftime/EffTimeMeter';
import { num } from '@/lib/format';
import { useExposureEfftime } from '@/lib/queries/efftime';
import type { ProcessDetail } from '@/lib/types';

/** The exposure's effective time against its requested time, per petal, and its tile's
 * progress towards the program's goal (science exposures only). */
export function EffectiveTime({
  process,
  pollMs,
}: {
  process: ProcessDetail | undefined;
  pollMs: number | false;
}) {
  const science = process?.exposure.flavor === 'science';
  const done = process?.jobs.filter((j) => j.status !== 'running' && j.status !== 'queued');
  const revision = `${process?.id}:${done?.length ?? 0}:${process?.status}`;
  const query = useExposureEfftime(science ? process!.exposure.expid : null, revision, pollMs);
  if (!science) return null;
  const data = query.data;
  const petals = Object.entries(data?.petals ?? {});
  return (
    <section className="panel efftime" aria-label="Effective time">
      <h2>Effective time</h2>
      <dl className="facts efftime-facts">
        <dt>This exposure</dt>
        <dd>
          <EffTimeMeter
            label="Exposure effective time"
            value={data?.efftime}
            target={data?.exptime ?? process?.exposure.exptime}
          />
        </dd>
        {petals.length > 0 && (
          <>
            <dt>Per petal</dt>
            <dd>
              <ul className="efftime-petals" aria-label="Effective time per petal">
                {petals.map(([petal, value]) => (
                  <li key={petal}>
                    <span className="muted">{petal}</span> {num(value, 0)} s
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        <dt>Tile {data?.tile?.tile ?? process?.exposure.tile ?? ''}</dt>
        <dd>
          <EffTimeMeter
            label="Tile progress"
            value={data?.tile?.efftime}
            target={data?.tile?.goal}
          />
        </dd>
      </dl>
      {query.error && <p className="muted small">No effective time yet.</p>}
    </section>
  );
}
