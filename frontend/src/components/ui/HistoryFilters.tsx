export type HistoryFilterValues = {
  status?: string;
  flavor: string;
  night_from: string;
  night_to: string;
};

const FLAVORS = ['', 'science', 'arc', 'flat', 'zero', 'dark'];
const STATUSES = ['', 'queued', 'running', 'done', 'failed', 'aborted'];

type Props = {
  values: HistoryFilterValues;
  onChange: (patch: Partial<HistoryFilterValues>) => void;
  withStatus?: boolean;
};

/** Filters shared by Processing and Observing History: status, flavor and a date range. */
export function HistoryFilters({ values, onChange, withStatus = false }: Props) {
  const set = (key: keyof HistoryFilterValues) => (value: string) => onChange({ [key]: value });
  return (
    <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
      {withStatus && (
        <label>
          Status
          <select value={values.status ?? ''} onChange={(e) => set('status')(e.target.value)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s || 'any'}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Flavor
        <select value={values.flavor} onChange={(e) => set('flavor')(e.target.value)}>
          {FLAVORS.map((f) => (
            <option key={f} value={f}>
              {f || 'any'}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <input
          type="date"
          value={values.night_from}
          onChange={(e) => set('night_from')(e.target.value)}
        />
      </label>
      <label>
        To
        <input
          type="date"
          value={values.night_to}
          onChange={(e) => set('night_to')(e.target.value)}
        />
      </label>
    </form>
  );
}
