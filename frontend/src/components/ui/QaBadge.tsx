import { qaClass } from '@/lib/instrument';

import { gradeGlyph, gradeName } from './Grade';
import type { QaStatus } from '@/lib/types';

type Props = { status: QaStatus | null; failed?: boolean; reason?: string | null };

export function QaBadge({ status, failed = false, reason }: Props) {
  const label = gradeName(status, failed);
  return (
    <span className={`badge ${qaClass(status, failed)}`} title={reason ?? undefined}>
      {gradeGlyph(status, failed)} {label}
    </span>
  );
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge state-${state}`}>{state}</span>;
}
