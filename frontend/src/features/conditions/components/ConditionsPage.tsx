import { DateRange, daysAgo } from '@/components/ui/DateRange';
import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { Chart, type ChartSeries } from '@/components/ui/chart/Chart';
import { mjdToMs, nightToMs } from '@/components/ui/chart/scale';
import { dateTime, num, plural, sig } from '@/lib/format';
import { CAMERAS } from '@/lib/instrument';
import { linearFit } from '@/lib/stats';
import { useUrlState } from '@/lib/url-state';

import { useConditions, type Conditions } from '../api/conditions';
import { ChoiceFilter } from '@/components/ui/ChoiceFilter';

type Quantity = 'airmass' | 'seeing' | 'sky_level' | 'sky_camera' | 'moonsep' | 'exptime';

/** Each quantity's name in the selects, and on an axis. */
const LABELS: Record<Quantity, string> = {
  airmass: 'Airmass',
  seeing: 'Seeing [arcsec]',
  sky_level: 'Sky level (header SKYLEVEL)',
  sky_camera: "Camera's sky continuum (SKYCONT) [AB mag/arcsec²]",
  moonsep: 'Moon separation [deg]',
  exptime: 'Exposure time [s]',
};
const AXIS: Record<Quantity, string> = {
  airmass: 'Airmass',
  seeing: 'Seeing [arcsec]',
  sky_level: 'Sky level',
  sky_camera: 'SKYCONT [mag/arcsec²]',
  moonsep: 'Moon sep. [deg]',
  exptime: 'Exp. time [s]',
};
const TIME_SERIES: Quantity[] = ['airmass', 'seeing', 'sky_level', 'sky_camera'];
const FLAVORS = ['', 'science', 'arc', 'flat', 'zero', 'dark'];
const PROGRAMS = ['', 'DARK', 'GRAY', 'BRIGHT'];
const DEFAULTS = {
  from: daysAgo(30),
  to: daysAgo(0),
  flavor: 'science',
  program: '',
  camera: '',
  x: 'airmass',
  y: 'seeing',
};
const COLOR = '#56b4e9';

function times(data: Conditions): number[] {
  return data.expid.map((_, i) => {
    const mjd = data.mjd[i];
    const obs = data.dateobs[i];
    if (mjd != null) return mjdToMs(mjd);
    if (obs) return Date.parse(obs);
    return nightToMs(data.night[i] ?? 0);
  });
}

function column(data: Conditions, name: Quantity): (number | null)[] {
  return data[name] ?? data.expid.map(() => null);
}

function label(data: Conditions, i: number): string {
  const program = data.program[i] ? ` ${data.program[i]}` : '';
  return `exposure ${data.expid[i]}${program}, ${dateTime(data.dateobs[i])}`;
}

