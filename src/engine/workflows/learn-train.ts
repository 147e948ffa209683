/**
 * Training runs: DQN or PPO on the execution environment over one or more simulator scenarios or
 * recorded LOBSTER days (mixed: env i trains on market i mod k), with periodic checkpoints, resume,
 * model selection on validation seeds of the simulator scenarios and the final model directory
 * (TF.js model, normaliser, `policy.json`, model card).
 *
 * Seeds: episodes draw from a `TrainingSeedStream` (≥ 1,000,000, a block of 10M per `--seed`);
 * model selection runs the greedy policy on fixed validation seeds (900,000 + k); evaluation seeds
 * (below 900,000) are never touched here.
 */

import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as TF from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import type { RngState } from '../core/rng';
import type { DqnConfig } from '../learn/dqn';
import { DQN_DEFAULTS, DqnLearner } from '../learn/dqn';
import { toMlp } from '../learn/tf-mlp';
import type { Tf } from '../learn/tf-mlp';
import { argmax, mlpForward } from '../learn/mlp';
import type { NormaliserState } from '../learn/normaliser';
import { RunningNormaliser } from '../learn/normaliser';
import type { PpoConfig } from '../learn/ppo';
import { PPO_DEFAULTS, PpoLearner, Rollout } from '../learn/ppo';
import type { ReplaySnapshot } from '../learn/replay';
import { assertValidationSeed, TrainingSeedStream, trainingSeedBase, VALIDATION_SEED_MIN } from '../learn/seeds';
import type { EnvMarket } from '../rl/env';
import { ACTION_COUNT, ENV_LAYOUT, ExecutionEnv, OBSERVATION_SIZE } from '../rl/env';
import { costSign } from '../execution/types';
import { venueMid } from '../execution/market-observer';
import type { ExecutionSession } from '../execution/session';
import type { Venue } from '../venue/types';
import type { Side } from '../book/types';
import { findVolumeFile, isHistoricalMarket, LOBSTER_PREFIX, lobsterPairFor, lobsterTrainingMarket, readMinuteVolumes, simMarket } from '../node/files/backtest-markets';
import { loadLobsterDay } from '../node/files/lobster-files';
import type { PolicyEnvSettings, PolicyManifest } from '../node/models/policy-files';
import { loadModel, loadTensors, readJson, saveModel, saveTensors, writeFileAtomic, writeJson } from '../node/models/policy-files';
import { loadScenario } from '../node/files/sim-scenarios';
import { marketSignalMaker } from '../node/models/signal-files';
import { NS_PER_SECOND as SECOND } from '../core/clock';
import type { WorkflowContext } from './workflow';
import { abortReason, WorkflowCancelled } from './workflow';

/** The parent order and env shape training uses unless told otherwise (fixed before any evaluation). */
export const DEFAULT_ENV: PolicyEnvSettings = { side: 'sell', quantity: 2000, horizonSeconds: 600, steps: 20, preTradeSeconds: 60, impactPenalty: 1 };

/** Progress of a run, for the progress bar. */
export interface TrainProgress {
  readonly step: number;
  readonly total: number;
  readonly episodes: number;
  readonly stepsPerSecond: number;
  /** Mean episode reward (bps) over the last 100 episodes. */
  readonly episodeReward: number;
  /** Mean shortfall (bps) over the last 100 episodes. */
  readonly shortfallBps: number;
  readonly epsilon: number | null;
  readonly etaSeconds: number;
}

/** A validation of the greedy policy at a checkpoint. */
export interface ValidationPoint {
  readonly step: number;
  readonly meanShortfallBps: number;
  readonly byScenario: Readonly<Record<string, number>>;
}

