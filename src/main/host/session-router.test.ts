import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { EngineHost } from './engine-host';
import { SessionRouter, type RoutedClient } from './session-router';
import { Journal } from '../../engine/node/journal/journal';
import { journalPath } from '../../engine/node/journal/sessions';
import { testMeta, testSessionEvents } from '../../engine/node/journal/fixtures/test-journal';
import type { EventBatch, ReplayStatus, SessionListing, SessionSnapshot, TimelineMarkers } from '../../engine/contract/index';
import type { HostMessage } from '../../engine/contract/wire';

const LOADER = require.resolve('tsx/cjs');
const ENGINE = resolve(__dirname, 'engine-worker.ts');
const REPLAY = resolve(__dirname, 'replay-worker.ts');

let dir: string;
let recordedId: string;
let recordedPath: string;
let live: EngineHost;
let liveId: string;
let router: SessionRouter;

function engine(seed: number): EngineHost {
  return new EngineHost({ seed, dataDir: dir, appVersion: 'test', backend: 'cpu', speed: 200 }, ENGINE, LOADER);
}

/** A client whose batches are kept, with a way to wait for one that passes a test. */
function client(): { c: RoutedClient; batches: EventBatch[]; until(test: (b: EventBatch) => boolean, ms?: number): Promise<EventBatch> } {
  const batches: EventBatch[] = [];
  const waiters: Array<{ test: (b: EventBatch) => boolean; resolve: (b: EventBatch) => void }> = [];
  const c = router.connect((msg: HostMessage) => {
    if (msg.t !== 'events') return;
    batches.push(msg.batch);
    for (const w of [...waiters]) if (w.test(msg.batch)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(msg.batch);
    }
  }, 'test window');
  return {
    c,
    batches,
    until: (test, ms = 20_000) =>
      new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error('no such batch came')), ms);
        waiters.push({ test, resolve: (b) => (clearTimeout(timer), res(b)) });
      }),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'router-'));
  // A session recorded first, closed cleanly, with a command in it.
  const first = engine(7);
  const started = await first.ready();
  recordedId = started.sessionId;
  recordedPath = started.journalPath!;
  await new Promise((r) => setTimeout(r, 1500));
  await first.request('SetSpeed', { speed: 100, reason: 'slower for the record' });
  await new Promise((r) => setTimeout(r, 1000));
  await first.stop();
  live = engine(8);
  liveId = (await live.ready()).sessionId;
  router = new SessionRouter(live, { dataDir: dir, workerPath: REPLAY, sourceLoader: LOADER, appVersion: 'test' });
}, 60_000);