export function ConditionsPage() {
  const [state, update] = useUrlState(DEFAULTS);
  const conditions = useConditions({
    night_from: state.from,
    night_to: state.to,
    flavor: state.flavor,
    program: state.program,
    camera: state.camera,
  });
  const data = conditions.data;
  const quantities = (Object.keys(LABELS) as Quantity[]).filter(
    (q) => q !== 'sky_camera' || state.camera,
  );
  const x = (quantities.includes(state.x as Quantity) ? state.x : 'airmass') as Quantity;
  const y = (quantities.includes(state.y as Quantity) ? state.y : 'seeing') as Quantity;

  return (
    <div className="page conditions">
      <h1>Observing Conditions</h1>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <DateRange from={state.from} to={state.to} onChange={update} />
        <ChoiceFilter
          label="Flavor"
          value={state.flavor}
          choices={FLAVORS}
          onChange={(flavor) => update({ flavor })}
        />
        <ChoiceFilter
          label="Program"
          value={state.program}
          choices={PROGRAMS}
          onChange={(program) => update({ program })}
        />
        <label>
          Camera
          <select value={state.camera} onChange={(e) => update({ camera: e.target.value })}>
            <option value="">every exposure</option>
            {CAMERAS.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorMessage error={conditions.error} />
      {conditions.isLoading && <Loading what="Loading the conditions" />}
      {data && data.expid.length === 0 && (
        <p className="muted" role="status">
          No exposure between {state.from} and {state.to} with these filters.
        </p>
      )}
      {data && data.expid.length > 0 && (
        <>
          <p className="muted" role="status">
            {plural(data.expid.length, 'exposure')}
            {state.camera ? ` measured by ${state.camera}` : ''}.
          </p>
          <div className="conditions-grid">
            <section className="panel" aria-label="Conditions over time">
              <h2>Over time</h2>
              {TIME_SERIES.filter((q) => quantities.includes(q)).map((q) => (
                <TimeSeries key={q} data={data} quantity={q} />
              ))}
            </section>
            <Regression
              data={data}
              x={x}
              y={y}
              quantities={quantities}
              onAxes={(patch) => update(patch)}
            />
          </div>
        </>
      )}
    </div>
  );
}

function TimeSeries({ data, quantity }: { data: Conditions; quantity: Quantity }) {
  const t = times(data);
  const values = column(data, quantity);
  const points = values.flatMap((v, i) =>
    v === null ? [] : [{ x: t[i] ?? 0, y: v, tip: [label(data, i), `${num(v, 3)}`] }],
  );
  const name = LABELS[quantity];
  if (points.length === 0) return <p className="muted">{name}: no value in this range.</p>;
  const series: ChartSeries[] = [{ id: quantity, name, color: COLOR, points, line: true }];
  return (
    <Chart
      label={`${name} over time`}
      xLabel="time of the exposure (UTC)"
      yLabel={AXIS[quantity]}
      xKind="time"
      series={series}
      height={190}
      hint={quantity === 'airmass'}
    />
  );
}

type RegressionProps = {
  data: Conditions;
  x: Quantity;
  y: Quantity;
  quantities: Quantity[];
  onAxes: (patch: { x?: string; y?: string }) => void;
};

function Regression({ data, x, y, quantities, onAxes }: RegressionProps) {
  const xs = column(data, x);
  const ys = column(data, y);
  const fit = linearFit(xs, ys);
  const points = xs.flatMap((xv, i) => {
    const yv = ys[i];
    return xv === null || yv === null || yv === undefined
      ? []
      : [{ x: xv, y: yv, tip: [label(data, i), `${x} ${num(xv, 3)}, ${y} ${num(yv, 3)}`] }];
  });
  const lo = Math.min(...points.map((p) => p.x));
  const hi = Math.max(...points.map((p) => p.x));
  const fitText = fit
    ? `${y} = ${sig(fit.slope)} × ${x} ${fit.intercept < 0 ? '−' : '+'} ${sig(Math.abs(fit.intercept))} · r = ${fit.r === null ? '—' : fit.r.toFixed(3)} · N = ${fit.n}`
    : null;
  return (
    <section className="panel" aria-label="One against another">
      <h2>One against another</h2>
      <form className="filters" aria-label="Axes" onSubmit={(e) => e.preventDefault()}>
        {(['x', 'y'] as const).map((axis) => (
          <label key={axis}>
            {axis === 'x' ? 'Horizontal' : 'Vertical'}
            <select
              value={axis === 'x' ? x : y}
              onChange={(e) => onAxes({ [axis]: e.target.value })}
            >
              {quantities.map((q) => (
                <option key={q} value={q}>
                  {LABELS[q]}
                </option>
              ))}
            </select>
          </label>
        ))}
      </form>
      {points.length === 0 ? (
        <p className="muted">No exposure has both values.</p>
      ) : (
        <Chart
          label={`${LABELS[y]} against ${LABELS[x]}`}
          xLabel={LABELS[x]}
          yLabel={AXIS[y]}
          xKind="linear"
          series={[{ id: 'pairs', name: 'exposures', color: COLOR, points }]}
          lines={
            fit
              ? [
                  {
                    x0: lo,
                    x1: hi,
                    y0: fit.slope * lo + fit.intercept,
                    y1: fit.slope * hi + fit.intercept,
                    label: `fit ${fitText}`,
                  },
                ]
              : []
          }
          height={420}
        />
      )}
      <p aria-label="Fit" className={fit ? '' : 'muted'}>
        {fitText
          ? `Least-squares fit: ${fitText}`
          : 'No fit: it needs two exposures with different values.'}
      </p>
    </section>
  );
}
