/** A labelled night (YYYYMMDD) field; optional ones say what their blank means. */
export function NightInput({
  label,
  value,
  onChange,
  blank,
}: {
  label: string;
  value: string;
  onChange: (night: string) => void;
  /** What an empty field means ("open", "latest"); without it the night is required. */
  blank?: string;
}) {
  return (
    <label>
      {label}{' '}
      <input
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={blank ?? 'YYYYMMDD'}
        size={9}
        required={blank === undefined}
      />
    </label>
  );
}