/** What a training run does. */
export interface TrainRunOptions {
  readonly tf: Tf;
  readonly backend: string;
  readonly algo: 'dqn' | 'ppo';
  readonly scenarios: readonly string[];
  readonly steps: number;
  readonly seed: number;
  readonly out: string;
  readonly resume?: boolean;
  readonly env?: PolicyEnvSettings;
  /** Parallel environments (default 6). */
  readonly envs?: number;
  readonly checkpointEvery?: number;
  /** Validation episodes per scenario at each checkpoint (0 = no model selection; default 8). */
  readonly validationEpisodes?: number;
  readonly dqn?: Partial<DqnConfig>;
  readonly ppo?: Partial<PpoConfig>;
  /**
   * 'counterfactual-drift' (default): each fill's reward is measured against the mid of the same
   * seed's agent-free market at that step instead of the arrival mid, which removes the exogenous
   * price drift (pure noise for the agent) but keeps the spread paid and the agent's own impact; the
   * agent-free market runs alongside each env. That also hides drift the agent could foresee.
   * 'schedule-drift': the same, plus the drift earned on the deviation from the TWAP schedule,
   * s·(X − X_twap)/Q·Δm_cf/m0 per step (X lots done, m_cf the agent-free mid): the shortfall minus a
   * term no action changes (TWAP's exposure to the agent-free path), so foreseeing the price pays
   * while the drift on the schedule's own lots stays out. 'arrival': the env's reward unchanged.
   * Validation and evaluation always use the true shortfall against the arrival mid.
   */
  readonly reward?: TrainingReward;
  /** Markets by scenario name, instead of loading the simulator scenarios (tests). */
  readonly markets?: Readonly<Record<string, EnvMarket>>;
  readonly onProgress?: (p: TrainProgress) => void;
}

/** The saved state of a run between checkpoints. */
export interface TrainState {
  readonly algo: 'dqn' | 'ppo';
  readonly step: number;
  readonly episodes: number;
  readonly seedCursor: number;
  readonly updates: number;
  readonly seed: number;
  readonly scenarios: readonly string[];
  /** The environment trained in (absent in checkpoints of earlier builds). */
  readonly env?: PolicyEnvSettings;
  readonly wallSeconds: number;
  readonly validation: readonly ValidationPoint[];
  readonly best: ValidationPoint | null;
  readonly resumedAt: readonly number[];
  /**
   * Where the run's chance stream stood, when the checkpoint was taken between episodes and (PPO)
   * between rollouts: a resume then continues exactly as the uninterrupted run would. Absent when
   * the run stopped mid-episode (its last steps, or a checkpoint of an earlier build): a resume then
   * starts fresh episodes with a chance stream keyed by the step.
   */
  readonly exact?: { readonly rng: RngState; readonly envs: number; readonly sinceTrain: number };
}

/** What a finished run reports. */
export interface TrainResult {
  readonly state: TrainState;
  readonly hyperparameters: DqnConfig | PpoConfig;
  readonly env: PolicyEnvSettings;
  readonly envs: number;
  readonly firstTrainingSeed: number;
  readonly validationSeeds: readonly number[];
  readonly selected: 'best-validation' | 'last';
  readonly reward: TrainingReward;
}

/** How training rewards a step; see `TrainOptions.reward`. */
export type TrainingReward = 'counterfactual-drift' | 'schedule-drift' | 'arrival';
/** The training rewards, for the CLI. */
export const TRAINING_REWARDS: readonly TrainingReward[] = ['counterfactual-drift', 'schedule-drift', 'arrival'];

/** Returns the env market for a shipped scenario with the given env settings. */
export function scenarioMarket(name: string, env: PolicyEnvSettings): EnvMarket {
  const vf = findVolumeFile();
  return simMarket(loadScenario(name), { kind: 'sim', scenario: name, preTradeNs: env.preTradeSeconds * SECOND, horizonNs: env.horizonSeconds * SECOND, volumeFile: vf }, readMinuteVolumes(vf));
}

/** Returns the env market a training name stands for: a simulator scenario, or `lobster:FILE`, a recorded day whose seeds draw start times (see `lobsterTrainingMarket`). */
export async function trainingMarket(name: string, env: PolicyEnvSettings): Promise<EnvMarket> {
  if (!isHistoricalMarket(name)) return scenarioMarket(name, env);
  const messages = name.slice(LOBSTER_PREFIX.length);
  const { orderbook, levels } = lobsterPairFor(messages);
  const day = await loadLobsterDay({ messages, orderbook, levels });
  return lobsterTrainingMarket(day, env.preTradeSeconds * SECOND, env.horizonSeconds * SECOND);
}

function makeEnv(market: EnvMarket, env: PolicyEnvSettings, side: Side = env.side): ExecutionEnv {
  return new ExecutionEnv({
    market,
    parent: { side, quantity: env.quantity, horizonNs: env.horizonSeconds * SECOND },
    steps: env.steps,
    impactPenalty: env.impactPenalty,
    trackingPenalty: env.trackingPenalty ?? 0,
    inventoryPenalty: env.inventoryPenalty ?? 0,
    // The signal models' directories are named from the application root, where the CLI runs.
    ...(env.signals === undefined ? {} : { marketSignal: marketSignalMaker(env.signals, market.tickSize) }),
  });
}

const opposite = (side: Side): Side => (side === 'sell' ? 'buy' : 'sell');

