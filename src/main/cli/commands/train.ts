import { basename, relative, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { BackendName } from '../../../engine/node/models/tf-backend';
import { selectBackend } from '../../../engine/node/models/tf-backend';
import type { TrainResult } from '../../../engine/workflows/learn-train';
import type { TrainingReward } from '../../../engine/workflows/learn-train';
import { DEFAULT_ENV, train, TRAINING_REWARDS } from '../../../engine/workflows/learn-train';
import { readCard, writeCard } from '../../../engine/node/models/policy-card';
import { cardFromRun } from '../../../engine/workflows/train-card';
import type { MarketSpec } from '../../../engine/node/files/backtest-markets';
import { clock, isHistoricalMarket } from '../../../engine/node/files/backtest-markets';
import { loadPolicySync } from '../../../engine/node/models/policy-files';
import type { PolicyEvaluation } from '../../../engine/workflows/policy-eval';
import { evaluatePolicy } from '../../../engine/workflows/policy-eval';
import { VALIDATION_SEED_MIN } from '../../../engine/learn/seeds';
import { lobsterVenueSpec, parseRate, parseSeedList, parseTimeOfDay, volumeFileOrCliError } from './backtest';
import { CliError, parsePositiveInt, printReport, table } from '../output';
import { NS_PER_SECOND as SECOND } from '../../../engine/core/clock';

interface TrainOptions {
  algo: string;
  scenario: string;
  steps: number;
  seed: string;
  out: string;
  resume?: boolean;
  backend?: string;
  envs: number;
  checkpointEvery: number;
  validation: string;
  reward: string;
  entropyCoef?: number;
  learningRate?: number;
  trackingPenalty?: number;
  inventoryPenalty?: number;
  gamma?: number;
  gaeLambda?: number;
  evalSeeds: string;
  side: string;
  json?: boolean;
}

const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
/** Ms between progress lines when stderr is not a terminal (a log file, CI). */
const LOG_LINE_MS = 10_000;

function parseUnit(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || n > 1) throw new CliError(`${name} must be a number in [0, 1], received "${value}"`);
    return n;
  };
}

/** Registers `cockpit train`: DQN or PPO on the simulator, checkpoints, resume, a model directory with its card. */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train an RL execution policy (DQN or PPO) in the simulator (and on recorded days) and write a TF.js model directory with its model card')
    .requiredOption('--algo <algo>', 'dqn or ppo')
    .option('--scenario <names>', 'scenario(s) or recorded days lobster:MESSAGE_FILE, comma-separated: envs are spread over them (mixed training); episodes on a day start at seed-drawn times, and validation and --eval-seeds use the scenarios only', 'calm,volatile,thin')
    .requiredOption('--steps <n>', 'total env steps', parsePositiveInt('--steps'))
    .option('--seed <k>', 'run seed 0..98: fixes weights, exploration and the training seed block 1,000,000 + k·10M', '0')
    .requiredOption('--out <dir>', 'model directory (checkpoints go in DIR/checkpoint)')
    .option('--resume', 'continue from the last checkpoint in DIR')
    .option('--backend <name>', `TF.js backend: ${BACKENDS.join(', ')} (default: the fastest available)`)
    .option('--side <side>', 'sell or buy: the parent order every episode works; both: envs in pairs, one per side on the same market (the policy\'s own side, for its evaluation and the cockpit, is sell)', 'sell')
    .option('--envs <n>', 'parallel environments', parsePositiveInt('--envs'), 6)
    .option('--checkpoint-every <n>', 'env steps between checkpoints (and validations)', parsePositiveInt('--checkpoint-every'), 10_000)
    .option('--validation <n>', 'validation episodes per scenario at each checkpoint for model selection (0: ship the last weights)', '8')
    .option('--reward <kind>', 'counterfactual-drift (fills against the agent-free mid of the same seed: the market drift removed), schedule-drift (the same, plus the drift earned on the deviation from the TWAP schedule) or arrival (the env reward as is)', 'counterfactual-drift')
    .option('--entropy-coef <x>', 'PPO entropy bonus (default 0.01)', parseRate('--entropy-coef', false))
    .option('--tracking-penalty <bps>', 'reward term: bps an episode costs held one TWAP slice off the schedule throughout (default 0)', parseRate('--tracking-penalty', false))
    .option('--inventory-penalty <bps>', 'reward term (risk aversion): bps an episode costs holding the whole order throughout, charged on (lots left / quantity)² each step; TWAP pays about a third of it (default 0)', parseRate('--inventory-penalty', false))
    .option('--gamma <x>', 'discount factor in [0, 1] (default 0.99)', parseUnit('--gamma'))
    .option('--gae-lambda <x>', 'PPO: GAE λ in [0, 1] (default 0.95)', parseUnit('--gae-lambda'))
    .option('--learning-rate <x>', 'learning rate (defaults: DQN 0.0005, PPO 0.0003)', parseRate('--learning-rate', false))
    .option('--eval-seeds <range>', 'held-out seeds "A..B" (below 900000) on which the finished policy is evaluated against TWAP, VWAP and AC per scenario, into its model card; "none" skips it', '1..100')
    .option('--json', 'print the result as JSON')
    .action(async (opts: TrainOptions) => {
      const report = await runTrain(opts);
      printReport(report, opts.json, () => describe(report));
    });
}

