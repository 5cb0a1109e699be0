import { qaClass } from '@/lib/instrument';
import type { QaStatus } from '@/lib/types';

/**
 * A QA grade is told by its shape, never by colour alone, the same on every screen:
 * ✔ NORMAL, ▲ WARNING, ✖ ALARM, ? UNKNOWN (could not be computed), · no QA yet, ⊘ failed.
 */
export const GRADE_GLYPH = {
  NORMAL: '✔',
  WARNING: '▲',
  ALARM: '✖',
  UNKNOWN: '?',
  none: '·',
  FAILED: '⊘',
} as const;

export function gradeGlyph(status: QaStatus | null | undefined, failed = false): string {
  if (failed) return GRADE_GLYPH.FAILED;
  return GRADE_GLYPH[status ?? 'none'];
}

export function gradeName(status: QaStatus | null | undefined, failed = false): string {
  return failed ? 'FAILED' : (status ?? 'no QA');
}

type Props = {
  status: QaStatus | null | undefined;
  failed?: boolean;
  /** Why this grade (a reason of the backend, or value against REF and ranges). */
  reason?: string | null;
  /** Only the glyph (tables, grids); the name is still read aloud and in the tooltip. */
  compact?: boolean;
};

/** A grade: its glyph and name in its colour, its reason in the tooltip and read aloud. */
export function Grade({ status, failed = false, reason, compact = false }: Props) {
  const name = gradeName(status, failed);
  const said = reason ? `${name}: ${reason}` : name;
  return (
    <span className={`grade ${qaClass(status, failed)}`} title={said} aria-label={said} role="img">
      <span aria-hidden="true" className="grade-glyph">
        {gradeGlyph(status, failed)}
      </span>
      {!compact && <span aria-hidden="true"> {name}</span>}
    </span>
  );
}

/** The legend of the grades, shown beside every grid, focal plane and table of grades. */
export function GradeLegend({ failed = true }: { failed?: boolean }) {
  const statuses: [QaStatus | null, boolean][] = [
    ['NORMAL', false],
    ['WARNING', false],
    ['ALARM', false],
    ['UNKNOWN', false],
    [null, false],
  ];
  if (failed) statuses.push([null, true]);
  return (
    <span className="grade-legend" aria-label="Grades">
      {statuses.map(([status, isFailed]) => (
        <span key={`${status}-${isFailed}`} className={`grade ${qaClass(status, isFailed)}`}>
          <span className="grade-glyph">{gradeGlyph(status, isFailed)}</span>{' '}
          {status === 'UNKNOWN' ? 'UNKNOWN (not computed)' : gradeName(status, isFailed)}
        </span>
      ))}
    </span>
  );
}
