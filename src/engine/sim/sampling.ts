/**
 * Samplers built from a scenario's laws. Every sampler takes exactly one uniform draw from the
 * `Rng` it is given, so an agent consumes a fixed number of draws per decision whatever the book
 * looks like: background random streams stay aligned between a run and its counterfactual.
 */

import type { Rng } from '../core/rng';
import type { Distribution, LatencyParams } from './scenario';

/** Draws a positive number from one uniform variate. */
export type Sampler = (rng: Rng) => number;

/** Returns a sampler of a scenario law (positive reals; callers round). */
export function compileDistribution(d: Distribution): Sampler {
  switch (d.law) {
    case 'fixed': {
      const v = d.value;
      return (rng) => {
        rng.next();
        return v;
      };
    }
    case 'lognormal': {
      const mu = Math.log(d.median);
      const sigma = d.sigma;
      const max = d.max ?? Infinity;
      return (rng) => Math.min(max, Math.exp(mu + sigma * normalQuantile(rng.next())));
    }
    case 'empirical': {
      const q = d.quantiles;
      const last = q.length - 1;
      return (rng) => {
        const pos = rng.next() * last;
        const i = Math.floor(pos);
        if (i >= last) return q[last]!;
        return q[i]! + (q[i + 1]! - q[i]!) * (pos - i);
      };
    }
  }
}

/** Returns a sampler of integers of at least 1 from a law (rounded to nearest). */
export function compileIntDistribution(d: Distribution): Sampler {
  const f = compileDistribution(d);
  return (rng) => Math.max(1, Math.round(f(rng)));
}

/** Returns the mean of a law (estimated by quadrature for the lognormal with a cap). */
export function distributionMean(d: Distribution): number {
  switch (d.law) {
    case 'fixed':
      return d.value;
    case 'lognormal': {
      if (d.max === undefined) return d.median * Math.exp((d.sigma * d.sigma) / 2);
      let s = 0;
      const n = 2000;
      for (let i = 0; i < n; i++) s += Math.min(d.max, d.median * Math.exp(d.sigma * normalQuantile((i + 0.5) / n)));
      return s / n;
    }
    case 'empirical': {
      const q = d.quantiles;
      let s = 0;
      for (let i = 0; i + 1 < q.length; i++) s += (q[i]! + q[i + 1]!) / 2;
      return s / (q.length - 1);
    }
  }
}

/** Returns the standard normal quantile of p in (0, 1) (Acklam's rational approximation, ~1e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -8;
  if (p >= 1) return 8;
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((-7.784894002430293e-3 * q - 3.223964580411365e-1) * q - 2.400758277161838) * q - 2.549732539343734) * q + 4.374664141464968) * q + 2.938163982698783) /
      ((((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1);
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((-7.784894002430293e-3 * q - 3.223964580411365e-1) * q - 2.400758277161838) * q - 2.549732539343734) * q + 4.374664141464968) * q + 2.938163982698783) /
      ((((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((-3.969683028665376e1 * r + 2.209460984245205e2) * r - 2.759285104469687e2) * r + 1.38357751867269e2) * r - 3.066479806614716e1) * r + 2.506628274631e0) * q) /
    (((((-5.447609879822406e1 * r + 1.615858368580409e2) * r - 1.556989798598866e2) * r + 6.680131188771972e1) * r - 1.328068155288572e1) * r + 1);
}

/** Returns an exponential variate of the given mean from one uniform draw. */
export function exponentialDraw(rng: Rng, mean: number): number {
  return -Math.log(1 - rng.next()) * mean;
}

/** An agent's latencies in integer ns: a fixed part plus a seeded exponential jitter. */
export class LatencyModel {
  private readonly entryNs: number;
  private readonly mdNs: number;
  private readonly jitterNs: number;
  private readonly rng: Rng;

  constructor(params: LatencyParams, rng: Rng) {
    this.entryNs = Math.round(params.entryMs * 1e6);
    this.mdNs = Math.round(params.marketDataMs * 1e6);
    this.jitterNs = params.jitterMs * 1e6;
    this.rng = rng;
  }

  /** True when orders reach the book at once and the agent sees the book as it is. */
  get instant(): boolean {
    return this.entryNs === 0 && this.mdNs === 0 && this.jitterNs === 0;
  }

  /** Draws the delay from a decision to its order reaching the book, ns. */
  entry(): number {
    return this.jitterNs > 0 ? this.entryNs + Math.round(exponentialDraw(this.rng, this.jitterNs)) : this.entryNs;
  }

  /** Draws the age of the book view the agent acts on, ns. */
  marketData(): number {
    return this.jitterNs > 0 ? this.mdNs + Math.round(exponentialDraw(this.rng, this.jitterNs)) : this.mdNs;
  }
}
