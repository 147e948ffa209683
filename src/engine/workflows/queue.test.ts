import { describe, expect, it } from 'vitest';
import { WorkflowQueue, type JobChange } from './queue';
import type { WorkflowContext } from './workflow';
import { throwIfCancelled, WorkflowCancelled } from './workflow';

/** A job that runs until `finish` is called or its signal is aborted. */
function controllable(): { run: (c: WorkflowContext) => Promise<string>; finish: (v: string) => void; context: () => WorkflowContext } {
  let finish: (v: string) => void = () => {};
  let context: WorkflowContext | null = null;
  return {
    run: (c) => {
      context = c;
      return new Promise<string>((resolve, reject) => {
        finish = resolve;
        c.signal?.addEventListener('abort', () => reject(new WorkflowCancelled(String(c.signal?.reason))));
      });
    },
    finish: (v) => finish(v),
    context: () => context as unknown as WorkflowContext,
  };
}

function queue(running = 1, waiting = 2): { q: WorkflowQueue; changes: JobChange[] } {
  const changes: JobChange[] = [];
  return { q: new WorkflowQueue({ running, waiting }, (c) => changes.push(c)), changes };
}

describe('the workflow queue', () => {
  it('runsOneAtATimeQueuesUpToItsLimitAndAnswersBusyBeyondIt', async () => {
    const { q, changes } = queue(1, 2);
    const jobs = [controllable(), controllable(), controllable(), controllable()];
    const [a, b, c, d] = jobs.map((j, i) => q.submit(`job-${i}`, 'backtest', j.run));
    expect(a?.ok && b?.ok && c?.ok).toBe(true);
    expect(d).toEqual({ ok: false, code: 'BUSY', message: expect.stringContaining('1 workflow is running and 2 waiting') });
    expect(q.size).toBe(3);
    expect(changes.map((x) => `${x.jobId}:${x.state}`)).toEqual(['job-0:queued', 'job-0:running', 'job-1:queued', 'job-2:queued']);

    jobs[0]?.finish('first');
    await expect(a?.ok ? a.result : null).resolves.toBe('first');
    expect(changes.slice(4).map((x) => `${x.jobId}:${x.state}`)).toEqual(['job-0:done', 'job-1:running']);
    // A slot is free again in the line.
    expect(q.submit('job-4', 'backtest', controllable().run).ok).toBe(true);
  });

  it('refusesASecondJobUnderAnIdStillInUse', () => {
    const { q } = queue();
    q.submit('same', 'backtest', controllable().run);
    expect(q.submit('same', 'backtest', controllable().run)).toMatchObject({ ok: false, code: 'REJECTED' });
  });

  it('cancelsAQueuedJobWithoutRunningItAndARunningOneThroughItsSignal', async () => {
    const { q, changes } = queue(1, 2);
    const first = controllable();
    const second = controllable();
    const a = q.submit('a', 'backtest', first.run);
    let secondRan = false;
    const b = q.submit('b', 'backtest', (c) => {
      secondRan = true;
      return second.run(c);
    });
    if (!a.ok || !b.ok) throw new Error('both fit');
    expect(q.cancel('b', 'not needed')).toBe(true);
    await expect(b.result).rejects.toThrow(new WorkflowCancelled('not needed'));
    expect(changes.at(-1)).toMatchObject({ jobId: 'b', state: 'cancelled', detail: 'not needed' });

    expect(q.cancel('a', 'trader stopped it')).toBe(true);
    expect(first.context().signal?.aborted).toBe(true);
    await expect(a.result).rejects.toBeInstanceOf(WorkflowCancelled);
    expect(changes.at(-1)).toMatchObject({ jobId: 'a', state: 'cancelled', detail: 'trader stopped it' });
    expect(secondRan).toBe(false);
    expect(q.size).toBe(0);
    expect(q.cancel('a', 'again')).toBe(false);
  });

  it('reportsProgressAndAFailureWithItsMessage', async () => {
    const { q, changes } = queue();
    const s = q.submit('p', 'backtest', async (c) => {
      c.onProgress?.({ done: 1, total: 4 });
      c.onProgress?.({ done: 2, total: 4 });
      throwIfCancelled(c.signal);
      throw new Error('the scenario file is corrupt');
    });
    if (!s.ok) throw new Error('fits');
    await expect(s.result).rejects.toThrow('the scenario file is corrupt');
    expect(changes.map((x) => [x.state, x.done, x.total])).toEqual([
      ['queued', 0, 0],
      ['running', 0, 0],
      ['running', 1, 4],
      ['running', 2, 4],
      ['failed', 2, 4],
    ]);
    expect(changes.at(-1)?.detail).toBe('the scenario file is corrupt');
  });

  it('treatsAJobThatThrowsAtOnceAsFailedAndRunsTheNext', async () => {
    const { q } = queue();
    const bad = q.submit('bad', 'backtest', () => {
      throw new Error('boom');
    });
    const next = q.submit('next', 'backtest', async () => 'ran');
    if (!bad.ok || !next.ok) throw new Error('fits');
    await expect(bad.result).rejects.toThrow('boom');
    await expect(next.result).resolves.toBe('ran');
  });
});
