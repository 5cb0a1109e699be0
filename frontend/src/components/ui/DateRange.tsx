type Props = {
  from: string;
  to: string;
  onChange: (patch: { from?: string; to?: string }) => void;
};

/** From / to nights (dates, YYYY-MM-DD) of a screen's filters. */
export function DateRange({ from, to, onChange }: Props) {
  return (
    <>
      <label>
        From
        <input
          type="date"
          value={from}
          max={to || undefined}
          onChange={(e) => onChange({ from: e.target.value })}
        />
      </label>
      <label>
        To
        <input
          type="date"
          value={to}
          min={from || undefined}
          onChange={(e) => onChange({ to: e.target.value })}
        />
      </label>
    </>
  );
}

/** A date `days` before today (UTC), as YYYY-MM-DD. */
export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}
