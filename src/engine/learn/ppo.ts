/**
 * PPO (Schulman et al. 2017) for discrete actions: a policy network (logits) and a value head (a
 * separate network of the same shape), the clipped surrogate objective, GAE(λ) advantages
 * (normalised per update), a value loss and an entropy bonus, optimised for several epochs over
 * shuffled minibatches of each rollout. Actions are sampled from the softmax with an injected `Rng`.
 */

import type * as TF from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { softmax } from './mlp';
import { RunningNormaliser } from './normaliser';
import type { Tf } from './tf-mlp';
import { buildMlpModel, optimizerState, predictBatch, restoreOptimizerState } from './tf-mlp';

/** PPO's hyperparameters. */
export interface PpoConfig {
  readonly hidden: readonly number[];
  readonly learningRate: number;
  readonly gamma: number;
  readonly lambda: number;
  readonly clip: number;
  readonly entropyCoef: number;
  readonly valueCoef: number;
  /** Steps per env per rollout. */
  readonly rolloutSteps: number;
  readonly epochs: number;
  readonly minibatchSize: number;
  readonly rewardScale: number;
  readonly gradClipNorm: number;
}

/** PPO defaults for the execution env (2×64 tanh). */
export const PPO_DEFAULTS: PpoConfig = {
  hidden: [64, 64],
  learningRate: 3e-4,
  gamma: 0.99,
  lambda: 0.95,
  clip: 0.2,
  entropyCoef: 0.01,
  valueCoef: 0.5,
  rolloutSteps: 64,
  epochs: 4,
  minibatchSize: 128,
  rewardScale: 0.1,
  gradClipNorm: 0.5,
};

/** One rollout of `envs` environments for `steps` steps, stored step-major (t·envs + e). */
export class Rollout {
  readonly observations: Float32Array;
  readonly actions: Int32Array;
  readonly logProbs: Float32Array;
  readonly values: Float32Array;
  readonly rewards: Float32Array;
  readonly dones: Float32Array;
  private t = 0;

  constructor(
    readonly envs: number,
    readonly steps: number,
    readonly width: number,
  ) {
    const n = envs * steps;
    this.observations = new Float32Array(n * width);
    this.actions = new Int32Array(n);
    this.logProbs = new Float32Array(n);
    this.values = new Float32Array(n);
    this.rewards = new Float32Array(n);
    this.dones = new Float32Array(n);
  }

  /** Whether it holds no step (just cleared). */
  get empty(): boolean {
    return this.t === 0;
  }

  /** True when every step is recorded. */
  get full(): boolean {
    return this.t >= this.steps;
  }

  /** Records one vector step (normalised observations). */
  push(obs: Float32Array, actions: ArrayLike<number>, logProbs: ArrayLike<number>, values: ArrayLike<number>, rewards: ArrayLike<number>, dones: ArrayLike<number>): void {
    if (this.full) throw new Error(`the rollout holds ${this.steps} steps; call clear() first`);
    const e = this.envs;
    this.observations.set(obs.subarray(0, e * this.width), this.t * e * this.width);
    for (let i = 0; i < e; i++) {
      const k = this.t * e + i;
      this.actions[k] = actions[i] as number;
      this.logProbs[k] = logProbs[i] as number;
      this.values[k] = values[i] as number;
      this.rewards[k] = rewards[i] as number;
      this.dones[k] = dones[i] as number;
    }
    this.t++;
  }

  clear(): void {
    this.t = 0;
  }
}

/** Returns GAE(λ) advantages and returns for a full rollout, bootstrapping from `lastValues`. */
export function gae(r: Rollout, lastValues: ArrayLike<number>, gamma: number, lambda: number): { advantages: Float32Array; returns: Float32Array } {
  const e = r.envs;
  const advantages = new Float32Array(e * r.steps);
  const returns = new Float32Array(e * r.steps);
  for (let i = 0; i < e; i++) {
    let next = lastValues[i] as number;
    let acc = 0;
    for (let t = r.steps - 1; t >= 0; t--) {
      const k = t * e + i;
      const notDone = 1 - (r.dones[k] as number);
      const delta = (r.rewards[k] as number) + gamma * next * notDone - (r.values[k] as number);
      acc = delta + gamma * lambda * notDone * acc;
      advantages[k] = acc;
      returns[k] = acc + (r.values[k] as number);
      next = r.values[k] as number;
    }
  }
  return { advantages, returns };
}

/** A PPO learner; see the module comment. */
export class PpoLearner {
  readonly policy: TF.Sequential;
  readonly value: TF.Sequential;
  readonly normaliser: RunningNormaliser;
  private readonly optimizer: TF.Optimizer;
  private updatesDone = 0;

  constructor(
    private readonly tf: Tf,
    readonly config: PpoConfig,
    readonly width: number,
    readonly actions: number,
    seed: number,
  ) {
    this.policy = buildMlpModel(tf, width, config.hidden, actions, 'tanh', seed, 0.01);
    this.value = buildMlpModel(tf, width, config.hidden, 1, 'tanh', seed + 100);
    this.normaliser = new RunningNormaliser(width);
    this.optimizer = tf.train.adam(config.learningRate);
  }

  /** Updates done so far. */
  get updates(): number {
    return this.updatesDone;
  }

  /** Normalises `rows` raw observations into a new array. */
  normalise(raw: Float32Array, rows: number): Float32Array {
    return this.normaliser.normalise(raw, new Float32Array(rows * this.width), rows);
  }