afterAll(async () => {
  await router.stop();
  await live.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('session router', () => {
  it('listsTheRecordedSessionsAndNamesTheLiveOne', async () => {
    const { c } = client();
    const res = await c.execute({ name: 'ListSessions', payload: {} });
    expect(res.ok).toBe(true);
    const value = (res as { value: { sessions: SessionListing[]; live: string } }).value;
    expect(value.live).toBe(liveId);
    const recorded = value.sessions.find((s) => s.id === recordedId);
    expect(recorded).toMatchObject({ market: 'calm', end: 'clean', problem: null, parent: null });
    expect(recorded!.events).toBeGreaterThan(0);
    expect(recorded!.agents.length).toBeGreaterThan(0);
    c.close();
  });

  it('playsARecordedSessionToOneWindowWithTheRecordedEventsAndRefusesOrders', async () => {
    const journal = Journal.open(recordedPath);
    const recorded = journal.events();
    journal.close();
    const replaying = client();
    const watching = client();
    const opened = await replaying.c.execute({ name: 'OpenReplay', payload: { sessionId: recordedId } });
    expect(opened.ok).toBe(true);
    // From here on the window is fed the replay alone.
    replaying.batches.length = 0;
    const { replay, markers } = (opened as { value: { replay: ReplayStatus; markers: TimelineMarkers } }).value;
    expect(replay).toMatchObject({ sessionId: recordedId, state: 'paused', position: 0, lastSeq: recorded.length });
    // The speed change is a human action on the timeline, at the event after it took effect.
    expect(markers.counts.action).toBe(1);
    expect(markers.markers.find((m) => m.kind === 'action')!.label).toContain('SetSpeed by');

    const snap = await replaying.c.execute({ name: 'GetSnapshot', payload: {} });
    expect(snap.ok).toBe(true);
    const start = (snap as { value: { snapshot: SessionSnapshot; catchUp: EventBatch } }).value;
    expect(start.snapshot.session.id).toBe(recordedId);
    expect(start.snapshot.lastSeq).toBe(0);

    // Nothing a replaying window sends reaches a market.
    const agentId = start.snapshot.agents[0]!.id;
    const kill = await replaying.c.execute({ name: 'KillAgent', payload: { agentId, reason: 'from a replay' } });
    expect(kill).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });

    await replaying.c.execute({ name: 'SetReplaySpeed', payload: { speed: 'max' } });
    await replaying.c.execute({ name: 'PlayReplay', payload: {} });
    await replaying.until((b) => b.replay?.state === 'ended');
    expect(replaying.batches.every((b) => b.replay?.sessionId === recordedId)).toBe(true);
    const played = replaying.batches.flatMap((b) => b.events);
    expect(played.map((e) => e.seq)).toEqual(recorded.map((e) => e.seq));
    expect(played.map((e) => e.kind)).toEqual(recorded.map((e) => e.kind));
    // Every batch carries the sampled depth, as a live one does.
    expect(replaying.batches.filter((b) => b.events.length > 0).every((b) => b.depth !== undefined)).toBe(true);
    // The other window still gets the live session.
    await watching.until((b) => b.events.some((e) => e.kind === 'QuoteChanged' || e.kind === 'TradePrinted') && b.replay === undefined);

    // A seek lands between snapshots: the snapshot before it and the events up to it.
    const mid = Math.floor(recorded.length / 2);
    const sought = await replaying.c.execute({ name: 'SeekReplay', payload: { seq: mid } });
    expect((sought as { value: { replay: ReplayStatus } }).value.replay).toMatchObject({ position: mid, state: 'paused' });
    const there = (await replaying.c.execute({ name: 'GetSnapshot', payload: {} })) as { ok: true; value: { snapshot: SessionSnapshot; catchUp: EventBatch } };
    expect(there.value.snapshot.lastSeq).toBeLessThanOrEqual(mid);
    expect(there.value.catchUp.firstSeq).toBe(there.value.snapshot.lastSeq + 1);
    expect(there.value.catchUp.lastSeq).toBe(mid);
    expect(there.value.catchUp.events.at(-1)?.seq ?? there.value.snapshot.lastSeq).toBe(mid);
    const beyond = await replaying.c.execute({ name: 'SeekReplay', payload: { seq: recorded.length + 1 } });
    expect(beyond).toMatchObject({ ok: false, error: { code: 'REJECTED' } });

    // A what-if branch goes to the live engine's workflows even from a replaying window, and is listed with its parent.
    const branched = await replaying.c.execute({ name: 'BranchSession', payload: { sessionId: recordedId, atSeq: mid, limits: { perAgent: { maxOrderLots: 40 } }, reason: 'smaller clips' } });
    expect(branched).toMatchObject({ ok: true, value: { parentId: recordedId, atSeq: mid } });
    const branchId = (branched as { value: { sessionId: string } }).value.sessionId;
    const listed = (await replaying.c.execute({ name: 'ListSessions', payload: {} })) as { ok: true; value: { sessions: SessionListing[] } };
    expect(listed.value.sessions.find((x) => x.id === branchId)).toMatchObject({ parent: { sessionId: recordedId, atSeq: mid }, end: 'clean' });
    // The branch replays like any session: it keeps its opening state.
    expect(await replaying.c.execute({ name: 'OpenReplay', payload: { sessionId: branchId } })).toMatchObject({ ok: true, value: { replay: { sessionId: branchId, position: 0 } } });

    // Closed, the window is fed the live session again and acts on it.
    const closed = await replaying.c.execute({ name: 'CloseReplay', payload: {} });
    expect(closed).toMatchObject({ ok: true, value: { live: liveId } });
    const back = (await replaying.c.execute({ name: 'GetSnapshot', payload: {} })) as { ok: true; value: { snapshot: SessionSnapshot } };
    expect(back.value.snapshot.session.id).toBe(liveId);
    const n = replaying.batches.length;
    await replaying.until((b) => b.replay === undefined && b.events.length > 0);
    expect(replaying.batches.slice(n).every((b) => b.replay === undefined)).toBe(true);
    replaying.c.close();
    watching.c.close();
  }, 60_000);

  it('refusesWhatItCannotOpenOrHasNoReplayFor', async () => {
    const { c } = client();
    expect(await c.execute({ name: 'PlayReplay', payload: {} })).toMatchObject({ ok: false, error: { code: 'REJECTED', message: expect.stringContaining('no replay open') } });
    expect(await c.execute({ name: 'CloseReplay', payload: {} })).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    expect(await c.execute({ name: 'OpenReplay', payload: { sessionId: 'no-such-session' } })).toMatchObject({ ok: false, error: { code: 'REJECTED', message: expect.stringContaining('no recorded session') } });
    expect(await c.request('OpenReplay', { sessionId: '../../etc/passwd' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    // A journal written before sessions kept their opening state cannot be shown from its start: said, not half shown.
    const old = Journal.create(journalPath(dir, 'old-session'), { ...testMeta, sessionId: 'old-session' });
    old.append(testSessionEvents().slice(0, 50));
    old.close();
    expect(await c.execute({ name: 'OpenReplay', payload: { sessionId: 'old-session' } })).toMatchObject({
      ok: false,
      error: { code: 'REJECTED', message: expect.stringContaining('recorded before sessions kept their opening state') },
    });
    // Not a journal at all: refused with why.
    writeFileSync(journalPath(dir, 'not-a-journal'), 'hello');
    expect(await c.execute({ name: 'OpenReplay', payload: { sessionId: 'not-a-journal' } })).toMatchObject({ ok: false, error: { code: 'REJECTED', message: expect.stringContaining('not a SQLite database') } });
    c.close();
  });
});
