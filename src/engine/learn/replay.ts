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

/** A replay buffer's whole state (see `ReplayBuffer.snapshot`). */
export interface ReplaySnapshot {
  readonly capacity: number;
  readonly width: number;
  readonly cursor: number;
  readonly filled: number;
  readonly added: number;
  readonly obs: Float32Array;
  readonly next: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly dones: Uint8Array;
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

  /** Returns the buffer's contents and positions, to continue it later with `restore` (training checkpoints). */
  snapshot(): ReplaySnapshot {
    return { capacity: this.capacity, width: this.width, cursor: this.cursor, filled: this.filled, added: this.added, obs: this.obs, next: this.next, actions: this.actions, rewards: this.rewards, dones: this.dones };
  }

  /** Refills the buffer from a snapshot of one with the same capacity and width. */
  restore(s: ReplaySnapshot): void {
    if (s.capacity !== this.capacity || s.width !== this.width) throw new Error(`the saved replay buffer holds ${s.capacity} × ${s.width}; this one ${this.capacity} × ${this.width}`);
    if (!(s.filled >= 0 && s.filled <= s.capacity && s.cursor >= 0 && s.cursor < s.capacity && s.added >= s.filled)) throw new Error('the saved replay buffer positions are inconsistent');
    this.obs.set(s.obs);
    this.next.set(s.next);
    this.actions.set(s.actions);
    this.rewards.set(s.rewards);
    this.dones.set(s.dones);
    this.cursor = s.cursor;
    this.filled = s.filled;
    this.added = s.added;
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
