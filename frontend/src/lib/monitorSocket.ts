/**
 * The live monitor feed `/ws/monitor/` (DESIGN.md 7, docs/live.md). Every protocol detail lives
 * here: message shapes, resuming with `?after=<last seq>`, reconnecting, log subscriptions and
 * control actions. Screens use the one hook, `useMonitorSocket`.
 */
import { useEffect, useRef, useState } from 'react';

import { config } from '@/config/env';

export type MonitorEvent = {
  seq: number | null;
  type: string;
  time?: string;
  payload?: Record<string, unknown>;
  [extra: string]: unknown;
};

/** `connecting` before the first answer, `live` while open, `offline` when refused or closed. */
export type SocketState = 'connecting' | 'live' | 'offline';

type Options = {
  onEvent: (event: MonitorEvent) => void;
  onState: (state: SocketState) => void;
  url?: string;
  WebSocketImpl?: typeof WebSocket;
};

const MAX_BACKOFF_MS = 15000;

export function monitorSocketUrl(after: number | null): string {
  const { protocol, host } = window.location;
  const base = `${protocol === 'https:' ? 'wss' : 'ws'}://${host}${config.monitorSocketPath}`;
  return after === null ? base : `${base}?after=${after}`;
}

export class MonitorSocket {
  private socket: WebSocket | null = null;
  private lastSeq: number | null = null;
  private backoff = 1000;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly logs = new Set<string>();

  constructor(private readonly options: Options) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
  }

  get isOpen(): boolean {
    return this.socket?.readyState === 1;
  }

  /** Operators only; the answer comes back as an `action` or `error` message. */
  sendAction(action: 'start' | 'stop' | 'reset', confirm = false): boolean {
    return this.send(confirm ? { action, confirm } : { action });
  }

  subscribeLog(processId: number, camera: string): void {
    this.logs.add(`${processId}:${camera}`);
    this.send({ subscribe: 'log', process_id: processId, camera });
  }

  unsubscribeLog(processId: number, camera: string): void {
    this.logs.delete(`${processId}:${camera}`);
    this.send({ unsubscribe: 'log', process_id: processId, camera });
  }

  private send(message: object): boolean {
    if (!this.isOpen || !this.socket) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private open(): void {
    const Impl = this.options.WebSocketImpl ?? globalThis.WebSocket;
    if (!Impl) {
      this.options.onState('offline');
      return;
    }
    this.options.onState('connecting');
    let socket: WebSocket;
    try {
      socket = new Impl(this.options.url ?? monitorSocketUrl(this.lastSeq));
    } catch {
      this.options.onState('offline');
      this.retry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.backoff = 1000;
      this.options.onState('live');
      for (const key of this.logs) {
        const [pid, camera] = key.split(':');
        this.send({ subscribe: 'log', process_id: Number(pid), camera });
      }
    };
    socket.onmessage = (message) => {
      let event: MonitorEvent;
      try {
        event = JSON.parse(String(message.data)) as MonitorEvent;
      } catch {
        return;
      }
      if (event.type === 'hello' || event.type === 'resync') {
        // Resume after the last event seen; a first connection starts from now.
        if (this.lastSeq === null || event.type === 'resync')
          this.lastSeq = Number(event.last_seq ?? 0);
      } else if (typeof event.seq === 'number') {
        if (this.lastSeq !== null && event.seq <= this.lastSeq) return; // already seen
        this.lastSeq = event.seq;
      }
      this.options.onEvent(event);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.options.onState('offline');
      this.retry();
    };
  }

  private retry(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.open(), this.backoff);
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
  }
}

/** Connect while mounted; `onEvent` always sees the latest closure. */
export function useMonitorSocket(onEvent: (event: MonitorEvent) => void) {
  const [state, setState] = useState<SocketState>('connecting');
  const handler = useRef(onEvent);
  const [socket] = useState(
    () =>
      new MonitorSocket({
        onEvent: (event) => handler.current(event),
        onState: setState,
      }),
  );
  useEffect(() => {
    handler.current = onEvent;
  });
  useEffect(() => {
    socket.start();
    return () => socket.stop();
  }, [socket]);
  return { state, socket };
}
