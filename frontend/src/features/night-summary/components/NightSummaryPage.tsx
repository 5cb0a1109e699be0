import { useNavigate, useParams } from 'react-router';

import { NightRunbooks } from '@/components/runbooks/NightRunbooks';
import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { QaBadge } from '@/components/ui/QaBadge';
import { dateTime, night as nightText, seconds } from '@/lib/format';
import { useNights } from '@/lib/queries/nights';

import { nightReportUrl, useNightSummary, type NightSummary } from '../api/night-summary';

import { KeyMetrics } from './KeyMetrics';
import { NightTiles } from './NightTiles';

/** The shift hand-over page of one night (the latest night when none is chosen). */
export function NightSummaryPage() {
  const params = useParams();
  const navigate = useNavigate();
  const nights = useNights();
  const chosen = params.night ? Number(params.night) : (nights.data?.results[0]?.night ?? null);
  const summary = useNightSummary(chosen);

  return (
    <div className="page">
      <h1>Night summary</h1>
      <div className="filters">
        <label>
          Night
          <select value={chosen ?? ''} onChange={(e) => void navigate(`/nights/${e.target.value}`)}>
            {chosen !== null && !nights.data?.results.some((n) => n.night === chosen) && (
              <option value={chosen}>{nightText(chosen)}</option>
            )}
            {nights.data?.results.map((n) => (
              <option key={n.night} value={n.night}>
                {nightText(n.night)} ({n.exposures} exposures)
              </option>
            ))}
          </select>
        </label>
        {chosen !== null && (
          <a className="btn" href={nightReportUrl(chosen)} download>
            Download report (HTML)
          </a>
        )}
      </div>
      <ErrorMessage error={nights.error ?? summary.error} />
      {(nights.isLoading || summary.isLoading) && <Loading />}
      {nights.data?.count === 0 && <p className="muted">No night has exposures yet.</p>}
      {summary.data && <Summary summary={summary.data} />}
    </div>
  );
}

function Summary({ summary }: { summary: NightSummary }) {
  const { counts, latency } = summary;
  return (
    <>
      <section aria-label="Exposures by flavor and program">
        <h2>
          Exposures by flavor and program ({counts.exposures} exposures, {counts.processes}{' '}
          processes)
        </h2>
        <table className="table">
          <thead>
            <tr>
              <th>Flavor</th>
              <th>Program</th>
              <th>Exposures</th>
            </tr>
          </thead>
          <tbody>
            {counts.by_flavor_program.map((row) => (
              <tr key={`${row.flavor}/${row.program}`}>
                <td>{row.flavor}</td>
                <td>{row.program || '—'}</td>
                <td>{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <NightTiles tiles={summary.tiles ?? []} />
      <section aria-label="Readout to QA">
        <h2>Readout to QA</h2>
        {latency.measured ? (
          <p>
            Median {seconds(latency.median_s)}, max {seconds(latency.max_s)} against a budget of{' '}
            {seconds(latency.budget_s)}: {latency.over_budget} of {latency.measured} exposures over
            budget.
          </p>
        ) : (
          <p className="muted">No exposure of this night has a readout-to-QA time.</p>
        )}
        <table className="table" aria-label="Exposures of the night">
          <thead>
            <tr>
              <th>Exposure</th>
              <th>Flavor</th>
              <th>Program</th>
              <th>Status</th>
              <th>QA</th>
              <th>Readout → QA</th>
              <th>Budget</th>
            </tr>
          </thead>
          <tbody>
            {summary.exposures.map((e) => (
              <tr key={e.expid}>
                <td>{e.expid}</td>
                <td>{e.flavor}</td>
                <td>{e.program || '—'}</td>
                <td>
                  {e.status ?? '—'}
                  {e.processes > 1 ? ` (${e.processes} runs)` : ''}
                </td>
                <td>
                  <QaBadge status={e.qa_status || null} />
                </td>
                <td className={e.over_budget ? 'error' : undefined}>
                  {seconds(e.readout_to_qa_s)}
                </td>
                <td>{seconds(e.budget_s)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-label="Failures">
        <h2>Failures</h2>
        {summary.failures.length === 0 && <p className="muted">No failed process.</p>}
        <ul>
          {summary.failures.map((f) => (
            <li key={f.process_id}>
              Process {f.process_id} of exposure {f.expid} {f.status}
              {f.jobs.map((j) => (
                <div key={j.camera} className="small">
                  {j.camera}
                  {j.failed_step ? ` in ${j.failed_step}` : ''}: {j.error || 'no reason recorded'}
                </div>
              ))}
            </li>
          ))}
        </ul>
      </section>

      <section aria-label="Alarms">
        <h2>Alarms</h2>
        {summary.alarms.length === 0 ? (
          <p className="muted">No alarm.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Time</th>
                <th>Level</th>
                <th>Exposure</th>
                <th>Camera</th>
                <th>Alarm</th>
                <th>Acknowledged</th>
              </tr>
            </thead>
            <tbody>
              {summary.alarms.map((a) => (
                <tr key={a.seq}>
                  <td>{dateTime(a.time)}</td>
                  <td className={a.level === 'ALARM' ? 'qa-alarm' : 'qa-warning'}>{a.level}</td>
                  <td>{a.expid ?? '—'}</td>
                  <td>{a.camera || '—'}</td>
                  <td>{a.text}</td>
                  <td>{a.ack ? `${a.ack.author}: ${a.ack.note}` : 'not yet'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <NightRunbooks runbooks={summary.runbooks ?? []} />

      <section aria-label="Comments">
        <h2>Comments</h2>
        {summary.comments.length === 0 && <p className="muted">No comment.</p>}
        <ul>
          {summary.comments.map((c) => (
            <li key={`${c.process_id}-${c.created}`}>
              <span className="muted">
                {dateTime(c.created)} · exposure {c.expid} · {c.author || '—'}:
              </span>{' '}
              {c.text}
            </li>
          ))}
        </ul>
      </section>

      <section aria-label="Key metrics">
        <h2>Key metrics, last nights</h2>
        {summary.trends.length === 0 ? (
          <p className="muted">No key metric measured this night.</p>
        ) : (
          <KeyMetrics trends={summary.trends} />
        )}
      </section>
    </>
  );
}
