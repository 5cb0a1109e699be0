import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';

import { AlertRunbooks } from '@/components/runbooks/AlertRunbooks';
import { AckForm } from '@/components/ui/AckForm';
import { Grade } from '@/components/ui/Grade';
import { useIsOperator } from '@/lib/auth';
import { openAlarmsOptions, recentAlarmsOptions, type Ack, type Alarm } from '@/lib/queries/alarms';
import type { ProcessDetail } from '@/lib/types';

import type { Alert } from '../api/monitor-feed';

function beep(level: Alert['level']) {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    osc.frequency.value = level === 'ALARM' ? 880 : 520;
    osc.connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.25);
  } catch {
    /* no audio in this browser */
  }
}

/** Cameras of the shown process in WARNING or ALARM (what polling can tell without the feed). */
export function alertsOf(process: ProcessDetail | undefined): Alert[] {
  if (!process) return [];
  return process.jobs
    .filter((j) => j.qa_status === 'WARNING' || j.qa_status === 'ALARM')
    .map((j) => {
      const bad = j.steps.filter((s) => s.qa_status === j.qa_status).map((s) => s.name);
      return {
        id: `qa-${process.id}-${j.camera}`,
        level: j.qa_status as Alert['level'],
        camera: j.camera,
        expid: process.expid,
        text: bad.length ? `${bad.join(', ')}` : 'QA',
        time: j.ended ?? '',
      };
    });
}

/** The journal's alert behind an alert of the box: by seq, else by camera, exposure, level. */
function journalled(a: Alert, recent: Alarm[] | undefined): Alarm | undefined {
  return recent?.find((r) =>
    a.seq != null
      ? r.seq === a.seq
      : r.camera === (a.camera ?? '') && r.expid === a.expid && r.level === a.level,
  );
}

/** An open alarm of the journal as an alert of the box. */
function fromJournal(a: Alarm): Alert {
  return {
    id: `seq-${a.seq}`,
    seq: a.seq,
    level: a.level === 'ALARM' ? 'ALARM' : 'WARNING',
    camera: a.camera || null,
    expid: a.expid,
    text: a.text,
    time: a.time,
    ack: a.ack,
  };
}

type Props = {
  live: Alert[];
  process: ProcessDetail | undefined;
  onClear: () => void;
  onAcked?: (ack: Ack) => void;
  /** Refresh the open alarms this often (when the live feed is down). */
  pollMs?: number | false;
};

/**
 * The alerts to act on: every open alarm of the journal (until acknowledged, across reloads and
 * exposures, cleared by a Reset), this session's live alerts (acknowledged ones stay greyed until
 * "clear"), and — without the feed — the shown exposure's WARNING / ALARM cameras.
 */
export function AlertBox({ live, process, onClear, onAcked, pollMs = false }: Props) {
  const [sound, setSound] = useState(false);
  const [acking, setAcking] = useState<number | null>(null);
  const operator = useIsOperator();
  const recent = useQuery(recentAlarmsOptions(pollMs)).data;
  const open = useQuery(openAlarmsOptions(pollMs)).data ?? [];
  const fresh = live.filter((l) => l.seq == null || !open.some((o) => o.seq === l.seq));
  const known = [...open.map(fromJournal), ...fresh];
  const derived = alertsOf(process).filter(
    (a) => !known.some((l) => l.camera === a.camera && l.expid === a.expid),
  );
  const alerts = [...known, ...derived]
    .map((a) => {
      const found = journalled(a, recent); // acknowledged here or elsewhere, before or now
      return { ...a, seq: a.seq ?? found?.seq ?? null, ack: a.ack ?? found?.ack ?? null };
    })
    .sort((a, b) =>
      !a.ack !== !b.ack ? (a.ack ? 1 : -1) : a.level === b.level ? 0 : a.level === 'ALARM' ? -1 : 1,
    );
  const heard = useRef(new Set<string>());
  useEffect(() => {
    for (const a of alerts) {
      if (heard.current.has(a.id)) continue;
      heard.current.add(a.id);
      if (sound) beep(a.level);
    }
  });
  const waiting = alerts.filter((a) => !a.ack);
  const worst = waiting.find((a) => a.level === 'ALARM')?.level ?? waiting[0]?.level;

  return (
    <section
      className={`panel alerts ${worst ? `alerts-${worst.toLowerCase()}` : ''}`}
      aria-label="Alerts"
    >
      <h2>
        Alerts{' '}
        {waiting.length > 0 && (
          <span className="alert-count" aria-label={`${waiting.length} open`}>
            {waiting.length} open
          </span>
        )}{' '}
        <label className="small">
          <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} />{' '}
          sound
        </label>
        {live.some((a) => a.ack) && (
          <button
            className="btn small"
            onClick={onClear}
            title="forget the acknowledged alerts of this session; open ones stay until acknowledged"
          >
            clear acknowledged
          </button>
        )}
      </h2>
      {alerts.length === 0 ? (
        <p className="muted">No open WARNING or ALARM.</p>
      ) : (
        <ul className="alert-list">
          {alerts.map((a) => {
            const label = `${a.level} ${a.camera ?? ''} ${a.expid ? `#${a.expid}` : ''}`;
            return (
              <li
                key={a.id}
                className={`alert alert-${a.level.toLowerCase()} ${a.ack ? 'alert-acked' : 'alert-flash'}`}
              >
                <span className="alert-text">
                  <Grade status={a.level} />{' '}
                  <strong>
                    {a.camera ?? ''} {a.expid ? `#${a.expid}` : ''}
                  </strong>{' '}
                  {a.text}
                  {a.ack && (
                    <span className="ack">
                      {' '}
                      ✓ {a.ack.author}: {a.ack.note}
                    </span>
                  )}
                </span>
                {!a.ack && operator && a.seq != null && acking !== a.seq && (
                  <button
                    className="btn small"
                    aria-label={`Acknowledge ${label}`}
                    onClick={() => setAcking(a.seq ?? null)}
                  >
                    ack
                  </button>
                )}
                {!a.ack && a.seq != null && acking === a.seq && (
                  <AckForm
                    seq={a.seq}
                    label={label}
                    onDone={(ack) => {
                      setAcking(null);
                      onAcked?.(ack);
                    }}
                  />
                )}
                <AlertRunbooks seq={a.seq} camera={a.camera} floating />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
