/**
 * Online volatility forecasters on a fixed sampling grid: one mid a grid step (1 s), one log return
 * a step in basis points, one variance forecast for the next step. Units: returns in bps per step,
 * variances in bps², forecasts `forecastBps()` in bps per √step (bps per √s on the 1 s grid).
 *
 * Returns are taken as zero-mean (RiskMetrics): over one second the drift is far below the noise.
 *
 * Initialisation (`VolatilityInit`): by default a forecaster warms up on its first
 * `DEFAULT_WARMUP_RETURNS` finite returns, starts from their mean square, and forecasts nothing
 * (NaN) before; a caller that knows a variance (a GARCH model's unconditional variance, say) can
 * start from it and forecast at once. A non-finite return (a missing sample, a gap) is skipped: it
 * neither moves the state nor counts toward the warm-up.
 */

import { NS_PER_SECOND } from '../../core/clock';

/** Returns a forecaster takes before it forecasts, by default: one minute on the 1 s grid. */
export const DEFAULT_WARMUP_RETURNS = 60;

/** Where a forecaster's first variance comes from. */
export type VolatilityInit =
  /** The mean square of the first `returns` finite returns; no forecast before. */
  | { readonly kind: 'warmup'; readonly returns: number }
  /** A known variance in bps²; the forecaster forecasts from the start. */
  | { readonly kind: 'variance'; readonly varianceBps2: number };

/** A one-step-ahead variance forecaster fed one return a grid step. */
export interface VolatilityForecaster {
  /** Takes the return of the step just ended (bps); returns whether it was used (false: not finite, skipped). */
  update(returnBps: number): boolean;
  /** Returns the forecast σ of the next step's return in bps, or NaN while warming up. */
  forecastBps(): number;
  /** Returns the forecast variance of the next step's return in bps², or NaN while warming up. */
  varianceBps2(): number;
  /** Whether the warm-up is over. */
  readonly ready: boolean;
  /** Finite returns taken (warm-up included). */
  readonly used: number;
  /** Non-finite returns skipped. */
  readonly skipped: number;
}

/** RiskMetrics' EWMA: σ²ₜ₊₁ = λσ²ₜ + (1−λ)r²ₜ. */
export interface EwmaParams {
  /** Decay per step, in (0, 1); the half-life is ln ½ / ln λ steps. */
  readonly lambda: number;
}

/** GARCH(1,1): σ²ₜ₊₁ = ω + αr²ₜ + βσ²ₜ, with ω in bps² and α, β unitless. */
export interface Garch11Params {
  readonly omega: number;
  readonly alpha: number;
  readonly beta: number;
}

/** The default initialisation: a warm-up of `DEFAULT_WARMUP_RETURNS`. */
export const WARMUP_INIT: VolatilityInit = { kind: 'warmup', returns: DEFAULT_WARMUP_RETURNS };

/** The recursion and its initialisation, shared by both models. */
abstract class RecursiveVariance implements VolatilityForecaster {
  private variance = NaN;
  private warmSum = 0;
  private warmCount = 0;
  private readonly warmupReturns: number;
  private usedCount = 0;
  private skippedCount = 0;

  protected constructor(init: VolatilityInit) {
    if (init.kind === 'variance') {
      if (!(Number.isFinite(init.varianceBps2) && init.varianceBps2 > 0)) throw new Error(`an initial variance must be a positive number of bps², received ${init.varianceBps2}`);
      this.variance = init.varianceBps2;
      this.warmupReturns = 0;
    } else {
      if (!Number.isSafeInteger(init.returns) || init.returns < 1) throw new Error(`a warm-up is a positive whole number of returns, received ${init.returns}`);
      this.warmupReturns = init.returns;
    }
  }

  /** Returns the next variance from this step's squared return and the current variance. */
  protected abstract step(variance: number, squaredReturn: number): number;

  get ready(): boolean {
    return !Number.isNaN(this.variance);
  }

  get used(): number {
    return this.usedCount;
  }

  get skipped(): number {
    return this.skippedCount;
  }

  update(returnBps: number): boolean {
    if (!Number.isFinite(returnBps)) {
      this.skippedCount++;
      return false;
    }
    this.usedCount++;
    const r2 = returnBps * returnBps;
    if (this.ready) {
      this.variance = this.step(this.variance, r2);
    } else {
      this.warmSum += r2;
      if (++this.warmCount === this.warmupReturns) this.variance = this.warmSum / this.warmCount;
    }
    return true;
  }

