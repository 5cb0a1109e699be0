/** A labelled select of a filter whose empty choice means "any". */
export function ChoiceFilter({
  label,
  value,
  choices,
  onChange,
}: {
  label: string;
  value: string;
  choices: readonly string[];
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice || 'any'}
          </option>
        ))}
      </select>
    </label>
  );
}
