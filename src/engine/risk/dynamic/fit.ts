/**
 * Gaussian maximum-likelihood fits of the volatility forecasters on returns (bps, one a grid step).
 *
 * The likelihood runs the forecaster classes themselves (`volatility.ts`), so a fitted model is
 * scored by exactly the recursion a session runs: each series starts with the default warm-up, and
 * every later finite return rₜ adds −½(ln 2π + ln σ²ₜ + rₜ²/σ²ₜ), σ²ₜ being the forecast made before
 * rₜ was seen. EWMA and GARCH are scored on the same returns, so their log-likelihoods compare.
 * Several series (days) can share one set of parameters: each starts its own recursion.
 *
 * GARCH(1,1) is fitted by Nelder–Mead on (ln ω, logit(α+β), logit(α/(α+β))), which keeps ω > 0,
 * α, β ≥ 0 and α + β < 1 whatever the optimiser tries; EWMA's λ by a grid and a golden-section
 * search on ln(1 − λ) over [0.80, 0.999].
 */

import type { EwmaParams, Garch11Params, VolatilityForecaster, VolatilityInit } from './volatility';
import { EwmaVolatility, Garch11, WARMUP_INIT, garchUnconditionalVariance, halfLifeSteps } from './volatility';

/** One series of returns in bps, or several (days) sharing the parameters, each with its own warm-up. */
export type ReturnSeries = readonly number[] | ReadonlyArray<readonly number[]>;

/** A likelihood: its value and the returns it counts (finite ones after each series' warm-up). */
export interface LogLikelihood {
  readonly logLikelihood: number;
  readonly n: number;
}

const LN_2PI = Math.log(2 * Math.PI);

function asSeries(returns: ReturnSeries): ReadonlyArray<readonly number[]> {
  return returns.length > 0 && Array.isArray(returns[0]) ? (returns as ReadonlyArray<readonly number[]>) : [returns as readonly number[]];
}

/** Returns the Gaussian log-likelihood of the returns under the forecasters `make` builds, one per series (see the module comment). */
export function gaussianLogLikelihood(returns: ReturnSeries, make: () => VolatilityForecaster): LogLikelihood {
  let ll = 0;
  let n = 0;
  for (const series of asSeries(returns)) {
    const f = make();
    for (const r of series) {
      if (Number.isFinite(r) && f.ready) {
        const v = f.varianceBps2();
        ll -= 0.5 * (LN_2PI + Math.log(v) + (r * r) / v);
        n++;
      }
      f.update(r);
    }
  }
  return { logLikelihood: ll, n };
}

/** Returns the Gaussian log-likelihood of GARCH(1,1) with `params` (default warm-up). */
export function garchLogLikelihood(returns: ReturnSeries, params: Garch11Params, init: VolatilityInit = WARMUP_INIT): LogLikelihood {
  return gaussianLogLikelihood(returns, () => new Garch11(params, init));
}

/** Returns the Gaussian log-likelihood of EWMA with `params` (default warm-up). */
export function ewmaLogLikelihood(returns: ReturnSeries, params: EwmaParams, init: VolatilityInit = WARMUP_INIT): LogLikelihood {
  return gaussianLogLikelihood(returns, () => new EwmaVolatility(params, init));
}

/** A fitted GARCH(1,1). ω in bps², α and β unitless; a step is one grid interval (1 s). */
export interface GarchFit extends Garch11Params, LogLikelihood {
  readonly model: 'garch11';
  /** α + β. */
  readonly persistence: number;
  /** ln ½ / ln(α + β), in steps. */
  readonly halfLifeSteps: number;
  /** √(ω / (1 − α − β)), bps per √step. */
  readonly unconditionalSigmaBps: number;
  /** Nelder–Mead iterations over all starts and the restart. */
  readonly iterations: number;
  readonly converged: boolean;
}

/** A fitted EWMA. */
export interface EwmaFit extends EwmaParams, LogLikelihood {
  readonly model: 'ewma';
  /** ln ½ / ln λ, in steps. */
  readonly halfLifeSteps: number;
  /** Which end of the λ range the maximum sits on, if it does (the likelihood wants λ beyond it). */
  readonly atBound: 'lower' | 'upper' | null;
}

/** The λ range EWMA is fitted over. */
export const EWMA_LAMBDA_RANGE: readonly [number, number] = [0.8, 0.999];

