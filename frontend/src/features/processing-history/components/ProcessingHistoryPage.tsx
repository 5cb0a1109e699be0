import { Fragment, useState } from 'react';
import { Link } from 'react-router';

import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { HistoryFilters } from '@/components/ui/HistoryFilters';
import { Pagination } from '@/components/ui/Pagination';
import { StateBadge } from '@/components/ui/QaBadge';
import { SortHeader } from '@/components/ui/SortHeader';
import { config } from '@/config/env';
import { dateTime, night, seconds } from '@/lib/format';
import { gradeGlyph } from '@/components/ui/Grade';
import { qaClass } from '@/lib/instrument';

import { useProcesses, type ProcessQuery } from '../api/processes';

import { ProcessPanel } from './ProcessPanel';

const COLUMNS: [string, string][] = [
  ['Process', 'id'],
  ['Status', 'status'],
  ['QA', 'qa_status'],
  ['Exposure', 'expid'],
  ['Flavor', 'flavor'],
  ['Program', 'program'],
  ['Tile', 'tile'],
  ['Night', 'night'],
  ['Obs. date & time', 'dateobs'],
  ['RA', 'ra'],
  ['Dec', 'dec'],
  ['Exp. time', 'exptime'],
  ['Processed', 'started'],
  ['Run-time', 'duration_s'],
];

const degrees = (value: number | null | undefined) => (value == null ? '—' : value.toFixed(2));

export function ProcessingHistoryPage() {
  const [query, setQuery] = useState<ProcessQuery>({
    status: '',
    flavor: '',
    night_from: '',
    night_to: '',
    ordering: '-id',
    page: 1,
    page_size: 50,
  });
  const [open, setOpen] = useState<number | null>(null);
  const list = useProcesses(query, Math.max(config.pollMs, 3000));
  const update = (patch: Partial<ProcessQuery>) => setQuery((q) => ({ ...q, page: 1, ...patch }));

  return (
    <div className="page">
      <h1>Processing History</h1>
      <HistoryFilters withStatus values={query} onChange={(v) => update(v)} />
      <ErrorMessage error={list.error} />
      {list.isLoading && <Loading />}
      <div className="table-scroll">
        <table className="table" aria-label="Processes">
          <thead>
            <tr>
              {COLUMNS.map(([label, field]) => (
                <SortHeader
                  key={field}
                  label={label}
                  field={field}
                  ordering={query.ordering}
                  onOrder={(ordering) => update({ ordering })}
                />
              ))}
              <th title="from readout to all QA ingested (first process), against its budget">
                Readout → QA
              </th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.results.map((p) => (
              <Fragment key={p.id}>
                <tr>
                  <td>{p.id}</td>
                  <td>
                    <StateBadge state={p.status} />
                  </td>
                  <td>
                    <Link
                      to={`/qa/${p.id}`}
                      className={`qa-mark ${qaClass(p.qa_status, p.status === 'failed')}`}
                      aria-label={`QA of process ${p.id}: ${p.qa_status ?? 'none'}`}
                    >
                      {gradeGlyph(p.qa_status)}
                    </Link>
                  </td>
                  <td>{p.expid}</td>
                  <td>{p.flavor}</td>
                  <td>{p.program ?? '—'}</td>
                  <td>{p.tile ?? '—'}</td>
                  <td>{night(p.night)}</td>
                  <td>{dateTime(p.dateobs)}</td>
                  <td>{degrees(p.ra)}</td>
                  <td>{degrees(p.dec)}</td>
                  <td>{p.exptime == null ? '—' : `${p.exptime} s`}</td>
                  <td>{dateTime(p.started)}</td>
                  <td>{seconds(p.duration_s)}</td>
                  <td
                    className={
                      (p.readout_to_qa_s ?? 0) > (p.budget_s ?? Infinity) ? 'error' : undefined
                    }
                    title={p.budget_s ? `budget ${seconds(p.budget_s)}` : undefined}
                  >
                    {seconds(p.readout_to_qa_s)}
                  </td>
                  <td>
                    <button
                      className="btn small"
                      aria-expanded={open === p.id}
                      onClick={() => setOpen(open === p.id ? null : p.id)}
                    >
                      {open === p.id ? 'Hide' : 'Comments & logs'}
                    </button>
                  </td>
                </tr>
                {open === p.id && (
                  <tr className="expanded">
                    <td colSpan={COLUMNS.length + 2}>
                      <ProcessPanel processId={p.id} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      {list.data?.count === 0 && <p className="muted">No process matches these filters.</p>}
      {list.data && (
        <Pagination
          page={query.page}
          pageSize={query.page_size}
          count={list.data.count}
          onPage={(page) => setQuery((q) => ({ ...q, page }))}
        />
      )}
    </div>
  );
}
