/**
 * The backtest's pure core: what one seed's episodes are (every strategy on a venue rebuilt from
 * the same seed, plus the agent-free counterfactual), what a pilot run measures for the
 * Almgren–Chriss calibration, and how episodes become the report's statistics. Worker threads,
 * files and progress live in `node/backtest-*.ts`.
 *
 * Pairing: every strategy runs on every seed, each on its own venue rebuilt from that seed, so the
 * market each one meets differs only by what the strategy itself did. Differences to TWAP are taken
 * seed by seed (paired), and a seed missing for any strategy is an error, never dropped.
 */

import type { Venue } from '../venue/types';
import type { RiskLimits } from '../risk/limits';
import type { CalibrationSums, ImpactEstimate } from './calibration';
import { addCalibration, calibrationSizes, EMPTY_CALIBRATION, estimateImpact, sampleCalibration } from './calibration';
import { MarketObserver, timeUntilStart, venueMid, warmUp } from './market-observer';
import type { MarketSignal } from '../signals/market-signal';
import type { EpisodeMetrics } from './metrics';
import { episodeMetrics } from './metrics';
import { counterfactualEndMid, runEpisode } from './runner';
import type { VolumeProfile } from './schedules';
import type { MeanWithCi } from './stats';
import { meanCi, pairedDifference, sampleSd } from './stats';
import { AlmgrenChrissStrategy, PovStrategy, TwapStrategy, VwapStrategy } from './strategies';
import type { ExecutionStrategy, ParentOrder } from './types';

/** The baseline strategies a backtest can run. */
export const BASELINES = ['twap', 'vwap', 'pov', 'ac'] as const;
/** The name of a baseline strategy. */
export type BaselineName = (typeof BASELINES)[number];

/** Returns whether `name` is a baseline's name. */
export function isBaseline(name: string): name is BaselineName {
  return (BASELINES as readonly string[]).includes(name);
}

/** Where episodes run: how to rebuild the venue for a seed and what the venue can and cannot say. */
export interface BacktestMarket {
  /** Price units per tick. */
  readonly tickSize: number;
  /** See `ExecutionSessionOptions.venuePrintsAgentFills`. */
  readonly venuePrintsAgentFills: boolean;
  /** True when the same seed rebuilt without the agent is the exact counterfactual (impact is measurable). */
  readonly counterfactual: boolean;
  /** 'pilot': AC's σ, η, γ come from pilot runs on other seeds; 'pre-trade': from each episode's pre-trade window. */
  readonly acCalibration: 'pilot' | 'pre-trade';
  /** The agent-free window before each episode's start (warm-up of the features; calibration for 'pre-trade'). */
  readonly preTradeNs: number;
  /** Returns a fresh venue for `seed`, its clock at the start of the pre-trade window, and the episode's start. */
  open(seed: number): { readonly venue: Venue; readonly startNs: number };
  /** Returns the volume profile VWAP follows for an episode from `startNs`. */
  volumeProfile(startNs: number, horizonNs: number): VolumeProfile;
}

/** What every episode of a backtest trades and how the baselines are set. */
export interface BacktestSpec {
  readonly parent: ParentOrder;
  readonly strategies: readonly BaselineName[];
  readonly decisionIntervalNs: number;
  /** POV's participation rate in (0, 1). */
  readonly povRate: number;
  /** AC's risk aversion in 1/bps (see `AlmgrenChrissParams.lambdaPerBps`). */
  readonly acLambdaPerBps: number;
  readonly unfilledPenaltyBps: number;
  /** Sampling step of pre-trade and pilot windows; defaults to 1 s. */
  readonly sampleStepNs?: number;
  /** The hard limits every order of every episode meets; `episodeLimits(parent.quantity)` when not given. */
  readonly limits?: RiskLimits;
}

/** One strategy's episode on one seed, reduced to its metrics. */
export interface EpisodeSummary {
  readonly seed: number;
  /** A baseline's name, or another strategy's (a trained policy's) report name. */
  readonly strategy: string;
  readonly startNs: number;
  readonly metrics: EpisodeMetrics;
  readonly decisions: number;
  readonly rejectedSubmits: number;
  /** Of `rejectedSubmits`, the orders the risk gate denied. */
  readonly deniedSubmits: number;
  /** AC's κT for this episode (AC only). */
  readonly kappaT?: number;
}

