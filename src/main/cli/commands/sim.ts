import { basename } from 'node:path';
import type { Command } from 'commander';
import { LobsterFormatError, levelsFromFileName } from '../../../engine/data/lobster';
import { FileReadError } from '../../../engine/node/files/gzip-lines';
import { calibrateFromLobster } from '../../../engine/workflows/sim-calibrate';
import { factsReport } from '../../../engine/workflows/sim-facts';
import type { FactsReport } from '../../../engine/workflows/sim-facts';
import { listScenarios, loadScenario } from '../../../engine/node/files/sim-scenarios';
import { ScenarioError } from '../../../engine/sim/scenario';
import type { Scenario, ScenarioInput } from '../../../engine/sim/scenario';
import { NS_PER_SECOND as SECOND } from '../../../engine/core/clock';
import type { MarketSpec } from '../../../engine/node/files/backtest-markets';
import { touchProbe } from '../../../engine/workflows/touch-probe';
import { DIAGNOSTIC_DAYS, defaultTouchPlan, diagnosticsReport } from '../../../engine/workflows/sim-diagnostics';
import type { DiagnosticsReport } from '../../../engine/workflows/sim-diagnostics';
import { checkDayFiles, realDayFigures, realDaysFromReport } from '../../../engine/workflows/sim-diagnostics';
import { DEFAULT_FIT_PARAMETERS, fitScenario, parseFitParameter } from '../../../engine/workflows/sim-fit';
import { DEFAULT_METAORDERS } from '../../../engine/sim/facts';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { scenarioFile } from '../../../engine/node/files/sim-scenarios';
import type { TouchProbeReport, TouchProbeSide } from '../../../engine/workflows/touch-probe';
import type { MeanWithCi } from '../../../engine/execution/stats';
import { CliError, parsePositiveInt, printReport, table } from '../output';
import { lobsterVenueSpec, parseDuration, parseSeedList, parseTimeOfDay, lobsterDirOrCliError, volumeFileOrCliError } from './backtest';

/** At most this many seeds for the facts and the calibration, which run every seed in full. */
const MAX_SIM_SEEDS = 1000;

interface CalibrateOptions {
  messages: string;
  orderbook: string;
  out: string;
  levels?: number;
  volume?: string;
  name?: string;
  json?: boolean;
}

interface TouchOptions {
  scenario?: string;
  venue?: string;
  seeds: string;
  size: number;
  wait: number;
  start?: string;
  json?: boolean;
}

interface FactsOptions {
  scenario: string;
  seeds: string;
  data?: string;
  workers?: number;
  json?: boolean;
}

interface DiagnosticsFlags {
  scenario: string;
  seeds: string;
  real: string;
  data?: string;
  volume?: string;
  touchSeeds?: string;
  touchRealSeeds?: string;
  touchSize: number;
  touchWait: number;
  workers?: number;
  realFrom?: string;
  json?: boolean;
}

interface FitFlags {
  scenario: string;
  out: string;
  name?: string;
  seeds: string;
  evaluations: number;
  real: string;
  data?: string;
  volume?: string;
  touchSeeds: string;
  touchRealSeeds?: string;
  trail?: string;
  realFrom?: string;
  metaorders: boolean;
  param: string[];
}

function scenarioOrCliError(nameOrPath: string): Scenario {
  try {
    return loadScenario(nameOrPath);
  } catch (err) {
    if (err instanceof ScenarioError) throw new CliError(err.message);
    throw err;
  }
}

/** Returns a scenario file's JSON (a shipped name or a path), checked by the schema. */
function scenarioFileOrCliError(nameOrPath: string): { readonly path: string; readonly json: ScenarioInput } {
  scenarioOrCliError(nameOrPath);
  const path = scenarioFile(nameOrPath);
  // Checked by the schema above; the file itself (not its defaults filled in) is what the search edits.
  return { path, json: JSON.parse(readFileSync(path, 'utf8')) as ScenarioInput };
}