  /** Samples actions for normalised observations; returns their log-probabilities and values. */
  act(x: Float32Array, rows: number, rng: Rng, out: Int32Array): { logProbs: Float32Array; values: Float32Array } {
    const logits = predictBatch(this.tf, this.policy, x, rows, this.width);
    const values = predictBatch(this.tf, this.value, x, rows, this.width);
    const logProbs = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      const p = softmax(logits.subarray(r * this.actions, (r + 1) * this.actions));
      let u = rng.next();
      let a = this.actions - 1;
      for (let k = 0; k < this.actions; k++) {
        u -= p[k] as number;
        if (u < 0) {
          a = k;
          break;
        }
      }
      out[r] = a;
      logProbs[r] = Math.log(Math.max(1e-12, p[a] as number));
    }
    return { logProbs, values };
  }

  /** Returns state values for normalised observations. */
  values(x: Float32Array, rows: number): Float32Array {
    return predictBatch(this.tf, this.value, x, rows, this.width);
  }

  /** Runs the PPO epochs on a full rollout; returns the mean loss parts. */
  update(r: Rollout, lastValues: ArrayLike<number>, rng: Rng): { policyLoss: number; valueLoss: number; entropy: number } {
    const tf = this.tf;
    const c = this.config;
    const { advantages, returns } = gae(r, lastValues, c.gamma, c.lambda);
    const n = advantages.length;
    let m = 0;
    for (const a of advantages) m += a;
    m /= n;
    let v = 0;
    for (const a of advantages) v += (a - m) ** 2;
    const sd = Math.sqrt(v / n) + 1e-8;
    for (let i = 0; i < n; i++) advantages[i] = ((advantages[i] as number) - m) / sd;

    const idx = Int32Array.from({ length: n }, (_, i) => i);
    const vars = [...this.policy.trainableWeights, ...this.value.trainableWeights].map((w) => w.read() as TF.Variable);
    let pl = 0;
    let vl = 0;
    let en = 0;
    let count = 0;
    for (let epoch = 0; epoch < c.epochs; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const t = idx[i] as number;
        idx[i] = idx[j] as number;
        idx[j] = t;
      }
      for (let start = 0; start < n; start += c.minibatchSize) {
        const ids = idx.subarray(start, Math.min(n, start + c.minibatchSize));
        const b = ids.length;
        const xs = new Float32Array(b * this.width);
        const acts = new Int32Array(b);
        const oldLp = new Float32Array(b);
        const adv = new Float32Array(b);
        const ret = new Float32Array(b);
        ids.forEach((k, j) => {
          xs.set(r.observations.subarray(k * this.width, (k + 1) * this.width), j * this.width);
          acts[j] = r.actions[k] as number;
          oldLp[j] = r.logProbs[k] as number;
          adv[j] = advantages[k] as number;
          ret[j] = returns[k] as number;
        });
        const parts = tf.tidy(() => {
          const x = tf.tensor2d(xs, [b, this.width]);
          const mask = tf.oneHot(tf.tensor1d(acts, 'int32'), this.actions);
          const advT = tf.tensor1d(adv);
          const oldT = tf.tensor1d(oldLp);
          const retT = tf.tensor1d(ret);
          let parts: number[] = [0, 0, 0];
          const { grads } = tf.variableGrads(() => {
            const logits = this.policy.apply(x, { training: true }) as TF.Tensor2D;
            const logp = tf.logSoftmax(logits);
            const lp = logp.mul(mask).sum(1);
            const ratio = lp.sub(oldT).exp();
            const surr = tf.minimum(ratio.mul(advT), ratio.clipByValue(1 - c.clip, 1 + c.clip).mul(advT));
            const policyLoss = surr.mean().neg();
            const entropy = logp.exp().mul(logp).sum(1).mean().neg();
            const value = (this.value.apply(x, { training: true }) as TF.Tensor2D).reshape([b]);
            const valueLoss = value.sub(retT).square().mean();
            parts = [policyLoss.dataSync()[0] as number, valueLoss.dataSync()[0] as number, entropy.dataSync()[0] as number];
            return policyLoss.add(valueLoss.mul(c.valueCoef)).sub(entropy.mul(c.entropyCoef)) as TF.Scalar;
          }, vars);
          this.optimizer.applyGradients(clipGrads(tf, grads, c.gradClipNorm));
          return parts;
        });
        pl += parts[0] as number;
        vl += parts[1] as number;
        en += parts[2] as number;
        count++;
      }
    }
    this.updatesDone++;
    return { policyLoss: pl / count, valueLoss: vl / count, entropy: en / count };
  }

  /** Returns the optimizer's state tensors (for checkpoints). */
  async optimizerWeights(): Promise<{ name: string; tensor: TF.Tensor }[]> {
    return optimizerState(this.optimizer);
  }

  /** Restores the optimizer's state and update count (from a checkpoint). */
  async restore(optimizerWeights: { name: string; tensor: TF.Tensor }[], updates: number): Promise<void> {
    await restoreOptimizerState(this.optimizer, optimizerWeights);
    this.updatesDone = updates;
  }
}

function clipGrads(tf: Tf, grads: TF.NamedTensorMap, maxNorm: number): TF.NamedTensorMap {
  const names = Object.keys(grads);
  const norm = tf.addN(names.map((k) => tf.sum(tf.square(grads[k] as TF.Tensor)))).sqrt();
  const scale = tf.minimum(tf.scalar(1), tf.scalar(maxNorm).div(norm.add(1e-6)));
  const out: TF.NamedTensorMap = {};
  for (const k of names) out[k] = (grads[k] as TF.Tensor).mul(scale);
  return out;
}