/** Every strategy's episode on one seed, with the seed's counterfactual. */
export interface SeedResult {
  readonly seed: number;
  readonly startNs: number;
  readonly counterfactualEndMid: number | null;
  readonly episodes: readonly EpisodeSummary[];
  /** The pre-trade AC calibration of this episode ('pre-trade' markets with AC only). */
  readonly calibration?: ImpactEstimate;
}

/** AC's market model from pilot runs: σ, η and γ. */
export interface AcModel {
  readonly sigmaBpsPerSqrtS: number;
  readonly etaBpsPerLotPerS: number;
  readonly gammaBpsPerLot: number;
}

const SECOND = 1_000_000_000;

/**
 * Runs every strategy of `spec` on `seed`, each on a venue rebuilt from the seed, plus the
 * agent-free counterfactual where the market has one. `acModel` is required for AC on a 'pilot'
 * market. `onEpisode` is told after each episode (for progress).
 */
export function runSeed(market: BacktestMarket, spec: BacktestSpec, seed: number, acModel?: AcModel, onEpisode?: (e: EpisodeSummary) => void): SeedResult {
  const step = spec.sampleStepNs ?? SECOND;
  const parent = spec.parent;
  let counterfactual: number | null = null;
  let startNs = 0;
  if (market.counterfactual) {
    const { venue, startNs: s } = market.open(seed);
    startNs = s;
    fastForward(venue, s);
    counterfactual = counterfactualEndMid(venue, parent.horizonNs, spec.decisionIntervalNs);
  }
  const episodes: EpisodeSummary[] = [];
  let calibration: ImpactEstimate | undefined;
  for (const name of spec.strategies) {
    const { venue, startNs: s } = market.open(seed);
    startNs = s;
    const observer = new MarketObserver();
    const slices = Math.max(1, Math.round(parent.horizonNs / spec.decisionIntervalNs));
    let strategy: ExecutionStrategy;
    let kappaT: number | undefined;
    if (name === 'ac' && market.acCalibration === 'pre-trade') {
      const sums = preTrade(venue, s, step, observer, parent, slices, true);
      calibration = estimateImpact(sums as CalibrationSums, spec.decisionIntervalNs / SECOND, 0);
      const ac = acStrategy(spec, calibration);
      strategy = ac;
      kappaT = (ac.kappa * parent.horizonNs) / SECOND;
    } else {
      preTrade(venue, s, step, observer, parent, slices, false);
      if (name === 'ac') {
        if (!acModel) throw new Error('AC on a pilot-calibrated market needs the pilot model (σ, η, γ), received none');
        const ac = acStrategy(spec, acModel);
        strategy = ac;
        kappaT = (ac.kappa * parent.horizonNs) / SECOND;
      } else {
        strategy = baseline(name, spec, market.volumeProfile(s, parent.horizonNs));
      }
    }
    const summary: EpisodeSummary = {
      ...runSummarisedEpisode(market, spec, { venue, strategy, observer, agentId: name, seed, startNs: s, counterfactualEndMid: counterfactual }),
      ...(kappaT === undefined ? {} : { kappaT }),
    };
    episodes.push(summary);
    onEpisode?.(summary);
  }
  return { seed, startNs, counterfactualEndMid: counterfactual, episodes, ...(calibration ? { calibration } : {}) };
}

/** What one pilot seed contributes to AC's calibration. */
export interface PilotResult {
  readonly seed: number;
  readonly sums: CalibrationSums;
  /** Permanent impact of a pilot TWAP of the parent order: bps of end-mid move per lot (null when not measurable). */
  readonly gammaBpsPerLot: number | null;
}

/**
 * A pilot run on a seed disjoint from the evaluation seeds: the agent-free market over the horizon
 * gives σ and the book-walk costs (η), and a TWAP of the parent order against that same run gives
 * the permanent impact per lot (γ).
 */