  varianceBps2(): number {
    return this.variance;
  }

  forecastBps(): number {
    return Math.sqrt(this.variance);
  }
}

/** RiskMetrics' exponentially weighted variance; see the module comment for the initialisation. */
export class EwmaVolatility extends RecursiveVariance {
  readonly params: EwmaParams;

  constructor(params: EwmaParams, init: VolatilityInit = WARMUP_INIT) {
    super(init);
    checkEwma(params);
    this.params = params;
  }

  protected step(variance: number, squaredReturn: number): number {
    const { lambda } = this.params;
    return lambda * variance + (1 - lambda) * squaredReturn;
  }
}

/** GARCH(1,1); see the module comment for the initialisation. */
export class Garch11 extends RecursiveVariance {
  readonly params: Garch11Params;

  constructor(params: Garch11Params, init: VolatilityInit = WARMUP_INIT) {
    super(init);
    checkGarch(params);
    this.params = params;
  }

  protected step(variance: number, squaredReturn: number): number {
    const { omega, alpha, beta } = this.params;
    return omega + alpha * squaredReturn + beta * variance;
  }
}

/** Throws unless 0 < λ < 1. */
export function checkEwma(p: EwmaParams): void {
  if (!(p.lambda > 0 && p.lambda < 1)) throw new Error(`EWMA λ must be in (0, 1), received ${p.lambda}`);
}

/** Throws unless ω > 0, α ≥ 0, β ≥ 0 and α + β ≤ 1 (1 is IGARCH: allowed, with no unconditional variance). */
export function checkGarch(p: Garch11Params): void {
  if (!(p.omega > 0 && Number.isFinite(p.omega))) throw new Error(`GARCH ω must be a positive number of bps², received ${p.omega}`);
  if (!(p.alpha >= 0 && p.beta >= 0 && p.alpha + p.beta <= 1)) throw new Error(`GARCH α and β must be ≥ 0 with α + β ≤ 1, received α ${p.alpha}, β ${p.beta}`);
}

/** Returns GARCH's unconditional variance ω / (1 − α − β) in bps², or NaN when α + β = 1. */
export function garchUnconditionalVariance(p: Garch11Params): number {
  const persistence = p.alpha + p.beta;
  return persistence < 1 ? p.omega / (1 - persistence) : NaN;
}

/** Returns the half-life in steps of a shock's effect on the variance, ln ½ / ln(persistence): Infinity at 1, 0 at 0. */
export function halfLifeSteps(persistence: number): number {
  if (persistence >= 1) return Infinity;
  if (persistence <= 0) return 0;
  return Math.log(0.5) / Math.log(persistence);
}

/** Returns 10⁴·ln(to / from), the log return in bps, or NaN unless both prices are finite and positive. */
export function logReturnBps(from: number, to: number): number {
  return from > 0 && to > 0 && Number.isFinite(from) && Number.isFinite(to) ? 1e4 * Math.log(to / from) : NaN;
}

/**
 * Turns mids on a fixed grid into log returns, one a step. A return needs both ends: the mid one
 * step earlier and this one, both valid. A missing mid (NaN, zero) or a skipped grid point gives
 * NaN (the step is skipped, never bridged); a sample at or before the last one (a zero-length
 * step) is ignored and gives NaN.
 */
export class GridReturns {
  private lastTs = -Infinity;
  private lastMid = NaN;
  readonly stepNs: number;

  constructor(stepNs = NS_PER_SECOND) {
    if (!(Number.isSafeInteger(stepNs) && stepNs > 0)) throw new Error(`a grid step is a positive whole number of ns, received ${stepNs}`);
    this.stepNs = stepNs;
  }

  /** Returns the log return in bps into the sample at `ts` (ns), or NaN (see the class comment). */
  next(ts: number, mid: number): number {
    if (!(ts > this.lastTs)) return NaN;
    const r = ts - this.lastTs === this.stepNs ? logReturnBps(this.lastMid, mid) : NaN;
    this.lastTs = ts;
    this.lastMid = mid;
    return r;
  }
}

/** Returns the grid returns of a series of `{ts, mid}` samples (see `GridReturns`), one per sample (the first is NaN). */
export function gridReturnsBps(samples: ReadonlyArray<{ readonly ts: number; readonly mid: number }>, stepNs = NS_PER_SECOND): number[] {
  const g = new GridReturns(stepNs);
  return samples.map((s) => g.next(s.ts, s.mid));
}
