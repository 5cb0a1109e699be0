import { CameraPicker } from '@/components/ui/CameraPicker';
import { DateRange, daysAgo, rangeTimes } from '@/components/ui/DateRange';
import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { ChartLegend } from '@/components/ui/chart/ChartLegend';
import { PointChart, type ChartLine } from '@/components/ui/chart/PointChart';
import { sig } from '@/lib/format';
import { useQlMapping } from '@/lib/queries/mapping';
import type { Mapping } from '@/lib/types';
import { useUrlState } from '@/lib/url-state';

import { useTrend } from '../api/trends';

import { bandZones, sameBand, trendSeries, type SeriesSummary } from './trend-series';
import { ChoiceFilter } from '@/components/ui/ChoiceFilter';

const FLAVORS = ['', 'science', 'arc', 'flat', 'zero', 'dark'];
const DEFAULTS = {
  key: '',
  flavor: '',
  from: daysAgo(30),
  to: daysAgo(0),
  cameras: 'b0',
  elements: '',
  resolution: 'auto',
  band: '',
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
  const { series, summary } = trend.data
    ? trendSeries(trend.data, elements)
    : { series: [], summary: [] };
  const withBand = summary.filter((s) => s.band);
  const bandOf = withBand.find((s) => s.id === state.band) ?? withBand[0];
  const band = bandOf?.band ?? null;
  const shared = band !== null && summary.every((s) => sameBand(s.band, band));
  const span = rangeTimes(state.from, state.to);
  const xs = [...series.flatMap((s) => s.points.map((p) => p.x)), ...span];
  const refLine: ChartLine[] =
    band && xs.length
      ? [
          {
            x0: Math.min(...xs),
            x1: Math.max(...xs),
            y0: band.ref,
            y1: band.ref,
            label: `REF ${band.ref}`,
          },
        ]
      : [];
  const yLabel = metric ? `${metric.label}${metric.units ? ` [${metric.units}]` : ''}` : key;
  const points = summary.reduce((n, s) => n + s.points, 0);

  return (
    <div className="page trends">
      <h1>Trend Analysis</h1>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Metric
          <select
            value={key}
            onChange={(e) => update({ key: e.target.value, band: '', elements: '' })}
          >
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
          <PointChart
            label={`${key} over time`}
            xLabel={
              trend.data.resolution === 'night'
                ? 'night (UTC), mean of each night'
                : 'time of the exposure (UTC)'
            }
            yLabel={yLabel}
            xKind="time"
            series={shared ? series : series.map((s) => ({ ...s, strong: s.id === bandOf?.id }))}
            bands={band ? bandZones(band) : []}
            lines={refLine}
            xInclude={span}
            yInclude={band ? band.warn : []}
          />
          <ChartLegend series={series} />
          <BandCaption
            band={bandOf}
            shared={shared}
            choices={withBand}
            onChoose={(id) => update({ band: id })}
          />
          <SummaryTable summary={summary} />
        </section>
      )}
    </div>
  );
}

function BandCaption({
  band,
  shared,
  choices,
  onChoose,
}: {
  band: SeriesSummary | undefined;
  shared: boolean;
  choices: SeriesSummary[];
  onChoose: (id: string) => void;
}) {
  if (!band?.band) return <p className="muted">No thresholds for this metric: no bands drawn.</p>;
  const { ref, normal, warn, expid } = band.band;
  return (
    <div className="band-caption">
      <p aria-label="Bands">
        {shared ? 'Bands (every series)' : `Bands of ${band.name}`}: REF {sig(ref)} · NORMAL{' '}
        {sig(normal[0])} – {sig(normal[1])} · WARNING {sig(warn[0])} – {sig(warn[1])} · ALARM beyond{' '}
        <span className="muted">(the thresholds that graded exposure {expid})</span>
      </p>
      {!shared && choices.length > 1 && (
        <label>
          Bands of
          <select value={band.id} onChange={(e) => onChoose(e.target.value)}>
            {choices.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      )}
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
            <td className={s.warnings ? 'text-warning' : ''}>{s.warnings}</td>
            <td className={s.alarms ? 'text-alarm' : ''}>{s.alarms}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
