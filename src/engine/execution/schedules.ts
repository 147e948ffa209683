/**
 * Execution schedules: the share of the parent order that should be done at a point of its horizon.
 * Each returns a non-decreasing fraction from 0 at the start to 1 at the horizon.
 */

/** Returns the straight-line (TWAP) fraction done at elapsed share `u` of the horizon. */
export function twapFraction(u: number): number {
  return Math.min(1, Math.max(0, u));
}

/**
 * Returns the Almgren–Chriss holdings ratio x(t)/X = sinh(κ(T−t)) / sinh(κT) at elapsed share
 * `u` = t/T, given `kappaT` = κT ≥ 0. It is 1 − u at κT = 0 (TWAP) and computed without overflow
 * for large κT.
 */
export function almgrenChrissHoldings(u: number, kappaT: number): number {
  if (!(kappaT >= 0)) throw new Error(`κT must be a non-negative number, received ${kappaT}`);
  const v = Math.min(1, Math.max(0, u));
  if (kappaT === 0) return 1 - v;
  const a = kappaT * (1 - v);
  const b = kappaT;
  if (b < 20) return Math.sinh(a) / Math.sinh(b);
  // sinh(a)/sinh(b) = (e^(a−b) − e^(−a−b)) / (1 − e^(−2b)): finite for any b, exact enough once e^(−2b) is negligible.
  return (Math.exp(a - b) - Math.exp(-a - b)) / -Math.expm1(-2 * b);
}

/** Returns the Almgren–Chriss fraction done, 1 − x(t)/X. */
export function almgrenChrissFraction(u: number, kappaT: number): number {
  return 1 - almgrenChrissHoldings(u, kappaT);
}

/**
 * The default AC risk aversion, 1/bps (see `AlmgrenChrissParams.lambdaPerBps`): Almgren & Chriss's
 * worked example (λ = 1e-6 per $ on 1M shares at $50) expressed per bps of shortfall.
 */
export const DEFAULT_AC_LAMBDA = 0.005;

/** Inputs of the Almgren–Chriss model, in bps of the arrival mid and lots. */
export interface AlmgrenChrissParams {
  /** Mid volatility in bps per √s. */
  readonly sigmaBpsPerSqrtS: number;
  /** Temporary impact: bps of price concession per lot/s of trading rate. */
  readonly etaBpsPerLotPerS: number;
  /** Permanent impact: bps of mid move per lot traded. */
  readonly gammaBpsPerLot: number;
  /**
   * Risk aversion in 1/bps: the schedule minimises E[IS] + λ·Var[IS] with IS the parent order's
   * shortfall in bps (so λ does not depend on the order size).
   */
  readonly lambdaPerBps: number;
  /** Parent quantity X in lots. */
  readonly quantity: number;
  /** Decision interval τ in s (the discrete model's trading period). */
  readonly intervalS: number;
}

/**
 * Returns κ in 1/s. With costs in bps·lots, λ_lots = λ/X; κ² = λ_lots·σ²/η̃ where
 * η̃ = η − γτ/2 is the discrete-time temporary impact (η itself when that is not positive).
 */
export function almgrenChrissKappa(p: AlmgrenChrissParams): number {
  if (!(p.lambdaPerBps >= 0)) throw new Error(`λ must be a non-negative number, received ${p.lambdaPerBps}`);
  if (!(p.sigmaBpsPerSqrtS >= 0)) throw new Error(`σ must be a non-negative number, received ${p.sigmaBpsPerSqrtS}`);
  if (!(p.etaBpsPerLotPerS > 0)) throw new Error(`η must be a positive number, received ${p.etaBpsPerLotPerS}`);
  if (!(p.quantity > 0)) throw new Error(`the quantity must be positive, received ${p.quantity}`);
  const etaTilde = p.etaBpsPerLotPerS - (p.gammaBpsPerLot * p.intervalS) / 2;
  const eta = etaTilde > 0 ? etaTilde : p.etaBpsPerLotPerS;
  const lambdaLots = p.lambdaPerBps / p.quantity;
  return Math.sqrt((lambdaLots * p.sigmaBpsPerSqrtS ** 2) / eta);
}

/**
 * An intraday volume profile: bucket i holds the weight of [originNs + i·bucketNs, originNs + (i+1)·bucketNs).
 * Volume is spread evenly within a bucket; nothing trades outside the buckets.
 */
export interface VolumeProfile {
  readonly originNs: number;
  readonly bucketNs: number;
  readonly weights: readonly number[];
}

/** Returns the profile's cumulative weight up to time `t` (ns). */
export function cumulativeVolume(profile: VolumeProfile, t: number): number {
  const x = (t - profile.originNs) / profile.bucketNs;
  if (x <= 0) return 0;
  const whole = Math.floor(x);
  let sum = 0;
  const n = Math.min(whole, profile.weights.length);
  for (let i = 0; i < n; i++) sum += profile.weights[i] as number;
  if (whole < profile.weights.length) sum += (profile.weights[whole] as number) * (x - whole);
  return sum;
}

/**
 * Returns a function of time giving the VWAP fraction done over [startNs, endNs]: the share of the
 * profile's volume in that window that falls before t. Falls back to TWAP when the window holds no
 * profile volume.
 */
export function vwapSchedule(profile: VolumeProfile, startNs: number, endNs: number): (t: number) => number {
  checkProfile(profile);
  if (!(endNs > startNs)) throw new Error(`the window must end after it starts, received [${startNs}, ${endNs}]`);
  const c0 = cumulativeVolume(profile, startNs);
  const total = cumulativeVolume(profile, endNs) - c0;
  if (!(total > 0)) return (t) => twapFraction((t - startNs) / (endNs - startNs));
  return (t) => {
    if (t <= startNs) return 0;
    if (t >= endNs) return 1;
    return Math.min(1, Math.max(0, (cumulativeVolume(profile, t) - c0) / total));
  };
}

/** Returns a profile whose buckets are `weights` spread evenly over [startNs, startNs + horizonNs). */
export function scaleProfileToHorizon(weights: readonly number[], startNs: number, horizonNs: number): VolumeProfile {
  if (weights.length === 0) throw new Error('a volume profile needs at least one bucket, received none');
  return { originNs: startNs, bucketNs: horizonNs / weights.length, weights };
}

function checkProfile(p: VolumeProfile): void {
  if (!(p.bucketNs > 0)) throw new Error(`a volume profile's bucket must be positive, received ${p.bucketNs} ns`);
  if (p.weights.length === 0) throw new Error('a volume profile needs at least one bucket, received none');
  for (const w of p.weights) if (!(w >= 0)) throw new Error(`volume profile weights must be non-negative numbers, received ${w}`);
}