export function runPilot(market: BacktestMarket, spec: BacktestSpec, seed: number): PilotResult {
  const step = spec.sampleStepNs ?? SECOND;
  const parent = spec.parent;
  const slices = Math.max(1, Math.round(parent.horizonNs / spec.decisionIntervalNs));
  const { venue, startNs } = market.open(seed);
  fastForward(venue, startNs);
  const sums = sampleCalibration({ venue, durationNs: parent.horizonNs, stepNs: step, side: parent.side, sizes: calibrationSizes(parent.quantity, slices) });
  const cfMid = venueMid(venue, NaN);
  let gamma: number | null = null;
  if (market.counterfactual) {
    const open = market.open(seed);
    fastForward(open.venue, open.startNs);
    const r = runEpisode({
      venue: open.venue,
      strategy: new TwapStrategy(),
      parent,
      tickSize: market.tickSize,
      decisionIntervalNs: spec.decisionIntervalNs,
      recordDecisions: false,
      venuePrintsAgentFills: market.venuePrintsAgentFills,
      ...(spec.limits ? { limits: spec.limits } : {}),
    });
    const m = episodeMetrics({ side: parent.side, quantity: parent.quantity, arrivalMid: r.arrivalMid, endMid: r.endMid, fills: r.fills, counterfactualEndMid: cfMid });
    if (m.impactBps !== null && m.filled > 0) gamma = m.impactBps / m.filled;
  }
  return { seed, sums, gammaBpsPerLot: gamma };
}

/** Returns AC's model from pilot results: pooled σ and η, mean γ (0 when none is measurable). */
export function acModelFromPilots(pilots: readonly PilotResult[], decisionIntervalNs: number): AcModel & { readonly estimate: ImpactEstimate } {
  if (pilots.length === 0) throw new Error('AC calibration needs at least one pilot run, received none');
  let sums = EMPTY_CALIBRATION;
  const gammas: number[] = [];
  for (const p of pilots) {
    sums = addCalibration(sums, p.sums);
    if (p.gammaBpsPerLot !== null) gammas.push(p.gammaBpsPerLot);
  }
  const gamma = gammas.length > 0 ? Math.max(0, gammas.reduce((a, b) => a + b, 0) / gammas.length) : 0;
  const estimate = estimateImpact(sums, decisionIntervalNs / SECOND, gamma);
  return { sigmaBpsPerSqrtS: estimate.sigmaBpsPerSqrtS, etaBpsPerLotPerS: estimate.etaBpsPerLotPerS, gammaBpsPerLot: estimate.gammaBpsPerLot, estimate };
}

/** Returns `count` pilot seeds from 1,000,000,000 up, skipping any evaluation seed. */
export function pilotSeeds(evaluation: readonly number[], count: number): number[] {
  const taken = new Set(evaluation);
  const out: number[] = [];
  for (let s = 1_000_000_000; out.length < count; s++) if (!taken.has(s)) out.push(s);
  return out;
}

/** Per-strategy figures of a backtest, as the report prints them. */
export interface StrategyReport {
  readonly name: string;
  readonly episodes: number;
  readonly shortfallBps: CiFigure;
  /** Null where the venue has no counterfactual. */
  readonly impactBps: CiFigure | null;
  /** Paired difference of shortfall to TWAP on the same seeds (positive = costlier than TWAP); null without TWAP. */
  readonly vsTwapBps: CiFigure | null;
  /** Standard deviation of shortfall across episodes. */
  readonly timingRiskBps: number;
  /** Mean filled share of the parent quantity. */
  readonly fillRate: number;
  /** Mean over episodes with fills of the spread paid (bps; negative = earned); null when nothing filled. */
  readonly spreadPaidBps: number | null;
  /** Mean AC κT over episodes (AC only). */
  readonly kappaT?: number;
  /** Each episode's shortfall (bps), by seed in ascending order: what a paired comparison of two strategies needs. */
  readonly seedShortfallsBps: ReadonlyArray<{ readonly seed: number; readonly shortfallBps: number }>;
}

/** A paired difference between two strategies' shortfalls on the same seeds, with its Student-t 95% interval. */
export interface PairedShortfallDifference extends CiFigure {
  readonly n: number;
}

