import { DateRange } from '@/components/ui/DateRange';
import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { QaBadge } from '@/components/ui/QaBadge';
import { MARKER_LEGEND, type MarkerStatus } from '@/components/ui/chart/markers';
import { night, num, plural } from '@/lib/format';
import type { QaStatus } from '@/lib/types';
import { useUrlState } from '@/lib/url-state';

import { useSurvey, type Survey } from '../api/survey';

import { SkyMap, type SkyTile } from './SkyMap';
import { TileCompleteness } from './TileCompleteness';
import { ChoiceFilter } from '@/components/ui/ChoiceFilter';

const PROGRAMS = ['', 'DARK', 'GRAY', 'BRIGHT'];
const DEFAULTS = { from: '', to: '', program: '' };
const SEVERITY: Record<MarkerStatus, number> = { ALARM: 0, WARNING: 1, UNKNOWN: 2, NORMAL: 3 };

function grade(status: string): MarkerStatus {
  return status === 'NORMAL' || status === 'WARNING' || status === 'ALARM' ? status : 'UNKNOWN';
}

function skyTiles(survey: Survey): SkyTile[] {
  return survey.tile.flatMap((tile, i) => {
    const ra = survey.ra[i];
    const dec = survey.dec[i];
    if (ra == null || dec == null) return [];
    const status = grade(survey.qa_status[i] ?? '');
    const first = night(survey.first_night[i]);
    const last = night(survey.last_night[i]);
    return [
      {
        tile,
        ra,
        dec,
        status,
        tip: [
          `RA ${num(ra, 3)}°, Dec ${num(dec, 3)}°`,
          `${plural(survey.exposures[i] ?? 0, 'exposure')}, ${first === last ? first : `${first} – ${last}`}`,
          `QA ${status === 'UNKNOWN' ? 'none' : status}`,
        ],
      },
    ];
  });
}

export function SurveyPage() {
  const [state, update] = useUrlState(DEFAULTS);
  const survey = useSurvey({ night_from: state.from, night_to: state.to, program: state.program });
  const data = survey.data;
  const tiles = data ? skyTiles(data) : [];
  const byStatus = (status: MarkerStatus) => tiles.filter((t) => t.status === status).length;
  const attention = tiles
    .filter((t) => t.status === 'ALARM' || t.status === 'WARNING')
    .sort((a, b) => SEVERITY[a.status] - SEVERITY[b.status] || a.tile - b.tile);

  return (
    <div className="page survey">
      <h1>Survey Report</h1>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <DateRange from={state.from} to={state.to} onChange={update} />
        <ChoiceFilter
          label="Program"
          value={state.program}
          choices={PROGRAMS}
          onChange={(program) => update({ program })}
        />
        {!state.from && !state.to && <span className="muted">every night</span>}
      </form>
      <ErrorMessage error={survey.error} />
      {survey.isLoading && <Loading what="Loading the survey" />}
      {data && (
        <div className="survey-grid">
          <section className="panel" aria-label="Footprint">
            <h2>
              Footprint{' '}
              <span className="muted small">{tiles.length} tiles, worst QA of their exposures</span>
            </h2>
            {tiles.length === 0 ? (
              <p className="muted" role="status">
                No tile observed with these filters.
              </p>
            ) : (
              <SkyMap tiles={tiles} />
            )}
            <ul className="status-legend" aria-label="Tiles by QA status">
              {MARKER_LEGEND.map(([status, text]) => (
                <li key={status} className={`text-${status.toLowerCase()}`}>
                  {text}: <strong>{byStatus(status)}</strong>
                </li>
              ))}
            </ul>
          </section>
          <div className="survey-side">
            <CountTable title="Exposures per flavor" counts={data.counts.flavor} />
            <CountTable title="Exposures per program" counts={data.counts.program} />
            <section className="panel" aria-label="Tiles to look at">
              <h2>Tiles to look at</h2>
              {attention.length === 0 ? (
                <p className="muted">No tile with a WARNING or an ALARM.</p>
              ) : (
                <table className="table compact" aria-label="Tiles with WARNING or ALARM">
                  <thead>
                    <tr>
                      <th>Tile</th>
                      <th>QA</th>
                      <th>RA</th>
                      <th>Dec</th>
                    </tr>
                  </thead>
                  <tbody>
                    {attention.slice(0, 100).map((t) => (
                      <tr key={t.tile}>
                        <td>{t.tile}</td>
                        <td>
                          <QaBadge status={t.status as QaStatus} />
                        </td>
                        <td>{num(t.ra, 2)}</td>
                        <td>{num(t.dec, 2)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          </div>
        </div>
      )}
      {data && (
        // full width below the map: its five columns do not fit the side column
        <TileCompleteness
          query={{ night_from: state.from, night_to: state.to, program: state.program }}
        />
      )}
    </div>
  );
}

function CountTable({ title, counts }: { title: string; counts: Record<string, number> }) {
  // Most first; "none" (no program) after the named ones of the same count.
  const rows = Object.entries(counts).sort(
    (a, b) => b[1] - a[1] || Number(a[0] === '') - Number(b[0] === '') || a[0].localeCompare(b[0]),
  );
  const total = rows.reduce((n, [, c]) => n + c, 0);
  return (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">No exposure.</p>
      ) : (
        <table className="table compact" aria-label={title}>
          <tbody>
            {rows.map(([name, count]) => (
              <tr key={name}>
                <th scope="row">{name || 'none'}</th>
                <td>{count}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">total</th>
              <td>{total}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}
