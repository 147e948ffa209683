/**
 * The backtest workflow: execution strategies (the baselines, trained policies, fixed tactics) on
 * the same seeds of a simulator scenario or the same slots of a recorded day (LOBSTER, Databento MBO, a Binance capture), with honest
 * statistics. `cockpit backtest` maps its flags to `BacktestOptions` and prints the report; the
 * window's RunBacktest runs the same function in a worker thread (backtest-thread.ts).
 */

import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BacktestSpec, BaselineName, SeedResult, StrategyReport } from '../execution/backtest';
import { BASELINES, isBaseline, summarise } from '../execution/backtest';
import { DEFAULT_UNFILLED_PENALTY_BPS } from '../execution/metrics';
import { DEFAULT_AC_LAMBDA } from '../execution/schedules';
import type { BacktestResult, BacktestRow } from '../execution/execution.contract';
import type { CommandPayload } from '../contract/index';
import { binanceMarketFor, clock, findVolumeFile, lobsterMessageFileFor, lobsterPairFor } from '../node/files/backtest-markets';
import type { BinanceMarketName, MarketSpec } from '../node/files/backtest-markets';
import { runBacktest } from '../node/workers/backtest-pool';
import type { BacktestOutcome } from '../node/workers/backtest-pool';
import { seedRange } from '../core/seed-list';
import { NS_PER_SECOND as SECOND, parseTimeOfDay } from '../core/clock';
import { splitPolicyStrategies } from './policy-backtest';
import { withPolicyEpisodes } from './policy-backtest';
import type { WorkflowContext } from './workflow';
import { throwIfCancelled } from './workflow';

export { DEFAULT_AC_LAMBDA };

/** What a backtest leaves at its defaults unless told otherwise. */
export const BACKTEST_DEFAULTS = {
  intervalNs: 5 * SECOND,
  povRate: 0.1,
  acLambdaPerBps: DEFAULT_AC_LAMBDA,
  unfilledPenaltyBps: DEFAULT_UNFILLED_PENALTY_BPS,
  pilots: 4,
  /** Agent-free window before each start: 5 minutes on the simulator, 30 on a recorded day. */
  simPreTradeNs: 5 * 60 * SECOND,
  lobsterPreTradeNs: 30 * 60 * SECOND,
  /** The CME sample spans 2 s: half a second warms the features. */
  databentoPreTradeNs: SECOND / 2,
  /** The Binance captures span 6–9 minutes after their book is rebuilt. */
  binancePreTradeNs: 60 * SECOND,
} as const;

/**
 * Where a backtest runs: a simulator scenario (a shipped name or a .json path), a LOBSTER day (its
 * message file; the orderbook file is found beside it), a Databento DBN MBO file, or a Binance
 * capture (spot, or USD-M when its name says `usdm` or `market` does).
 */
export type BacktestMarket =
  | { readonly kind: 'sim'; readonly scenario: string }
  | { readonly kind: 'lobster'; readonly messages: string }
  | { readonly kind: 'databento'; readonly file: string }
  | { readonly kind: 'binance'; readonly file: string; readonly market?: BinanceMarketName };

/** The historical venue kinds: every market but the simulator. */
export type HistoricalKind = Exclude<BacktestMarket['kind'], 'sim'>;

/** Parses `--venue KIND:FILE` (lobster:, databento:, binance: or binance-usdm:/binance-spot: to name the Binance market) into a market. */
export function parseVenueFlag(venue: string): Exclude<BacktestMarket, { kind: 'sim' }> {
  const m = /^(lobster|databento|binance|binance-spot|binance-usdm):(.+)$/.exec(venue);
  if (!m) throw new Error(`--venue must be lobster:FILE (a LOBSTER message file), databento:FILE (a DBN MBO file) or binance:FILE (a Binance capture; binance-usdm:FILE or binance-spot:FILE to name its market), received "${venue}"`);
  const file = m[2] as string;
  switch (m[1]) {
    case 'lobster':
      return { kind: 'lobster', messages: file };
    case 'databento':
      return { kind: 'databento', file };
    case 'binance-spot':
      return { kind: 'binance', file, market: 'spot' };
    case 'binance-usdm':
      return { kind: 'binance', file, market: 'usdm' };
    default:
      return { kind: 'binance', file };
  }
}

