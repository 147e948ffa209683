/**
 * Runs a backtest on all cores: worker threads each build the market from its spec and rebuild a
 * venue per episode from (market, seed); tasks are handed out one at a time as workers come free.
 * AC on the simulator first needs pilot runs (seeds disjoint from the evaluation seeds), so those
 * run as a first phase. Falls back to the calling thread when no worker script is available (a
 * build without the worker entry) or when asked to with `workers: 0`.
 */

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AcModel, BacktestSpec, PilotResult, SeedResult } from '../../execution/backtest';
import { acModelFromPilots, pilotSeeds, runPilot, runSeed } from '../../execution/backtest';
import type { ImpactEstimate } from '../../execution/calibration';
import type { MarketSpec } from '../files/backtest-markets';
import { loadMarket } from '../files/backtest-markets';
import { abortError as aborted, findWorkerScript, startWorker, type WorkerScript } from './worker-script';

/** What every worker is started with. */
export interface BacktestWorkerData {
  readonly market: MarketSpec;
  readonly spec: BacktestSpec;
}

/** A task sent to a worker. */
export type ToBacktestWorker =
  | { readonly type: 'pilot'; readonly task: number; readonly seed: number }
  | { readonly type: 'seed'; readonly task: number; readonly seed: number; readonly acModel: AcModel | undefined };

/** What a worker reports. */
export type FromBacktestWorker =
  | { readonly type: 'episode'; readonly seed: number; readonly strategy: string }
  | { readonly type: 'pilot-done'; readonly task: number; readonly result: PilotResult }
  | { readonly type: 'seed-done'; readonly task: number; readonly result: SeedResult }
  | { readonly type: 'error'; readonly task: number; readonly message: string };

/** How `runBacktest` spreads the work and reports progress. */
export interface BacktestRunOptions {
  /** Worker threads; defaults to the available cores; 0 runs in the calling thread. */
  readonly workers?: number;
  /** Pilot seeds for AC on the simulator; defaults to 4. */
  readonly pilots?: number;
  /** Told after each finished episode or pilot. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Aborting it terminates the workers (between episodes in the calling thread); the run rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}


/** Every seed's result, and the AC calibration used. */
export interface BacktestOutcome {
  readonly results: SeedResult[];
  readonly pilotSeeds: number[];
  /** AC's pilot calibration (simulator with AC only). */
  readonly acCalibration: (AcModel & { readonly estimate: ImpactEstimate }) | null;
  /** Worker threads used (0: the calling thread). */
  readonly workers: number;
}

/** Runs every strategy of `spec` on every seed; see the module comment. */
export async function runBacktest(market: MarketSpec, spec: BacktestSpec, seeds: readonly number[], options: BacktestRunOptions = {}): Promise<BacktestOutcome> {
  if (seeds.length === 0) throw new Error('a backtest needs at least one seed, received none');
  if (new Set(seeds).size !== seeds.length) throw new Error('seeds must be distinct, received duplicates');
  const needsPilots = market.kind === 'sim' && (market.acCalibration ?? 'pilot') === 'pilot' && spec.strategies.includes('ac');
  const pilots = needsPilots ? pilotSeeds(seeds, options.pilots ?? 4) : [];
  const total = pilots.length + seeds.length * spec.strategies.length;
  let done = 0;
  const signal = options.signal;
  if (signal?.aborted) throw aborted(signal, 'the backtest was aborted');
  const tick = (): void => {
    done++;
    options.onProgress?.(done, total);
    if (workers === 0 && signal?.aborted) throw aborted(signal, 'the backtest was aborted');
  };
  const script = workerScript();
  const wanted = options.workers ?? availableParallelism();
  const workers = script === null ? 0 : Math.max(0, Math.min(wanted, Math.max(pilots.length, seeds.length)));

  if (workers === 0) {
    const loaded = await loadMarket(market);
    const pilotResults = pilots.map((s) => {
      const r = runPilot(loaded, spec, s);
      tick();
      return r;
    });
    const ac = pilotResults.length > 0 ? acModelFromPilots(pilotResults, spec.decisionIntervalNs) : null;
    const results = seeds.map((s) => runSeed(loaded, spec, s, ac ?? undefined, tick));
    return { results, pilotSeeds: pilots, acCalibration: ac, workers: 0 };
  }

  const pool = new Pool(script as WorkerScript, { market, spec }, workers, tick);
  const onAbort = (): void => pool.abort(aborted(signal as AbortSignal, 'the backtest was aborted'));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const pilotResults = await pool.run(pilots.map((seed) => (task: number): ToBacktestWorker => ({ type: 'pilot', task, seed })));
    const ac = pilotResults.length > 0 ? acModelFromPilots(pilotResults as PilotResult[], spec.decisionIntervalNs) : null;
    const results = await pool.run(seeds.map((seed) => (task: number): ToBacktestWorker => ({ type: 'seed', task, seed, acModel: ac ?? undefined })));
    return { results: results as SeedResult[], pilotSeeds: pilots, acCalibration: ac, workers };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
}


/** Returns the worker script beside this module: the TypeScript source under tsx/vitest, the built file otherwise, or null. */
function workerScript(): WorkerScript | null {
  return findWorkerScript('backtest-worker', __filename);
}

type Job = (task: number) => ToBacktestWorker;

/** A fixed set of workers that takes batches of tasks and hands them out as workers come free. */
class Pool {
  private readonly workers: Worker[] = [];
  private failure: Error | null = null;
  private closing = false;
  private onDone: ((task: number, result: PilotResult | SeedResult) => void) | null = null;
  private onFail: ((err: Error) => void) | null = null;
  private readonly idle: Worker[] = [];

  constructor(script: WorkerScript, data: BacktestWorkerData, count: number, onEpisode: () => void) {
    for (let i = 0; i < count; i++) {
      const w = startWorker(script, data);
      w.on('message', (m: FromBacktestWorker) => {
        if (m.type === 'episode') onEpisode();
        else if (m.type === 'error') this.fail(new Error(m.message));
        else {
          if (m.type === 'pilot-done') onEpisode();
          this.idle.push(w);
          this.onDone?.(m.task, m.result);
        }
      });
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`a backtest worker exited with code ${code}`));
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  /** Runs the jobs and returns their results in job order. */
  run(jobs: readonly Job[]): Promise<Array<PilotResult | SeedResult>> {
    if (jobs.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const results = new Array<PilotResult | SeedResult>(jobs.length);
      let next = 0;
      let finished = 0;
      const feed = (): void => {
        while (this.idle.length > 0 && next < jobs.length) {
          const w = this.idle.pop() as Worker;
          const task = next++;
          w.postMessage((jobs[task] as Job)(task));
        }
      };
      this.onDone = (task, result) => {
        results[task] = result;
        finished++;
        if (finished === jobs.length) resolve(results);
        else feed();
      };
      this.onFail = reject;
      if (this.failure) reject(this.failure);
      else feed();
    });
  }

  /** Fails the running batch at once with `err`; close() then terminates the workers. */
  abort(err: Error): void {
    this.fail(err);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.onFail?.(err);
  }
}
