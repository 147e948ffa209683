/**
 * Stylized facts of the simulator against real data.
 *
 * Per seed: one background-only day records the facts (`FactsRecorder`) and, as the exact
 * counterfactual, the mid at the times the metaorders are measured. Then, for each metaorder size
 * (a fraction of that day's traded volume), the same seed runs twice more with an execution agent
 * on a `SimVenue` that buys, then sells, the metaorder with equal market-order children every
 * `childSeconds` at a fixed participation of the day's volume rate, so a metaorder of fraction f
 * lasts f / participation of the session. Its impact is the signed mid difference against the
 * counterfactual averaged over the last quarter of its children (just after each), in basis points
 * of the mid when it starts: the peak impact, with the noise of a single reading averaged down;
 * a metaorder's impact is the mean of its buy and its sell. The impact
 * exponent is the slope of log mean impact (over seeds) against log size.
 *
 * Real data: the same recorder on LOBSTER rows; its impact exponent is measured on sign runs of
 * aggressive orders (consecutive visible executions with one aggressor side, a proxy for
 * metaorders: `runImpactExponent`), which the simulator reports too for a like-for-like check.
 */

import { NS_PER_SECOND } from '../core/clock';
import { FactsRecorder, runImpactExponent } from './facts-recorder';
import type { MarketFacts, SignRun, TopOfBook } from './facts-recorder';
import type { SimMarket } from './market';
import type { Scenario } from './scenario';
import { createSimVenue } from './sim-venue';
import { blockBootstrap, absolute, autocorrelation, correlation, excessKurtosis, fitPowerLaw, mean } from './stats';
import { Rng } from '../core/rng';

export interface MetaorderPlan {
  /** Sizes as fractions of the day's traded volume. */
  readonly fractions: readonly number[];
  /** Share of the market's volume rate the metaorder trades at. */
  readonly participation: number;
  /** When metaorders start, seconds after the open. */
  readonly startSeconds: number;
  /** Time between children, seconds. */
  readonly childSeconds: number;
}

/** The default metaorder plan: 0.1 % to 2 % of daily volume at 10 % participation, one hour in. */
export const DEFAULT_METAORDERS: MetaorderPlan = {
  fractions: [0.001, 0.002, 0.005, 0.01, 0.02],
  participation: 0.1,
  startSeconds: 3600,
  childSeconds: 10,
};

export interface MetaorderImpact {
  readonly fraction: number;
  /** Lots. */
  readonly size: number;
  readonly durationSeconds: number;
  /** Signed impact at the end against the counterfactual, basis points (positive = in the trade's direction). */
  readonly impactBps: number;
}

export interface SeedFacts {
  readonly seed: number;
  readonly facts: MarketFacts;
  readonly metaorders: readonly MetaorderImpact[];
  /** Simulated events and book messages of the background day. */
  readonly events: number;
  readonly messages: number;
}

/** Returns a `TopOfBook` view of a simulated market. */
export function marketTop(get: () => SimMarket): TopOfBook {
  return {
    bid: () => get().book.bestBid() ?? NaN,
    ask: () => get().book.bestAsk() ?? NaN,
    bidSize: () => {
      const m = get();
      const b = m.book.bestBid();
      return b === undefined ? 0 : m.book.depthAt('buy', b);
    },
    askSize: () => {
      const m = get();
      const a = m.book.bestAsk();
      return a === undefined ? 0 : m.book.depthAt('sell', a);
    },
  };
}

/** Runs one seed: the background day's facts and the metaorder impacts against it. */
export function simulateSeedFacts(scenario: Scenario, seed: number, plan: MetaorderPlan = DEFAULT_METAORDERS): SeedFacts {
  const open = Math.round(scenario.session.openSeconds * NS_PER_SECOND);
  const close = open + Math.round(scenario.session.durationSeconds * NS_PER_SECOND);
  const startNs = open + Math.round(plan.startSeconds * NS_PER_SECOND);
  const stepNs = Math.round(plan.childSeconds * NS_PER_SECOND);
  if (close - startNs < stepNs) {
    throw new Error(`the facts' metaorders start ${plan.startSeconds} s after the open and need ${plan.childSeconds} s more; scenario ${scenario.name} runs ${scenario.session.durationSeconds} s`);
  }
  // Children go out on a grid of `childSeconds` from the start; a metaorder of n children ends at start + n steps.
  const childCounts = plan.fractions.map((f) => Math.max(1, Math.ceil(((f / plan.participation) * scenario.session.durationSeconds) / plan.childSeconds)));
  const gridPoints = Math.min(Math.max(...childCounts), Math.floor((close - startNs) / stepNs));

  // The background day, which is also every metaorder's counterfactual: its mid on the grid.
  const holder: { market?: SimMarket } = {};
  const recorder = new FactsRecorder(
    marketTop(() => holder.market!),
    open,
    close,
  );
  const base = createSimVenue(scenario, seed, { marketEvents: false, recorder });
  holder.market = base.market;
  base.elapse(startNs - base.now());
  const startMid = base.mid();
  const cfMid: number[] = [];
  for (let k = 1; k <= gridPoints; k++) {
    base.elapse(startNs + k * stepNs - base.now());
    cfMid.push(base.mid());
  }
  base.elapse(close - base.now());
  const facts = recorder.finish();

  const metaorders: MetaorderImpact[] = [];
  plan.fractions.forEach((fraction, i) => {
    const children = childCounts[i]!;
    if (children > gridPoints) return;
    const size = Math.max(1, Math.round(fraction * facts.dailyVolume));
    let impact = 0;
    for (const sign of [1, -1] as const) {
      const side = sign > 0 ? 'buy' : 'sell';
      const venue = createSimVenue(scenario, seed, { marketEvents: false });
      venue.elapse(startNs - venue.now());
      let sent = 0;
      let sum = 0;
      let n = 0;
      const from = Math.floor(children * 0.75);
      for (let c = 0; c < children; c++) {
        const child = Math.round(((c + 1) * size) / children) - sent;
        if (child > 0) venue.submit({ kind: 'market', id: c + 1, side, size: child });
        sent += child;
        venue.elapse(startNs + (c + 1) * stepNs - venue.now());
        if (c >= from) {
          sum += venue.mid() - cfMid[c]!;
          n++;
        }
      }
      impact += (sign * (sum / n) * 1e4) / startMid / 2;
    }
    metaorders.push({ fraction, size, durationSeconds: (children * stepNs) / NS_PER_SECOND, impactBps: impact });
  });
  return { seed, facts, metaorders, events: base.market.eventsProcessed, messages: base.market.messages };
}

