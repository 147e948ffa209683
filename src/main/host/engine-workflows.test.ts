import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestResult, EngineEvent, EventBatch } from '../../engine/contract/index';
import { WORKFLOW_QUEUE_LIMITS } from '../../engine/contract/index';
import { EngineHost } from './engine-host';

const WORKER = resolve(__dirname, 'engine-worker.ts');
let host: EngineHost;
const events: EngineEvent[] = [];

beforeAll(async () => {
  host = new EngineHost({ seed: 3, dataDir: null, appVersion: 'test', backend: 'cpu' }, WORKER, require.resolve('tsx/cjs'));
  host.onBatch((b: EventBatch) => events.push(...b.events));
  await host.ready();
}, 30_000);

afterAll(async () => {
  await host.stop();
});

const quick = { scenario: 'calm', seedFrom: 1, seedTo: 2, strategies: ['twap', 'pov'], side: 'buy', quantity: 300, horizonSeconds: 60, intervalSeconds: 10 } as const;
const long = { ...quick, seedFrom: 1, seedTo: 150, strategies: ['twap', 'vwap', 'pov'], horizonSeconds: 1800 } as const;

function updates(jobId: string): Array<Extract<EngineEvent, { kind: 'WorkflowUpdated' }>> {
  return events.filter((e): e is Extract<EngineEvent, { kind: 'WorkflowUpdated' }> => e.kind === 'WorkflowUpdated' && e.jobId === jobId);
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('workflows the window starts', () => {
  it('runsABacktestInItsOwnThreadWithProgressAsSessionEvents', async () => {
    const r = await host.request('RunBacktest', { ...quick, jobId: 'quick-1' });
    expect(r.ok).toBe(true);
    const result = (r as { value: BacktestResult }).value;
    expect(result.strategies.map((s) => [s.name, s.episodes])).toEqual([
      ['twap', 2],
      ['pov', 2],
    ]);
    await until(() => updates('quick-1').some((e) => e.state === 'done'), 'the done event');
    const states = updates('quick-1').map((e) => e.state);
    expect(states[0]).toBe('queued');
    expect(states).toContain('running');
    expect(updates('quick-1').at(-1)).toMatchObject({ state: 'done', done: 4, total: 4, workflow: 'backtest' });
    // Sequenced with the session's own events.
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] as number) + i));
  }, 60_000);

  it('queuesUpToItsLimitAnswersBusyBeyondItAndCancelsQueuedAndRunningJobs', async () => {
    const capacity = WORKFLOW_QUEUE_LIMITS.running + WORKFLOW_QUEUE_LIMITS.waiting;
    const ids = Array.from({ length: capacity + 1 }, (_, i) => `long-${i}`);
    const answers = ids.map((jobId) => host.request('RunBacktest', { ...long, jobId }));
    const busy = await answers[capacity];
    expect(busy).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    await until(() => updates('long-0').some((e) => e.state === 'running' && e.total > 0), 'the first job to run');
    expect(updates('long-1').map((e) => e.state)).toEqual(['queued']);

    // The same id twice is refused while the first is queued.
    expect(await host.request('RunBacktest', { ...long, jobId: 'long-1' })).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    for (const jobId of ids.slice(0, capacity).reverse()) {
      expect(await host.request('CancelWorkflow', { jobId, reason: 'test over' })).toEqual({ ok: true, value: { jobId, state: 'cancelled' } });
    }
    for (const a of answers.slice(0, capacity)) expect(await a).toMatchObject({ ok: false, error: { code: 'CANCELLED', message: expect.stringContaining('test over') } });
    await until(() => updates('long-0').some((e) => e.state === 'cancelled'), 'the cancelled event');
    expect(updates('long-2').map((e) => e.state)).toEqual(['queued', 'cancelled']);
    expect(await host.request('CancelWorkflow', { jobId: 'long-0', reason: 'again' })).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    // The queue is free again.
    expect((await host.request('RunBacktest', { ...quick, jobId: 'after' })).ok).toBe(true);
  }, 90_000);

  it('refusesAStrategiesEntryHoldingSeveralStrategies', async () => {
    const r = await host.request('RunBacktest', { ...quick, strategies: ['twap,vwap,pov,ac'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await host.request('RunBacktest', { ...quick, strategies: ['twap', 'TWAP'] })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });
});
