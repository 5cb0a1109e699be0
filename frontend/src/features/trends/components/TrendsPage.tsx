import { CameraPicker } from '@/components/ui/CameraPicker';
import { DateRange, daysAgo } from '@/components/ui/DateRange';
import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { Chart, type ChartLine } from '@/components/ui/chart/Chart';
import { sig } from '@/lib/format';
import { useQlMapping } from '@/lib/queries/mapping';
import type { Mapping } from '@/lib/types';
import { useUrlState } from '@/lib/url-state';

import { useTrend } from '../api/trends';

import {
  bandZones,
  deltaBand,
  sameBand,
  sameRanges,
  trendSeries,
  type SeriesSummary,
} from './trend-series';
import { ChoiceFilter } from '@/components/ui/ChoiceFilter';
import type { TrendBand } from '../api/trends';

const FLAVORS = ['', 'science', 'arc', 'flat', 'zero', 'dark'];
const DEFAULTS = {
  key: '',
  flavor: '',
  from: daysAgo(30),
  to: daysAgo(0),
  cameras: 'b0',
  elements: '',
  resolution: 'auto',
  view: 'auto',
};

type MetricOption = { key: string; label: string; units: string; step: string };

/** Every metric of the mapping (of one flavor, or of all), once per key, by step. */
function metricOptions(mapping: Mapping | undefined, flavor: string): MetricOption[] {
  const seen = new Map<string, MetricOption>();
  for (const [name, entry] of Object.entries(mapping ?? {})) {
    if (flavor && name !== flavor) continue;
    for (const step of entry.steps)
      for (const qa of step.qa)
        if (!seen.has(qa.key))
          seen.set(qa.key, {
            key: qa.key,
            label: `${qa.display_name} (${qa.key})`,
            units: qa.units ?? '',
            step: step.display_name,
          });
  }
  return [...seen.values()];
}

const csv = (value: string) => value.split(',').filter(Boolean);