/**
 * The market (index into the run's list of `markets`) and side of parallel env `i`. One side: env i
 * trains on market i mod k. Both sides (`env.bothSides`): envs come in pairs, env 2j on market j mod k
 * with the policy's side and env 2j + 1 on the same market with the opposite side.
 */
export function envSlot(i: number, markets: number, env: PolicyEnvSettings): { readonly market: number; readonly side: Side } {
  if (!env.bothSides) return { market: i % markets, side: env.side };
  return { market: Math.floor(i / 2) % markets, side: i % 2 === 0 ? env.side : opposite(env.side) };
}

/** The name a validation env reports under: the scenario, with "/buy" or "/sell" when the run trains both sides and this is the opposite one. */
export function validationName(scenario: string, side: Side, env: PolicyEnvSettings): string {
  return side === env.side ? scenario : `${scenario}/${side}`;
}

/**
 * The 'schedule-drift' reward's extra term for step `k` (1-based, just taken) of `steps`: the lots
 * done against the TWAP schedule's at the interval's midpoint, times the agent-free mid's move over
 * the interval, in bps of the arrival mid over the parent quantity `q`. Positive when the agent was
 * ahead of schedule (a seller) before the price fell, or behind before it rose.
 */
export function scheduleDriftTerm(side: 'buy' | 'sell', q: number, steps: number, k: number, filledBefore: number, filledAfter: number, midBefore: number, midAfter: number, arrivalMid: number): number {
  const deviation = (filledBefore + filledAfter) / 2 - (q * (k - 0.5)) / steps;
  return (costSign(side) * deviation * (midAfter - midBefore) * 10_000) / (arrivalMid * q);
}

/** Returns the validation seeds of a run: `count` per scenario, from 900,000 up. */
export function validationSeeds(count: number): number[] {
  const seeds = Array.from({ length: count }, (_, i) => VALIDATION_SEED_MIN + i);
  seeds.forEach(assertValidationSeed);
  return seeds;
}

/** Mean greedy shortfall of a network on validation seeds, per scenario. */
function validate(
  forward: (x: Float32Array) => Float32Array,
  normaliser: NormaliserState,
  envsByScenario: ReadonlyArray<[string, ExecutionEnv]>,
  seeds: readonly number[],
  step: number,
): ValidationPoint {
  const norm = RunningNormaliser.fromState(normaliser);
  const x = new Float32Array(OBSERVATION_SIZE);
  const byScenario: Record<string, number> = {};
  let all = 0;
  for (const [name, env] of envsByScenario) {
    let sum = 0;
    for (const seed of seeds) {
      let obs = env.reset(seed);
      for (;;) {
        norm.normalise(obs, x, 1);
        const r = env.step(argmax(forward(x)));
        obs = r.observation;
        if (r.done) {
          sum += r.info.shortfallBps ?? 0;
          break;
        }
      }
    }
    byScenario[name] = sum / seeds.length;
    all += byScenario[name] as number;
  }
  return { step, meanShortfallBps: all / envsByScenario.length, byScenario };
}

/**
 * Runs (or resumes) a training run; see the module comment. It reads in the order it runs: set up
 * the markets, envs and the run's state; then, until the step budget is spent, collect a step of
 * every env, update the learner, and at each checkpoint validate and save a resume point; finally
 * write the shipped weights and the manifest. Aborting `context.signal` stops it at the next step
 * with a resume point saved (`--resume` continues from it) and rejects with `WorkflowCancelled`.
 */
export async function train(o: TrainRunOptions, context: WorkflowContext = {}): Promise<TrainResult> {
  const run = await setUp(o);
  const experience = new Experience(run, o);
  const learner = o.algo === 'dqn' ? await dqnLoop(run, o) : await ppoLoop(run, o);
  const checkpoints = new Checkpoints(run, o);
  while (experience.step < o.steps) {
    if (context.signal?.aborted) {
      await checkpoints.saveResumePoint(learner, experience, experience.betweenEpisodes() && learner.betweenUpdates());
      throw new WorkflowCancelled(`${abortReason(context.signal)} at step ${experience.step}; --resume continues from the checkpoint`);
    }
    const epsilon = learner.act(experience);
    experience.collect();
    learner.record(experience);
    experience.startNextEpisodes();
    learner.update(experience);
    await checkpoints.after(learner, experience);
    if (experience.step % (run.nEnvs * 10) === 0) experience.report(epsilon);
  }
  await checkpoints.saveFinal(learner);
  experience.report(null);
  writeJson(o.out, 'policy.json', { algo: o.algo, outputKind: o.algo === 'dqn' ? 'q-values' : 'logits', layout: ENV_LAYOUT, env: run.env } satisfies PolicyManifest);
  return {
    state: checkpoints.state,
    hyperparameters: learner.hyperparameters,
    env: run.env,
    envs: run.nEnvs,
    firstTrainingSeed: run.firstSeed,
    validationSeeds: run.valSeeds,
    selected: run.valCount > 0 ? 'best-validation' : 'last',
    reward: run.reward,
  };
}

