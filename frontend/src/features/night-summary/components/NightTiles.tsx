import { EffTimeMeter } from '@/components/efftime/EffTimeMeter';
import { num } from '@/lib/format';

import type { NightTile } from '../api/night-summary';

/** The tiles observed this night: the effective time the night added and each tile's
 * completeness at the night's end. */
export function NightTiles({ tiles }: { tiles: NightTile[] }) {
  return (
    <section aria-label="Tiles of the night">
      <h2>Tiles of the night (effective time)</h2>
      {tiles.length === 0 ? (
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
            {tiles.map((t) => (
              <tr key={t.tile}>
                <td>{t.tile}</td>
                <td>{t.program || '—'}</td>
                <td>{t.exposures}</td>
                <td>{num(t.tonight, 0)} s</td>
                <td>
                  <EffTimeMeter
                    label={`Tile ${t.tile} completeness`}
                    value={t.efftime}
                    target={t.goal}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
