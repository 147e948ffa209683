import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { EngineHost } from './engine-host';
import { SessionRouter, type RoutedClient } from './session-router';
import type { EngineOptions } from './protocol';
import { Journal } from '../../engine/node/journal/journal';
import { findLobsterDir } from '../../engine/node/files/backtest-markets';
import type { EngineEvent, EventBatch, SessionSnapshot } from '../../engine/contract/index';
import type { HostMessage } from '../../engine/contract/wire';

const LOADER = require.resolve('tsx/cjs');
const ENGINE = resolve(__dirname, 'engine-worker.ts');
const REPLAY = resolve(__dirname, 'replay-worker.ts');
const GOOG = 'GOOG_2012-06-21_34200000_57600000_message_10.csv.gz';

let dir: string;
let base: EngineOptions;
let router: SessionRouter;
let firstJournal: string;

/** A window on the router whose batches are kept, with a way to wait for one that passes a test (or find one that did). */
function client(): { c: RoutedClient; until(test: (b: EventBatch) => boolean, ms?: number): Promise<EventBatch> } {
  const waiters: Array<{ test: (b: EventBatch) => boolean; resolve: (b: EventBatch) => void }> = [];
  const seen: EventBatch[] = [];
  const c = router.connect((msg: HostMessage) => {
    if (msg.t !== 'events') return;
    seen.push(msg.batch);
    for (const w of [...waiters]) if (w.test(msg.batch)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(msg.batch);
    }
  }, 'test window');
  return {
    c,
    // A batch that came already counts.
    until: (test, ms = 30_000) =>
      new Promise((res, rej) => {
        const came = seen.find(test);
        if (came !== undefined) return res(came);
        const timer = setTimeout(() => rej(new Error('no such batch came')), ms);
        waiters.push({ test, resolve: (b) => (clearTimeout(timer), res(b)) });
      }),
  };
}

async function snapshotOf(c: RoutedClient): Promise<SessionSnapshot> {
  const r = await c.request('GetSnapshot', {});
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { snapshot: SessionSnapshot }).snapshot;
}

const started = (b: EventBatch): Extract<EngineEvent, { kind: 'SessionStarted' }> | undefined => b.events.find((e): e is Extract<EngineEvent, { kind: 'SessionStarted' }> => e.kind === 'SessionStarted');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'start-session-'));
  base = { seed: 8, dataDir: dir, appVersion: 'test', backend: 'cpu', speed: 50 };
  const live = new EngineHost(base, ENGINE, LOADER);
  firstJournal = (await live.ready()).journalPath!;
  router = new SessionRouter(live, { dataDir: dir, workerPath: REPLAY, sourceLoader: LOADER, appVersion: 'test' }, { base, workerPath: ENGINE, sourceLoader: LOADER, lobsterDir: findLobsterDir });
}, 60_000);

afterAll(async () => {
  await router.stop();
  await router.liveEngine.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('starting a session from a window', () => {
  it('refusesAMarketItCannotStartAndLeavesTheLiveSessionRunning', async () => {
    const { c } = client();
    const before = (await snapshotOf(c)).session.id;
    expect(await c.request('StartSession', { market: { kind: 'sim', scenario: 'nope', seed: 1 }, speed: 5, reason: 'test' })).toMatchObject({ ok: false, error: { code: 'REJECTED', message: expect.stringContaining('no scenario named "nope"; the shipped ones are busy, calm') } });
    expect(await c.request('StartSession', { market: { kind: 'lobster', day: 'XYZ_2012-06-21_34200000_57600000_message_1.csv' }, speed: 5, reason: 'test' })).toMatchObject({ ok: false, error: { code: 'REJECTED', message: expect.stringContaining('no recorded day XYZ_2012-06-21') } });
    expect(await c.request('StartSession', { market: { kind: 'lobster', day: '../../etc/passwd_message_1.csv' }, speed: 5, reason: 'test' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await c.request('StartSession', { market: { kind: 'lobster', day: GOOG, start: '25:00' }, speed: 5, reason: 'test' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    // A day starts between its first and last message.
    expect(await c.request('StartSession', { market: { kind: 'lobster', day: GOOG, start: '17:00' }, speed: 5, reason: 'test' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('the session could not start') } });
    expect((await snapshotOf(c)).session.id).toBe(before);
    c.close();
  }, 60_000);

  it('startsANewSimulatedSessionEveryLiveWindowFollowsAndClosesTheOldJournalWithTheHandover', async () => {
    const a = client();
    const b = client();
    await a.until(() => true);
    const r = await a.c.request('StartSession', { market: { kind: 'sim', scenario: 'volatile', seed: 3 }, speed: 20, reason: 'e2e: a rougher day' });
    expect(r).toMatchObject({ ok: true, value: { market: 'volatile seed 3 at 20×' } });
    const id = (r as { value: { sessionId: string } }).value.sessionId;
    // Both windows are fed the new stream, from its first event.
    const first = await b.until((x) => started(x)?.sessionId === id);
    expect(first.firstSeq).toBe(1);
    expect(started(first)).toMatchObject({ market: 'volatile', seed: 3 });
    await a.until((x) => x.lastSeq > 1 && x.simTimeNs > 0);
    const snap = await snapshotOf(a.c);
    expect(snap.session).toMatchObject({ id, market: 'volatile', seed: 3, speed: 20 });
    // The new session's first action is who started it and why.
    const opened = first.events.find((e) => e.kind === 'ActionRecorded');
    expect(opened).toMatchObject({ command: 'StartSession', by: 'test window', reason: 'e2e: a rougher day', ok: true, detail: 'volatile seed 3 at 20×' });
    // The old session's journal is closed cleanly, the handover its last action.
    const old = Journal.open(firstJournal);
    try {
      expect(old.end().end).toBe('clean');
      const last = old.events().filter((e) => e.kind === 'ActionRecorded').pop();
      expect(last).toMatchObject({ command: 'StartSession', reason: 'e2e: a rougher day', detail: 'ended for a new session: volatile seed 3 at 20×' });
    } finally {
      old.close();
    }
    a.c.close();
    b.c.close();
  }, 90_000);

  it('startsASessionOnARecordedDayFromATimeOfDay', async () => {
    const { c, until } = client();
    const r = await c.request('StartSession', { market: { kind: 'lobster', day: GOOG, start: '10:00' }, speed: 5, reason: 'test: the GOOG day' });
    expect(r).toMatchObject({ ok: true, value: { market: `${GOOG} from 10:00 at 5×` } });
    await until((x) => started(x) !== undefined);
    const snap = await snapshotOf(c);
    expect(snap.session.market).toBe(`lobster:${GOOG}`);
    expect(snap.session.symbol).toBe('GOOG');
    expect(snap.session.simTimeNs).toBeGreaterThanOrEqual(36_000e9);
    const host = ((await c.request('GetSnapshot', {})) as { value: { host: { markets: { current: unknown; days: Array<{ ticker: string }> } } } }).value.host;
    expect(host.markets.current).toEqual({ kind: 'lobster', day: GOOG, start: '10:00' });
    expect(host.markets.days.map((d) => d.ticker)).toEqual(expect.arrayContaining(['AAPL', 'AMZN', 'GOOG', 'MSFT']));
    c.close();
  }, 90_000);
});
