/**
 * Experience replay: a fixed-capacity ring buffer of transitions in flat Float32Arrays. Once full,
 * each new transition overwrites the oldest. Sampling draws uniformly with replacement from an
 * injected `Rng`.
 */

import type { Rng } from '../core/rng';

/** A sampled minibatch (views valid until the next `sample`). */
export interface ReplayBatch {
  readonly size: number;
  readonly observations: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly nextObservations: Float32Array;
  readonly dones: Float32Array;
}

/** A ring buffer of (s, a, r, s', done); see the module comment. */
export class ReplayBuffer {
  readonly capacity: number;
  readonly width: number;
  private readonly obs: Float32Array;
  private readonly next: Float32Array;
  private readonly actions: Int32Array;
  private readonly rewards: Float32Array;
  private readonly dones: Uint8Array;
  private cursor = 0;
  private filled = 0;
  private added = 0;

  constructor(capacity: number, width: number) {
    if (!Number.isSafeInteger(capacity) || capacity <= 0) throw new Error(`replay capacity must be a positive integer, received ${capacity}`);
    this.capacity = capacity;
    this.width = width;
    this.obs = new Float32Array(capacity * width);
    this.next = new Float32Array(capacity * width);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.dones = new Uint8Array(capacity);
  }

  /** Transitions held (at most the capacity). */
  get size(): number {
    return this.filled;
  }

  /** Transitions ever added. */
  get total(): number {
    return this.added;
  }

  /** Adds one transition; `obs` and `next` are read at `offset`. */
  add(obs: ArrayLike<number>, action: number, reward: number, next: ArrayLike<number>, done: boolean, offset = 0): void {
    const i = this.cursor;
    const w = this.width;
    for (let k = 0; k < w; k++) {
      this.obs[i * w + k] = obs[offset + k] as number;
      this.next[i * w + k] = next[offset + k] as number;
    }
    this.actions[i] = action;
    this.rewards[i] = reward;
    this.dones[i] = done ? 1 : 0;
    this.cursor = (i + 1) % this.capacity;
    this.filled = Math.min(this.capacity, this.filled + 1);
    this.added++;
  }

  /** Returns the action stored at slot `i` (for inspection and tests). */
  actionAt(i: number): number {
    return this.actions[i] as number;
  }

  /** Draws `n` transitions uniformly with replacement. */
  sample(n: number, rng: Rng): ReplayBatch {
    if (this.filled === 0) throw new Error('cannot sample an empty replay buffer');
    const w = this.width;
    const b: ReplayBatch = {
      size: n,
      observations: new Float32Array(n * w),
      actions: new Int32Array(n),
      rewards: new Float32Array(n),
      nextObservations: new Float32Array(n * w),
      dones: new Float32Array(n),
    };
    for (let j = 0; j < n; j++) {
      const i = rng.int(this.filled);
      b.observations.set(this.obs.subarray(i * w, i * w + w), j * w);
      b.nextObservations.set(this.next.subarray(i * w, i * w + w), j * w);
      b.actions[j] = this.actions[i] as number;
      b.rewards[j] = this.rewards[i] as number;
      b.dones[j] = this.dones[i] as number;
    }
    return b;
  }
}