/** Persistence logits are held within ±this, so α + β stays below 1 in floating point (1 − 10⁻¹³). */
const MAX_LOGIT = 30;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));
const clampLogit = (x: number): number => Math.max(-MAX_LOGIT, Math.min(MAX_LOGIT, x));

/** Maps the unconstrained point to GARCH parameters (see the module comment). */
function garchFromTheta(theta: readonly number[]): Garch11Params {
  const persistence = sigmoid(clampLogit(theta[1] ?? 0));
  const share = sigmoid(clampLogit(theta[2] ?? 0));
  return { omega: Math.exp(theta[0] ?? 0), alpha: persistence * share, beta: persistence * (1 - share) };
}

function thetaFromGarch(p: Garch11Params): number[] {
  const persistence = p.alpha + p.beta;
  return [Math.log(p.omega), logit(persistence), logit(p.alpha / persistence)];
}

/** Returns the mean square of the finite returns (bps²), or NaN when there are none. */
export function meanSquare(returns: ReturnSeries): number {
  let sum = 0;
  let n = 0;
  for (const series of asSeries(returns)) {
    for (const r of series) {
      if (Number.isFinite(r)) {
        sum += r * r;
        n++;
      }
    }
  }
  return n > 0 ? sum / n : NaN;
}

/** Starting points: the sample variance targeted (ω = v(1 − α − β)) at a high and a moderate persistence. */
const GARCH_STARTS: ReadonlyArray<{ readonly persistence: number; readonly alphaShare: number }> = [
  { persistence: 0.95, alphaShare: 0.1 },
  { persistence: 0.6, alphaShare: 0.3 },
];

/**
 * Fits GARCH(1,1) by Gaussian maximum likelihood: Nelder–Mead from each start in `GARCH_STARTS`,
 * then once more from the best optimum (a restart, so a collapsed simplex is not taken for a
 * maximum). Throws when fewer than 10 returns count after the warm-up or they are all zero.
 */
export function fitGarch11(returns: ReturnSeries, init: VolatilityInit = WARMUP_INIT): GarchFit {
  const v = meanSquare(returns);
  const probe = garchLogLikelihood(returns, { omega: 1, alpha: 0, beta: 0 }, init);
  if (probe.n < 10 || !(v > 0)) throw new Error(`a GARCH fit needs at least 10 returns after the warm-up, not all zero; received ${probe.n} (mean square ${v})`);
  const negLl = (theta: readonly number[]): number => -garchLogLikelihood(returns, garchFromTheta(theta), init).logLikelihood;
  let best: NelderMeadResult | null = null;
  let iterations = 0;
  for (const s of GARCH_STARTS) {
    const start = { omega: v * (1 - s.persistence), alpha: s.persistence * s.alphaShare, beta: s.persistence * (1 - s.alphaShare) };
    const r = nelderMead(negLl, thetaFromGarch(start), { initialStep: 0.5 });
    iterations += r.iterations;
    if (best === null || r.value < best.value) best = r;
  }
  const restart = nelderMead(negLl, best!.x, { initialStep: 0.1 });
  iterations += restart.iterations;
  if (restart.value <= best!.value) best = restart;
  const params = garchFromTheta(best!.x);
  const persistence = params.alpha + params.beta;
  const ll = garchLogLikelihood(returns, params, init);
  return {
    model: 'garch11',
    ...params,
    persistence,
    halfLifeSteps: halfLifeSteps(persistence),
    unconditionalSigmaBps: Math.sqrt(garchUnconditionalVariance(params)),
    logLikelihood: ll.logLikelihood,
    n: ll.n,
    iterations,
    converged: best!.converged,
  };
}

/** Grid points on ln(1 − λ) before the golden-section search. */
const EWMA_GRID = 60;

/**
 * Fits EWMA's λ by maximising the same Gaussian likelihood over `range` (default [0.80, 0.999]): a
 * grid on ln(1 − λ), then a golden-section search between the best point's neighbours.
 */