/** The statistics compared, in report order. */
export const FACT_KEYS = ['kurtosis1m', 'returnAcf1', 'absReturnAcf1', 'spreadMeanTicks', 'depthTop', 'impactExponent'] as const;
export type FactKey = (typeof FACT_KEYS)[number];

export interface RealStockFacts extends Record<FactKey, number> {
  readonly stock: string;
  /** Diagnostic, outside the verdict: see `MarketFacts.flowReturnCorr`, with its 95% bootstrap interval (10-minute blocks). */
  readonly flowReturnCorr: number;
  readonly flowReturnCorrCi: { readonly lo: number; readonly hi: number };
  /** Diagnostic, outside the verdict: see `MarketFacts.varianceRatio10s`. */
  readonly varianceRatio10s: number;
  readonly volatility1mBps: number;
  readonly runImpactExponent: number;
  readonly dailyVolume: number;
  /** 95% bootstrap interval of each statistic. */
  readonly ci: Record<FactKey, { readonly lo: number; readonly hi: number }>;
}

/** Returns a real day's facts with 95% bootstrap intervals (returns: blocks of 10 minutes; spread and depth: blocks of 30 minutes; impact: runs resampled). */
export function realStockFacts(stock: string, f: MarketFacts, runs: readonly SignRun[], seed = 7): RealStockFacts {
  const r = f.returns1m;
  const ciRuns = bootstrapRuns(runs, seed);
  return {
    stock,
    flowReturnCorr: f.flowReturnCorr,
    flowReturnCorrCi: flowCorrInterval(f, seed),
    varianceRatio10s: f.varianceRatio10s,
    kurtosis1m: f.kurtosis1m,
    returnAcf1: f.returnAcf1,
    absReturnAcf1: f.absReturnAcf1,
    spreadMeanTicks: f.spreadMeanTicks,
    depthTop: f.depthTop,
    impactExponent: f.runImpactExponent,
    runImpactExponent: f.runImpactExponent,
    volatility1mBps: f.volatility1mBps,
    dailyVolume: f.dailyVolume,
    ci: {
      kurtosis1m: blockBootstrap(r, excessKurtosis, { block: 10, seed }),
      returnAcf1: blockBootstrap(r, (x) => autocorrelation(x, 1), { block: 10, seed }),
      absReturnAcf1: blockBootstrap(r, (x) => autocorrelation(absolute(x), 1), { block: 10, seed }),
      spreadMeanTicks: blockBootstrap(f.spreadMinutes, mean, { block: 30, seed }),
      depthTop: blockBootstrap(f.depthMinutes, mean, { block: 30, seed }),
      impactExponent: ciRuns,
    },
  };
}

/** Returns the order-flow correlation's 95% interval: 10-minute blocks of the aligned minute pairs. */
export function flowCorrInterval(f: MarketFacts, seed: number): { lo: number; hi: number } {
  const index = f.flowMinutes.map((_, i) => i);
  return blockBootstrap(index, (idx) => correlation(idx.map((i) => f.flowMinutes[i] as number), idx.map((i) => f.nextReturns[i] as number)), { block: 10, seed });
}

