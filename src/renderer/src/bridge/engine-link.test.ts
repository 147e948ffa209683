import { describe, expect, it } from 'vitest';
import type { CockpitApi, CommandResult, EventBatch } from '../../../engine/contract/index';
import { createCockpitStore } from '../store/cockpit-store';
import { batch, ev, host, snapshot, trade } from '../testing/fixtures';
import { EngineLink, type LinkTimers } from './engine-link';

const T0 = 34_200_000_000_000;

/** An engine API whose GetSnapshot answers are released by the test. */
class FakeApi implements CockpitApi {
  readonly transport = 'electron' as const;
  readonly calls: string[] = [];
  private listener: ((b: EventBatch) => void) | null = null;
  private readonly waiting: ((r: CommandResult<unknown>) => void)[] = [];

  invoke(name: string): Promise<never> {
    this.calls.push(name);
    const answer = new Promise<CommandResult<unknown>>((resolve) => this.waiting.push(resolve));
    return answer as Promise<never>;
  }

  onEvents(listener: (b: EventBatch) => void): () => void {
    this.listener = listener;
    return () => (this.listener = null);
  }

  emit(b: EventBatch): void {
    this.listener?.(b);
  }

  async answerSnapshot(lastSeq: number, trades: { ts: number; price: number; size: number }[] = []): Promise<void> {
    this.waiting.shift()?.({ ok: true, value: { snapshot: snapshot(lastSeq, { trades }), host } });
    await Promise.resolve();
    await Promise.resolve();
  }

  /** Answers as a replay does: its nearest snapshot, and the events from there to where it stands. */
  async answerReplaySnapshot(lastSeq: number, catchUp: EventBatch): Promise<void> {
    this.waiting.shift()?.({ ok: true, value: { snapshot: snapshot(lastSeq), host, catchUp } });
    await Promise.resolve();
    await Promise.resolve();
  }

  async fail(): Promise<void> {
    this.waiting.shift()?.({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: 'not yet' } });
    await Promise.resolve();
    await Promise.resolve();
  }
}

/** Frames and timers that run only when the test says so. */
function manual() {
  const frames: (() => void)[] = [];
  const timers = new Map<number, () => void>();
  let next = 0;
  const t: LinkTimers = {
    setTimeout: (fn) => {
      next += 1;
      timers.set(next, fn);
      return next;
    },
    clearTimeout: (h) => void timers.delete(h as number),
  };
  return {
    scheduler: (f: () => void) => void frames.push(f),
    timers: t,
    frame: () => frames.splice(0).forEach((f) => f()),
    pendingFrames: () => frames.length,
    fireTimers: () => {
      const due = [...timers.values()];
      timers.clear();
      due.forEach((f) => f());
    },
  };
}

function setup() {
  const api = new FakeApi();
  const store = createCockpitStore('electron');
  const m = manual();
  const link = new EngineLink(api, store, { scheduler: m.scheduler, timers: m.timers });
  const stop = link.start();
  return { api, store, m, link, stop };
}

