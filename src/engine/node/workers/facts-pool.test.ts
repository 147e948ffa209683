import { describe, expect, it } from 'vitest';
import { loadScenario } from '../files/sim-scenarios';
import { runSeedFacts } from './facts-pool';

// An hour and five minutes of the calm session keeps each seed short.
const calm = loadScenario('calm');
const short = { ...calm, session: { ...calm.session, durationSeconds: 3900 } };

describe('the facts pool', () => {
  it('givesTheSameFactsOnWorkerThreadsAsInThisThreadAndCountsSeeds', async () => {
    const progress: number[] = [];
    const pooled = await runSeedFacts(short, [3, 1, 2], { workers: 2, onProgress: (done) => progress.push(done) });
    const inline = await runSeedFacts(short, [3, 1, 2], { workers: 1 });
    expect(pooled.map((f) => f.seed)).toEqual([3, 1, 2]);
    expect(pooled).toEqual(inline);
    expect(progress).toEqual([1, 2, 3]);
  }, 60_000);

  it('stopsItsWorkersWhenAborted', async () => {
    const controller = new AbortController();
    const run = runSeedFacts(short, [1, 2, 3, 4, 5, 6, 7, 8], { workers: 2, signal: controller.signal, onProgress: () => controller.abort('enough facts') });
    await expect(run).rejects.toThrow('enough facts');
  }, 60_000);

  it('refusesASessionTooShortForItsMetaordersWithAReason', async () => {
    const tiny = { ...calm, session: { ...calm.session, durationSeconds: 600 } };
    await expect(runSeedFacts(tiny, [1], { workers: 1 })).rejects.toThrow("the facts' metaorders start 3600 s after the open and need 10 s more; scenario calm runs 600 s");
  });
});
