import { ChoiceFilter } from './ChoiceFilter';

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
        <ChoiceFilter
          label="Status"
          value={values.status ?? ''}
          choices={STATUSES}
          onChange={set('status')}
        />
      )}
      <ChoiceFilter
        label="Flavor"
        value={values.flavor}
        choices={FLAVORS}
        onChange={set('flavor')}
      />
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
