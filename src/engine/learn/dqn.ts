/**
 * Double DQN (van Hasselt et al. 2016) with a target network, experience replay, a linear ε
 * schedule and the Huber loss. The online network picks the next action, the target network values
 * it: y = r + γ·(1 − done)·Q_target(s', argmax_a Q_online(s', a)). Observations are normalised by a
 * running normaliser before they reach either network. Chance comes from an injected `Rng`;
 * TF.js weights from seeded initialisers, so one backend reproduces a run exactly.
 */

import type * as TF from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { argmax } from './mlp';
import { RunningNormaliser } from './normaliser';
import type { ReplayBatch } from './replay';
import { ReplayBuffer } from './replay';
import type { Tf } from './tf-mlp';
import { buildMlpModel, copyWeights, optimizerState, predictBatch, restoreOptimizerState } from './tf-mlp';

/** DQN's hyperparameters. */
export interface DqnConfig {
  readonly hidden: readonly number[];
  readonly learningRate: number;
  readonly gamma: number;
  readonly batchSize: number;
  readonly replayCapacity: number;
  /** Env steps before the first gradient step. */
  readonly learningStarts: number;
  /** Env steps per gradient step. */
  readonly trainEvery: number;
  /** Gradient steps between target-network copies. */
  readonly targetUpdateEvery: number;
  readonly epsilonStart: number;
  readonly epsilonEnd: number;
  /** Env steps over which ε falls linearly. */
  readonly epsilonDecaySteps: number;
  readonly huberDelta: number;
  /** Rewards are multiplied by this before learning (bps are large numbers). */
  readonly rewardScale: number;
  readonly gradClipNorm: number;
}

/** DQN defaults for the execution env (2×64 ReLU, ε 1 → 0.05). */
export const DQN_DEFAULTS: DqnConfig = {
  hidden: [64, 64],
  learningRate: 5e-4,
  gamma: 0.99,
  batchSize: 64,
  replayCapacity: 100_000,
  learningStarts: 2_000,
  trainEvery: 2,
  targetUpdateEvery: 500,
  epsilonStart: 1,
  epsilonEnd: 0.05,
  epsilonDecaySteps: 30_000,
  huberDelta: 1,
  rewardScale: 0.1,
  gradClipNorm: 10,
};

/** A DQN learner over `width`-float observations and `actions` discrete actions. */
export class DqnLearner {
  readonly online: TF.Sequential;
  readonly target: TF.Sequential;
  readonly normaliser: RunningNormaliser;
  readonly replay: ReplayBuffer;
  private readonly optimizer: TF.Optimizer;
  private gradientSteps = 0;
  private readonly scratch: Float32Array;

  constructor(
    private readonly tf: Tf,
    readonly config: DqnConfig,
    readonly width: number,
    readonly actions: number,
    seed: number,
  ) {
    this.online = buildMlpModel(tf, width, config.hidden, actions, 'relu', seed);
    this.target = buildMlpModel(tf, width, config.hidden, actions, 'relu', seed);
    copyWeights(this.online, this.target);
    this.normaliser = new RunningNormaliser(width);
    this.replay = new ReplayBuffer(config.replayCapacity, width);
    this.optimizer = tf.train.adam(config.learningRate);
    this.scratch = new Float32Array(width * 256);
  }

  /** Gradient steps taken so far. */
  get updates(): number {
    return this.gradientSteps;
  }

  /** Returns ε after `step` env steps. */
  epsilon(step: number): number {
    const c = this.config;
    const f = Math.min(1, step / c.epsilonDecaySteps);
    return c.epsilonStart + f * (c.epsilonEnd - c.epsilonStart);
  }

  /** Returns Q-values (rows × actions) for raw observations. */
  qValues(raw: Float32Array, rows: number): Float32Array {
    const x = rows * this.width <= this.scratch.length ? this.scratch.subarray(0, rows * this.width) : new Float32Array(rows * this.width);
    this.normaliser.normalise(raw, x, rows);
    return predictBatch(this.tf, this.online, x, rows, this.width);
  }