/** Registers `cockpit sim …`: the market simulator's scenarios, calibration and stylized facts. */
export function registerSim(program: Command): void {
  const sim = program.command('sim').description('limit-order-book market simulator: scenarios, calibration from LOBSTER data, stylized facts');

  sim
    .command('scenarios')
    .description('list the shipped scenarios')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => {
      const rows = listScenarios().map((name) => {
        const s = scenarioOrCliError(name);
        return { name, description: s.description };
      });
      printReport(rows, opts.json, () => rows.map((r) => `${r.name.padEnd(12)} ${r.description}`).join('\n'));
    });

  sim
    .command('calibrate')
    .description('measure a LOBSTER day (spread, sizes, arrival rates, cancels, depth, volume profile) and write a scenario from it')
    .requiredOption('--messages <file>', 'LOBSTER message file (.csv or .csv.gz)')
    .requiredOption('--orderbook <file>', 'LOBSTER orderbook file of the same day')
    .requiredOption('--out <file>', 'scenario file to write')
    .option('--levels <n>', 'levels a side in the orderbook file (default: from the file name)', parsePositiveInt('--levels'))
    .option('--volume <file>', 'per-minute volume CSV for the intraday profile (default: from the messages)')
    .option('--name <name>', 'scenario name (default: calibrated-<ticker>)')
    .option('--json', 'print the measurements as JSON')
    .action(async (opts: CalibrateOptions) => {
      const levels = opts.levels ?? levelsFromFileName(basename(opts.orderbook));
      if (levels === undefined) {
        throw new CliError(`--levels is needed: cannot read the level count from "${basename(opts.orderbook)}", expected a name ending in _orderbook_<levels>.csv[.gz]`);
      }
      let run;
      try {
        run = await calibrateFromLobster({
          pair: { messages: opts.messages, orderbook: opts.orderbook, levels },
          out: opts.out,
          ...(opts.volume !== undefined ? { volumeFile: opts.volume } : {}),
          ...(opts.name !== undefined ? { name: opts.name } : {}),
        });
      } catch (err) {
        if (err instanceof LobsterFormatError || err instanceof FileReadError || err instanceof ScenarioError) throw new CliError(err.message);
        throw err;
      }
      const m = run.measurements;
      printReport({ out: run.out, measurements: m, scenario: run.scenario }, opts.json, () =>
        [
          `wrote ${run.out} (scenario "${run.scenario.name}") from ${m.messages.toLocaleString('en-US')} messages over ${m.seconds.toFixed(0)} s`,
          table([
            ['spread ticks', 'mean', 'p05', 'median', 'p95'],
            ['', m.spreadTicks.mean, m.spreadTicks.p05, m.spreadTicks.median, m.spreadTicks.p95],
          ]),
          table([
            ['per second', 'limit buy', 'limit sell', 'cancel buy', 'cancel sell', 'market buy', 'market sell', 'hidden'],
            ['', m.rates.limitBuy, m.rates.limitSell, m.rates.cancelBuy, m.rates.cancelSell, m.rates.marketBuy, m.rates.marketSell, m.rates.hiddenExecutions],
          ]),
          `cancel ratio ${m.cancelRatio.toFixed(3)}, cancel hazard ${m.cancelHazard.toFixed(4)}/s per resting order, 1-minute volatility ${m.volatility1mBps.toFixed(2)} bps`,
          `limit size quantiles (0,25,50,75,100%): ${[0, 5, 10, 15, 20].map((i) => m.limitSizeQuantiles[i]).join(', ')}`,
          `market size quantiles (0,25,50,75,100%): ${[0, 5, 10, 15, 20].map((i) => m.marketSizeQuantiles[i]).join(', ')}`,
          `placement from the opposite best, ticks (5,25,50,75,95%): ${[1, 5, 10, 15, 19].map((i) => m.placementFromOppositeQuantiles[i]).join(', ')}`,
          `depth by level, bids: ${m.depthProfile.bids.map((x) => x.toFixed(0)).join(' ')}; asks: ${m.depthProfile.asks.map((x) => x.toFixed(0)).join(' ')}`,
          `volume profile by 30 minutes: ${m.volumeProfile.map((x) => x.toFixed(2)).join(' ')}`,
        ].join('\n'),
      );
    });

  sim
    .command('touch')
    .description('what resting at the touch is worth: a limit order joins its own best and waits; fill shares and the mid move against it, filled or not, on a scenario or a LOBSTER day')
    .option('--scenario <name|file>', 'simulator scenario (name or file); every seed starts at --start')
    .option('--venue <venue>', 'lobster:FILE, the historical venue (seed k starts at 10:00 plus k waits rounded up to minutes)')
    .requiredOption('--seeds <range>', 'seeds "A..B", "A" or "A,B,C"')
    .option('--size <lots>', 'probe order size in lots', parsePositiveInt('--size'), 50)
    .option('--wait <duration>', 'how long the order rests, e.g. 30s', parseDuration('--wait'), 30 * SECOND)
    .option('--start <HH:MM>', 'simulator only: the time of day the probes join (default 10:00)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: TouchOptions) => {
      const report = await runTouch(opts);
      printReport(report, opts.json, () => describeTouch(report));
    });

  sim
    .command('diagnostics')
    .description('the figures that tell the simulator from a real book (flow predictability, variance ratio, touch fills and adverse selection, kurtosis, autocorrelations, spread and depth distributions, impact exponents), for a scenario and for real LOBSTER days by the same code, with the real range, a verdict per figure and a distance')
    .requiredOption('--scenario <name|file>', 'scenario name or file')
    .requiredOption('--seeds <range>', 'simulator seeds, "A..B", "A" or "A,B,C"')
    .option('--real <days>', 'LOBSTER days to compare with, of AAPL, AMZN, GOOG', 'GOOG,AAPL,AMZN')
    .option('--data <dir>', 'LOBSTER folder (default: ../shared/data/lobster beside the checkout)')
    .option('--volume <file>', 'per-minute volume CSV (default: ../shared/data/volume beside the checkout)')
    .option('--touch-seeds <range>', 'touch probe seeds on the simulator (default 900300..900599)')
    .option('--touch-real-seeds <range>', 'touch probe seeds on each real day (default 0..299)')
    .option('--touch-size <lots>', 'touch probe order size, lots', parsePositiveInt('--touch-size'), 50)
    .option('--touch-wait <duration>', 'how long the probe order rests, e.g. 30s', parseDuration('--touch-wait'), 30 * SECOND)
    .option('--workers <n>', 'worker threads for the simulator seeds (default 1)', parsePositiveInt('--workers'))
    .option('--real-from <file>', 'take the real days from a saved report (this command\'s --json) instead of measuring them again')
    .option('--json', 'print the report as JSON')
    .action(async (opts: DiagnosticsFlags) => {
      const report = await runDiagnostics(opts);
      printReport(report, opts.json, () => describeDiagnostics(report));
      if (report.inRange < report.figures) process.exitCode = 2;
    });

  sim
    .command('fit')
    .description('search a scenario\'s order-flow and maker parameters (Nelder–Mead over the diagnostics\' distance to the real days) and write the best scenario found')
    .requiredOption('--scenario <name|file>', 'the scenario to start from')
    .requiredOption('--out <file>', 'scenario file to write')
    .option('--name <name>', 'the written scenario\'s name (default: the start\'s)')
    .option('--seeds <range>', 'simulator seeds of every evaluation', '1..3')
    .option('--evaluations <n>', 'simulated evaluations at most', parsePositiveInt('--evaluations'), 100)
    .option('--real <days>', 'LOBSTER days to fit to, of AAPL, AMZN, GOOG', 'GOOG,AAPL,AMZN')
    .option('--data <dir>', 'LOBSTER folder (default: ../shared/data/lobster beside the checkout)')
    .option('--volume <file>', 'per-minute volume CSV (default: ../shared/data/volume beside the checkout)')
    .option('--touch-seeds <range>', 'touch probe seeds on the simulator in every evaluation', '900300..900339')
    .option('--touch-real-seeds <range>', 'touch probe seeds on each real day (default 0..299)')
    .option('--trail <file>', 'append each evaluation to this file as a JSON line')
    .option('--real-from <file>', 'take the real days from a saved report (cockpit sim diagnostics --json) instead of measuring them again')
    .option('--param <path=lo..hi>', `a parameter to search instead of the ${DEFAULT_FIT_PARAMETERS.length} default ones, as marketMakers.spreadTicks=6..40:int (repeatable; the path must hold a number in the start scenario)`, (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--no-metaorders', 'leave the controlled metaorders out of each evaluation (their exponent then counts as unmeasured, the same for every point): about five times faster')
    .action(async (opts: FitFlags) => {
      const startFile = scenarioFileOrCliError(opts.scenario);
      const seeds = parseSeedList(opts.seeds, '--seeds', MAX_SIM_SEEDS);
      const days = parseRealDays(opts.real);
      const touch = {
        ...defaultTouchPlan(),
        simSeeds: parseSeedList(opts.touchSeeds, '--touch-seeds', MAX_SIM_SEEDS),
        ...(opts.touchRealSeeds === undefined ? {} : { realSeeds: parseSeedList(opts.touchRealSeeds, '--touch-real-seeds', MAX_SIM_SEEDS) }),
      };
      const dir = lobsterDirOrCliError(opts.data);
      const volumeFile = volumeFileOrCliError(opts.volume);
      const name = opts.name ?? String(startFile.json.name);
      let params;
      try {
        params = opts.param.length === 0 ? DEFAULT_FIT_PARAMETERS : opts.param.map(parseFitParameter);
      } catch (err) {
        throw new CliError(err instanceof Error ? err.message : String(err));
      }
      let result;
      try {
        let real;
        if (opts.realFrom !== undefined) {
          real = realDaysFromReport(JSON.parse(readFileSync(opts.realFrom, 'utf8')), opts.realFrom, days);
        } else {
          checkDayFiles(dir, days);
          real = [];
          for (const day of days) real.push(await realDayFigures(dir, day, touch, volumeFile));
        }
        result = fitScenario({
          start: startFile.json,
          name,
          params,
          seeds,
          touch,
          real,
          evaluations: opts.evaluations,
          ...(opts.metaorders ? {} : { metaorders: { ...DEFAULT_METAORDERS, fractions: [] } }),
          onEvaluation: (e) => {
            if (opts.trail !== undefined) appendFileSync(opts.trail, `${JSON.stringify(e)}\n`);
            process.stderr.write(`evaluation ${e.index}: objective ${e.objective.toFixed(3)}, distance ${e.distance.toFixed(3)} (days ${e.distancePoints.toFixed(3)}), ${e.inRange} in range\n`);
          },
        });
      } catch (err) {
        if (err instanceof ScenarioError) throw new CliError(err.message);
        throw new CliError(err instanceof Error ? err.message : String(err));
      }
      writeFileSync(opts.out, `${JSON.stringify(result.scenario, null, 2)}\n`);
      const summary = { out: opts.out, start: result.start, best: result.best, evaluations: result.evaluations.length };
      printReport(summary, false, () =>
        [`wrote ${opts.out} (scenario "${name}") after ${result.evaluations.length} evaluations`, `start: objective ${fmt(result.start.objective)}, distance ${fmt(result.start.distance)}`, `best (evaluation ${result.best.index}): objective ${fmt(result.best.objective)}, distance ${fmt(result.best.distance)}, ${result.best.inRange} in range`].join('\n'),
      );
    });

  sim
    .command('facts')
    .description('stylized facts of a scenario over seeds beside the real LOBSTER days (AAPL, AMZN, GOOG), pass/fail per statistic')
    .requiredOption('--scenario <name|file>', 'scenario name or file')
    .requiredOption('--seeds <A..B>', 'seeds to run, e.g. 1..5')
    .option('--data <dir>', 'LOBSTER folder (default: ../shared/data/lobster beside the checkout)')
    .option('--workers <n>', 'worker threads (default: one a core)', parsePositiveInt('--workers'))
    .option('--json', 'print the report as JSON')
    .action(async (opts: FactsOptions) => {
      const scenario = scenarioOrCliError(opts.scenario);
      const seeds = parseSeedList(opts.seeds, '--seeds', MAX_SIM_SEEDS);
      const dir = lobsterDirOrCliError(opts.data);
      let report: FactsReport;
      try {
        report = await factsReport({ scenario, seeds, lobsterDir: dir, ...(opts.workers === undefined ? {} : { workers: opts.workers }) });
      } catch (err) {
        if (err instanceof LobsterFormatError || err instanceof FileReadError) throw new CliError(err.message);
        throw err;
      }
      printReport(report, opts.json, () => describeFacts(report));
      if (report.verdict !== 'pass') process.exitCode = 2;
    });
}

/** Parses `--real A,B,C` into known LOBSTER days. */
export function parseRealDays(text: string): string[] {
  const days = text.split(',').map((d) => d.trim().toUpperCase()).filter((d) => d.length > 0);
  if (days.length === 0) throw new CliError(`--real must list LOBSTER days, e.g. GOOG,AAPL,AMZN, received "${text}"`);
  for (const d of days) {
    if (DIAGNOSTIC_DAYS[d] === undefined) throw new CliError(`--real: no LOBSTER day "${d}", expected some of ${Object.keys(DIAGNOSTIC_DAYS).join(', ')}`);
  }
  if (new Set(days).size !== days.length) throw new CliError(`--real lists a day twice, received "${text}"`);
  return days;
}

async function runDiagnostics(opts: DiagnosticsFlags): Promise<DiagnosticsReport> {
  const scenario = scenarioOrCliError(opts.scenario);
  const seeds = parseSeedList(opts.seeds, '--seeds', MAX_SIM_SEEDS);
  const days = parseRealDays(opts.real);
  const base = defaultTouchPlan();
  const touch = {
    ...base,
    size: opts.touchSize,
    waitNs: opts.touchWait,
    ...(opts.touchSeeds === undefined ? {} : { simSeeds: parseSeedList(opts.touchSeeds, '--touch-seeds', MAX_SIM_SEEDS) }),
    ...(opts.touchRealSeeds === undefined ? {} : { realSeeds: parseSeedList(opts.touchRealSeeds, '--touch-real-seeds', MAX_SIM_SEEDS) }),
  };
  const dir = lobsterDirOrCliError(opts.data);
  const volumeFile = volumeFileOrCliError(opts.volume);
  try {
    const real = opts.realFrom === undefined ? undefined : realDaysFromReport(JSON.parse(readFileSync(opts.realFrom, 'utf8')), opts.realFrom, days);
    return await diagnosticsReport({ scenario, seeds, days, lobsterDir: dir, volumeFile, touch, ...(opts.workers === undefined ? {} : { workers: opts.workers }), ...(real === undefined ? {} : { real }) });
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/** Formats the diagnostics report as a table. */
export function describeDiagnostics(r: DiagnosticsReport): string {
  const rows: Array<Array<string | number>> = [['figure', 'sim', 'sim min', 'sim max', ...r.days, 'range lo', 'range hi', 'verdict']];
  for (const row of r.rows) {
    rows.push([
      row.key,
      fmt(row.sim),
      fmt(row.simMin),
      fmt(row.simMax),
      ...row.real.map((d) => (row.source === 'literature' ? '—' : fmt(d.value))),
      fmt(row.rangeLo),
      fmt(row.rangeHi),
      row.source === 'literature' ? `${row.verdict} (lit.)` : row.verdict,
    ]);
  }
  return [
    `scenario ${r.scenario}, seeds ${r.seeds[0]}..${r.seeds[r.seeds.length - 1]} (${r.seeds.length}); real ${r.days.join(', ')}; touch probe ${r.touch.size} lots for ${r.touch.waitSeconds} s (${r.touch.simSeeds} sim seeds from ${r.touch.simStart} to ${r.touch.simEnd}, ${r.touch.realSeeds} real seeds from 10:00 a minute apart); ${r.seconds.toFixed(1)} s`,
    table(rows),
    `in range: ${r.inRange} of ${r.figures}; distance ${fmt(r.distance)} (against the days' own values: ${fmt(r.distancePoints)})`,
    ...r.notes.map((n) => `note: ${n}`),
  ].join('\n');
}

async function runTouch(opts: TouchOptions): Promise<TouchProbeReport & { readonly market: string; readonly wallSeconds: number }> {
  const started = performance.now();
  const seeds = parseSeedList(opts.seeds);
  const volumeFile = volumeFileOrCliError();
  let market: MarketSpec;
  let label: string;
  if (opts.venue !== undefined) {
    if (opts.scenario !== undefined) throw new CliError('give either --scenario (simulator) or --venue lobster:FILE, received both');
    if (opts.start !== undefined) throw new CliError('--start is for the simulator; on LOBSTER seed k starts at 10:00 plus k waits rounded up to minutes');
    ({ market, label } = lobsterVenueSpec(opts.venue, 30 * 60 * SECOND, opts.wait, volumeFile));
  } else {
    if (opts.scenario === undefined) throw new CliError('give --scenario NAME (simulator) or --venue lobster:FILE, received neither');
    market = { kind: 'sim', scenario: opts.scenario, preTradeNs: 60 * SECOND, horizonNs: opts.wait, volumeFile, startNs: parseTimeOfDay(opts.start ?? '10:00') };
    label = opts.scenario;
  }
  try {
    const report = await touchProbe({ market, seeds, size: opts.size, waitNs: opts.wait });
    return { market: label, ...report, wallSeconds: (performance.now() - started) / 1000 };
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

function describeTouch(r: TouchProbeReport & { readonly market: string; readonly wallSeconds: number }): string {
  const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(0)}%` : '—');
  const ci = (c: MeanWithCi | null): string => (c === null ? '—' : c.ci95 === null ? c.mean.toFixed(2) : `${c.mean.toFixed(2)} [${c.ci95[0].toFixed(2)}, ${c.ci95[1].toFixed(2)}] (n ${c.n})`);
  const row = (name: string, s: TouchProbeSide): Array<string | number> => [name, s.n, pct(s.anyFill), pct(s.fullFill), pct(s.filledShare), ci(s.adverseIfFilledBps), ci(s.adverseIfNotBps)];
  return [
    `${r.market}: ${r.size} lots joining the own side's best, waiting ${r.waitSeconds} s, seeds ${r.seeds[0]}..${r.seeds[r.seeds.length - 1]} (${r.seeds.length}), ${r.wallSeconds.toFixed(1)} s`,
    table([['side', 'n', 'any fill', 'full fill', 'filled share', 'mid move against, if filled (bps)', 'if not filled (bps)'], row('buy', r.buy), row('sell', r.sell), row('both', r.both)]),
    '· mid move against the order: up for a sell, down for a buy, over the wait, in bps of the mid when it joined',
    '· a real book fills a resting order mostly when the price comes through it (a large move against it when filled); a book whose uninformed flow fills it without the price moving makes waiting at the touch cheap',
  ].join('\n');
}

function describeFacts(r: FactsReport): string {
  const real = r.real.stocks;
  const rows: Array<Array<string | number>> = [['statistic', 'sim (mean)', 'sim min', 'sim max', ...real.map((s) => s.stock), 'real lo', 'real hi', 'verdict']];
  for (const v of r.ranges) {
    const seedRange = r.sim.perSeedRange[v.key];
    rows.push([v.key, fmt(v.sim), fmt(seedRange.min), fmt(seedRange.max), ...real.map((s) => fmt(s[v.key])), fmt(v.realLo), fmt(v.realHi), v.pass ? 'PASS' : 'FAIL']);
  }
  const impact = r.sim.impactByFraction.map((x) => `${(x.fraction * 100).toFixed(1)}%: ${x.impactBps.toFixed(2)} bps (${(x.durationSeconds / 60).toFixed(0)} min)`).join(', ');
  return [
    `scenario ${r.scenario}, seeds ${r.seeds[0]}..${r.seeds[r.seeds.length - 1]}, ${r.seconds.toFixed(1)} s`,
    table(rows),
    '',
    `metaorder impact vs counterfactual: ${impact}; exponent ${fmt(r.sim.impactExponent)} ± ${fmt(r.sim.impactExponentStdErr)}`,
    `1-minute volatility bps: sim ${fmt(r.sim.volatility1mBps)}; ${real.map((s) => `${s.stock} ${fmt(s.volatility1mBps)}`).join(', ')}`,
    `sign-run impact exponent (same proxy on both): sim ${fmt(r.sim.runImpactExponent)}; ${real.map((s) => `${s.stock} ${fmt(s.runImpactExponent)}`).join(', ')}`,
    `daily volume, lots: sim ${fmt(r.sim.dailyVolume)}; ${real.map((s) => `${s.stock} ${fmt(s.dailyVolume)}`).join(', ')}`,
    `order flow → next minute's return, correlation (diagnostic, outside the verdict): sim ${fmt(r.flowPredictability.sim)} (seeds ${fmt(r.flowPredictability.simMin)}..${fmt(r.flowPredictability.simMax)}); ${real.map((s) => `${s.stock} ${fmt(s.flowReturnCorr)} [${fmt(s.flowReturnCorrCi.lo)}, ${fmt(s.flowReturnCorrCi.hi)}]`).join(', ')}; ${r.flowPredictability.inRealRange ? 'inside' : 'OUTSIDE'} the real range`,
    `10-second to 1-minute variance ratio (diagnostic, outside the verdict; 1 = random walk): sim ${fmt(r.varianceRatio.sim)} (seeds ${fmt(r.varianceRatio.simMin)}..${fmt(r.varianceRatio.simMax)}); ${real.map((s) => `${s.stock} ${fmt(s.varianceRatio10s)}`).join(', ')}; ${r.varianceRatio.inRealRange ? 'inside' : 'OUTSIDE'} the real range`,
    ...r.notes.map((n) => `note: ${n}`),
    `verdict: ${r.verdict.toUpperCase()}`,
    'Real data: LOBSTER sample files, courtesy of lobsterdata.com.',
  ].join('\n');
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toFixed(3);
}
