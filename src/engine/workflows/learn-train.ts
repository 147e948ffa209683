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
import { NS_PER_SECOND as SECOND } from '../core/clock';

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
  return new ExecutionEnv({ market, parent: { side, quantity: env.quantity, horizonNs: env.horizonSeconds * SECOND }, steps: env.steps, impactPenalty: env.impactPenalty, trackingPenalty: env.trackingPenalty ?? 0, inventoryPenalty: env.inventoryPenalty ?? 0 });
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

/** Runs (or resumes) a training run; see the module comment. */
export async function train(o: TrainRunOptions): Promise<TrainResult> {
  const tf = o.tf;
  const env = o.env ?? DEFAULT_ENV;
  const nEnvs = o.envs ?? 6;
  const checkpointEvery = o.checkpointEvery ?? 10_000;
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
  // Each env's market and side (see envSlot).
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
  const rng = exact ? Rng.fromState(exact.rng) : new Rng((o.seed * 1_000_003 + state.step) >>> 0);
  const seeds = new TrainingSeedStream(exact ? state.seedCursor - nEnvs : state.seedCursor);
  const started = performance.now();
  const firstStep = state.step;
  const wallBefore = state.wallSeconds;
  const rewardsWindow: number[] = [];
  const shortfallWindow: number[] = [];
  const epReward = new Float64Array(nEnvs);
  const obs = new Float32Array(nEnvs * OBSERVATION_SIZE);
  const next = new Float32Array(nEnvs * OBSERVATION_SIZE);
  const actions = new Int32Array(nEnvs);
  const rewards = new Float32Array(nEnvs);
  const dones = new Float32Array(nEnvs);
  const reward = o.reward ?? 'counterfactual-drift';
  const shadows: Array<Venue | null> = envs.map(() => null);
  const cfMid = new Float64Array(nEnvs);
  const resetEnv = (i: number): void => {
    const seed = seeds.next();
    const e = envs[i] as ExecutionEnv;
    obs.set(e.reset(seed), i * OBSERVATION_SIZE);
    if (reward !== 'arrival') {
      const shadow = (slots[i] as { market: EnvMarket }).market.open(seed).venue;
      const to = (e.current as ExecutionSession).venue.now();
      if (to > shadow.now()) shadow.elapse(to - shadow.now());
      shadows[i] = shadow;
      cfMid[i] = venueMid(shadow, (e.current as ExecutionSession).arrivalMid);
    }
  };
  for (let i = 0; i < nEnvs; i++) resetEnv(i);
  let step = state.step;
  let episodes = state.episodes;

  const stepEnvs = (): void => {
    for (let i = 0; i < nEnvs; i++) {
      const e = envs[i] as ExecutionEnv;
      const session = e.current as ExecutionSession;
      const filledBefore = session.filled;
      const r = e.step(actions[i] as number);
      rewards[i] = r.reward;
      const shadow = shadows[i];
      if (shadow) {
        const m0 = session.arrivalMid;
        const before = cfMid[i] as number;
        shadow.elapse(e.intervalNs);
        const after = venueMid(shadow, before);
        cfMid[i] = after;
        const q = env.quantity;
        const side = (slots[i] as { side: Side }).side;
        const drift = (m: number): number => (costSign(side) * (m - m0) * 10_000) / m0;
        rewards[i] = (rewards[i] as number) + drift((before + after) / 2) * ((session.filled - filledBefore) / q);
        if (r.done) rewards[i] = (rewards[i] as number) + drift(after) * ((q - session.filled) / q);
        if (reward === 'schedule-drift') rewards[i] = (rewards[i] as number) + scheduleDriftTerm(side, q, env.steps, e.stepsTaken, filledBefore, session.filled, before, after, m0);
      }
      dones[i] = r.done ? 1 : 0;
      next.set(r.observation, i * OBSERVATION_SIZE);
      epReward[i] = (epReward[i] as number) + (rewards[i] as number);
      if (r.done) {
        episodes++;
        push(rewardsWindow, epReward[i] as number);
        push(shortfallWindow, r.info.shortfallBps ?? 0);
        epReward[i] = 0;
      }
    }
    step += nEnvs;
  };
  const resetDone = (): void => {
    for (let i = 0; i < nEnvs; i++) if (dones[i]) resetEnv(i);
  };
  const report = (eps: number | null): void => {
    const elapsed = (performance.now() - started) / 1000;
    const sps = (step - firstStep) / Math.max(1e-9, elapsed);
    o.onProgress?.({ step, total: o.steps, episodes, stepsPerSecond: sps, episodeReward: avg(rewardsWindow), shortfallBps: avg(shortfallWindow), epsilon: eps, etaSeconds: sps > 0 ? Math.max(0, o.steps - step) / sps : 0 });
  };

  let hyper: DqnConfig | PpoConfig;
  let nextCheckpoint = (Math.floor(step / checkpointEvery) + 1) * checkpointEvery;
  let best = state.best;
  const validation = [...state.validation];
  const bestDir = join(o.out, 'best');
  /** Validates the acting network and keeps it in best/ when it is the best so far. */
  const validateNow = async (acting: TF.LayersModel, normaliser: NormaliserState): Promise<void> => {
    if (valCount === 0) return;
    const mlp = toMlp(acting);
    const v = validate((x) => mlpForward(mlp, x), normaliser, valEnvs, valSeeds, step);
    validation.push(v);
    if (!best || v.meanShortfallBps < best.meanShortfallBps) {
      best = v;
      await saveModel(tf, acting, bestDir);
      writeJson(bestDir, 'normaliser.json', normaliser);
    }
  };
  /**
   * Saves what a resume needs: the networks (`nets`, by file name), the normaliser, the optimizer
   * state, `extra` files (DQN's replay buffer) and the run state, with the chance stream when the
   * envs stand between episodes (`between`; see `TrainState.exact`).
   */
  const saveResumePoint = async (
    nets: Record<string, TF.LayersModel>,
    normaliser: NormaliserState,
    optimizer: () => Promise<{ name: string; tensor: TF.Tensor }[]>,
    updates: number,
    between: boolean,
    sinceTrain: number,
    extra?: () => void,
  ): Promise<void> => {
    for (const [name, model] of Object.entries(nets)) await saveModel(tf, model, ckpt, name);
    writeJson(ckpt, 'normaliser.json', normaliser);
    await saveTensors(tf, await optimizer(), ckpt, 'optimizer');
    extra?.();
    const { exact: _previous, ...rest } = state;
    state = {
      ...rest,
      step,
      episodes,
      seedCursor: seeds.position,
      updates,
      wallSeconds: wallBefore + (performance.now() - started) / 1000,
      validation,
      best,
      ...(between ? { exact: { rng: rng.state(), envs: nEnvs, sinceTrain } } : {}),
    };
    writeJson(ckpt, 'state.json', state);
  };
  /** Whether every env has just finished an episode and opened the next (episodes have a fixed length, so they end together). */
  const betweenEpisodes = (): boolean => dones.every((d) => d === 1);
  // A checkpoint validates at its step and saves a resume point at the next iteration that stands
  // between episodes (and, for PPO, between rollouts), so a resume is exact; the run's last step
  // saves one wherever it stands.
  let resumeDue = false;
  /** Writes the shipped weights: the best validated checkpoint when there is one, else the last. */
  const saveFinal = async (acting: TF.LayersModel, normaliser: NormaliserState): Promise<void> => {
    const useBest = valCount > 0 && existsSync(join(bestDir, 'model.json'));
    await saveModel(tf, useBest ? await loadModel(tf, bestDir) : acting, o.out);
    writeJson(o.out, 'normaliser.json', useBest ? readJson(bestDir, 'normaliser.json') : normaliser);
  };

  if (o.algo === 'dqn') {
    const cfg: DqnConfig = { ...DQN_DEFAULTS, ...o.dqn };
    hyper = cfg;
    const learner = new DqnLearner(tf, cfg, OBSERVATION_SIZE, ACTION_COUNT, o.seed);
    if (resuming) {
      learner.online.setWeights((await loadModel(tf, ckpt, 'online')).getWeights());
      learner.target.setWeights((await loadModel(tf, ckpt, 'target')).getWeights());
      const n = RunningNormaliser.fromState(readJson<NormaliserState>(ckpt, 'normaliser.json'));
      Object.assign(learner, { normaliser: n });
      await learner.restore(loadTensors(tf, ckpt, 'optimizer'), state.updates);
    }
    if (exact) learner.replay.restore(readReplay(ckpt));
    let sinceTrain = exact ? exact.sinceTrain : 0;
    while (step < o.steps) {
      const eps = learner.epsilon(step);
      learner.act(obs, nEnvs, eps, rng, actions);
      stepEnvs();
      learner.observe(obs, actions, rewards, next, dones, nEnvs);
      obs.set(next);
      resetDone();
      sinceTrain += nEnvs;
      if (learner.replay.size >= Math.min(cfg.learningStarts, cfg.replayCapacity)) {
        while (sinceTrain >= cfg.trainEvery) {
          learner.trainStep(rng);
          sinceTrain -= cfg.trainEvery;
        }
      } else sinceTrain = 0;
      if (step >= nextCheckpoint || step >= o.steps) {
        nextCheckpoint += checkpointEvery;
        await validateNow(learner.online, learner.normaliser.state());
        resumeDue = true;
      }
      if (resumeDue && (betweenEpisodes() || step >= o.steps)) {
        resumeDue = false;
        await saveResumePoint({ online: learner.online, target: learner.target }, learner.normaliser.state(), () => learner.optimizerWeights(), learner.updates, betweenEpisodes(), sinceTrain, () => writeReplay(ckpt, learner.replay.snapshot()));
      }
      if (step % (nEnvs * 10) === 0) report(eps);
    }
    await saveFinal(learner.online, learner.normaliser.state());
  } else {
    const cfg: PpoConfig = { ...PPO_DEFAULTS, ...o.ppo };
    hyper = cfg;
    const learner = new PpoLearner(tf, cfg, OBSERVATION_SIZE, ACTION_COUNT, o.seed);
    if (resuming) {
      learner.policy.setWeights((await loadModel(tf, ckpt, 'policy')).getWeights());
      learner.value.setWeights((await loadModel(tf, ckpt, 'value')).getWeights());
      Object.assign(learner, { normaliser: RunningNormaliser.fromState(readJson<NormaliserState>(ckpt, 'normaliser.json')) });
      await learner.restore(loadTensors(tf, ckpt, 'optimizer'), state.updates);
    }
    const rollout = new Rollout(nEnvs, cfg.rolloutSteps, OBSERVATION_SIZE);
    while (step < o.steps) {
      learner.normaliser.update(obs, nEnvs);
      const x = learner.normalise(obs, nEnvs);
      const { logProbs, values } = learner.act(x, nEnvs, rng, actions);
      stepEnvs();
      const scaled = rewards.map((r) => r * cfg.rewardScale);
      rollout.push(x, actions, logProbs, values, scaled, dones);
      obs.set(next);
      resetDone();
      if (rollout.full) {
        const last = learner.values(learner.normalise(obs, nEnvs), nEnvs);
        learner.update(rollout, last, rng);
        rollout.clear();
      }
      if (step >= nextCheckpoint || step >= o.steps) {
        nextCheckpoint += checkpointEvery;
        await validateNow(learner.policy, learner.normaliser.state());
        resumeDue = true;
      }
      const between = betweenEpisodes() && rollout.empty;
      if (resumeDue && (between || step >= o.steps)) {
        resumeDue = false;
        await saveResumePoint({ policy: learner.policy, value: learner.value }, learner.normaliser.state(), () => learner.optimizerWeights(), learner.updates, between, 0);
      }
      if (step % (nEnvs * 10) === 0) report(null);
    }
    await saveFinal(learner.policy, learner.normaliser.state());
  }
  report(null);
  const manifest: PolicyManifest = { algo: o.algo, outputKind: o.algo === 'dqn' ? 'q-values' : 'logits', layout: ENV_LAYOUT, env };
  writeJson(o.out, 'policy.json', manifest);
  return {
    state,
    hyperparameters: hyper,
    env,
    envs: nEnvs,
    firstTrainingSeed: firstSeed,
    validationSeeds: valSeeds,
    selected: valCount > 0 ? 'best-validation' : 'last',
    reward,
  };
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
