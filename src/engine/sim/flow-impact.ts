/**
 * The market makers' permanent-impact channel: what the signed aggressive order flow tells the
 * makers about the value, as a shift of the centre of their quotes, shared by all of them (they
 * all see the tape).
 *
 * The model is the propagator of Bouchaud, Gefen, Potters and Wyart (2004): an aggressive order of
 * v lots with sign ε (+1 a buyer) at time s shifts the makers' fair value at t ≥ s by
 *   ε · λ · v^δ · G(t − s),   G(τ) = (1 + τ / τ₀)^(−β),
 * summed over the orders. δ < 1 is the concave impact of a single order in its volume (Lillo,
 * Farmer and Mantegna 2003); β = 0 keeps every order's impact for good, Kyle's (1985) λ on signed
 * order flow (with δ = 1). For β > 0 the kernel is evaluated as a sum of exponentials, from the
 * Laplace form of the power law (1 + τ/τ₀)^(−β) = ∫ ρ(r) e^(−rτ) dr with ρ(r) ∝ r^(β−1) e^(−rτ₀),
 * discretised on rates a factor of 2 apart from 8/τ₀ down to 2^(−20)/τ₀, the slowest carrying the
 * mass of all slower ones, and normalised so that G(0) = 1 (within 1% of the power law up to 10⁴ τ₀):
 * each order then costs one update per rate, however long the day.
 */

import { NS_PER_SECOND } from '../core/clock';

/** The channel's parameters (`marketMakers.flowImpact` of a scenario). */
export interface FlowImpactParams {
  /** λ: the fair value's move for an aggressive order of one lot, ticks. */
  readonly ticks: number;
  /** δ: an order of v lots moves the fair value λ · v^δ. */
  readonly sizeExponent: number;
  /** β: the decay exponent of the kernel (0: permanent). */
  readonly decayExponent: number;
  /** τ₀: the time over which the kernel starts to decay, seconds. */
  readonly decaySeconds: number;
}

/** Rates of the exponentials, in units of 1/τ₀: 2^3 down to 2^−20. */
const RATE_POWERS = Array.from({ length: 24 }, (_, i) => 3 - i);

/** Returns the kernel's exponentials for decay exponent β over τ₀ seconds: rates per ns and weights summing to 1. */
export function kernelExponentials(beta: number, decaySeconds: number): { readonly ratesPerNs: Float64Array; readonly weights: Float64Array } {
  if (!(beta > 0)) return { ratesPerNs: Float64Array.of(0), weights: Float64Array.of(1) };
  const weights = Float64Array.from(RATE_POWERS, (k) => {
    const x = 2 ** k; // r · τ₀
    // ρ(r) dr on a log grid: ρ(r) · r · Δln r ∝ x^β e^(−x) ln 2.
    return x ** beta * Math.exp(-x) * Math.LN2;
  });
  // The slowest rate also carries the mass of every rate below its cell, ∫₀^x x^(β−1) dx = x^β / β.
  const lowest = 2 ** (RATE_POWERS[RATE_POWERS.length - 1]! - 0.5);
  weights[weights.length - 1]! += lowest ** beta / beta;
  let sum = 0;
  for (const w of weights) sum += w;
  for (let i = 0; i < weights.length; i++) weights[i]! /= sum;
  const ratesPerNs = Float64Array.from(RATE_POWERS, (k) => 2 ** k / (decaySeconds * NS_PER_SECOND));
  return { ratesPerNs, weights };
}

/** The makers' flow-driven shift of their fair value; see the module comment. */
export class FlowImpact {
  private readonly lambda: number;
  private readonly delta: number;
  private readonly rates: Float64Array;
  private readonly weights: Float64Array;
  private readonly parts: Float64Array;
  private at: number;

  constructor(p: FlowImpactParams, startNs: number) {
    this.lambda = p.ticks;
    this.delta = p.sizeExponent;
    const k = kernelExponentials(p.decayExponent, p.decaySeconds);
    this.rates = k.ratesPerNs;
    this.weights = k.weights;
    this.parts = new Float64Array(k.weights.length);
    this.at = startNs;
  }

  /** Adds an aggressive order of `size` lots at `t` (sign +1 a buyer, −1 a seller). */
  trade(t: number, sign: number, size: number): void {
    if (!(size > 0)) return;
    this.decayTo(t);
    const kick = sign * this.lambda * size ** this.delta;
    const parts = this.parts;
    for (let i = 0; i < parts.length; i++) parts[i]! += kick * this.weights[i]!;
  }

  /** Returns the shift at `t`, ticks (positive after net buying). */
  shift(t: number): number {
    this.decayTo(t);
    let s = 0;
    const parts = this.parts;
    for (let i = 0; i < parts.length; i++) s += parts[i]!;
    return s;
  }

  private decayTo(t: number): void {
    const dt = t - this.at;
    if (dt <= 0) return;
    this.at = t;
    const parts = this.parts;
    for (let i = 0; i < parts.length; i++) {
      const r = this.rates[i]!;
      if (r > 0) parts[i]! *= Math.exp(-r * dt);
    }
  }
}
