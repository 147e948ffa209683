/**
 * Observation normalisation: a running mean and variance per feature (Welford / Chan's parallel
 * update), applied as (x − mean) / sqrt(var + ε) clipped to ±clip. It is saved with the model so a
 * policy sees at inference exactly the scaling it was trained with; zero after normalisation is
 * the training mean observation (the explanations' baseline).
 */

/** A normaliser's saved state. */
export interface NormaliserState {
  readonly count: number;
  readonly mean: readonly number[];
  /** Population variance per feature. */
  readonly variance: readonly number[];
  readonly clip: number;
  readonly epsilon: number;
}

/** Running mean/variance normaliser; see the module comment. */
export class RunningNormaliser {
  readonly size: number;
  private count: number;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private readonly clip: number;
  private readonly epsilon: number;

  constructor(size: number, clip = 5, epsilon = 1e-8) {
    if (!Number.isSafeInteger(size) || size <= 0) throw new Error(`the normaliser size must be a positive integer, received ${size}`);
    this.size = size;
    this.count = 0;
    this.mean = new Float64Array(size);
    this.m2 = new Float64Array(size);
    this.clip = clip;
    this.epsilon = epsilon;
  }

  /** Returns a normaliser restored from `state`. */
  static fromState(state: NormaliserState): RunningNormaliser {
    const n = new RunningNormaliser(state.mean.length, state.clip, state.epsilon);
    if (state.variance.length !== state.mean.length) throw new Error(`normaliser state has ${state.mean.length} means and ${state.variance.length} variances, expected equal counts`);
    n.count = state.count;
    state.mean.forEach((m, i) => (n.mean[i] = m));
    state.variance.forEach((v, i) => (n.m2[i] = v * state.count));
    return n;
  }

  /** Observations seen so far. */
  get observations(): number {
    return this.count;
  }

  /** Adds `rows` observations laid out consecutively in `batch`. */
  update(batch: ArrayLike<number>, rows = batch.length / this.size): void {
    for (let r = 0; r < rows; r++) {
      this.count++;
      const off = r * this.size;
      for (let i = 0; i < this.size; i++) {
        const x = batch[off + i] as number;
        const d = x - (this.mean[i] as number);
        this.mean[i] = (this.mean[i] as number) + d / this.count;
        this.m2[i] = (this.m2[i] as number) + d * (x - (this.mean[i] as number));
      }
    }
  }

  /** Writes the normalised `rows` of `input` into `out` (same layout); identity scaling before any update. */
  normalise(input: ArrayLike<number>, out: Float32Array, rows = input.length / this.size): Float32Array {
    for (let r = 0; r < rows; r++) {
      const off = r * this.size;
      for (let i = 0; i < this.size; i++) {
        const v = this.count > 1 ? (this.m2[i] as number) / this.count : 1;
        const z = ((input[off + i] as number) - (this.mean[i] as number)) / Math.sqrt(v + this.epsilon);
        out[off + i] = Math.max(-this.clip, Math.min(this.clip, z));
      }
    }
    return out;
  }

  /** Returns the saved state. */
  state(): NormaliserState {
    return {
      count: this.count,
      mean: Array.from(this.mean),
      variance: Array.from(this.m2, (m) => (this.count > 0 ? m / this.count : 0)),
      clip: this.clip,
      epsilon: this.epsilon,
    };
  }
}
