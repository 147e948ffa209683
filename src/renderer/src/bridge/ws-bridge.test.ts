import { describe, expect, it } from 'vitest';
import type { EventBatch } from '../../../engine/contract/index';
import { createBrowserBridge, socketUrlFor, type BridgeStatus, type SocketLike } from './ws-bridge';

class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: unknown[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { readonly data: unknown }) => void) | null = null;
  onclose: ((ev: { readonly code: number; readonly reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(code = 1000, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(msg: unknown): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const delays: number[] = [];
  const bridge = createBrowserBridge({
    url: 'ws://127.0.0.1:5000/ws?token=abc',
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    backoffMs: (n) => {
      delays.push(n);
      return 100 * n;
    },
    commandTimeoutMs: 1_000,
    timers: {
      setTimeout: (fn, ms) => {
        next += 1;
        timers.set(next, { fn, ms });
        return next;
      },
      clearTimeout: (h) => void timers.delete(h as number),
    },
  });
  const statuses: BridgeStatus[] = [];
  bridge.onStatus((s) => statuses.push(s));
  const fire = (ms: number) => {
    for (const [id, t] of [...timers]) {
      if (t.ms === ms) {
        timers.delete(id);
        t.fn();
      }
    }
  };
  return { bridge, sockets, statuses, delays, fire, socket: () => sockets[sockets.length - 1]! };
}

describe('socketUrlFor', () => {
  it('pointsAtTheSameHostWithThePagesToken', () => {
    expect(socketUrlFor('http://127.0.0.1:4321/?token=t%2Bk')).toEqual({ url: 'ws://127.0.0.1:4321/ws?token=t%2Bk', token: 't+k' });
    expect(socketUrlFor('https://localhost:8443/index.html?token=x').url).toBe('wss://localhost:8443/ws?token=x');
  });

  it('reportsAMissingToken', () => {
    expect(socketUrlFor('http://127.0.0.1:4321/').token).toBeNull();
  });
});

describe('createBrowserBridge', () => {
  it('sendsCommandsAndResolvesThemByTheirId', async () => {
    const { bridge, socket, statuses } = setup();
    socket().open();
    expect(bridge.transport).toBe('browser');
    expect(statuses).toEqual(['connecting', 'connected']);
    const p1 = bridge.invoke('KillAll', { reason: 'drill' });
    const p2 = bridge.invoke('GetSnapshot', {});
    expect(socket().sent).toEqual([
      { t: 'cmd', id: 1, name: 'KillAll', payload: { reason: 'drill' } },
      { t: 'cmd', id: 2, name: 'GetSnapshot', payload: {} },
    ]);
    socket().receive({ t: 'res', id: 2, result: { ok: false, error: { code: 'INTERNAL', message: 'x' } } });
    socket().receive({ t: 'res', id: 1, result: { ok: true, value: { state: 'halted', agentsHalted: 1, ordersCancelled: 0 } } });
    expect(await p1).toEqual({ ok: true, value: { state: 'halted', agentsHalted: 1, ordersCancelled: 0 } });
    expect(await p2).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('deliversEventBatchesToListeners', () => {
    const { bridge, socket } = setup();
    socket().open();
    const got: EventBatch[] = [];
    const off = bridge.onEvents((b) => got.push(b));
    const b: EventBatch = { firstSeq: 1, lastSeq: 0, simTimeNs: 5, events: [] };
    socket().receive({ t: 'events', batch: b });
    off();
    socket().receive({ t: 'events', batch: b });
    expect(got).toEqual([b]);
  });

  it('resolvesPendingCommandsAsUnavailableWhenTheSocketCloses', async () => {
    const { bridge, socket } = setup();
    socket().open();
    const p = bridge.invoke('PauseSession', { reason: 'x' });
    socket().close(1006);
    expect(await p).toMatchObject({ ok: false, error: { code: 'ENGINE_UNAVAILABLE' } });
  });

  it('failsACommandAtOnceWhenNotConnected', async () => {
    const { bridge, socket } = setup();
    expect(await bridge.invoke('GetSnapshot', {})).toMatchObject({ ok: false, error: { code: 'ENGINE_UNAVAILABLE' } });
    expect(socket().sent).toEqual([]);
  });

  it('resolvesACommandNobodyAnswersAfterTheTimeout', async () => {
    const { bridge, socket, fire } = setup();
    socket().open();
    const p = bridge.invoke('GetSnapshot', {});
    fire(1_000);
    expect(await p).toMatchObject({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: expect.stringContaining('no answer') } });
  });

  it('givesABacktestMinutesBeforeCallingItUnanswered', async () => {
    const { bridge, socket, fire } = setup();
    socket().open();
    let settled = false;
    const p = bridge.invoke('RunBacktest', { scenario: 'calm', seedFrom: 1, seedTo: 2, strategies: ['twap'], side: 'buy', quantity: 100, horizonSeconds: 300 });
    void p.then(() => (settled = true));
    fire(1_000);
    await Promise.resolve();
    expect(settled).toBe(false);
    fire(600_000);
    expect(await p).toMatchObject({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: expect.stringContaining('600 s') } });
  });

  it('reconnectsWithGrowingBackoffAndResetsItOnceOpen', () => {
    const { sockets, socket, statuses, delays, fire } = setup();
    socket().open();
    socket().close(1006);
    expect(statuses[statuses.length - 1]).toBe('reconnecting');
    fire(100);
    expect(sockets).toHaveLength(2);
    socket().close(1006);
    fire(200);
    expect(sockets).toHaveLength(3);
    expect(delays).toEqual([1, 2]);
    socket().open();
    expect(statuses[statuses.length - 1]).toBe('connected');
    socket().close(1006);
    expect(delays).toEqual([1, 2, 1]);
  });

  it('staysClosedAfterClose', () => {
    const { bridge, sockets, socket, fire } = setup();
    socket().open();
    bridge.close();
    fire(100);
    expect(sockets).toHaveLength(1);
  });
});