interface TrainReport {
  readonly out: string;
  readonly backend: string;
  readonly backendDetail: string;
  readonly result: TrainResult;
  /** The held-out evaluation per scenario written into the card (empty with --eval-seeds none). */
  readonly evaluations: readonly PolicyEvaluation[];
}

async function runTrain(opts: TrainOptions): Promise<TrainReport> {
  const algo = opts.algo.toLowerCase();
  if (algo !== 'dqn' && algo !== 'ppo') throw new CliError(`--algo must be dqn or ppo, received "${opts.algo}"`);
  if (opts.backend !== undefined && !BACKENDS.includes(opts.backend)) throw new CliError(`--backend must be one of ${BACKENDS.join(', ')}, received "${opts.backend}"`);
  const seed = Number(opts.seed);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 98) throw new CliError(`--seed must be an integer in 0..98, received "${opts.seed}"`);
  const evalSeeds = opts.evalSeeds.trim().toLowerCase() === 'none' ? null : opts.evalSeeds;
  if (evalSeeds !== null && parseSeedList(evalSeeds).some((k) => k >= VALIDATION_SEED_MIN)) throw new CliError(`--eval-seeds must lie below ${VALIDATION_SEED_MIN} (held out from training and validation), received "${opts.evalSeeds}"`);
  const validation = Number(opts.validation);
  if (!Number.isSafeInteger(validation) || validation < 0) throw new CliError(`--validation must be a non-negative integer, received "${opts.validation}"`);
  if (!(TRAINING_REWARDS as readonly string[]).includes(opts.reward)) throw new CliError(`--reward must be one of ${TRAINING_REWARDS.join(', ')}, received "${opts.reward}"`);
  const side = opts.side.trim().toLowerCase();
  if (side !== 'sell' && side !== 'buy' && side !== 'both') throw new CliError(`--side must be sell, buy or both, received "${opts.side}"`);
  const scenarios = opts.scenario.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (scenarios.length === 0) throw new CliError(`--scenario must name at least one scenario, received "${opts.scenario}"`);
  let backend;
  try {
    backend = await selectBackend(opts.backend as BackendName | undefined);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  process.stderr.write(`train: ${algo} on ${scenarios.join(', ')}, backend ${backend.name} (${backend.detail})\n`);
  const out = resolve(opts.out);
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'train [{bar}] {value}/{total} steps | {sps} steps/s | ep reward {reward} bps | shortfall(100) {shortfall} bps | ε {eps} | {episodes} eps | eta {eta}',
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: LOG_LINE_MS,
  });
  let result: TrainResult;
  let lastLine = Date.now();
  bar.start(opts.steps, 0, { sps: '-', reward: '-', shortfall: '-', eps: '-', episodes: 0, eta: '-' });
  try {
    result = await train({
      tf: backend.tf,
      backend: backend.name,
      algo,
      scenarios,
      steps: opts.steps,
      seed,
      out,
      resume: opts.resume === true,
      env: {
        ...DEFAULT_ENV,
        side: side === 'buy' ? 'buy' : 'sell',
        ...(side === 'both' ? { bothSides: true } : {}),
        ...(opts.trackingPenalty === undefined ? {} : { trackingPenalty: opts.trackingPenalty }),
        ...(opts.inventoryPenalty === undefined ? {} : { inventoryPenalty: opts.inventoryPenalty }),
      },
      envs: opts.envs,
      checkpointEvery: opts.checkpointEvery,
      validationEpisodes: validation,
      reward: opts.reward as TrainingReward,
      ...(algo === 'ppo'
        ? {
            ppo: {
              ...(opts.entropyCoef === undefined ? {} : { entropyCoef: opts.entropyCoef }),
              ...(opts.learningRate === undefined ? {} : { learningRate: opts.learningRate }),
              ...(opts.gamma === undefined ? {} : { gamma: opts.gamma }),
              ...(opts.gaeLambda === undefined ? {} : { lambda: opts.gaeLambda }),
            },
          }
        : { dqn: { ...(opts.learningRate === undefined ? {} : { learningRate: opts.learningRate }), ...(opts.gamma === undefined ? {} : { gamma: opts.gamma }) } }),
      onProgress: (p) => {
        bar.update(Math.min(p.step, p.total), {
          sps: p.stepsPerSecond.toFixed(0),
          reward: p.episodeReward.toFixed(1),
          shortfall: p.shortfallBps.toFixed(1),
          eps: p.epsilon === null ? '-' : p.epsilon.toFixed(2),
          episodes: p.episodes,
          eta: `${Math.round(p.etaSeconds)}s`,
        });
        // Off a terminal the bar redraws on a timer, which the training loop never yields to: draw a line every 10 s here.
        if (!process.stderr.isTTY && Date.now() - lastLine >= LOG_LINE_MS) {
          lastLine = Date.now();
          bar.render();
        }
      },
    });
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  } finally {
    bar.stop();
  }
  const command = `cockpit ${process.argv.slice(2).join(' ')}`;
  writeCard(out, cardFromRun(basename(out), result, `${backend.name} (training); js-forward (single decisions at inference)`, command));
  const evaluations: PolicyEvaluation[] = [];
  if (evalSeeds !== null) for (const scenario of scenarios.filter((s) => !isHistoricalMarket(s))) evaluations.push(await runEvaluate({ model: out, scenario, seeds: evalSeeds, writeCard: true }));
  return { out, backend: backend.name, backendDetail: backend.detail, result, evaluations };
}

