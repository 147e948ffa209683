/**
 * A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32). The engine takes all
 * of its chance from an `Rng` passed in, never from `Math.random()`, so a seed fixes a run.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  /** Creates a generator whose whole stream is fixed by `seed` (any 32-bit integer). */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng seed must be a finite number, received ${seed}`);
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Returns the next unsigned 32-bit integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    return result;
  }

  /** Returns a float uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Returns an integer uniform in [0, n) for 0 < n <= 2^32. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Returns true with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Returns an exponential variate with the given rate (mean 1 / rate). */
  exponential(rate: number): number {
    return -Math.log(1 - this.next()) / rate;
  }

  /** Returns a standard normal variate (Marsaglia's polar method). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    return u * m;
  }

  /** Returns where the stream stands, to continue it later with `Rng.fromState` (training checkpoints). */
  state(): RngState {
    return { words: [this.a, this.b, this.c, this.d], spareNormal: this.spareNormal ?? null };
  }

  /** Returns a generator that continues the stream `state()` saved, draw for draw. */
  static fromState(s: RngState): Rng {
    const words = s.words;
    if (words.length !== 4 || !words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) || words.every((w) => w === 0)) {
      throw new Error(`an Rng state holds four unsigned 32-bit words, not all zero; received ${JSON.stringify(words)}`);
    }
    const rng = new Rng(0);
    [rng.a, rng.b, rng.c, rng.d] = words as [number, number, number, number];
    rng.spareNormal = s.spareNormal ?? undefined;
    return rng;
  }

  /** Returns a new generator whose stream is fixed by this one's next output and `salt`. */
  fork(salt = 0): Rng {
    return new Rng((this.nextU32() ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0);
  }
}

/** A generator's position in its stream (see `Rng.state`). */
export interface RngState {
  readonly words: readonly number[];
  readonly spareNormal: number | null;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
