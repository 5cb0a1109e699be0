import { EffTimeMeter } from '@/components/efftime/EffTimeMeter';
import { ErrorMessage } from '@/components/ui/Feedback';
import { night, plural } from '@/lib/format';
import { tileRows, useTileEfftime, type TileQuery } from '@/lib/queries/efftime';

/** Tiles by completeness: accumulated effective time against the program's goal, least
 * complete first (docs/api.md, survey/tiles/). */
export function TileCompleteness({ query }: { query: TileQuery }) {
  const tiles = useTileEfftime(query);
  const rows = tiles.data ? tileRows(tiles.data) : [];
  const done = rows.filter((r) => (r.fraction ?? 0) >= 1).length;
  const sorted = [...rows].sort((a, b) => (a.fraction ?? 0) - (b.fraction ?? 0) || a.tile - b.tile);
  return (
    <section className="panel" aria-label="Tile completeness">
      <h2>
        Tile completeness{' '}
        <span className="muted small">
          {rows.length > 0 && `${done} of ${plural(rows.length, 'tile')} done`}
        </span>
      </h2>
      <ErrorMessage error={tiles.error} />
      {!tiles.data ? null : rows.length === 0 ? (
        <p className="muted">No science exposure on a tile.</p>
      ) : (
        <table className="table compact" aria-label="Effective time per tile">
          <thead>
            <tr>
              <th>Tile</th>
              <th>Program</th>
              <th>Exposures</th>
              <th>Effective time / goal</th>
              <th>Last night</th>
            </tr>
          </thead>
          <tbody>
            {sorted.slice(0, 200).map((r) => (
              <tr key={r.tile}>
                <td>{r.tile}</td>
                <td>{r.program || '—'}</td>
                <td>{r.exposures}</td>
                <td>
                  <EffTimeMeter
                    label={`Tile ${r.tile} progress`}
                    value={r.efftime}
                    target={r.goal}
                  />
                </td>
                <td>{night(r.last_night)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
