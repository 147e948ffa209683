/**
 * Simulates a scenario's seeds for the stylized facts on worker threads (one a core; the built
 * bundle's `sim-facts-worker.js` or the TypeScript source under tsx), in this thread when there is
 * no worker script or one seed. Aborting the signal terminates the workers.
 */

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { simulateSeedFacts, type SeedFacts } from '../../sim/facts';
import type { Scenario } from '../../sim/scenario';
import { abortError, findWorkerScript, startWorker } from './worker-script';

export interface FactsRunOptions {
  /** Worker threads; default one a core. */
  readonly workers?: number;
  /** Told after each seed. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/** Each seed's facts, in the order of `seeds`. */
export async function runSeedFacts(scenario: Scenario, seeds: readonly number[], options: FactsRunOptions = {}): Promise<SeedFacts[]> {
  const { signal } = options;
  const aborted = (): Error => abortError(signal as AbortSignal, 'the facts run was aborted');
  if (signal?.aborted) throw aborted();
  const script = findWorkerScript('sim-facts-worker', __filename);
  const n = Math.min(options.workers ?? availableParallelism(), seeds.length);
  let done = 0;
  const tick = (): void => options.onProgress?.(++done, seeds.length);
  if (n <= 1 || script === null) {
    return seeds.map((s) => {
      if (signal?.aborted) throw aborted();
      const facts = simulateSeedFacts(scenario, s);
      tick();
      return facts;
    });
  }
  const groups: number[][] = Array.from({ length: n }, () => []);
  seeds.forEach((s, i) => groups[i % n]?.push(s));
  const workers: Worker[] = [];
  const onAbort = (): void => void Promise.all(workers.map((w) => w.terminate()));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const results = await Promise.all(
      groups.map(
        (group) =>
          new Promise<SeedFacts[]>((resolve, reject) => {
            const out: SeedFacts[] = [];
            const data = { scenario, seeds: group };
            const w = startWorker(script, data);
            workers.push(w);
            w.on('message', (m: SeedFacts) => {
              out.push(m);
              tick();
            });
            w.on('error', reject);
            w.on('exit', (code) => {
              if (signal?.aborted) reject(aborted());
              else if (code === 0 && out.length === group.length) resolve(out);
              else reject(new Error(`a facts worker stopped with exit code ${code} after ${out.length} of ${group.length} seeds`));
            });
          }),
      ),
    );
    const bySeed = new Map(results.flat().map((r) => [r.seed, r]));
    return seeds.map((s) => bySeed.get(s) as SeedFacts);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
