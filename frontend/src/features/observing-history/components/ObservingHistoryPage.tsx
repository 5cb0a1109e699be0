import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';

import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { HistoryFilters } from '@/components/ui/HistoryFilters';
import { Pagination } from '@/components/ui/Pagination';
import { SortHeader } from '@/components/ui/SortHeader';
import { config } from '@/config/env';
import { useIsOperator } from '@/lib/auth';
import { dateTime, night, num } from '@/lib/format';
import { gradeGlyph } from '@/components/ui/Grade';
import { qaClass } from '@/lib/instrument';
import { thresholdListOptions } from '@/lib/queries/thresholds';

import { useExposures, useReprocess, type ExposureQuery } from '../api/exposures';

const COLUMNS: [string, string][] = [
  ['Exposure', 'expid'],
  ['QA', 'qa_status'],
  ['Night', 'night'],
  ['Obs. date & time', 'dateobs'],
  ['Flavor', 'flavor'],
  ['Program', 'program'],
  ['Tile', 'tile'],
  ['RA', 'ra'],
  ['Dec', 'dec'],
  ['Exp. time', 'exptime'],
  ['Airmass', 'airmass'],
  ['Seeing', 'seeing'],
];

export function ObservingHistoryPage() {
  const [query, setQuery] = useState<ExposureQuery>({
    flavor: '',
    night_from: '',
    night_to: '',
    ordering: '-expid',
    page: 1,
    page_size: 50,
  });
  const list = useExposures(query, Math.max(config.pollMs, 3000));
  const operator = useIsOperator();
  const reprocess = useReprocess();
  const [specVersion, setSpecVersion] = useState('');
  const versions = useQuery({ ...thresholdListOptions, enabled: operator });
  const update = (patch: Partial<ExposureQuery>) => setQuery((q) => ({ ...q, page: 1, ...patch }));

  return (
    <div className="page">
      <h1>Observing History</h1>
      <HistoryFilters values={query} onChange={(v) => update(v)} />
      <ErrorMessage error={list.error ?? reprocess.error} />
      {reprocess.data && (
        <p role="status" className="notice">
          {reprocess.data.detail ??
            `Exposure ${reprocess.variables?.expid} queued for processing` +
              (reprocess.variables?.spec_version
                ? ` with thresholds ${reprocess.variables.spec_version}.`
                : '.')}
        </p>
      )}
      {list.isLoading && <Loading />}
      {operator && (
        <label className="small">
          Reprocess with thresholds{' '}
          <select value={specVersion} onChange={(e) => setSpecVersion(e.target.value)}>
            <option value="">in force on the night</option>
            {versions.data?.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
              </option>
            ))}
          </select>
        </label>
      )}
      <table className="table" aria-label="Exposures">
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
            {operator && <th>Action</th>}
          </tr>
        </thead>
        <tbody>
          {list.data?.results.map((e) => (
            <tr key={e.expid}>
              <td>{e.expid}</td>
              <td>
                <Link
                  to={`/qa/exposure/${e.expid}`}
                  className={`qa-mark ${qaClass(e.qa_status)}`}
                  aria-label={`QA of exposure ${e.expid}: ${e.qa_status ?? 'none'}`}
                >
                  {gradeGlyph(e.qa_status)}
                </Link>
              </td>
              <td>{night(e.night)}</td>
              <td>{dateTime(e.dateobs)}</td>
              <td>{e.flavor}</td>
              <td>{e.program ?? '—'}</td>
              <td>{e.tile ?? '—'}</td>
              <td>{num(e.ra, 3)}</td>
              <td>{num(e.dec, 3)}</td>
              <td>{num(e.exptime, 0)}</td>
              <td>{num(e.airmass)}</td>
              <td>{num(e.seeing)}</td>
              {operator && (
                <td>
                  <button
                    className="btn small"
                    disabled={reprocess.isPending}
                    onClick={() =>
                      reprocess.mutate({ expid: e.expid, spec_version: specVersion || undefined })
                    }
                  >
                    Reprocess
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {list.data?.count === 0 && <p className="muted">No exposure matches these filters.</p>}
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