/** The market spec of a historical venue and its report label; `firstStartNs` moves seed 0; `preTradeNs` defaults by kind. */
export function historicalMarketSpec(market: Exclude<BacktestMarket, { kind: 'sim' }>, preTradeNs: number | undefined, horizonNs: number, volumeFile: string, firstStartNs?: number): { market: MarketSpec; label: string } {
  const start = firstStartNs === undefined ? {} : { firstStartNs };
  switch (market.kind) {
    case 'lobster':
      return lobsterMarketSpec(market.messages, preTradeNs ?? BACKTEST_DEFAULTS.lobsterPreTradeNs, horizonNs, volumeFile, firstStartNs);
    case 'databento':
      return { market: { kind: 'databento', file: market.file, preTradeNs: preTradeNs ?? BACKTEST_DEFAULTS.databentoPreTradeNs, horizonNs, volumeFile, ...start }, label: `databento:${basename(market.file)}` };
    case 'binance': {
      const name = market.market ?? binanceMarketFor(market.file);
      return { market: { kind: 'binance', file: market.file, market: name, preTradeNs: preTradeNs ?? BACKTEST_DEFAULTS.binancePreTradeNs, horizonNs, volumeFile, ...start }, label: `binance-${name}:${basename(market.file)}` };
    }
  }
}

export interface BacktestOptions {
  readonly market: BacktestMarket;
  /** Simulator seeds, or on a LOBSTER day the slots (seed k is the k-th non-overlapping start). */
  readonly seeds: readonly number[];
  /** One strategy per entry: a baseline (twap, vwap, pov, ac), rl:MODEL_DIR or fixed:URGENCY+LEAD. */
  readonly strategies: readonly string[];
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly horizonNs: number;
  readonly intervalNs?: number;
  /** The start time of day (on LOBSTER the start of seed 0); default the open plus the pre-trade window. */
  readonly startNs?: number;
  readonly preTradeNs?: number;
  readonly povRate?: number;
  readonly acLambdaPerBps?: number;
  /** The parent's limit price in venue units. */
  readonly limitPrice?: number;
  readonly unfilledPenaltyBps?: number;
  /** Worker threads (default: all cores; 0 runs in the calling thread). */
  readonly workers?: number;
  /** Simulator with AC: pilot seeds for the calibration (disjoint from `seeds`). */
  readonly pilots?: number;
  /** Simulator: AC calibrated on pilot seeds (default) or on each episode's pre-trade window; LOBSTER is always pre-trade. */
  readonly acCalibration?: 'pilot' | 'pre-trade';
  /** The per-minute volume CSV for VWAP; default the shared one found above the checkout. */
  readonly volumeFile?: string;
}

/** The report of a backtest (`cockpit backtest --json` prints it as it is). */
export interface BacktestReport {
  readonly scenario: string;
  readonly venue: 'simulator' | HistoricalKind;
  readonly seeds: readonly number[];
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly horizon: string;
  readonly horizonSeconds: number;
  readonly decisionIntervalSeconds: number;
  readonly strategies: readonly StrategyReport[];
  readonly episodeStarts: ReadonlyArray<{ readonly seed: number; readonly start: string }>;
  readonly parameters: { readonly povRate: number; readonly acLambdaPerBps: number; readonly limitPrice: number | null; readonly unfilledPenaltyBps: number; readonly preTradeSeconds: number };
  readonly acCalibration: unknown;
  readonly conventions: readonly string[];
  readonly wallSeconds: number;
  readonly workers: number;
}