/** What a run is set up with: its markets and envs, where it saves, and the state it starts from. */
interface Run {
  readonly tf: Tf;
  readonly env: PolicyEnvSettings;
  readonly nEnvs: number;
  readonly checkpointEvery: number;
  readonly valCount: number;
  readonly ckpt: string;
  readonly bestDir: string;
  /** Each parallel env's market and side (see envSlot), and the env. */
  readonly slots: ReadonlyArray<{ readonly market: EnvMarket; readonly side: Side }>;
  readonly envs: readonly ExecutionEnv[];
  readonly valEnvs: ReadonlyArray<[string, ExecutionEnv]>;
  readonly valSeeds: readonly number[];
  readonly firstSeed: number;
  readonly reward: TrainingReward;
  readonly resuming: boolean;
  /** The state at the start: fresh, or the checkpoint's with this resume noted. */
  readonly state: TrainState;
  /** The checkpoint's chance stream when it was taken between episodes (a resume then is exact). */
  readonly exact: TrainState['exact'] | null;
  readonly rng: Rng;
  readonly seeds: TrainingSeedStream;
}

/** Builds the markets and envs, and reads the checkpoint when resuming (or clears a stale one). */
async function setUp(o: TrainRunOptions): Promise<Run> {
  const env = o.env ?? DEFAULT_ENV;
  const nEnvs = o.envs ?? 6;
  const valCount = o.validationEpisodes ?? 8;
  const ckpt = join(o.out, 'checkpoint');
  const markets: Array<readonly [string, EnvMarket]> = [];
  // A name listed twice weights its market twice in the mix; it is built once.
  const built = new Map<string, EnvMarket>();
  for (const s of o.scenarios) {
    const m = o.markets?.[s] ?? built.get(s) ?? (await trainingMarket(s, env));
    built.set(s, m);
    markets.push([s, m]);
  }
  const slots = Array.from({ length: nEnvs }, (_, i) => {
    const slot = envSlot(i, markets.length, env);
    return { market: (markets[slot.market] as readonly [string, EnvMarket])[1], side: slot.side };
  });
  const envs = slots.map((slot) => makeEnv(slot.market, env, slot.side));
  const valSides: Side[] = env.bothSides ? [env.side, opposite(env.side)] : [env.side];
  const valEnvs = markets
    .filter(([s], i) => !isHistoricalMarket(s) && o.scenarios.indexOf(s) === i)
    .flatMap(([s, m]) => valSides.map((side) => [validationName(s, side, env), makeEnv(m, env, side)] as [string, ExecutionEnv]));
  if (valCount > 0 && valEnvs.length === 0) throw new Error('model selection validates on simulator scenarios only (a recorded day has no held-out seeds): add a scenario, or pass --validation 0');
  const valSeeds = validationSeeds(valCount);
  const firstSeed = trainingSeedBase(o.seed);

  let state: TrainState = { algo: o.algo, step: 0, episodes: 0, seedCursor: firstSeed, updates: 0, seed: o.seed, scenarios: o.scenarios, env, wallSeconds: 0, validation: [], best: null, resumedAt: [] };
  const resuming = o.resume === true && existsSync(join(ckpt, 'state.json'));
  if (o.resume && !resuming) throw new Error(`--resume: no checkpoint in ${ckpt}`);
  if (resuming) {
    const saved = readJson<TrainState>(ckpt, 'state.json');
    if (saved.algo !== o.algo) throw new Error(`--resume: the checkpoint in ${ckpt} is ${saved.algo}, received --algo ${o.algo}`);
    if (saved.scenarios.join(',') !== o.scenarios.join(',')) throw new Error(`--resume: the checkpoint trained on ${saved.scenarios.join(',')}, received ${o.scenarios.join(',')}`);
    if (saved.env && JSON.stringify(saved.env) !== JSON.stringify(env)) throw new Error(`--resume: the checkpoint trained in ${JSON.stringify(saved.env)}, received ${JSON.stringify(env)}`);
    state = { ...saved, resumedAt: [...saved.resumedAt, saved.step] };
  } else if (existsSync(o.out) && existsSync(join(ckpt, 'state.json'))) {
    rmSync(ckpt, { recursive: true, force: true });
  }
  mkdirSync(o.out, { recursive: true });

  // An exact checkpoint continues its chance stream and reopens the episodes it was taken at the
  // start of (their seeds are the last nEnvs handed out); otherwise chance comes from a stream keyed
  // by the resumed step and fresh episodes start.
  const exact = resuming && state.exact !== undefined && state.exact.envs === nEnvs ? state.exact : null;
  return {
    tf: o.tf,
    env,
    nEnvs,
    checkpointEvery: o.checkpointEvery ?? 10_000,
    valCount,
    ckpt,
    bestDir: join(o.out, 'best'),
    slots,
    envs,
    valEnvs,
    valSeeds,
    firstSeed,
    reward: o.reward ?? 'counterfactual-drift',
    resuming,
    state,
    exact,
    rng: exact ? Rng.fromState(exact.rng) : new Rng((o.seed * 1_000_003 + state.step) >>> 0),
    seeds: new TrainingSeedStream(exact ? state.seedCursor - nEnvs : state.seedCursor),
  };
}

