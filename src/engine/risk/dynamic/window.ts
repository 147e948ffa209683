/**
 * A window of the last `size` values a detector keeps (one a simulated second), with its median
 * answered from a sorted copy kept as values come and go: a push costs two binary searches and
 * two shifts of at most `size` numbers, where sorting the window for every median cost
 * O(size · log size) a simulated second per detector (a fifth of the engine thread at ×1000).
 */
export class RollingWindow {
  private readonly xs: number[] = [];
  /** The finite values of `xs`, ascending. */
  private readonly sorted: number[] = [];
  private head = 0;

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a window holds a whole number of values from 1 up, received ${size}`);
  }

  push(x: number): void {
    if (this.xs.length < this.size) this.xs.push(x);
    else {
      const out = this.xs[this.head] as number;
      this.xs[this.head] = x;
      this.head = (this.head + 1) % this.size;
      if (Number.isFinite(out)) this.sorted.splice(lowerBound(this.sorted, out), 1);
    }
    if (Number.isFinite(x)) this.sorted.splice(lowerBound(this.sorted, x), 0, x);
  }

  get full(): boolean {
    return this.xs.length === this.size;
  }

  get length(): number {
    return this.xs.length;
  }

  /** The oldest value kept. */
  oldest(): number {
    return this.xs.length < this.size ? (this.xs[0] as number) : (this.xs[this.head] as number);
  }

  /** The median of the finite values kept (the mean of the middle two for an even count), or NaN with none. */
  median(): number {
    const v = this.sorted;
    if (v.length === 0) return NaN;
    const m = v.length >> 1;
    return v.length % 2 === 1 ? (v[m] as number) : ((v[m - 1] as number) + (v[m] as number)) / 2;
  }
}

/** The first index of ascending `xs` whose value is not below `x`. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