export function TrendsPage() {
  const [state, update] = useUrlState(DEFAULTS);
  const mapping = useQlMapping();
  const options = metricOptions(mapping.data, state.flavor);
  const key = state.key || options[0]?.key || '';
  const metric = options.find((o) => o.key === key);
  const trend = useTrend({
    key,
    flavor: state.flavor,
    night_from: state.from,
    night_to: state.to,
    cameras: state.cameras,
    resolution: state.resolution,
  });
  const elements = csv(state.elements);
  const indexes = [...new Set((trend.data?.series ?? []).map((s) => s.index))].filter(Boolean);
  // Every series is judged against its own thresholds: one set of bands when they all share it;
  // otherwise each series is drawn as its distance from its own REF (Δ), on one set of bands
  // when the ranges around REF agree (no series is ever painted with another's bands).
  const all = trend.data ? trendSeries(trend.data, elements).summary : [];
  const bands = all.map((s) => s.band).filter((b): b is TrendBand => b !== null);
  const shared = bands.length === all.length && bands.every((b) => sameBand(b, bands[0]!));
  const rangesShared = bands.length === all.length && bands.every((b) => sameRanges(b, bands[0]!));
  const delta = state.view === 'delta' || (state.view === 'auto' && !shared && bands.length > 0);
  const { series, summary } = trend.data
    ? trendSeries(trend.data, elements, delta)
    : { series: [], summary: [] };
  const band: TrendBand | null =
    delta && rangesShared && bands[0] ? deltaBand(bands[0]) : shared ? (bands[0] ?? null) : null;
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const refLine: ChartLine[] =
    band && xs.length
      ? [
          {
            x0: Math.min(...xs),
            x1: Math.max(...xs),
            y0: band.ref,
            y1: band.ref,
            label: delta ? 'REF of each series' : `REF ${sig(band.ref)}`,
          },
        ]
      : [];
  const units = metric?.units ? ` [${metric.units}]` : '';
  const yLabel = delta ? `${key} − REF${units}` : metric ? `${metric.label}${units}` : key;
  const points = summary.reduce((n, s) => n + s.points, 0);

  return (
    <div className="page trends">
      <h1>Trend Analysis</h1>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Metric
          <select value={key} onChange={(e) => update({ key: e.target.value, elements: '' })}>
            {[...new Set(options.map((o) => o.step))].map((step) => (
              <optgroup key={step} label={step}>
                {options
                  .filter((o) => o.step === step)
                  .map((o) => (
                    <option key={o.key} value={o.key}>
                      {o.label}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
        <ChoiceFilter
          label="Flavor"
          value={state.flavor}
          choices={FLAVORS}
          onChange={(flavor) => update({ flavor, key: '' })}
        />
        <DateRange from={state.from} to={state.to} onChange={update} />
        <label>
          Points
          <select value={state.resolution} onChange={(e) => update({ resolution: e.target.value })}>
            <option value="auto">auto</option>
            <option value="exposure">every exposure</option>
            <option value="night">per night (mean)</option>
          </select>
        </label>
        <label>
          Axis
          <select value={state.view} onChange={(e) => update({ view: e.target.value })}>
            <option value="auto">auto</option>
            <option value="values">values</option>
            <option value="delta">Δ from each series&apos; REF</option>
          </select>
        </label>
      </form>
      <CameraPicker
        selected={csv(state.cameras)}
        onChange={(c) => update({ cameras: c.join(',') })}
      />
      {indexes.length > 1 && (
        <div className="element-picker" role="group" aria-label="Elements">
          <span className="muted">Elements</span>
          <button
            type="button"
            className="toggle"
            aria-pressed={elements.length === 0}
            onClick={() => update({ elements: '' })}
          >
            all
          </button>
          {indexes.map((index) => (
            <button
              key={index}
              type="button"
              className="toggle"
              aria-pressed={elements.includes(index)}
              onClick={() =>
                update({
                  elements: (elements.includes(index)
                    ? elements.filter((e) => e !== index)
                    : [...elements, index]
                  ).join(','),
                })
              }
            >
              {index}
            </button>
          ))}
        </div>
      )}
      <ErrorMessage error={mapping.error ?? trend.error} />
      {state.cameras === '' && <p className="muted">Choose at least one camera.</p>}
      {(mapping.isLoading || trend.isLoading) && <Loading what="Loading the trend" />}
      {trend.data && points === 0 && (
        <p className="muted" role="status">
          No value of {key} for these cameras between {state.from} and {state.to}.
        </p>
      )}
      {trend.data && points > 0 && (
        <section className="panel" aria-label="Trend">
          <Chart
            label={`${key} over time`}
            xLabel={
              trend.data.resolution === 'night'
                ? 'night (UTC), mean of each night'
                : 'time of the exposure (UTC)'
            }
            yLabel={yLabel}
            xKind="time"
            series={series}
            bands={band ? bandZones(band) : []}
            lines={refLine}
            yInclude={band ? band.warn : []}
          />
          <BandCaption band={band} delta={delta} shared={shared} rangesShared={rangesShared} />
          <SummaryTable summary={summary} />
        </section>
      )}
    </div>
  );
}

function BandCaption({
  band,
  delta,
  shared,
  rangesShared,
}: {
  band: TrendBand | null;
  delta: boolean;
  shared: boolean;
  rangesShared: boolean;
}) {
  if (!band && (delta || !shared))
    return (
      <p className="muted" aria-label="Bands">
        {delta
          ? 'Each series is drawn as its distance from its own REF; their ranges differ, so no common bands are drawn'
          : 'The series have different thresholds: no bands drawn (axis "Δ from each series\' REF" puts them on one axis)'}
        ; each point&apos;s shape is its own grade (REF and ranges per series in the table).
      </p>
    );
  if (!band) return <p className="muted">No thresholds for this metric: no bands drawn.</p>;
  const { ref, normal, warn, expid } = band;
  const what = delta
    ? rangesShared
      ? 'Each series drawn as its distance from its own REF (table below); bands'
      : 'Δ from each REF'
    : 'Bands (every series)';
  return (
    <div className="band-caption">
      <p aria-label="Bands">
        {what}: REF {sig(ref)} · NORMAL {sig(normal[0])} – {sig(normal[1])} · WARNING {sig(warn[0])}{' '}
        – {sig(warn[1])} · ALARM beyond{' '}
        <span className="muted">(the thresholds that graded exposure {expid})</span>
      </p>
    </div>
  );
}

function SummaryTable({ summary }: { summary: SeriesSummary[] }) {
  return (
    <table className="table compact" aria-label="Series">
      <thead>
        <tr>
          <th>Series</th>
          <th>Points</th>
          <th>Last</th>
          <th>Min</th>
          <th>Max</th>
          <th>REF</th>
          <th>NORMAL range</th>
          <th>WARNING</th>
          <th>ALARM</th>
        </tr>
      </thead>
      <tbody>
        {summary.map((s) => (
          <tr key={s.id}>
            <th scope="row">
              <span className="swatch-line" style={{ background: s.color }} aria-hidden="true" />{' '}
              {s.name}
            </th>
            <td>{s.points}</td>
            <td>{sig(s.last)}</td>
            <td>{sig(s.min)}</td>
            <td>{sig(s.max)}</td>
            <td>{s.band ? sig(s.band.ref) : '—'}</td>
            <td className="small">
              {s.band ? `${sig(s.band.normal[0])} – ${sig(s.band.normal[1])}` : '—'}
            </td>
            <td className={s.warnings ? 'text-warning' : ''}>{s.warnings}</td>
            <td className={s.alarms ? 'text-alarm' : ''}>{s.alarms}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