/** Returns the sign-run impact exponent's 95% interval, the runs resampled with replacement. */
export function bootstrapRuns(runs: readonly SignRun[], seed: number, rounds = 200): { lo: number; hi: number } {
  const rng = new Rng(seed);
  const values: number[] = [];
  const sample: SignRun[] = new Array<SignRun>(runs.length);
  for (let k = 0; k < rounds; k++) {
    for (let i = 0; i < runs.length; i++) sample[i] = runs[rng.int(runs.length)]!;
    const v = runImpactExponent(sample);
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  return { lo: values[Math.floor(values.length * 0.025)] ?? NaN, hi: values[Math.min(values.length - 1, Math.floor(values.length * 0.975))] ?? NaN };
}

export interface SimSummary extends Record<FactKey, number> {
  readonly seeds: readonly number[];
  /** Diagnostic, outside the verdict: the mean over seeds of `MarketFacts.flowReturnCorr`, and its spread. */
  readonly flowReturnCorr: number;
  readonly flowReturnCorrRange: { readonly min: number; readonly max: number };
  /** Diagnostic, outside the verdict: the mean over seeds of `MarketFacts.varianceRatio10s`, and its spread. */
  readonly varianceRatio10s: number;
  readonly varianceRatio10sRange: { readonly min: number; readonly max: number };
  readonly volatility1mBps: number;
  readonly runImpactExponent: number;
  readonly dailyVolume: number;
  /** Standard error of the impact exponent's fit. */
  readonly impactExponentStdErr: number;
  /** Mean impact by metaorder fraction, basis points. */
  readonly impactByFraction: ReadonlyArray<{ readonly fraction: number; readonly impactBps: number; readonly durationSeconds: number }>;
  /** Each statistic's smallest and largest value over the seeds. */
  readonly perSeedRange: Record<FactKey, { readonly min: number; readonly max: number }>;
}

/** Averages the seeds' facts and fits the impact exponent on the mean impact by size. */
export function summariseSim(seeds: readonly SeedFacts[]): SimSummary {
  const avg = (f: (s: SeedFacts) => number): number => mean(seeds.map(f));
  const fractions = [...new Set(seeds.flatMap((s) => s.metaorders.map((m) => m.fraction)))].sort((a, b) => a - b);
  const impactByFraction = fractions.map((fraction) => {
    const ms = seeds.flatMap((s) => s.metaorders.filter((m) => m.fraction === fraction));
    return { fraction, impactBps: mean(ms.map((m) => m.impactBps)), durationSeconds: ms[0]?.durationSeconds ?? NaN };
  });
  const fit = fitPowerLaw(
    impactByFraction.map((x) => x.fraction),
    impactByFraction.map((x) => x.impactBps),
  );
  const perSeedExponent = seeds.map((s) => fitPowerLaw(s.metaorders.map((m) => m.fraction), s.metaorders.map((m) => m.impactBps)).slope);
  const range = (xs: number[]): { min: number; max: number } => {
    const ok = xs.filter((x) => Number.isFinite(x));
    return { min: Math.min(...ok), max: Math.max(...ok) };
  };
  return {
    seeds: seeds.map((s) => s.seed),
    flowReturnCorr: avg((s) => s.facts.flowReturnCorr),
    flowReturnCorrRange: range(seeds.map((s) => s.facts.flowReturnCorr)),
    varianceRatio10s: avg((s) => s.facts.varianceRatio10s),
    varianceRatio10sRange: range(seeds.map((s) => s.facts.varianceRatio10s)),
    kurtosis1m: avg((s) => s.facts.kurtosis1m),
    returnAcf1: avg((s) => s.facts.returnAcf1),
    absReturnAcf1: avg((s) => s.facts.absReturnAcf1),
    spreadMeanTicks: avg((s) => s.facts.spreadMeanTicks),
    depthTop: avg((s) => s.facts.depthTop),
    impactExponent: fit.slope,
    impactExponentStdErr: fit.slopeStdErr,
    volatility1mBps: avg((s) => s.facts.volatility1mBps),
    runImpactExponent: avg((s) => s.facts.runImpactExponent),
    dailyVolume: avg((s) => s.facts.dailyVolume),
    impactByFraction,
    perSeedRange: {
      kurtosis1m: range(seeds.map((s) => s.facts.kurtosis1m)),
      returnAcf1: range(seeds.map((s) => s.facts.returnAcf1)),
      absReturnAcf1: range(seeds.map((s) => s.facts.absReturnAcf1)),
      spreadMeanTicks: range(seeds.map((s) => s.facts.spreadMeanTicks)),
      depthTop: range(seeds.map((s) => s.facts.depthTop)),
      impactExponent: range(perSeedExponent),
    },
  };
}

export interface FactVerdict {
  readonly key: FactKey;
  readonly sim: number;
  readonly realLo: number;
  readonly realHi: number;
  readonly pass: boolean;
}

/**
 * Returns the real range of each statistic, the lowest lower bound to the highest upper bound of
 * the stocks' 95% intervals, and whether the simulator's seed mean falls inside it.
 */
export function verdicts(sim: SimSummary, real: readonly RealStockFacts[]): FactVerdict[] {
  return FACT_KEYS.map((key) => {
    const realLo = Math.min(...real.map((r) => Math.min(r.ci[key].lo, r[key])));
    const realHi = Math.max(...real.map((r) => Math.max(r.ci[key].hi, r[key])));
    const v = sim[key];
    return { key, sim: v, realLo, realHi, pass: Number.isFinite(v) && v >= realLo && v <= realHi };
  });
}