  /** Writes ε-greedy actions for `rows` raw observations into `out`. */
  act(raw: Float32Array, rows: number, epsilon: number, rng: Rng, out: Int32Array): void {
    const q = this.qValues(raw, rows);
    for (let r = 0; r < rows; r++) out[r] = rng.chance(epsilon) ? rng.int(this.actions) : argmax(q, r * this.actions, this.actions);
  }

  /** Records transitions of `rows` envs (raw observations; the normaliser learns from `obs`). */
  observe(obs: Float32Array, actions: ArrayLike<number>, rewards: ArrayLike<number>, next: Float32Array, dones: ArrayLike<number>, rows: number): void {
    this.normaliser.update(obs, rows);
    for (let r = 0; r < rows; r++) this.replay.add(obs, actions[r] as number, (rewards[r] as number) * this.config.rewardScale, next, (dones[r] as number) !== 0, r * this.width);
  }

  /** Takes one gradient step on a replay minibatch and returns its loss. */
  trainStep(rng: Rng): number {
    const batch = this.replay.sample(this.config.batchSize, rng);
    const loss = this.learn(batch);
    this.gradientSteps++;
    if (this.gradientSteps % this.config.targetUpdateEvery === 0) copyWeights(this.online, this.target);
    return loss;
  }

  private learn(b: ReplayBatch): number {
    const tf = this.tf;
    const n = b.size;
    const w = this.width;
    const s = this.normaliser.normalise(b.observations, new Float32Array(n * w), n);
    const s2 = this.normaliser.normalise(b.nextObservations, new Float32Array(n * w), n);
    const { gamma, huberDelta, gradClipNorm } = this.config;
    return tf.tidy(() => {
      const next = tf.tensor2d(s2, [n, w]);
      const nextA = (this.online.predict(next) as TF.Tensor2D).argMax(1);
      const nextQ = (this.target.predict(next) as TF.Tensor2D).mul(tf.oneHot(nextA, this.actions)).sum(1);
      const y = tf.tensor1d(b.rewards).add(nextQ.mul(tf.scalar(1).sub(tf.tensor1d(b.dones))).mul(gamma));
      const x = tf.tensor2d(s, [n, w]);
      const mask = tf.oneHot(tf.tensor1d(b.actions, 'int32'), this.actions);
      const vars = this.online.trainableWeights.map((v) => v.read() as TF.Variable);
      const { value, grads } = tf.variableGrads(() => {
        const q = (this.online.apply(x, { training: true }) as TF.Tensor2D).mul(mask).sum(1);
        return tf.losses.huberLoss(y, q, undefined, huberDelta) as TF.Scalar;
      }, vars);
      this.optimizer.applyGradients(clipByGlobalNorm(tf, grads, gradClipNorm));
      return value.dataSync()[0] as number;
    });
  }

  /** Returns the optimizer's state tensors (for checkpoints). */
  async optimizerWeights(): Promise<{ name: string; tensor: TF.Tensor }[]> {
    return optimizerState(this.optimizer);
  }

  /** Restores the optimizer's state and the gradient step count (from a checkpoint). */
  async restore(optimizerWeights: { name: string; tensor: TF.Tensor }[], gradientSteps: number): Promise<void> {
    await restoreOptimizerState(this.optimizer, optimizerWeights);
    this.gradientSteps = gradientSteps;
  }
}

/** Scales gradients so their global L2 norm is at most `maxNorm`. */
export function clipByGlobalNorm(tf: Tf, grads: TF.NamedTensorMap, maxNorm: number): TF.NamedTensorMap {
  const names = Object.keys(grads);
  const sq = tf.addN(names.map((k) => tf.sum(tf.square(grads[k] as TF.Tensor))));
  const norm = sq.sqrt();
  const scale = tf.minimum(tf.scalar(1), tf.scalar(maxNorm).div(norm.add(1e-6)));
  const out: TF.NamedTensorMap = {};
  for (const k of names) out[k] = (grads[k] as TF.Tensor).mul(scale);
  return out;
}
