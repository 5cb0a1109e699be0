import { EffTimeMeter } from '@/components/efftime/EffTimeMeter';
import { ErrorMessage } from '@/components/ui/Feedback';
import { num } from '@/lib/format';
import { tileRows, useTileEfftime } from '@/lib/queries/efftime';

/** The tiles observed this night: the effective time the night added and each tile's
 * completeness at the night's end. */
export function NightTiles({ night }: { night: number }) {
  const text = String(night);
  const tonight = useTileEfftime({ night_from: text, night_to: text });
  const total = useTileEfftime({ night_to: text });
  const totals = new Map((total.data ? tileRows(total.data) : []).map((r) => [r.tile, r]));
  const rows = tonight.data ? tileRows(tonight.data) : [];
  return (
    <section aria-label="Tiles of the night">
      <h2>Tiles of the night (effective time)</h2>
      <ErrorMessage error={tonight.error ?? total.error} />
      {!tonight.data ? null : rows.length === 0 ? (
        <p className="muted">No science exposure on a tile this night.</p>
      ) : (
        <table className="table" aria-label="Effective time per tile of the night">
          <thead>
            <tr>
              <th>Tile</th>
              <th>Program</th>
              <th>Exposures</th>
              <th>Added tonight</th>
              <th>Completeness at the night&apos;s end</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const end = totals.get(r.tile);
              return (
                <tr key={r.tile}>
                  <td>{r.tile}</td>
                  <td>{r.program || '—'}</td>
                  <td>{r.exposures}</td>
                  <td>{num(r.efftime, 0)} s</td>
                  <td>
                    <EffTimeMeter
                      label={`Tile ${r.tile} completeness`}
                      value={end?.efftime}
                      target={end?.goal}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