function describe(r: TrainReport): string {
  const s = r.result.state;
  const rows: Array<Array<string | number>> = [['step', 'validation shortfall bps', ...Object.keys(s.validation[0]?.byScenario ?? {})]];
  for (const v of s.validation) rows.push([v.step, v.meanShortfallBps.toFixed(2), ...Object.values(v.byScenario).map((x) => x.toFixed(2))]);
  return [
    `${s.algo} trained ${s.step.toLocaleString('en-US')} steps (${s.episodes} episodes) in ${s.wallSeconds.toFixed(0)} s on ${r.backend} (${r.backendDetail})`,
    `model: ${r.out} (${r.result.selected === 'best-validation' ? `best validation checkpoint, step ${s.best?.step}` : 'last weights'})`,
    s.resumedAt.length ? `resumed at step ${s.resumedAt.join(', ')}` : '',
    s.validation.length ? table(rows) : '',
    ...r.evaluations.map((e) => `${e.title}: ${e.verdict}`),
  ]
    .filter((l) => l.length > 0)
    .join('\n');
}

interface EvaluateOptions {
  model: string;
  scenario?: string;
  venue?: string;
  seeds: string;
  preTrade?: string;
  workers?: number;
  title?: string;
  side?: string;
  start?: number;
  writeCard?: boolean;
  json?: boolean;
}

/** Registers `cockpit evaluate`: a trained policy against TWAP, VWAP and AC on held-out seeds, paired differences, optionally written into its model card. */
export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('evaluate a trained policy against TWAP, VWAP and AC on held-out seeds (paired differences, verdict); --write-card adds the table to its model card')
    .requiredOption('--model <dir>', 'model directory')
    .option('--scenario <name>', 'simulator scenario')
    .option('--venue <venue>', 'lobster:FILE (historical venue)')
    .requiredOption('--seeds <range>', 'held-out seeds "A..B" (simulator: below 900000; LOBSTER: start-time slots)')
    .option('--pre-trade <seconds>', 'pre-trade window in seconds (default: the training env on the simulator, 1800 on LOBSTER)')
    .option('--workers <n>', 'worker threads for the baselines', parsePositiveInt('--workers'))
    .option('--side <side>', 'sell or buy (default: the side the policy was trained for)')
    .option('--start <HH:MM[:SS]>', 'LOBSTER: the start of seed 0, later seeds following every horizon (default: the first minute after the pre-trade window)', parseTimeOfDay)
    .option('--title <text>', 'table title in the card')
    .option('--write-card', 'append the table to the model card')
    .option('--json', 'print the evaluation as JSON')
    .action(async (opts: EvaluateOptions) => {
      const report = await runEvaluate(opts);
      printReport(report, opts.json, () => [report.title, report.command, table([Object.keys(report.rows[0] ?? {}), ...report.rows.map((r) => Object.values(r).map((v) => String(v ?? 'n/a')))]), report.verdict].join('\n'));
    });
}