/**
 * The envs' side of the loop: the observations, the actions chosen for them, the rewards (shaped
 * against the agent-free market of the same seed unless the reward is 'arrival'), and the episode
 * statistics the progress bar shows.
 */
class Experience {
  readonly obs: Float32Array;
  readonly next: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly dones: Float32Array;
  step: number;
  episodes: number;
  private readonly epReward: Float64Array;
  private readonly rewardsWindow: number[] = [];
  private readonly shortfallWindow: number[] = [];
  /** Each env's agent-free twin (the same seed without the agent) and its mid, for the shaped rewards. */
  private readonly shadows: Array<Venue | null>;
  private readonly cfMid: Float64Array;
  private readonly started = performance.now();
  private readonly firstStep: number;

  constructor(
    private readonly run: Run,
    private readonly o: TrainRunOptions,
  ) {
    const n = run.nEnvs;
    this.obs = new Float32Array(n * OBSERVATION_SIZE);
    this.next = new Float32Array(n * OBSERVATION_SIZE);
    this.actions = new Int32Array(n);
    this.rewards = new Float32Array(n);
    this.dones = new Float32Array(n);
    this.epReward = new Float64Array(n);
    this.shadows = run.envs.map(() => null);
    this.cfMid = new Float64Array(n);
    this.step = run.state.step;
    this.episodes = run.state.episodes;
    this.firstStep = run.state.step;
    for (let i = 0; i < n; i++) this.resetEnv(i);
  }

  /** Steps every env with its chosen action: rewards, dones and the next observations. */
  collect(): void {
    const { run } = this;
    for (let i = 0; i < run.nEnvs; i++) {
      const e = run.envs[i] as ExecutionEnv;
      const session = e.current as ExecutionSession;
      const filledBefore = session.filled;
      const r = e.step(this.actions[i] as number);
      this.rewards[i] = r.reward;
      this.addDriftTerms(i, e, session, filledBefore, r.done);
      this.dones[i] = r.done ? 1 : 0;
      this.next.set(r.observation, i * OBSERVATION_SIZE);
      this.epReward[i] = (this.epReward[i] as number) + (this.rewards[i] as number);
      if (r.done) {
        this.episodes++;
        push(this.rewardsWindow, this.epReward[i] as number);
        push(this.shortfallWindow, r.info.shortfallBps ?? 0);
        this.epReward[i] = 0;
      }
    }
    this.step += run.nEnvs;
  }

  /** Moves to the next observations, opening a fresh episode in every env that finished one. */
  startNextEpisodes(): void {
    this.obs.set(this.next);
    for (let i = 0; i < this.run.nEnvs; i++) if (this.dones[i]) this.resetEnv(i);
  }

  /** Whether every env has just finished an episode and opened the next (episodes have a fixed length, so they end together). */
  betweenEpisodes(): boolean {
    return this.dones.every((d) => d === 1);
  }

  report(epsilon: number | null): void {
    const elapsed = (performance.now() - this.started) / 1000;
    const sps = (this.step - this.firstStep) / Math.max(1e-9, elapsed);
    this.o.onProgress?.({ step: this.step, total: this.o.steps, episodes: this.episodes, stepsPerSecond: sps, episodeReward: avg(this.rewardsWindow), shortfallBps: avg(this.shortfallWindow), epsilon, etaSeconds: sps > 0 ? Math.max(0, this.o.steps - this.step) / sps : 0 });
  }

