type Props = {
  label: string;
  field: string;
  ordering: string;
  onOrder: (ordering: string) => void;
};

/** A column header that orders by `field`; a second click reverses the order. */
export function SortHeader({ label, field, ordering, onOrder }: Props) {
  const active = ordering.replace(/^-/, '') === field;
  const descending = ordering.startsWith('-');
  const next = active && !descending ? `-${field}` : field;
  return (
    <th aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort" onClick={() => onOrder(next)}>
        {label}
        <span aria-hidden="true">{active ? (descending ? ' ▼' : ' ▲') : ''}</span>
      </button>
    </th>
  );
}
