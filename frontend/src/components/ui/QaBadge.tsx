import { qaClass } from '@/lib/instrument';
import type { QaStatus } from '@/lib/types';

export function QaBadge({ status, failed = false }: { status: QaStatus | null; failed?: boolean }) {
  const label = failed ? 'FAILED' : (status ?? 'no QA');
  return <span className={`badge ${qaClass(status, failed)}`}>{label}</span>;
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge state-${state}`}>{state}</span>;
}