/** Writes a duration the way the report names it: "30m", "1h" or "90s". */
export function formatDuration(ns: number): string {
  const s = ns / SECOND;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** Splits the strategy entries into the baselines (deduplicated, in order) and the policies. */
function parseStrategies(entries: readonly string[]): { strategies: BaselineName[]; policies: ReturnType<typeof splitPolicyStrategies>['policies'] } {
  const list = entries.map((e) => e.trim()).filter((e) => e.length > 0);
  const joined = list.find((e) => e.includes(','));
  if (joined !== undefined) throw new Error(`one strategy per entry, received "${joined}"`);
  const { baselines, policies } = splitPolicyStrategies(list.join(','));
  const names = baselines.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  if (names.length === 0) throw new Error(`--strategies must list at least one of ${BASELINES.join(', ')}, received "${list.join(',')}"`);
  const strategies: BaselineName[] = [];
  for (const n of names) {
    if (!isBaseline(n)) throw new Error(`unknown strategy "${n}" in --strategies, expected some of ${BASELINES.join(', ')}`);
    if (!strategies.includes(n)) strategies.push(n);
  }
  return { strategies, policies };
}

/** The market spec a LOBSTER message file describes, and its report label; `firstStartNs` moves seed 0. */
export function lobsterMarketSpec(messages: string, preTradeNs: number, horizonNs: number, volumeFile: string, firstStartNs?: number): { market: MarketSpec; label: string } {
  const pair = lobsterPairFor(messages);
  return {
    market: { kind: 'lobster', messages, orderbook: pair.orderbook, levels: pair.levels, preTradeNs, horizonNs, volumeFile, ...(firstStartNs === undefined ? {} : { firstStartNs }) },
    label: `lobster:${basename(messages)}`,
  };
}

/** Runs the backtest `options` describe; see the module comment. Throws with a sentence on bad options. */
export async function backtest(options: BacktestOptions, context: WorkflowContext = {}): Promise<BacktestReport> {
  const started = performance.now();
  throwIfCancelled(context.signal);
  const o = { ...BACKTEST_DEFAULTS, ...definedOnly(options) };
  const { side, quantity, horizonNs, intervalNs, seeds } = o;
  const { strategies, policies } = parseStrategies(options.strategies);
  if (intervalNs >= horizonNs) throw new Error(`--interval must be shorter than --horizon, received ${formatDuration(intervalNs)} and ${formatDuration(horizonNs)}`);
  const volumeFile = options.volumeFile ?? findVolumeFile();
  const acCalibration = options.acCalibration;

  let market: MarketSpec;
  let label: string;
  if (options.market.kind !== 'sim') {
    if (acCalibration === 'pilot') throw new Error('--ac-calibration pilot needs the simulator; on a historical venue AC is calibrated on the pre-trade window');
    ({ market, label } = historicalMarketSpec(options.market, options.preTradeNs, horizonNs, volumeFile, options.startNs));
  } else {
    market = {
      kind: 'sim',
      scenario: options.market.scenario,
      preTradeNs: options.preTradeNs ?? o.simPreTradeNs,
      horizonNs,
      volumeFile,
      ...(options.startNs === undefined ? {} : { startNs: options.startNs }),
      ...(acCalibration === undefined ? {} : { acCalibration }),
    };
    label = options.market.scenario;
  }

  const spec: BacktestSpec = {
    parent: { side, quantity, horizonNs, ...(options.limitPrice === undefined ? {} : { limitPrice: options.limitPrice }) },
    strategies,
    decisionIntervalNs: intervalNs,
    povRate: o.povRate,
    acLambdaPerBps: o.acLambdaPerBps,
    unfilledPenaltyBps: o.unfilledPenaltyBps,
  };

  const pilotCalibrated = market.kind === 'sim' && (market.acCalibration ?? 'pilot') === 'pilot';
  // Progress counts the pool's runs (AC pilots and baseline episodes), then the policies' episodes.
  const policyEpisodes = seeds.length * policies.length;
  let outcome: BacktestOutcome;
  try {
    outcome = await runBacktest(market, spec, seeds, {
      ...(options.workers === undefined ? {} : { workers: options.workers }),
      pilots: o.pilots,
      ...(context.onProgress === undefined ? {} : { onProgress: (done: number, total: number) => context.onProgress?.({ done, total: total + policyEpisodes }) }),
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
  } catch (err) {
    throwIfCancelled(context.signal);
    throw err;
  }
  throwIfCancelled(context.signal);
  const poolRuns = outcome.pilotSeeds.length + seeds.length * strategies.length;
  let policyDone = 0;
  const results: SeedResult[] = await withPolicyEpisodes(market, spec, seeds, policies, outcome.results, {
    onEpisode: () => context.onProgress?.({ done: poolRuns + ++policyDone, total: poolRuns + policyEpisodes }),
    ...(context.signal === undefined ? {} : { signal: context.signal }),
  });
  throwIfCancelled(context.signal);

  // Trained policies (rl:DIR) are keyed by their entry in the report, beside the baselines.
  const reports = summarise([...strategies, ...policies.map((p) => p.name)] as BaselineName[], results);
  const historical = market.kind !== 'sim';
  return {
    scenario: label,
    venue: market.kind === 'sim' ? 'simulator' : market.kind,
    seeds,
    side,
    qty: quantity,
    horizon: formatDuration(horizonNs),
    horizonSeconds: horizonNs / SECOND,
    decisionIntervalSeconds: intervalNs / SECOND,
    strategies: reports,
    episodeStarts: results.map((r: SeedResult) => ({ seed: r.seed, start: clock(r.startNs) })),
    parameters: {
      povRate: o.povRate,
      acLambdaPerBps: o.acLambdaPerBps,
      limitPrice: options.limitPrice ?? null,
      unfilledPenaltyBps: o.unfilledPenaltyBps,
      preTradeSeconds: market.preTradeNs / SECOND,
    },
    acCalibration: !strategies.includes('ac')
      ? null
      : !pilotCalibrated
        ? {
            method: `per episode, from its ${market.preTradeNs / SECOND}-second pre-trade window (--pre-trade) before the start; γ = 0${historical ? ' (the historical venue cannot be moved by the agent)' : ''}`,
            episodes: results.map((r) => ({ seed: r.seed, ...(r.calibration ?? {}) })),
          }
        : {
            method: `pilot runs on seeds ${outcome.pilotSeeds.join(', ')} (disjoint from the evaluation seeds): σ and η from the agent-free market over the horizon, γ from a pilot TWAP against the same seed without it`,
            ...(outcome.acCalibration?.estimate ?? {}),
          },
    conventions: [
      'shortfall: bps of the arrival mid over the whole parent quantity, positive = cost for buys and sells alike',
      `unfilled lots are valued at the end mid plus ${o.unfilledPenaltyBps} bps of the arrival mid each (a cost)`,
      historical
        ? 'impact: null — the historical venue replays the recorded flow whatever the agent does, so there is no counterfactual to measure it against'
        : 'impact: end mid with the agent minus end mid of the same seed without it, bps of the arrival mid, positive = against the trader',
      'vsTwap: paired difference of shortfall to TWAP on the same seeds, positive = costlier than TWAP',
      'seedShortfallsBps: each episode\'s shortfall by seed, for paired comparisons of any two strategies (cockpit backtest-compare)',
      'ci95: Student-t 95% interval of the mean (null below two episodes); timing risk: standard deviation of shortfall across episodes',
      'spread paid: mean over episodes of the fill price against the mid just before each fill, averaged over filled lots, bps (negative = earned by resting)',
      market.kind === 'lobster'
        ? 'seeds: seed k starts at the first start (--start, else the first minute after the pre-trade window) + k × the horizon rounded up to minutes (non-overlapping episodes)'
        : historical
          ? 'seeds: seed k starts at the first start (--start, else the first 100 ms step after the pre-trade window, which follows the first record or, on Binance, the rebuilt book) + k × the horizon rounded up to 100 ms (non-overlapping episodes)'
          : 'seeds: each seed fixes the whole simulated market; every strategy meets the same seeds',
    ],
    wallSeconds: (performance.now() - started) / 1000,
    workers: outcome.workers,
  };
}

/** `options` without the fields set to undefined, so spreading them keeps the defaults. */
function definedOnly<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as T;
}

/** Maps the window's RunBacktest request to the workflow's options (a `lobster:TICKER` scenario is that ticker's shared day). */
export function backtestOptionsFromRequest(request: CommandPayload<'RunBacktest'>): BacktestOptions {
  const ticker = /^lobster:([A-Z]+)$/.exec(request.scenario)?.[1];
  return {
    market: ticker === undefined ? { kind: 'sim', scenario: request.scenario } : { kind: 'lobster', messages: lobsterMessageFileFor(ticker) },
    seeds: seedRange(request.seedFrom, request.seedTo),
    strategies: request.strategies,
    side: request.side,
    quantity: request.quantity,
    horizonNs: request.horizonSeconds * SECOND,
    ...(request.intervalSeconds === undefined ? {} : { intervalNs: request.intervalSeconds * SECOND }),
    ...(request.startTime === undefined ? {} : { startNs: parseTimeOfDay(request.startTime) }),
  };
}

/** The report as the window's evaluation view shows it. */
export function windowResult(r: BacktestReport): BacktestResult {
  const seeds = r.seeds.length > 0 ? ([Math.min(...r.seeds), Math.max(...r.seeds)] as const) : ([0, 0] as const);
  return {
    scenario: r.scenario,
    seeds,
    side: r.side,
    quantity: r.qty,
    horizonSeconds: r.horizonSeconds,
    starts: [r.episodeStarts[0]?.start ?? '', r.episodeStarts[r.episodeStarts.length - 1]?.start ?? ''],
    strategies: r.strategies.map(
      (s): BacktestRow => ({
        name: s.name,
        episodes: s.episodes,
        shortfallBps: s.shortfallBps,
        impactBps: s.impactBps,
        vsTwapBps: s.vsTwapBps,
        timingRiskBps: s.timingRiskBps,
        fillRate: s.fillRate,
        spreadPaidBps: s.spreadPaidBps,
      }),
    ),
    wallSeconds: r.wallSeconds,
  };
}