/**
 * Returns the paired difference of shortfall a − b (bps, positive = `a` costlier) over the seeds of
 * two strategy reports, with the interval of `pairedDifference`; throws when they do not hold the
 * same seeds (a report written before the seeds were kept holds none).
 */
export function pairedShortfallDifference(a: Pick<StrategyReport, 'name' | 'seedShortfallsBps'>, b: Pick<StrategyReport, 'name' | 'seedShortfallsBps'>): PairedShortfallDifference {
  const bySeed = (r: Pick<StrategyReport, 'name' | 'seedShortfallsBps'>): Map<number, number> => {
    const list = r.seedShortfallsBps as StrategyReport['seedShortfallsBps'] | undefined;
    if (list === undefined || list.length === 0) throw new Error(`"${r.name}" has no per-seed shortfalls (seedShortfallsBps): rerun its backtest to keep them`);
    const m = new Map<number, number>();
    for (const { seed, shortfallBps } of list) {
      if (m.has(seed)) throw new Error(`"${r.name}" has seed ${seed} twice`);
      m.set(seed, shortfallBps);
    }
    return m;
  };
  const d = pairedDifference(bySeed(a), bySeed(b));
  return { n: d.n, mean: d.mean, ci95: d.ci95 };
}

/** A mean with its 95% interval, as the report prints it. */
export interface CiFigure {
  readonly mean: number;
  /** Null below two episodes. */
  readonly ci95: readonly [number, number] | null;
}

function figure(m: MeanWithCi): CiFigure {
  return { mean: m.mean, ci95: m.ci95 };
}

/**
 * Returns the report's per-strategy figures, in the order of `strategies` (baselines or any other
 * strategy whose episodes the results hold); throws when the strategies did not run on the same seeds.
 */
export function summarise(strategies: readonly string[], results: readonly SeedResult[]): StrategyReport[] {
  const bySeed = new Map<string, Map<number, EpisodeSummary>>();
  for (const name of strategies) bySeed.set(name, new Map());
  for (const r of results) {
    for (const e of r.episodes) {
      const m = bySeed.get(e.strategy);
      if (!m) throw new Error(`an episode of "${e.strategy}" came back, expected one of ${strategies.join(', ')}`);
      if (m.has(e.seed)) throw new Error(`seed ${e.seed} ran twice for "${e.strategy}"`);
      m.set(e.seed, e);
    }
  }
  const seeds = [...new Set(results.map((r) => r.seed))].sort((a, b) => a - b);
  for (const [name, m] of bySeed) {
    const missing = seeds.filter((s) => !m.has(s));
    if (missing.length > 0) throw new Error(`"${name}" has no episode for seed(s) ${missing.slice(0, 5).join(', ')}: strategies must run on the same seeds`);
  }
  const twap = bySeed.get('twap');
  const twapShortfall = twap ? new Map([...twap].map(([s, e]) => [s, e.metrics.shortfallBps])) : undefined;
  return strategies.map((name) => {
    const eps = [...(bySeed.get(name) as Map<number, EpisodeSummary>).values()];
    const shortfalls = eps.map((e) => e.metrics.shortfallBps);
    const impacts = eps.map((e) => e.metrics.impactBps);
    const spreads = eps.map((e) => e.metrics.spreadPaidBps).filter((x): x is number => x !== null);
    const kappas = eps.map((e) => e.kappaT).filter((x): x is number => x !== undefined);
    const own = new Map(eps.map((e) => [e.seed, e.metrics.shortfallBps]));
    return {
      name,
      episodes: eps.length,
      shortfallBps: figure(meanCi(shortfalls)),
      impactBps: impacts.every((x): x is number => x !== null) && impacts.length > 0 ? figure(meanCi(impacts)) : null,
      vsTwapBps: twapShortfall ? figure(pairedDifference(own, twapShortfall)) : null,
      timingRiskBps: sampleSd(shortfalls),
      fillRate: eps.reduce((a, e) => a + e.metrics.fillRate, 0) / eps.length,
      spreadPaidBps: spreads.length > 0 ? spreads.reduce((a, b) => a + b, 0) / spreads.length : null,
      ...(kappas.length > 0 ? { kappaT: kappas.reduce((a, b) => a + b, 0) / kappas.length } : {}),
      seedShortfallsBps: eps.map((e) => ({ seed: e.seed, shortfallBps: e.metrics.shortfallBps })).sort((x, y) => x.seed - y.seed),
    };
  });
}