  /** Wall seconds since this process took the run up. */
  get wallSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  private resetEnv(i: number): void {
    const seed = this.run.seeds.next();
    const e = this.run.envs[i] as ExecutionEnv;
    this.obs.set(e.reset(seed), i * OBSERVATION_SIZE);
    if (this.run.reward !== 'arrival') {
      const shadow = (this.run.slots[i] as { market: EnvMarket }).market.open(seed).venue;
      const to = (e.current as ExecutionSession).venue.now();
      if (to > shadow.now()) shadow.elapse(to - shadow.now());
      this.shadows[i] = shadow;
      this.cfMid[i] = venueMid(shadow, (e.current as ExecutionSession).arrivalMid);
    }
  }

  /** Adds the reward's drift terms to env `i`'s reward for the step just taken (see `TrainRunOptions.reward`); none for 'arrival'. Each term is added to the stored (float32) reward in turn. */
  private addDriftTerms(i: number, e: ExecutionEnv, session: ExecutionSession, filledBefore: number, done: boolean): void {
    const shadow = this.shadows[i];
    if (!shadow) return;
    const add = (x: number): void => {
      this.rewards[i] = (this.rewards[i] as number) + x;
    };
    const m0 = session.arrivalMid;
    const before = this.cfMid[i] as number;
    shadow.elapse(e.intervalNs);
    const after = venueMid(shadow, before);
    this.cfMid[i] = after;
    const q = this.run.env.quantity;
    const side = (this.run.slots[i] as { side: Side }).side;
    const drift = (m: number): number => (costSign(side) * (m - m0) * 10_000) / m0;
    add(drift((before + after) / 2) * ((session.filled - filledBefore) / q));
    if (done) add(drift(after) * ((q - session.filled) / q));
    if (this.run.reward === 'schedule-drift') add(scheduleDriftTerm(side, q, this.run.env.steps, e.stepsTaken, filledBefore, session.filled, before, after, m0));
  }
}
/** One algorithm's side of the loop: how it acts, takes in a step, learns, and what a checkpoint saves of it. */
interface LearnerLoop {
  readonly hyperparameters: DqnConfig | PpoConfig;
  /** The network the policy acts with (validated, shipped). */
  readonly acting: TF.LayersModel;
  normaliser(): NormaliserState;
  /** Chooses every env's action into `x.actions`; returns the exploration rate (DQN) or null. */
  act(x: Experience): number | null;
  /** Takes in the step just collected, before the envs move on. */
  record(x: Experience): void;
  /** Learns from what it holds, once the envs have moved on. */
  update(x: Experience): void;
  /** Whether it stands between updates (PPO: an empty rollout), so that a resume point there is exact. */
  betweenUpdates(): boolean;
  /** What a resume point saves: networks by file name, the optimizer state, gradient steps, DQN's steps since its last training step and its replay buffer. */
  resumePoint(): { nets: Record<string, TF.LayersModel>; optimizer: () => Promise<{ name: string; tensor: TF.Tensor }[]>; updates: number; sinceTrain: number; extra?: () => void };
}

/** Reads the checkpoint back into a learner: its networks (by file name), its normaliser and its optimizer's state. */
async function restoreLearner(run: Run, learner: DqnLearner | PpoLearner, nets: Record<string, TF.LayersModel>): Promise<void> {
  for (const [name, net] of Object.entries(nets)) net.setWeights((await loadModel(run.tf, run.ckpt, name)).getWeights());
  Object.assign(learner, { normaliser: RunningNormaliser.fromState(readJson<NormaliserState>(run.ckpt, 'normaliser.json')) });
  await learner.restore(loadTensors(run.tf, run.ckpt, 'optimizer'), run.state.updates);
}

