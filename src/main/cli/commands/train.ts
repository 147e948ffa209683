import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { BackendName } from '../../../engine/node/models/tf-backend';
import { selectBackend } from '../../../engine/node/models/tf-backend';
import type { TrainingReward } from '../../../engine/workflows/learn-train';
import { DEFAULT_ENV, TRAINING_REWARDS } from '../../../engine/workflows/learn-train';
import type { TrainPolicyOptions, TrainReport } from '../../../engine/workflows/train-policy';
import { checkEvalSeeds, trainPolicy } from '../../../engine/workflows/train-policy';
import type { EvaluateOptions, PolicyEvaluation } from '../../../engine/workflows/policy-eval';
import { evaluate } from '../../../engine/workflows/policy-eval';
import { parseRate, parseTimeOfDay, venueMarket, volumeFileOrCliError } from './backtest';
import { CliError, parsePositiveInt, printReport, table } from '../output';
import { DEFAULT_POLICY_SIGNALS } from '../../../engine/node/models/policy-files';

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
  signals?: boolean;
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
    .option('--signals', `fill the observation's signal slots with the market signal (the direction model ${DEFAULT_POLICY_SIGNALS.model} and the regime of ${DEFAULT_POLICY_SIGNALS.regimes}); the policy then runs only where the same signal is kept`)
    .option('--json', 'print the result as JSON')
    .action(async (opts: TrainOptions) => {
      const report = await runTrain(opts);
      printReport(report, opts.json, () => describe(report));
    });
}

async function runTrain(opts: TrainOptions): Promise<TrainReport> {
  const algo = opts.algo.toLowerCase();
  if (algo !== 'dqn' && algo !== 'ppo') throw new CliError(`--algo must be dqn or ppo, received "${opts.algo}"`);
  if (opts.backend !== undefined && !BACKENDS.includes(opts.backend)) throw new CliError(`--backend must be one of ${BACKENDS.join(', ')}, received "${opts.backend}"`);
  const seed = Number(opts.seed);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 98) throw new CliError(`--seed must be an integer in 0..98, received "${opts.seed}"`);
  const evalSeeds = opts.evalSeeds.trim().toLowerCase() === 'none' ? null : opts.evalSeeds;
  if (evalSeeds !== null) {
    try {
      checkEvalSeeds(evalSeeds);
    } catch (err) {
      throw new CliError(err instanceof Error ? err.message : String(err));
    }
  }
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
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'train [{bar}] {value}/{total} steps | {sps} steps/s | ep reward {reward} bps | shortfall(100) {shortfall} bps | ε {eps} | {episodes} eps | eta {eta}',
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: LOG_LINE_MS,
  });
  let lastLine = Date.now();
  bar.start(opts.steps, 0, { sps: '-', reward: '-', shortfall: '-', eps: '-', episodes: 0, eta: '-' });
  const options: TrainPolicyOptions = {
    backend,
    evalSeeds,
    command: `cockpit ${process.argv.slice(2).join(' ')}`,
    algo,
    scenarios,
    steps: opts.steps,
    seed,
    out: opts.out,
    resume: opts.resume === true,
    env: {
      ...DEFAULT_ENV,
      side: side === 'buy' ? 'buy' : 'sell',
      ...(side === 'both' ? { bothSides: true } : {}),
      ...(opts.trackingPenalty === undefined ? {} : { trackingPenalty: opts.trackingPenalty }),
      ...(opts.inventoryPenalty === undefined ? {} : { inventoryPenalty: opts.inventoryPenalty }),
      ...(opts.signals === true ? { signals: DEFAULT_POLICY_SIGNALS } : {}),
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
  };
  // Ctrl-C stops the run at its next step with a resume point saved (a second one exits at once).
  const controller = new AbortController();
  const onSigint = (): void => {
    process.off('SIGINT', onSigint);
    controller.abort('interrupted (Ctrl-C)');
  };
  process.on('SIGINT', onSigint);
  try {
    return await trainPolicy(options, { signal: controller.signal });
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  } finally {
    process.off('SIGINT', onSigint);
    bar.stop();
  }
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

interface EvaluateFlags {
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
    .option('--venue <venue>', 'a historical venue: lobster:FILE, databento:FILE (DBN MBO) or binance:FILE (a Binance capture)')
    .requiredOption('--seeds <range>', 'held-out seeds "A..B" (simulator: below 900000; historical venues: start-time slots)')
    .option('--pre-trade <seconds>', 'pre-trade window in seconds (default: the training env on the simulator, 1800 on LOBSTER, 0.5 on Databento, 60 on Binance)')
    .option('--workers <n>', 'worker threads for the baselines', parsePositiveInt('--workers'))
    .option('--side <side>', 'sell or buy (default: the side the policy was trained for)')
    .option('--start <HH:MM[:SS]>', 'LOBSTER: the start of seed 0, later seeds following every horizon (default: the first minute after the pre-trade window)', parseTimeOfDay)
    .option('--title <text>', 'table title in the card')
    .option('--write-card', 'append the table to the model card')
    .option('--json', 'print the evaluation as JSON')
    .action(async (opts: EvaluateFlags) => {
      const report = await runEvaluate(opts);
      printReport(report, opts.json, () => [report.title, report.command, table([Object.keys(report.rows[0] ?? {}), ...report.rows.map((r) => Object.values(r).map((v) => String(v ?? 'n/a')))]), report.verdict].join('\n'));
    });
}

/** Maps `cockpit evaluate`'s flags to the evaluate workflow's options and runs it. */
async function runEvaluate(opts: EvaluateFlags): Promise<PolicyEvaluation> {
  const side = opts.side === undefined ? undefined : opts.side.trim().toLowerCase();
  if (side !== undefined && side !== 'sell' && side !== 'buy') throw new CliError(`--side must be sell or buy, received "${opts.side}"`);
  const preTradeSeconds = opts.preTrade === undefined ? undefined : Number(opts.preTrade);
  if (preTradeSeconds !== undefined && !(preTradeSeconds > 0)) throw new CliError(`--pre-trade must be a positive number of seconds, received "${opts.preTrade}"`);
  let market: EvaluateOptions['market'];
  if (opts.venue !== undefined) {
    market = venueMarket(opts.venue);
  } else {
    if (opts.scenario === undefined) throw new CliError('give --scenario NAME or --venue KIND:FILE (lobster:, databento:, binance:)');
    market = { kind: 'sim', scenario: opts.scenario };
  }
  try {
    return await evaluate({
      model: opts.model,
      market,
      seeds: opts.seeds,
      ...(side === undefined ? {} : { side }),
      ...(preTradeSeconds === undefined ? {} : { preTradeSeconds }),
      ...(opts.start === undefined ? {} : { startNs: opts.start }),
      ...(opts.title === undefined ? {} : { title: opts.title }),
      ...(opts.workers === undefined ? {} : { workers: opts.workers }),
      ...(opts.writeCard === true ? { writeCard: true } : {}),
      volumeFile: volumeFileOrCliError(),
    });
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}
