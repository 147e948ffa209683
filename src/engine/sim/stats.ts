/**
 * Plain statistics for the stylized-facts report: moments, autocorrelation, a log-log fit and
 * a bootstrap. Pure and deterministic (the bootstrap takes an `Rng`).
 */

import { Rng } from '../core/rng';

/** Returns the arithmetic mean (NaN for an empty sample). */
export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** Returns the population variance (NaN for an empty sample). */
export function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return s / xs.length;
}

/** Returns the excess kurtosis m4 / m2² − 3 (0 for a normal law; NaN under 4 points or no variance). */
export function excessKurtosis(xs: ArrayLike<number>): number {
  if (xs.length < 4) return NaN;
  const m = mean(xs);
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i]! - m;
    const d2 = d * d;
    m2 += d2;
    m4 += d2 * d2;
  }
  m2 /= xs.length;
  m4 /= xs.length;
  return m2 > 0 ? m4 / (m2 * m2) - 3 : NaN;
}

/** Returns the sample autocorrelation at `lag` (the usual biased estimator; NaN when undefined). */
export function autocorrelation(xs: ArrayLike<number>, lag = 1): number {
  const n = xs.length;
  if (n <= lag + 1) return NaN;
  const m = mean(xs);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - m;
    den += d * d;
    if (i + lag < n) num += d * (xs[i + lag]! - m);
  }
  return den > 0 ? num / den : NaN;
}

/** Returns the Pearson correlation of paired samples (NaN with fewer than three pairs or no variance). */
export function correlation(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] as number;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Returns the absolute values of a sample. */
export function absolute(xs: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) out.push(Math.abs(xs[i]!));
  return out;
}

/** Returns log returns between consecutive positive prices. */
export function logReturns(prices: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 1; i < prices.length; i++) out.push(Math.log(prices[i]! / prices[i - 1]!));
  return out;
}

/** A least-squares line y = intercept + slope · x. */
export interface LineFit {
  readonly slope: number;
  readonly intercept: number;
  /** Standard error of the slope (NaN under 3 points). */
  readonly slopeStdErr: number;
  readonly points: number;
}

/** Fits y = a + b·x by ordinary least squares. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return { slope: NaN, intercept: NaN, slopeStdErr: NaN, points: n };
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  const slope = sxx > 0 ? sxy / sxx : NaN;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - intercept - slope * xs[i]!) ** 2;
  const slopeStdErr = n > 2 && sxx > 0 ? Math.sqrt(sse / (n - 2) / sxx) : NaN;
  return { slope, intercept, slopeStdErr, points: n };
}

/** Fits impact = c · size^exponent in log-log over positive pairs; returns the exponent's fit. */
export function fitPowerLaw(sizes: readonly number[], impacts: readonly number[]): LineFit {
  const lx: number[] = [];
  const ly: number[] = [];
  for (let i = 0; i < Math.min(sizes.length, impacts.length); i++) {
    const s = sizes[i]!;
    const m = impacts[i]!;
    if (s > 0 && m > 0 && Number.isFinite(s) && Number.isFinite(m)) {
      lx.push(Math.log(s));
      ly.push(Math.log(m));
    }
  }
  return fitLine(lx, ly);
}

/** Returns the q-quantile (0..1) of a sample by linear interpolation (NaN when empty). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = Math.min(1, Math.max(0, q)) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/**
 * Returns a percentile bootstrap interval of `stat` over `xs`, resampling blocks of `block`
 * consecutive points (a moving-block bootstrap keeps short-range dependence, e.g. volatility
 * clustering), `rounds` times.
 */
export function blockBootstrap(
  xs: readonly number[],
  stat: (sample: readonly number[]) => number,
  options: { readonly rounds?: number; readonly block?: number; readonly level?: number; readonly seed?: number } = {},
): { readonly lo: number; readonly hi: number } {
  const rounds = options.rounds ?? 500;
  const block = Math.max(1, Math.min(options.block ?? 10, xs.length));
  const level = options.level ?? 0.95;
  const rng = new Rng(options.seed ?? 12345);
  const n = xs.length;
  const values: number[] = [];
  const sample: number[] = new Array<number>(n);
  for (let r = 0; r < rounds; r++) {
    let k = 0;
    while (k < n) {
      const start = rng.int(n - block + 1);
      for (let j = 0; j < block && k < n; j++) sample[k++] = xs[start + j]!;
    }
    const v = stat(sample);
    if (Number.isFinite(v)) values.push(v);
  }
  return { lo: quantile(values, (1 - level) / 2), hi: quantile(values, 1 - (1 - level) / 2) };
}