/** DQN: ε-greedy actions, a replay buffer, a gradient step every `trainEvery` env steps once it has learningStarts of them. */
async function dqnLoop(run: Run, o: TrainRunOptions): Promise<LearnerLoop> {
  const { tf, ckpt, nEnvs, rng } = run;
  const cfg: DqnConfig = { ...DQN_DEFAULTS, ...o.dqn };
  const learner = new DqnLearner(tf, cfg, OBSERVATION_SIZE, ACTION_COUNT, o.seed);
  if (run.resuming) await restoreLearner(run, learner, { online: learner.online, target: learner.target });
  if (run.exact) learner.replay.restore(readReplay(ckpt));
  let sinceTrain = run.exact ? run.exact.sinceTrain : 0;
  return {
    hyperparameters: cfg,
    acting: learner.online,
    normaliser: () => learner.normaliser.state(),
    act: (x) => {
      const eps = learner.epsilon(x.step);
      learner.act(x.obs, nEnvs, eps, rng, x.actions);
      return eps;
    },
    record: (x) => learner.observe(x.obs, x.actions, x.rewards, x.next, x.dones, nEnvs),
    update: () => {
      sinceTrain += nEnvs;
      if (learner.replay.size >= Math.min(cfg.learningStarts, cfg.replayCapacity)) {
        while (sinceTrain >= cfg.trainEvery) {
          learner.trainStep(rng);
          sinceTrain -= cfg.trainEvery;
        }
      } else sinceTrain = 0;
    },
    betweenUpdates: () => true,
    resumePoint: () => ({ nets: { online: learner.online, target: learner.target }, optimizer: () => learner.optimizerWeights(), updates: learner.updates, sinceTrain, extra: () => writeReplay(ckpt, learner.replay.snapshot()) }),
  };
}

/** PPO: sampled actions into a rollout of `rolloutSteps` per env, one update per full rollout. */
async function ppoLoop(run: Run, o: TrainRunOptions): Promise<LearnerLoop> {
  const { tf, nEnvs, rng } = run;
  const cfg: PpoConfig = { ...PPO_DEFAULTS, ...o.ppo };
  const learner = new PpoLearner(tf, cfg, OBSERVATION_SIZE, ACTION_COUNT, o.seed);
  if (run.resuming) await restoreLearner(run, learner, { policy: learner.policy, value: learner.value });
  const rollout = new Rollout(nEnvs, cfg.rolloutSteps, OBSERVATION_SIZE);
  // What the last act() saw and sampled, for record().
  let acted: { x: Float32Array; logProbs: Float32Array; values: Float32Array } | null = null;
  return {
    hyperparameters: cfg,
    acting: learner.policy,
    normaliser: () => learner.normaliser.state(),
    act: (x) => {
      learner.normaliser.update(x.obs, nEnvs);
      const normalised = learner.normalise(x.obs, nEnvs);
      acted = { x: normalised, ...learner.act(normalised, nEnvs, rng, x.actions) };
      return null;
    },
    record: (x) => {
      const a = acted as unknown as { x: Float32Array; logProbs: Float32Array; values: Float32Array };
      rollout.push(a.x, x.actions, a.logProbs, a.values, x.rewards.map((r) => r * cfg.rewardScale), x.dones);
    },
    update: (x) => {
      if (!rollout.full) return;
      const last = learner.values(learner.normalise(x.obs, nEnvs), nEnvs);
      learner.update(rollout, last, rng);
      rollout.clear();
    },
    betweenUpdates: () => rollout.empty,
    resumePoint: () => ({ nets: { policy: learner.policy, value: learner.value }, optimizer: () => learner.optimizerWeights(), updates: learner.updates, sinceTrain: 0 }),
  };
}

/**
 * Checkpoints: every `checkpointEvery` steps (and at the last) the acting network is validated and
 * kept in best/ when it is the best so far; a resume point follows at the first step that stands
 * between episodes (and between PPO rollouts), so a resume is exact, and the run's last step saves
 * one wherever it stands. At the end the shipped weights are the best validated, else the last.
 */
class Checkpoints {
  state: TrainState;
  private readonly validation: ValidationPoint[];
  private best: ValidationPoint | null;
  private nextCheckpoint: number;
  private resumeDue = false;

  constructor(
    private readonly run: Run,
    private readonly o: TrainRunOptions,
  ) {
    this.state = run.state;
    this.validation = [...run.state.validation];
    this.best = run.state.best;
    this.nextCheckpoint = (Math.floor(run.state.step / run.checkpointEvery) + 1) * run.checkpointEvery;
  }

  /** Validates when a checkpoint falls due and saves the resume point that follows it. */
  async after(learner: LearnerLoop, x: Experience): Promise<void> {
    const last = x.step >= this.o.steps;
    if (x.step >= this.nextCheckpoint || last) {
      this.nextCheckpoint += this.run.checkpointEvery;
      await this.validate(learner, x.step);
      this.resumeDue = true;
    }
    const between = x.betweenEpisodes() && learner.betweenUpdates();
    if (this.resumeDue && (between || last)) {
      this.resumeDue = false;
      await this.saveResumePoint(learner, x, between);
    }
  }