function baseline(name: Exclude<BaselineName, 'ac'>, spec: BacktestSpec, profile: VolumeProfile): ExecutionStrategy {
  switch (name) {
    case 'twap':
      return new TwapStrategy();
    case 'vwap':
      return new VwapStrategy(profile);
    case 'pov':
      return new PovStrategy(spec.povRate);
  }
}

function acStrategy(spec: BacktestSpec, model: AcModel): AlmgrenChrissStrategy {
  return new AlmgrenChrissStrategy({
    sigmaBpsPerSqrtS: model.sigmaBpsPerSqrtS,
    etaBpsPerLotPerS: model.etaBpsPerLotPerS,
    gammaBpsPerLot: model.gammaBpsPerLot,
    lambdaPerBps: spec.acLambdaPerBps,
    quantity: spec.parent.quantity,
    intervalS: spec.decisionIntervalNs / SECOND,
  });
}

/** One episode of `runSummarisedEpisode`: a venue warmed up to `startNs` and the strategy to run on it. */
export interface EpisodeRun {
  readonly venue: Venue;
  readonly strategy: ExecutionStrategy;
  readonly observer: MarketObserver;
  readonly agentId: string;
  readonly seed: number;
  readonly startNs: number;
  /** The seed's agent-free end mid (null where the market has no counterfactual). */
  readonly counterfactualEndMid: number | null;
  /** The market signal, fed by the warm-up, for a strategy that observes it. */
  readonly signal?: MarketSignal;
}

/** Runs one strategy's episode of a backtest and reduces it to its summary (named by `strategy.name`). */
export function runSummarisedEpisode(market: Pick<BacktestMarket, 'tickSize' | 'venuePrintsAgentFills'>, spec: BacktestSpec, run: EpisodeRun): EpisodeSummary {
  const { parent } = spec;
  const record = runEpisode({
    venue: run.venue,
    strategy: run.strategy,
    parent,
    agentId: run.agentId,
    tickSize: market.tickSize,
    decisionIntervalNs: spec.decisionIntervalNs,
    observer: run.observer,
    recordDecisions: true,
    venuePrintsAgentFills: market.venuePrintsAgentFills,
    ...(spec.limits ? { limits: spec.limits } : {}),
    ...(run.signal ? { signal: run.signal } : {}),
  });
  const metrics = episodeMetrics({
    side: parent.side,
    quantity: parent.quantity,
    arrivalMid: record.arrivalMid,
    endMid: record.endMid,
    fills: record.fills,
    counterfactualEndMid: run.counterfactualEndMid,
    unfilledPenaltyBps: spec.unfilledPenaltyBps,
  });
  return { seed: run.seed, strategy: run.strategy.name, startNs: run.startNs, metrics, decisions: record.decisions.length, rejectedSubmits: record.rejects.submits, deniedSubmits: record.rejects.denied };
}

/** Moves the venue to `startNs` in one step (nothing is observed). */
function fastForward(venue: Venue, startNs: number): void {
  const dt = timeUntilStart(venue, startNs);
  if (dt > 0) venue.elapse(dt);
}

/**
 * Runs the pre-trade window up to `startNs`, feeding the observer; with `calibrate`, also returns
 * the window's calibration sums.
 */
function preTrade(
  venue: Venue,
  startNs: number,
  stepNs: number,
  observer: MarketObserver,
  parent: ParentOrder,
  slices: number,
  calibrate: boolean,
): CalibrationSums | undefined {
  const dt = timeUntilStart(venue, startNs);
  if (calibrate) return sampleCalibration({ venue, durationNs: dt, stepNs, side: parent.side, sizes: calibrationSizes(parent.quantity, slices), observer });
  warmUp(venue, observer, dt, stepNs);
  return undefined;
}