export function fitEwma(returns: ReturnSeries, range: readonly [number, number] = EWMA_LAMBDA_RANGE, init: VolatilityInit = WARMUP_INIT): EwmaFit {
  const [lo, hi] = range;
  if (!(lo > 0 && hi < 1 && lo < hi)) throw new Error(`an EWMA λ range is 0 < lo < hi < 1, received [${lo}, ${hi}]`);
  // u = ln(1 − λ): u runs from ln(1 − lo) (largest) down to ln(1 − hi).
  const uLo = Math.log(1 - hi);
  const uHi = Math.log(1 - lo);
  const ll = (u: number): number => ewmaLogLikelihood(returns, { lambda: 1 - Math.exp(u) }, init).logLikelihood;
  const probe = ewmaLogLikelihood(returns, { lambda: lo }, init);
  if (probe.n < 10) throw new Error(`an EWMA fit needs at least 10 returns after the warm-up, received ${probe.n}`);
  const us = Array.from({ length: EWMA_GRID }, (_, i) => uLo + ((uHi - uLo) * i) / (EWMA_GRID - 1));
  const values = us.map(ll);
  let k = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[k]!) k = i;
  let a = us[Math.max(0, k - 1)]!;
  let b = us[Math.min(us.length - 1, k + 1)]!;
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = ll(c);
  let fd = ll(d);
  for (let i = 0; i < 40 && b - a > 1e-7; i++) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = ll(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = ll(d);
    }
  }
  let u = (a + b) / 2;
  // The grid's best end beats the interior: the maximum is on the bound.
  if (values[k]! >= ll(u)) u = us[k]!;
  const lambda = 1 - Math.exp(u);
  const fit = ewmaLogLikelihood(returns, { lambda }, init);
  const atBound = u === uLo ? 'upper' : u === uHi ? 'lower' : null;
  return { model: 'ewma', lambda, halfLifeSteps: halfLifeSteps(lambda), atBound, logLikelihood: fit.logLikelihood, n: fit.n };
}

export interface NelderMeadOptions {
  /** The simplex's initial edge along each axis. */
  readonly initialStep?: number;
  readonly maxIterations?: number;
  /** Stops when the simplex's values are within this of the best (absolute, plus relative to |best|). */
  readonly tolerance?: number;
}

export interface NelderMeadResult {
  readonly x: readonly number[];
  readonly value: number;
  readonly iterations: number;
  /** Whether the values met the tolerance before `maxIterations`. */
  readonly converged: boolean;
}

/**
 * Minimises `f` by Nelder–Mead (reflection 1, expansion 2, contraction ½, shrink ½). A non-finite
 * value counts as +Infinity, so the simplex steps away from it.
 */
export function nelderMead(f: (x: readonly number[]) => number, x0: readonly number[], options: NelderMeadOptions = {}): NelderMeadResult {
  const step = options.initialStep ?? 0.5;
  const maxIterations = options.maxIterations ?? 2000;
  const tolerance = options.tolerance ?? 1e-9;
  const dim = x0.length;
  const value = (x: readonly number[]): number => {
    const y = f(x);
    return Number.isFinite(y) ? y : Infinity;
  };
  const simplex: Array<{ x: number[]; y: number }> = [{ x: [...x0], y: value(x0) }];
  for (let i = 0; i < dim; i++) {
    const x = [...x0];
    x[i] = x[i]! + step;
    simplex.push({ x, y: value(x) });
  }
  const along = (from: readonly number[], to: readonly number[], t: number): number[] => from.map((v, i) => v + t * (to[i]! - v));
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    simplex.sort((p, q) => p.y - q.y);
    const best = simplex[0]!;
    const worst = simplex[dim]!;
    if (Math.abs(worst.y - best.y) <= tolerance * (1 + Math.abs(best.y))) {
      converged = true;
      break;
    }
    iterations++;
    const centroid = new Array<number>(dim).fill(0);
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) centroid[j] = centroid[j]! + simplex[i]!.x[j]! / dim;
    const reflected = along(centroid, worst.x, -1);
    const yr = value(reflected);
    const secondWorst = simplex[dim - 1]!.y;
    if (yr < best.y) {
      const expanded = along(centroid, worst.x, -2);
      const ye = value(expanded);
      simplex[dim] = ye < yr ? { x: expanded, y: ye } : { x: reflected, y: yr };
    } else if (yr < secondWorst) {
      simplex[dim] = { x: reflected, y: yr };
    } else {
      const outside = yr < worst.y;
      const contracted = along(centroid, outside ? reflected : worst.x, 0.5);
      const yc = value(contracted);
      if (yc < (outside ? yr : worst.y)) {
        simplex[dim] = { x: contracted, y: yc };
      } else {
        for (let i = 1; i <= dim; i++) {
          const x = along(best.x, simplex[i]!.x, 0.5);
          simplex[i] = { x, y: value(x) };
        }
      }
    }
  }
  simplex.sort((p, q) => p.y - q.y);
  return { x: simplex[0]!.x, value: simplex[0]!.y, iterations, converged };
}
