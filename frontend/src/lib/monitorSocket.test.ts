import { FakeSocket, installFakeSocket } from '@/testing/api-mock';

import { MonitorSocket, type MonitorEvent } from './monitorSocket';

test('resumes after the last seq it saw and drops repeats', async () => {
  vi.useFakeTimers();
  installFakeSocket(false);
  const events: MonitorEvent[] = [];
  const states: string[] = [];
  const socket = new MonitorSocket({
    onEvent: (e) => events.push(e),
    onState: (s) => states.push(s),
  });
  socket.start();
  await vi.advanceTimersByTimeAsync(1);
  expect(FakeSocket.last.url).toMatch(/\/ws\/monitor\/$/);
  FakeSocket.last.receive({ type: 'hello', seq: null, last_seq: 10 });
  FakeSocket.last.receive({ type: 'job.step', seq: 11, payload: {} });
  FakeSocket.last.receive({ type: 'job.step', seq: 11, payload: {} });
  expect(events.map((e) => e.seq)).toEqual([null, 11]);
  expect(socket.sendAction('start')).toBe(true);
  expect(FakeSocket.last.sent).toEqual([{ action: 'start' }]);

  FakeSocket.last.drop();
  expect(states.at(-1)).toBe('offline');
  await vi.advanceTimersByTimeAsync(1100);
  expect(FakeSocket.last.url).toMatch(/\/ws\/monitor\/\?after=11$/);
  expect(states.at(-1)).toBe('live');
  socket.stop();
  vi.useRealTimers();
});
