import { vi } from 'vitest';

export type Handler = (request: { url: URL; body: unknown; headers: Headers }) => {
  status?: number;
  body: unknown;
};

type Routes = Record<string, Handler | object>;

/** A fetch stand-in answering `"METHOD /api/path/"` routes (query ignored) and recording calls. */
export function mockApi(routes: Routes) {
  const calls: { method: string; url: URL; body: unknown; headers: Headers }[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, url, body, headers });
    const route = routes[`${method} ${url.pathname}`];
    if (route === undefined)
      return new Response(JSON.stringify({ detail: `no mock for ${method} ${url.pathname}` }), {
        status: 404,
      });
    const answer =
      typeof route === 'function' ? (route as Handler)({ url, body, headers }) : { body: route };
    return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200 });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock };
}

/** A WebSocket stand-in: `refuse` closes at once (the backend has no feed), otherwise tests
 * push messages with `FakeSocket.last.receive(...)`. */
export class FakeSocket {
  static instances: FakeSocket[] = [];
  static refuse = true;
  static get last(): FakeSocket {
    return FakeSocket.instances[FakeSocket.instances.length - 1]!;
  }
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
    setTimeout(() => {
      if (FakeSocket.refuse) {
        this.readyState = 3;
        this.onclose?.();
      } else {
        this.readyState = 1;
        this.onopen?.();
      }
    }, 0);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
  receive(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}

export function installFakeSocket(refuse: boolean) {
  FakeSocket.instances = [];
  FakeSocket.refuse = refuse;
  vi.stubGlobal('WebSocket', FakeSocket);
}
