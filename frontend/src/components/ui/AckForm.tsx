import { useState } from 'react';

import { ErrorMessage } from '@/components/ui/Feedback';
import { useAcknowledge, type Ack } from '@/lib/queries/alarms';

type Props = { seq: number; label: string; onDone?: (ack: Ack) => void };

/** A note and an Acknowledge button for one alert (operators). */
export function AckForm({ seq, label, onDone }: Props) {
  const [note, setNote] = useState('');
  const ack = useAcknowledge();
  return (
    <form
      className="ack-form"
      aria-label={`Acknowledge ${label}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!note.trim()) return;
        ack.mutate({ seq, note }, { onSuccess: (done) => onDone?.(done) });
      }}
    >
      <input
        placeholder="note (why it is known or handled)"
        aria-label="Acknowledgement note"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        maxLength={2000}
      />
      <button className="btn small" type="submit" disabled={ack.isPending || !note.trim()}>
        Acknowledge
      </button>
      <ErrorMessage error={ack.error} />
    </form>
  );
}
