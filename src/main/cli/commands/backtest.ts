import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import type { BacktestSpec, BaselineName, SeedResult, StrategyReport } from '../../../engine/execution/backtest';
import { BASELINES, isBaseline, summarise } from '../../../engine/execution/backtest';
import { DEFAULT_UNFILLED_PENALTY_BPS } from '../../../engine/execution/metrics';
import { clock, findVolumeFile, lobsterPairFor } from '../../../engine/node/files/backtest-markets';
import type { MarketSpec } from '../../../engine/node/files/backtest-markets';
import { runBacktest } from '../../../engine/node/workers/backtest-pool';
import type { BacktestOutcome } from '../../../engine/node/workers/backtest-pool';
import { splitPolicyStrategies, withPolicyEpisodes } from '../../../engine/workflows/policy-backtest';
import { CliError, parsePositiveInt, printReport, table } from '../output';
import { NS_PER_SECOND as SECOND } from '../../../engine/core/clock';

interface BacktestOptions {
  scenario?: string;
  venue?: string;
  seeds: string;
  strategies: string;
  side: string;
  qty: number;
  horizon: number;
  interval: number;
  start?: number;
  preTrade?: number;
  povRate: number;
  acLambda: number;
  limit?: number;
  unfilledPenaltyBps: number;
  workers?: number;
  pilots: number;
  acCalibration?: string;
  volume?: string;
  json?: boolean;
}

/**
 * The default AC risk aversion, 1/bps (see `AlmgrenChrissParams.lambdaPerBps`): Almgren & Chriss's
 * worked example (λ = 1e-6 per $ on 1M shares at $50) expressed per bps of shortfall.
 */
export const DEFAULT_AC_LAMBDA = 0.005;

/** Parses a duration such as "30m", "1800s", "1h", "500ms" or "90" (seconds) into integer ns. */
export function parseDuration(name: string) {
  return (text: string): number => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
    if (!m) throw new CliError(`${name} must be a duration like 30m, 1800s, 1h or 500ms, received "${text}"`);
    const unit = m[2] ?? 's';
    const scale = unit === 'ms' ? 1e6 : unit === 's' ? SECOND : unit === 'm' ? 60 * SECOND : 3600 * SECOND;
    const ns = Math.round(Number(m[1]) * scale);
    if (!(ns > 0)) throw new CliError(`${name} must be positive, received "${text}"`);
    return ns;
  };
}

/** Parses "A..B", "A" or "A,B,C" into distinct non-negative integer seeds. */
export function parseSeedList(text: string): number[] {
  const t = text.trim();
  const range = /^(\d+)\.\.(\d+)$/.exec(t);
  let seeds: number[];
  if (range) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (b < a) throw new CliError(`--seeds must run upwards, received "${text}"`);
    if (b - a >= 100_000) throw new CliError(`--seeds may span at most 100000 seeds, received "${text}"`);
    seeds = Array.from({ length: b - a + 1 }, (_, i) => a + i);
  } else if (/^\d+(,\d+)*$/.test(t)) {
    seeds = t.split(',').map(Number);
  } else {
    throw new CliError(`--seeds must be "A..B", "A" or "A,B,C" with non-negative integers, received "${text}"`);
  }
  if (seeds.some((s) => !Number.isSafeInteger(s) || s > 0xffffffff)) throw new CliError(`seeds must be integers from 0 to 4294967295, received "${text}"`);
  if (new Set(seeds).size !== seeds.length) throw new CliError(`--seeds must not repeat a seed, received "${text}"`);
  return seeds;
}