  /** Runs the greedy policy on the validation seeds and keeps it in best/ when it is the best so far. */
  private async validate(learner: LearnerLoop, step: number): Promise<void> {
    if (this.run.valCount === 0) return;
    const mlp = toMlp(learner.acting);
    const normaliser = learner.normaliser();
    const v = validate((x) => mlpForward(mlp, x), normaliser, this.run.valEnvs, this.run.valSeeds, step);
    this.validation.push(v);
    if (!this.best || v.meanShortfallBps < this.best.meanShortfallBps) {
      this.best = v;
      await saveModel(this.run.tf, learner.acting, this.run.bestDir);
      writeJson(this.run.bestDir, 'normaliser.json', normaliser);
    }
  }

  /** Saves what a resume needs, with the chance stream when the envs stand between episodes and updates (`between`; see `TrainState.exact`). */
  async saveResumePoint(learner: LearnerLoop, x: Experience, between: boolean): Promise<void> {
    const { tf, ckpt, rng, nEnvs } = this.run;
    const point = learner.resumePoint();
    for (const [name, model] of Object.entries(point.nets)) await saveModel(tf, model, ckpt, name);
    writeJson(ckpt, 'normaliser.json', learner.normaliser());
    await saveTensors(tf, await point.optimizer(), ckpt, 'optimizer');
    point.extra?.();
    const { exact: _previous, ...rest } = this.state;
    this.state = {
      ...rest,
      step: x.step,
      episodes: x.episodes,
      seedCursor: this.run.seeds.position,
      updates: point.updates,
      wallSeconds: this.run.state.wallSeconds + x.wallSeconds,
      validation: this.validation,
      best: this.best,
      ...(between ? { exact: { rng: rng.state(), envs: nEnvs, sinceTrain: point.sinceTrain } } : {}),
    };
    writeJson(ckpt, 'state.json', this.state);
  }

  /** Writes the shipped weights: the best validated checkpoint when there is one, else the last. */
  async saveFinal(learner: LearnerLoop): Promise<void> {
    const { tf, bestDir } = this.run;
    const useBest = this.run.valCount > 0 && existsSync(join(bestDir, 'model.json'));
    await saveModel(tf, useBest ? await loadModel(tf, bestDir) : learner.acting, this.o.out);
    writeJson(this.o.out, 'normaliser.json', useBest ? readJson(bestDir, 'normaliser.json') : learner.normaliser());
  }
}

const REPLAY_FIELDS = ['obs', 'next', 'actions', 'rewards', 'dones'] as const;

/** Saves a DQN replay buffer beside a checkpoint: `replay.json` (shape, positions, byte layout) and `replay.bin`. */
function writeReplay(dir: string, r: ReplaySnapshot): void {
  const parts = REPLAY_FIELDS.map((f) => new Uint8Array(r[f].buffer, r[f].byteOffset, r[f].byteLength));
  writeFileAtomic(join(dir, 'replay.bin'), Buffer.concat(parts));
  writeJson(dir, 'replay.json', { capacity: r.capacity, width: r.width, cursor: r.cursor, filled: r.filled, added: r.added, bytes: parts.map((p) => p.byteLength) });
}

/** Reads what `writeReplay` saved, or throws naming the file that does not fit. */
function readReplay(dir: string): ReplaySnapshot {
  const meta = readJson<{ capacity: number; width: number; cursor: number; filled: number; added: number; bytes: number[] }>(dir, 'replay.json');
  const bin = readFileSync(join(dir, 'replay.bin'));
  const { capacity: c, width: w } = meta;
  const expected = [c * w * 4, c * w * 4, c * 4, c * 4, c];
  if (!Array.isArray(meta.bytes) || meta.bytes.join() !== expected.join() || bin.byteLength !== expected.reduce((a, b) => a + b, 0)) {
    throw new Error(`--resume: ${join(dir, 'replay.bin')} does not hold a ${c} × ${w} replay buffer`);
  }
  const at = (k: number): number => bin.byteOffset + expected.slice(0, k).reduce((a, b) => a + b, 0);
  const copy = (k: number): ArrayBuffer => bin.buffer.slice(at(k), at(k) + (expected[k] as number));
  return { ...meta, obs: new Float32Array(copy(0)), next: new Float32Array(copy(1)), actions: new Int32Array(copy(2)), rewards: new Float32Array(copy(3)), dones: new Uint8Array(copy(4)) };
}

function push(xs: number[], x: number): void {
  xs.push(x);
  if (xs.length > 100) xs.shift();
}

function avg(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}