describe('EngineLink', () => {
  it('asksForASnapshotOnStart', () => {
    const { api } = setup();
    expect(api.calls).toEqual(['GetSnapshot']);
  });

  it('appliesBatchesHeldBeforeTheFirstSnapshotOnTopOfIt', async () => {
    const { api, store, m } = setup();
    api.emit(batch([trade(9, T0, 9), trade(10, T0, 10)]));
    api.emit(batch([trade(11, T0, 11)]));
    m.frame();
    expect(store.getState().session).toBeNull();
    await api.answerSnapshot(10);
    const s = store.getState();
    expect(s.sync).toBe('live');
    expect(s.lastSeq).toBe(11);
    expect(s.tape.map((t) => t.price)).toEqual([11]);
  });

  it('appliesEverythingReceivedInAFrameWithOneStoreUpdate', async () => {
    const { api, store, m } = setup();
    await api.answerSnapshot(10);
    let updates = 0;
    store.subscribe(() => (updates += 1));
    api.emit(batch([trade(11, T0, 11)]));
    api.emit(batch([trade(12, T0, 12)]));
    api.emit(batch([trade(13, T0, 13)]));
    expect(m.pendingFrames()).toBe(1);
    expect(updates).toBe(0);
    m.frame();
    expect(updates).toBe(1);
    expect(store.getState().lastSeq).toBe(13);
  });

  it('healsAGapWithASnapshotAndTheEventsAfterIt', async () => {
    const { api, store, m } = setup();
    await api.answerSnapshot(10);
    api.emit(batch([trade(11, T0, 11)]));
    m.frame();
    api.emit(batch([trade(15, T0, 15)]));
    m.frame();
    expect(api.calls).toEqual(['GetSnapshot', 'GetSnapshot']);
    expect(store.getState().sync).toBe('resyncing');
    expect(store.getState().lastSeq).toBe(11);
    api.emit(batch([trade(16, T0, 16)]));
    m.frame();
    await api.answerSnapshot(15, [{ ts: T0, price: 15, size: 1 }]);
    const s = store.getState();
    expect(s.sync).toBe('live');
    expect(s.lastSeq).toBe(16);
    expect(s.tape.map((t) => t.price)).toEqual([16, 15]);
    expect(s.activity[0]?.title).toBe('Resynchronised');
    api.emit(batch([trade(17, T0, 17)]));
    m.frame();
    expect(store.getState().lastSeq).toBe(17);
  });

  it('resetsToAnotherStreamDroppingWhatTheOldOneSentAndAppliesTheReplaysCatchUp', async () => {
    const { api, store, m, link } = setup();
    await api.answerSnapshot(10);
    api.emit(batch([trade(11, T0, 11)]));
    m.frame();
    store.setState({ decisions: [{ key: 'd', ts: T0, agentId: 'a1', agentName: 'A', action: 'x', size: 1, price: null, reason: 'r', inputs: {}, explanation: null } as unknown as ReturnType<typeof store.getState>['decisions'][number]] });
    // The old stream's batch, queued but not yet applied when the stream changes, is the old stream's.
    api.emit(batch([trade(12, T0, 12)]));
    link.resync('reset');
    m.frame();
    // The new stream's batch, after the reset, is held and applied on top of the catch-up.
    api.emit(batch([trade(8, T0, 8)]));
    m.frame();
    await api.answerReplaySnapshot(5, batch([trade(6, T0, 6), trade(7, T0, 7)]));
    const s = store.getState();
    expect(s.sync).toBe('live');
    expect(s.lastSeq).toBe(8);
    expect(s.tape.map((t) => t.price)).toEqual([8, 7, 6]);
    expect(s.decisions).toEqual([]);
  });

  it('rebuildsFromTheNewSessionsSnapshotWhenAStreamStartsAgainFromItsFirstEvent', async () => {
    const { api, store, m } = setup();
    await api.answerSnapshot(10);
    api.emit(batch([trade(11, T0, 11)]));
    m.frame();
    expect(api.calls).toHaveLength(1);
    // A window started a new session: its stream begins at seq 1, which a gap check would take for old news.
    api.emit(batch([trade(1, T0, 101), trade(2, T0, 102)]));
    m.frame();
    expect(api.calls).toHaveLength(2);
    await api.answerSnapshot(1);
    const s = store.getState();
    expect(s.sync).toBe('live');
    expect(s.lastSeq).toBe(2);
    expect(s.tape.map((t) => t.price)).toEqual([102]);
  });

  it('retriesTheSnapshotWhenTheEngineIsNotReady', async () => {
    const { api, store, m } = setup();
    await api.fail();
    expect(api.calls).toHaveLength(1);
    m.fireTimers();
    expect(api.calls).toHaveLength(2);
    await api.answerSnapshot(3);
    expect(store.getState().sync).toBe('live');
  });

  it('asksAgainWhenTheSnapshotIsOlderThanTheHeldEvents', async () => {
    const { api, store, m } = setup();
    api.emit(batch([trade(30, T0, 30)]));
    m.frame();
    await api.answerSnapshot(10);
    expect(store.getState().lastSeq).toBe(10);
    m.fireTimers();
    expect(api.calls).toHaveLength(2);
    await api.answerSnapshot(29);
    expect(store.getState().lastSeq).toBe(30);
  });

  it('startsOverFromASnapshotAfterTheLinkComesBack', async () => {
    const { api, store, m, link } = setup();
    await api.answerSnapshot(10);
    link.connectionChanged('reconnecting', 'closed (1006)');
    expect(store.getState().connection.status).toBe('reconnecting');
    api.emit(batch([trade(11, T0, 11)]));
    m.frame();
    expect(store.getState().lastSeq).toBe(10);
    link.connectionChanged('connected', null);
    expect(api.calls).toEqual(['GetSnapshot', 'GetSnapshot']);
    await api.answerSnapshot(50);
    expect(store.getState().lastSeq).toBe(50);
    expect(store.getState().connection.status).toBe('connected');
  });

  it('rebuildsFromASnapshotWhenANewSessionStarts', async () => {
    const { api, m } = setup();
    await api.answerSnapshot(10);
    api.emit(batch([ev(11, T0, { kind: 'SessionStarted', sessionId: 's-2', seed: 8, market: 'sim', symbol: 'ACME' })]));
    m.frame();
    expect(api.calls).toEqual(['GetSnapshot', 'GetSnapshot']);
  });

  it('stopsApplyingAfterStop', async () => {
    const { api, store, m, stop } = setup();
    await api.answerSnapshot(10);
    stop();
    api.emit(batch([trade(11, T0, 11)]));
    m.frame();
    expect(store.getState().lastSeq).toBe(10);
  });
});
