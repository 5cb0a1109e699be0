import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';

import { AlertRunbooks } from '@/components/runbooks/AlertRunbooks';
import { AckForm } from '@/components/ui/AckForm';
import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { Grade } from '@/components/ui/Grade';
import { config } from '@/config/env';
import { useIsOperator } from '@/lib/auth';
import { dateTime } from '@/lib/format';

import { useAlarms, type Alarm, type AlarmState } from '../api/alarms';

function label(a: Alarm): string {
  return `${a.level} ${a.camera || ''} ${a.expid ? `#${a.expid}` : ''}`.replace(/\s+/g, ' ').trim();
}

/** Alerts of the journal with who acknowledged them; operators acknowledge the open ones.
 * `?alert=<seq>` (the link of a notification) selects one: shown, its runbook open. */
export function AlarmList() {
  const selected = Number(useSearchParams()[0].get('alert')) || null;
  const [state, setState] = useState<AlarmState>(selected ? 'all' : 'open');
  const alarms = useAlarms(state, Math.max(config.pollMs, 5000));
  const operator = useIsOperator();
  const selectedRow = useRef<HTMLLIElement>(null);
  const found = alarms.data?.some((a) => a.seq === selected);
  useEffect(() => {
    if (found) selectedRow.current?.scrollIntoView?.({ block: 'center' });
  }, [found]);
  return (
    <section className="panel" aria-label="Alarms">
      <h2>
        Alarms{' '}
        <label className="small">
          show{' '}
          <select value={state} onChange={(e) => setState(e.target.value as AlarmState)}>
            <option value="open">open</option>
            <option value="acknowledged">acknowledged</option>
            <option value="all">all</option>
          </select>
        </label>
      </h2>
      <ErrorMessage error={alarms.error} />
      {alarms.isLoading && <Loading />}
      {alarms.data?.length === 0 && (
        <p className="muted">No {state === 'all' ? '' : state} alarm.</p>
      )}
      <ul className="alert-list">
        {alarms.data?.map((a) => (
          <li
            key={a.seq}
            ref={a.seq === selected ? selectedRow : undefined}
            aria-current={a.seq === selected || undefined}
            className={`alert alert-${a.level.toLowerCase()} ${a.ack ? 'alert-acked' : ''} ${a.seq === selected ? 'alert-selected' : ''}`}
          >
            <span className="muted small">{dateTime(a.time)}</span>{' '}
            <Grade status={a.level === 'ALARM' ? 'ALARM' : 'WARNING'} compact />{' '}
            <strong>{label(a)}</strong> {a.text}
            {a.cleared && <span className="muted small"> — cleared by a Reset</span>}
            {a.notified?.length ? (
              <span className="muted small">
                {' '}
                · notified:{' '}
                {a.notified.map((n) => `${n.channel} ${n.status} ${dateTime(n.time)}`).join(', ')}
              </span>
            ) : null}
            {a.ack ? (
              <p className="ack">
                ✓ acknowledged by {a.ack.author} at {dateTime(a.ack.time)}: {a.ack.note}
              </p>
            ) : (
              operator && !a.cleared && <AckForm seq={a.seq} label={label(a)} />
            )}
            <AlertRunbooks
              metrics={a.metrics}
              camera={a.camera}
              flavor={a.flavor}
              open={a.seq === selected}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