async function runEvaluate(opts: EvaluateOptions): Promise<PolicyEvaluation> {
  const dir = resolve(opts.model);
  let manifest;
  try {
    manifest = loadPolicySync(dir).manifest;
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  const seeds = parseSeedList(opts.seeds);
  const side = opts.side === undefined ? manifest.env.side : opts.side.trim().toLowerCase();
  if (side !== 'sell' && side !== 'buy') throw new CliError(`--side must be sell or buy, received "${opts.side}"`);
  const horizonNs = manifest.env.horizonSeconds * SECOND;
  const interval = horizonNs / manifest.env.steps;
  // --start as the reproducing command and the table's title give it.
  const start = opts.start === undefined ? null : clock(opts.start).replace(/:00$/, '');
  const volumeFile = volumeFileOrCliError();
  let market: MarketSpec;
  let where: string;
  const preTradeS = opts.preTrade === undefined ? undefined : Number(opts.preTrade);
  if (preTradeS !== undefined && !(preTradeS > 0)) throw new CliError(`--pre-trade must be a positive number of seconds, received "${opts.preTrade}"`);
  if (opts.venue !== undefined) {
    const pre = preTradeS ?? 1800;
    market = lobsterVenueSpec(opts.venue, pre * SECOND, horizonNs, volumeFile, opts.start).market;
    where = `--venue ${opts.venue} --pre-trade ${pre}s${start === null ? '' : ` --start ${start}`}`;
  } else {
    if (opts.scenario === undefined) throw new CliError('give --scenario NAME or --venue lobster:FILE');
    if (opts.start !== undefined) throw new CliError('--start is for --venue lobster:FILE here; held-out simulator seeds start where the policy trained');
    if (seeds.some((s) => s >= VALIDATION_SEED_MIN)) throw new CliError(`held-out evaluation seeds lie below ${VALIDATION_SEED_MIN}, received "${opts.seeds}"`);
    const pre = preTradeS ?? manifest.env.preTradeSeconds;
    market = { kind: 'sim', scenario: opts.scenario, preTradeNs: pre * SECOND, horizonNs, volumeFile };
    where = `--scenario ${opts.scenario} --pre-trade ${pre}s`;
  }
  const rel = relative(process.cwd(), dir) || '.';
  const command = `cockpit backtest ${where} --seeds ${opts.seeds} --strategies twap,vwap,ac,rl:${rel} --side ${side} --qty ${manifest.env.quantity} --horizon ${manifest.env.horizonSeconds}s --interval ${interval / SECOND}s   # vs-VWAP column: cockpit evaluate --model ${rel} ${opts.venue ? `--venue ${opts.venue}` : `--scenario ${opts.scenario}`} --seeds ${opts.seeds}${side === manifest.env.side ? '' : ` --side ${side}`}${start === null ? '' : ` --start ${start}`}`;
  const title = opts.title ?? `${opts.venue ? basename(opts.venue) : opts.scenario}: ${side} ${manifest.env.quantity} over ${manifest.env.horizonSeconds} s, held-out seeds ${opts.seeds}${start === null ? '' : ` from ${start}`}`;
  let evaluation: PolicyEvaluation;
  try {
    evaluation = await evaluatePolicy(market, { side, quantity: manifest.env.quantity, horizonNs }, interval, seeds, { name: `rl:${rel}`, dir }, title, command, opts.workers);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  if (opts.writeCard) {
    const card = readCard(dir);
    if (!card) throw new CliError(`no model-card.json in ${dir}`);
    const { policyShortfall: _p, vsTwap: _t, vsVwap: _v, ...entry } = evaluation;
    writeCard(dir, { ...card, evaluations: [...card.evaluations.filter((e) => e.title !== title), entry] });
  }
  return evaluation;
}
