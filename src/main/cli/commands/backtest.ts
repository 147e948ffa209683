import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import { BASELINES, pairedShortfallDifference, type PairedShortfallDifference, type StrategyReport } from '../../../engine/execution/backtest';
import { findLobsterDir, findVolumeFile } from '../../../engine/node/files/backtest-markets';
import type { MarketSpec } from '../../../engine/node/files/backtest-markets';
import { backtest, BACKTEST_DEFAULTS, lobsterMarketSpec, parseVenueFlag, type BacktestMarket, type BacktestReport } from '../../../engine/workflows/backtest';
import { parseSeedList as parseSeeds } from '../../../engine/core/seed-list';
import { CliError, parsePositiveInt, printReport, table } from '../output';
import { NS_PER_SECOND as SECOND, parseTimeOfDay as timeOfDay } from '../../../engine/core/clock';

interface BacktestFlags {
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

/** Parses a seed list ("A..B", "A" or "A,B,C"; core/seed-list.ts) for `flag`, as a CLI error when it is not one. */
export function parseSeedList(text: string, flag = '--seeds', maxSeeds?: number): number[] {
  try {
    return parseSeeds(text, { flag, ...(maxSeeds === undefined ? {} : { maxSeeds }) });
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/** Returns `explicit`, or the shared per-minute volume file found beside the checkout, or a CLI error saying where it was looked for. */
export function volumeFileOrCliError(explicit?: string): string {
  try {
    return explicit ?? findVolumeFile();
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/** The LOBSTER folder: `explicit` (a --data flag) or the shared one beside the checkout, a CliError when there is none. */
export function lobsterDirOrCliError(explicit?: string): string {
  try {
    return explicit ?? findLobsterDir();
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/** Parses `--venue lobster:FILE` (a LOBSTER message file; the orderbook file is found beside it) into a market spec and its report label; `firstStartNs` (`--start`) moves seed 0. */
export function lobsterVenueSpec(venue: string, preTradeNs: number, horizonNs: number, volumeFile: string, firstStartNs?: number): { market: MarketSpec; label: string } {
  const messages = lobsterVenueFile(venue);
  try {
    return lobsterMarketSpec(messages, preTradeNs, horizonNs, volumeFile, firstStartNs);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/** The message file of `--venue lobster:FILE`, checked to have its orderbook file beside it. */
function lobsterVenueFile(venue: string): string {
  const m = /^lobster:(.+)$/.exec(venue);
  if (!m) throw new CliError(`--venue must be lobster:FILE (a LOBSTER message file), received "${venue}"`);
  return m[1] as string;
}

/** Parses `--venue KIND:FILE` (lobster:, databento:, binance:, binance-usdm:, binance-spot:), as a CLI error when it is none of them. */
export function venueMarket(venue: string): Exclude<BacktestMarket, { kind: 'sim' }> {
  try {
    return parseVenueFlag(venue);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/** Reads `--start` (core/clock.ts `parseTimeOfDay`), as a CLI error when it is not a time of day. */
export function parseTimeOfDay(text: string): number {
  try {
    return timeOfDay(text);
  } catch {
    throw new CliError(`--start must be a time of day HH:MM[:SS], received "${text}"`);
  }
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

/** Registers `cockpit backtest`: the baselines on seeded simulator episodes or historical replays, with honest statistics. */
export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description('run execution strategies on the same seeds and report shortfall, impact, timing risk and fill rate with 95% CIs and paired differences to TWAP')
    .option('--scenario <name>', 'simulator scenario (a shipped name or a .json path)')
    .option('--venue <venue>', 'a historical venue: lobster:FILE (a LOBSTER message file; the orderbook file is found beside it), databento:FILE (a DBN v1 MBO .dbn.zst) or binance:FILE (a Binance capture, USD-M when its name says usdm; binance-spot:/binance-usdm: to say which)')
    .requiredOption('--seeds <range>', 'seeds "A..B" (inclusive), "A" or "A,B,C"; on a historical venue seed k is the k-th non-overlapping start time')
    .option('--strategies <list>', `comma-separated, of ${BASELINES.join(', ')}, rl:MODEL_DIR (a trained policy), or fixed:URGENCY+LEAD (one RL action held throughout: urgency patient, on-schedule or ahead; lead 0-2 extra slices rested, e.g. fixed:on-schedule+2)`, BASELINES.join(','))
    .option('--side <side>', 'buy or sell', 'sell')
    .requiredOption('--qty <lots>', 'parent quantity in lots', parsePositiveInt('--qty'))
    .requiredOption('--horizon <duration>', 'time to complete the order, e.g. 30m or 1800s', parseDuration('--horizon'))
    .addOption(new Option('--interval <duration>', 'time between decisions').argParser(parseDuration('--interval')).default(BACKTEST_DEFAULTS.intervalNs, '5s'))
    .option('--start <HH:MM[:SS]>', 'the episode start time of day; on LOBSTER the start of seed 0, later seeds following every horizon (default: the open plus the pre-trade window)', parseTimeOfDay)
    .option('--pre-trade <duration>', 'agent-free window before each start that warms the features (historical venues: also calibrates AC); default 5m on the simulator, 30m on LOBSTER, 500ms on Databento, 60s on Binance', parseDuration('--pre-trade'))
    .option('--pov-rate <rate>', 'POV participation rate in (0, 1)', parseRate('--pov-rate', true), BACKTEST_DEFAULTS.povRate)
    .option('--ac-lambda <perBps>', 'Almgren-Chriss risk aversion λ in 1/bps: minimises E[IS] + λ·Var[IS] with IS in bps', parseRate('--ac-lambda', false), BACKTEST_DEFAULTS.acLambdaPerBps)
    .option('--limit <price>', 'limit price of the parent order in venue price units (ticks on the simulator, dollars×10000 on LOBSTER, cents on Databento, ticks of 0.01 (spot) or 0.1 (USD-M) on Binance)', parsePositiveInt('--limit'))
    .option('--unfilled-penalty-bps <bps>', 'penalty per unfilled lot on top of its end-mid valuation, bps of the arrival mid', parseRate('--unfilled-penalty-bps', false), BACKTEST_DEFAULTS.unfilledPenaltyBps)
    .option('--workers <n>', 'worker threads (default: all cores; 0 runs in this thread)', (v: string) => {
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < 0) throw new CliError(`--workers must be a non-negative integer, received "${v}"`);
      return n;
    })
    .option('--pilots <n>', 'simulator with AC: pilot seeds for the calibration (disjoint from --seeds)', parsePositiveInt('--pilots'), BACKTEST_DEFAULTS.pilots)
    .option(
      '--ac-calibration <method>',
      'simulator: "pilot" (σ, η, γ from pilot seeds over the same window; they see its scheduled events) or "pre-trade" (from each episode\'s pre-trade window, γ = 0); LOBSTER is always pre-trade',
    )
    .option('--volume <file>', 'per-minute volume CSV for VWAP (default: ../shared/data/volume beside the checkout)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: BacktestFlags) => {
      const report = await runFromFlags(opts);
      printReport(report, opts.json, () => describe(report));
    });
}

/** What `cockpit backtest-compare` reports: strategy a − strategy b on the seeds of one backtest report. */
export interface BacktestComparison extends PairedShortfallDifference {
  readonly report: string;
  readonly scenario: string;
  readonly a: string;
  readonly b: string;
  readonly convention: string;
}

/** Returns the paired shortfall difference a − b between two strategies of the backtest report (`--json`) in `file`. */
export function compareInReport(file: string, a: string, b: string): BacktestComparison {
  let report: Pick<BacktestReport, 'scenario' | 'strategies'>;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as Pick<BacktestReport, 'scenario' | 'strategies'>;
  } catch (err) {
    throw new CliError(`cannot read the backtest report ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(report.strategies)) throw new CliError(`${file} is not a backtest report (cockpit backtest --json): it has no strategies`);
  const find = (name: string): StrategyReport => {
    const s = report.strategies.find((x) => x.name === name);
    if (s === undefined) throw new CliError(`${file} has no strategy "${name}"; it has ${report.strategies.map((x) => x.name).join(', ')}`);
    return s;
  };
  const sa = find(a);
  const sb = find(b);
  let d: PairedShortfallDifference;
  try {
    d = pairedShortfallDifference(sa, sb);
  } catch (err) {
    throw new CliError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { report: file, scenario: report.scenario, a, b, ...d, convention: 'shortfall of a minus shortfall of b, paired by seed, bps (negative = a cheaper); ci95: Student-t 95% interval of the mean difference' };
}

/** Registers `cockpit backtest-compare`: the paired difference of two strategies of one backtest report. */
export function registerBacktestCompare(program: Command): void {
  program
    .command('backtest-compare')
    .description('paired difference of shortfall between two strategies of a backtest report (cockpit backtest --json), seed by seed, with its 95% CI')
    .argument('<report>', 'a backtest report written by cockpit backtest --json')
    .argument('<a>', 'a strategy of the report, e.g. rl:resources/models/ppo-exec-v6s')
    .argument('<b>', 'the strategy it is compared with')
    .option('--json', 'print the comparison as JSON')
    .action((file: string, a: string, b: string, opts: { json?: boolean }) => {
      const c = compareInReport(file, a, b);
      const ci = c.ci95 === null ? 'no interval below two seeds' : `[${signed(c.ci95[0])}, ${signed(c.ci95[1])}]`;
      printReport(c, opts.json, () => `${c.scenario}: ${c.a} − ${c.b} = ${signed(c.mean)} bps ${ci}, n = ${c.n} (negative = ${c.a} cheaper)`);
    });
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;
}

/** Maps the flags to the workflow's options, runs it with a progress bar on stderr, and returns its report. */
async function runFromFlags(opts: BacktestFlags): Promise<BacktestReport> {
  const side = opts.side.toLowerCase();
  if (side !== 'buy' && side !== 'sell') throw new CliError(`--side must be buy or sell, received "${opts.side}"`);
  const seeds = parseSeedList(opts.seeds);
  const acCalibration = opts.acCalibration;
  if (acCalibration !== undefined && acCalibration !== 'pilot' && acCalibration !== 'pre-trade') {
    throw new CliError(`--ac-calibration must be pilot or pre-trade, received "${acCalibration}"`);
  }
  let market: BacktestMarket;
  if (opts.venue !== undefined) {
    if (opts.scenario !== undefined) throw new CliError('give either --scenario (simulator) or --venue KIND:FILE, received both');
    market = venueMarket(opts.venue);
  } else {
    if (opts.scenario === undefined) throw new CliError('give --scenario NAME (simulator) or --venue KIND:FILE (lobster:, databento:, binance:), received neither');
    market = { kind: 'sim', scenario: opts.scenario };
  }
  let bar: SingleBar | null = null;
  try {
    return await backtest(
      {
        market,
        seeds,
        strategies: opts.strategies.split(','),
        side,
        quantity: opts.qty,
        horizonNs: opts.horizon,
        intervalNs: opts.interval,
        ...(opts.start === undefined ? {} : { startNs: opts.start }),
        ...(opts.preTrade === undefined ? {} : { preTradeNs: opts.preTrade }),
        povRate: opts.povRate,
        acLambdaPerBps: opts.acLambda,
        ...(opts.limit === undefined ? {} : { limitPrice: opts.limit }),
        unfilledPenaltyBps: opts.unfilledPenaltyBps,
        ...(opts.workers === undefined ? {} : { workers: opts.workers }),
        pilots: opts.pilots,
        ...(acCalibration === undefined ? {} : { acCalibration }),
        volumeFile: volumeFileOrCliError(opts.volume),
      },
      {
        onProgress: ({ done, total }) => {
          if (bar === null && total >= 8) {
            bar = new SingleBar({ stream: process.stderr, format: 'backtest [{bar}] {value}/{total} runs (episodes and pilots) | {duration_formatted} elapsed | eta {eta_formatted}', hideCursor: true });
            bar.start(total, 0);
          }
          bar?.update(done);
        },
      },
    );
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(err instanceof Error ? err.message : String(err));
  } finally {
    (bar as SingleBar | null)?.stop();
  }
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
  const starts = r.venue !== 'simulator' ? `\nepisode starts: ${r.episodeStarts.map((e) => `${e.seed}→${e.start}`).join(', ')}` : '';
  return [head, table(rows), '', ...r.conventions.map((c) => `· ${c}`), starts, `${r.wallSeconds.toFixed(1)} s wall on ${r.workers === 0 ? 'this thread' : `${r.workers} worker threads`}`].join('\n');
}
