import { num } from '@/lib/format';

/** An effective time against its target (requested exposure time or a tile's goal): a meter
 * and "585 s of 900 s (65 %)". */
export function EffTimeMeter({
  label,
  value,
  target,
}: {
  label: string;
  value: number | null | undefined;
  target: number | null | undefined;
}) {
  if (value == null || !target) {
    return (
      <span className="efftime-meter muted" aria-label={label}>
        —
      </span>
    );
  }
  const fraction = value / target;
  return (
    <span className="efftime-meter" aria-label={label}>
      <meter min={0} max={1} low={0.6} high={0.999} optimum={1} value={Math.min(fraction, 1)} />{' '}
      {num(value, 0)} s of {num(target, 0)} s ({num(100 * fraction, 0)} %)
    </span>
  );
}
