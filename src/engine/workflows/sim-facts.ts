/**
 * The stylized-facts run: the simulator's seeds (on worker threads, one a core: node/workers/
 * facts-pool.ts) beside the same statistics of the real LOBSTER days.
 */

import { FACT_KEYS, realStockFacts, summariseSim, verdicts } from '../sim/facts';
import type { FactKey, FactVerdict, RealStockFacts, SimSummary } from '../sim/facts';
import { runSeedFacts } from '../node/workers/facts-pool';
import type { WorkflowContext } from './workflow';
import { throwIfCancelled } from './workflow';
import type { Scenario } from '../sim/scenario';
import { measureRealFacts } from './sim-real-facts';
import { lobsterSamplePair } from '../node/files/sim-lobster-stream';

/** The LOBSTER days the facts compare with. */
export const REAL_STOCKS: ReadonlyArray<{ readonly ticker: string; readonly levels: number }> = [
  { ticker: 'AAPL', levels: 1 },
  { ticker: 'AMZN', levels: 1 },
  { ticker: 'GOOG', levels: 10 },
];


/** Measures the real days' facts with their bootstrap intervals. */
export async function realFacts(lobsterDir: string): Promise<RealStockFacts[]> {
  const out: RealStockFacts[] = [];
  for (const s of REAL_STOCKS) {
    const { facts, runs } = await measureRealFacts(lobsterSamplePair(lobsterDir, s.ticker, s.levels));
    out.push(realStockFacts(s.ticker, facts, runs));
  }
  return out;
}

export interface FactsReport {
  readonly scenario: string;
  readonly seeds: readonly number[];
  readonly sim: SimSummary;
  /** Each statistic's mean over the stocks, and every stock's own figures and intervals. */
  readonly real: Record<FactKey, number> & { readonly stocks: readonly RealStockFacts[] };
  readonly ranges: readonly FactVerdict[];
  readonly verdict: 'pass' | 'fail';
  /** Reported beside the facts, outside the verdict: how much a minute's order flow predicts the next minute's return. */
  readonly flowPredictability: Diagnostic;
  /** Reported beside the facts, outside the verdict: the 10-second to 1-minute variance ratio; the real range is the stocks' lowest to highest value. */
  readonly varianceRatio: Diagnostic;
  readonly seconds: number;
  readonly notes: readonly string[];
}

/** A statistic reported beside the facts, outside the verdict: the simulated mean, its spread over the seeds, and the real range. */
export interface Diagnostic {
  readonly sim: number;
  readonly simMin: number;
  readonly simMax: number;
  readonly realLo: number;
  readonly realHi: number;
  readonly inRealRange: boolean;
}

function meanOverStocks(stocks: readonly RealStockFacts[]): Record<FactKey, number> {
  const out = {} as Record<FactKey, number>;
  for (const key of FACT_KEYS) out[key] = stocks.reduce((sum, s) => sum + s[key], 0) / stocks.length;
  return out;
}

/** What `factsReport` compares: a scenario's seeds with the LOBSTER days in `lobsterDir`. */
export interface FactsOptions {
  readonly scenario: Scenario;
  readonly seeds: readonly number[];
  readonly lobsterDir: string;
  /** Worker threads for the seeds; default one a core. */
  readonly workers?: number;
}

/** Runs the whole comparison; progress counts the simulated seeds. */
export async function factsReport(options: FactsOptions, context: WorkflowContext = {}): Promise<FactsReport> {
  const { scenario, seeds, lobsterDir } = options;
  const started = performance.now();
  throwIfCancelled(context.signal);
  const sim = runSeedFacts(scenario, seeds, {
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    ...(context.signal === undefined ? {} : { signal: context.signal }),
    ...(context.onProgress === undefined ? {} : { onProgress: (done: number, total: number) => context.onProgress?.({ done, total }) }),
  }).catch((err: unknown) => {
    throwIfCancelled(context.signal);
    throw err;
  });
  const [simFacts, real] = await Promise.all([sim, realFacts(lobsterDir)]);
  throwIfCancelled(context.signal);
  const summary = summariseSim(simFacts);
  const ranges = verdicts(summary, real);
  return {
    scenario: scenario.name,
    seeds,
    sim: summary,
    real: { ...meanOverStocks(real), stocks: real },
    ranges,
    verdict: ranges.every((r) => r.pass) ? 'pass' : 'fail',
    flowPredictability: diagnostic(
      summary.flowReturnCorr,
      summary.flowReturnCorrRange,
      real.flatMap((r) => [r.flowReturnCorr, r.flowReturnCorrCi.lo, r.flowReturnCorrCi.hi]),
    ),
    varianceRatio: diagnostic(
      summary.varianceRatio10s,
      summary.varianceRatio10sRange,
      real.map((r) => r.varianceRatio10s),
    ),
    seconds: (performance.now() - started) / 1000,
    notes: [
      'kurtosis1m is the excess kurtosis (m4/m2^2 - 3) of 1-minute mid log returns, for both.',
      'Real range: the lowest lower bound to the highest upper bound of the three stocks 95% bootstrap intervals (returns: 10-minute blocks; spread, depth: 30-minute blocks; impact: runs resampled).',
      'real.<statistic> is the mean over the stocks; real.stocks has each stock with its interval.',
      'Sim value: the mean over the seeds (a full session each); perSeedRange shows their spread.',
      'impactExponent: sim = controlled metaorders (0.1%-2% of daily volume at 10% participation) against the same-seed counterfactual; real = sign runs of aggressive orders (LOBSTER has no metaorder labels). runImpactExponent is the sign-run proxy on both.',
      'depthTop is in lots; the simulator trades 1-share lots, so it compares with shares.',
      'flowPredictability (a diagnostic outside the verdict): the correlation of a minute\'s order flow, (aggressive buy - sell volume) / aggressive volume, with the next minute\'s mid log return; the real range as for the facts (10-minute blocks).',
      'varianceRatio (a diagnostic outside the verdict): 6 x the variance of 10-second mid log returns over that of 1-minute ones, from the mid sampled each second; 1 for a random walk, below 1 when the price trends within the minute; the real range is the lowest to the highest of the three stocks.',
    ],
  };
}

/** Builds a diagnostic from the simulated mean and spread and the real values (and interval bounds) that set its range. */
function diagnostic(sim: number, simRange: { readonly min: number; readonly max: number }, real: readonly number[]): Diagnostic {
  const realLo = Math.min(...real);
  const realHi = Math.max(...real);
  return { sim, simMin: simRange.min, simMax: simRange.max, realLo, realHi, inRealRange: sim >= realLo && sim <= realHi };
}