/** Returns `explicit`, or the shared per-minute volume file found beside the checkout, or a CLI error saying where it was looked for. */
export function volumeFileOrCliError(explicit?: string): string {
  try {
    return explicit ?? findVolumeFile();
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/** Parses `--venue lobster:FILE` (a LOBSTER message file; the orderbook file is found beside it) into a market spec and its report label; `firstStartNs` (`--start`) moves seed 0. */
export function lobsterVenueSpec(venue: string, preTradeNs: number, horizonNs: number, volumeFile: string, firstStartNs?: number): { market: MarketSpec; label: string } {
  const m = /^lobster:(.+)$/.exec(venue);
  if (!m) throw new CliError(`--venue must be lobster:FILE (a LOBSTER message file), received "${venue}"`);
  const messages = m[1] as string;
  let pair: { orderbook: string; levels: number };
  try {
    pair = lobsterPairFor(messages);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  return {
    market: { kind: 'lobster', messages, orderbook: pair.orderbook, levels: pair.levels, preTradeNs, horizonNs, volumeFile, ...(firstStartNs === undefined ? {} : { firstStartNs }) },
    label: `lobster:${basename(messages)}`,
  };
}

export function parseTimeOfDay(text: string): number {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) throw new CliError(`--start must be a time of day HH:MM[:SS], received "${text}"`);
  return (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)) * SECOND;
}

/** Parses a non-negative number, or with `open` one strictly inside (0, 1). */
export function parseRate(name: string, open: boolean) {
  return (text: string): number => {
    const x = Number(text);
    if (!Number.isFinite(x) || x < 0 || (open && (x <= 0 || x >= 1))) {
      throw new CliError(`${name} must be ${open ? 'a number in (0, 1)' : 'a non-negative number'}, received "${text}"`);
    }
    return x;
  };
}

function parseStrategies(text: string): BaselineName[] {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  if (names.length === 0) throw new CliError(`--strategies must list at least one of ${BASELINES.join(', ')}, received "${text}"`);
  const out: BaselineName[] = [];
  for (const n of names) {
    if (!isBaseline(n)) throw new CliError(`unknown strategy "${n}" in --strategies, expected some of ${BASELINES.join(', ')}`);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

function formatDuration(ns: number): string {
  const s = ns / SECOND;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** Registers `cockpit backtest`: the baselines on seeded simulator episodes or historical replays, with honest statistics. */
export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description('run execution strategies on the same seeds and report shortfall, impact, timing risk and fill rate with 95% CIs and paired differences to TWAP')
    .option('--scenario <name>', 'simulator scenario (a shipped name or a .json path)')
    .option('--venue <venue>', 'lobster:FILE runs on the historical LOBSTER venue (the message file; the orderbook file is found beside it)')
    .requiredOption('--seeds <range>', 'seeds "A..B" (inclusive), "A" or "A,B,C"; on LOBSTER seed k is the k-th non-overlapping start time')
    .option('--strategies <list>', `comma-separated, of ${BASELINES.join(', ')}, rl:MODEL_DIR (a trained policy), or fixed:URGENCY+LEAD (one RL action held throughout: urgency patient, on-schedule or ahead; lead 0-2 extra slices rested, e.g. fixed:on-schedule+2)`, BASELINES.join(','))
    .option('--side <side>', 'buy or sell', 'sell')
    .requiredOption('--qty <lots>', 'parent quantity in lots', parsePositiveInt('--qty'))
    .requiredOption('--horizon <duration>', 'time to complete the order, e.g. 30m or 1800s', parseDuration('--horizon'))
    .addOption(new Option('--interval <duration>', 'time between decisions').argParser(parseDuration('--interval')).default(5 * SECOND, '5s'))
    .option('--start <HH:MM[:SS]>', 'the episode start time of day; on LOBSTER the start of seed 0, later seeds following every horizon (default: the open plus the pre-trade window)', parseTimeOfDay)
    .option('--pre-trade <duration>', 'agent-free window before each start that warms the features (LOBSTER: also calibrates AC); default 5m on the simulator, 30m on LOBSTER', parseDuration('--pre-trade'))
    .option('--pov-rate <rate>', 'POV participation rate in (0, 1)', parseRate('--pov-rate', true), 0.1)
    .option('--ac-lambda <perBps>', 'Almgren-Chriss risk aversion λ in 1/bps: minimises E[IS] + λ·Var[IS] with IS in bps', parseRate('--ac-lambda', false), DEFAULT_AC_LAMBDA)
    .option('--limit <price>', 'limit price of the parent order in venue price units (ticks on the simulator, dollars×10000 on LOBSTER)', parsePositiveInt('--limit'))
    .option('--unfilled-penalty-bps <bps>', 'penalty per unfilled lot on top of its end-mid valuation, bps of the arrival mid', parseRate('--unfilled-penalty-bps', false), DEFAULT_UNFILLED_PENALTY_BPS)
    .option('--workers <n>', 'worker threads (default: all cores; 0 runs in this thread)', (v: string) => {
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < 0) throw new CliError(`--workers must be a non-negative integer, received "${v}"`);
      return n;
    })
    .option('--pilots <n>', 'simulator with AC: pilot seeds for the calibration (disjoint from --seeds)', parsePositiveInt('--pilots'), 4)
    .option(
      '--ac-calibration <method>',
      'simulator: "pilot" (σ, η, γ from pilot seeds over the same window; they see its scheduled events) or "pre-trade" (from each episode\'s pre-trade window, γ = 0); LOBSTER is always pre-trade',
    )
    .option('--volume <file>', 'per-minute volume CSV for VWAP (default: ../shared/data/volume beside the checkout)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: BacktestOptions) => {
      const report = await backtest(opts);
      printReport(report, opts.json, () => describe(report));
    });
}

/** The JSON report of `cockpit backtest`. */
export interface BacktestReport {
  readonly scenario: string;
  readonly venue: 'simulator' | 'lobster';
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

async function backtest(opts: BacktestOptions): Promise<BacktestReport> {
  const started = performance.now();
  const side = opts.side.toLowerCase();
  if (side !== 'buy' && side !== 'sell') throw new CliError(`--side must be buy or sell, received "${opts.side}"`);
  const { baselines, policies } = splitPolicyStrategies(opts.strategies);
  const strategies = parseStrategies(baselines);
  const seeds = parseSeedList(opts.seeds);
  if (opts.interval >= opts.horizon) throw new CliError(`--interval must be shorter than --horizon, received ${formatDuration(opts.interval)} and ${formatDuration(opts.horizon)}`);
  const volumeFile = volumeFileOrCliError(opts.volume);

  const acCalibration = opts.acCalibration;
  if (acCalibration !== undefined && acCalibration !== 'pilot' && acCalibration !== 'pre-trade') {
    throw new CliError(`--ac-calibration must be pilot or pre-trade, received "${acCalibration}"`);
  }
  let market: MarketSpec;
  let label: string;
  if (opts.venue !== undefined) {
    if (opts.scenario !== undefined) throw new CliError('give either --scenario (simulator) or --venue lobster:FILE, received both');
    if (acCalibration === 'pilot') throw new CliError('--ac-calibration pilot needs the simulator; on LOBSTER AC is calibrated on the pre-trade window');
    ({ market, label } = lobsterVenueSpec(opts.venue, opts.preTrade ?? 30 * 60 * SECOND, opts.horizon, volumeFile, opts.start));
  } else {
    if (opts.scenario === undefined) throw new CliError('give --scenario NAME (simulator) or --venue lobster:FILE, received neither');
    market = {
      kind: 'sim',
      scenario: opts.scenario,
      preTradeNs: opts.preTrade ?? 5 * 60 * SECOND,
      horizonNs: opts.horizon,
      volumeFile,
      ...(opts.start === undefined ? {} : { startNs: opts.start }),
      ...(acCalibration === undefined ? {} : { acCalibration }),
    };
    label = opts.scenario;
  }

  const spec: BacktestSpec = {
    parent: { side, quantity: opts.qty, horizonNs: opts.horizon, ...(opts.limit === undefined ? {} : { limitPrice: opts.limit }) },
    strategies,
    decisionIntervalNs: opts.interval,
    povRate: opts.povRate,
    acLambdaPerBps: opts.acLambda,
    unfilledPenaltyBps: opts.unfilledPenaltyBps,
  };

  const pilotCalibrated = market.kind === 'sim' && (market.acCalibration ?? 'pilot') === 'pilot';
  const pilots = pilotCalibrated && strategies.includes('ac') ? opts.pilots : 0;
  const episodes = pilots + seeds.length * strategies.length;
  const bar = episodes >= 8 ? new SingleBar({ stream: process.stderr, format: 'backtest [{bar}] {value}/{total} runs (episodes and pilots) | {duration_formatted} elapsed | eta {eta_formatted}', hideCursor: true }) : null;
  let outcome: BacktestOutcome;
  try {
    bar?.start(episodes, 0);
    outcome = await runBacktest(market, spec, seeds, {
      ...(opts.workers === undefined ? {} : { workers: opts.workers }),
      pilots: opts.pilots,
      onProgress: (done) => bar?.update(done),
    });
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  } finally {
    bar?.stop();
  }

  let results: SeedResult[];
  try {
    results = await withPolicyEpisodes(market, spec, seeds, policies, outcome.results);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  // Trained policies (rl:DIR) are keyed by their entry in the report, beside the baselines.
  const reports = summarise([...strategies, ...policies.map((p) => p.name)] as BaselineName[], results);
  const isLobster = market.kind === 'lobster';
  return {
    scenario: label,
    venue: isLobster ? 'lobster' : 'simulator',
    seeds,
    side,
    qty: opts.qty,
    horizon: formatDuration(opts.horizon),
    horizonSeconds: opts.horizon / SECOND,
    decisionIntervalSeconds: opts.interval / SECOND,
    strategies: reports,
    episodeStarts: results.map((r: SeedResult) => ({ seed: r.seed, start: clock(r.startNs) })),
    parameters: {
      povRate: opts.povRate,
      acLambdaPerBps: opts.acLambda,
      limitPrice: opts.limit ?? null,
      unfilledPenaltyBps: opts.unfilledPenaltyBps,
      preTradeSeconds: market.preTradeNs / SECOND,
    },
    acCalibration: !strategies.includes('ac')
      ? null
      : !pilotCalibrated
        ? {
            method: `per episode, from its ${market.preTradeNs / 60 / SECOND}-minute pre-trade window (--pre-trade) before the start; γ = 0${isLobster ? ' (the historical venue cannot be moved by the agent)' : ''}`,
            episodes: results.map((r) => ({ seed: r.seed, ...(r.calibration ?? {}) })),
          }
        : {
            method: `pilot runs on seeds ${outcome.pilotSeeds.join(', ')} (disjoint from the evaluation seeds): σ and η from the agent-free market over the horizon, γ from a pilot TWAP against the same seed without it`,
            ...(outcome.acCalibration?.estimate ?? {}),
          },
    conventions: [
      'shortfall: bps of the arrival mid over the whole parent quantity, positive = cost for buys and sells alike',
      `unfilled lots are valued at the end mid plus ${opts.unfilledPenaltyBps} bps of the arrival mid each (a cost)`,
      isLobster
        ? 'impact: null — the historical venue replays the recorded flow whatever the agent does, so there is no counterfactual to measure it against'
        : 'impact: end mid with the agent minus end mid of the same seed without it, bps of the arrival mid, positive = against the trader',
      'vsTwap: paired difference of shortfall to TWAP on the same seeds, positive = costlier than TWAP',
      'ci95: Student-t 95% interval of the mean (null below two episodes); timing risk: standard deviation of shortfall across episodes',
      'spread paid: mean over episodes of the fill price against the mid just before each fill, averaged over filled lots, bps (negative = earned by resting)',
      isLobster ? 'seeds: seed k starts at the first start (--start, else the first minute after the pre-trade window) + k × the horizon rounded up to minutes (non-overlapping episodes)' : 'seeds: each seed fixes the whole simulated market; every strategy meets the same seeds',
    ],
    wallSeconds: (performance.now() - started) / 1000,
    workers: outcome.workers,
  };
}

function ci(c: { mean: number; ci95: readonly [number, number] | null } | null): string {
  if (c === null) return 'n/a';
  return c.ci95 ? `${c.mean.toFixed(2)} [${c.ci95[0].toFixed(2)}, ${c.ci95[1].toFixed(2)}]` : c.mean.toFixed(2);
}

function describe(r: BacktestReport): string {
  const rows: Array<Array<string | number>> = [['strategy', 'n', 'shortfall bps [95% CI]', 'impact bps [95% CI]', 'vs TWAP bps [95% CI]', 'timing risk', 'fill rate', 'spread paid', 'κT']];
  for (const s of r.strategies) {
    rows.push([
      s.name,
      s.episodes,
      ci(s.shortfallBps),
      ci(s.impactBps),
      ci(s.vsTwapBps),
      s.timingRiskBps.toFixed(2),
      `${(s.fillRate * 100).toFixed(1)}%`,
      s.spreadPaidBps === null ? 'n/a' : s.spreadPaidBps.toFixed(2),
      s.kappaT === undefined ? '' : s.kappaT.toFixed(2),
    ]);
  }
  const seeds = r.seeds.length > 6 ? `${r.seeds[0]}..${r.seeds[r.seeds.length - 1]} (${r.seeds.length})` : r.seeds.join(', ');
  const head = `${r.scenario}: ${r.side} ${r.qty.toLocaleString('en-US')} lots over ${r.horizon}, decisions every ${r.decisionIntervalSeconds} s, seeds ${seeds}`;
  const starts = r.venue === 'lobster' ? `\nepisode starts: ${r.episodeStarts.map((e) => `${e.seed}→${e.start}`).join(', ')}` : '';
  return [head, table(rows), '', ...r.conventions.map((c) => `· ${c}`), starts, `${r.wallSeconds.toFixed(1)} s wall on ${r.workers === 0 ? 'this thread' : `${r.workers} worker threads`}`].join('\n');
}
