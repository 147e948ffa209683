/**
 * The baseline strategies: TWAP, VWAP, POV and Almgren–Chriss. Each says how much should be done by
 * now and by the next decision; `followSchedule` turns that into child orders (cross what is late,
 * rest the next slice at the touch). The session sweeps what is left at the horizon.
 */

import { calibrationSizes, costBeyondTouch, estimateImpact } from './calibration';
import type { AlmgrenChrissParams, VolumeProfile } from './schedules';
import { almgrenChrissFraction, almgrenChrissKappa, twapFraction, vwapSchedule } from './schedules';
import { followSchedule } from './tactics';
import { formatShare as fmtPct, pacedFraction, type ExecutionStrategy, type MarketView, type StrategyStep } from './types';

/** The highest rate a trader's urgency takes a POV agent to: half the market's volume. */
export const POV_MAX_RATE = 0.5;

/** Straight-line schedule: Q·t/T done at time t. */
export class TwapStrategy implements ExecutionStrategy {
  readonly name = 'twap';

  decide(view: MarketView): StrategyStep {
    const q = view.parent.quantity;
    const h = view.parent.horizonNs;
    const u = view.urgency;
    const now = q * pacedFraction(twapFraction(view.elapsed), u);
    const next = q * pacedFraction(twapFraction((view.ts + view.nextDecisionInNs - view.startNs) / h), u);
    return followSchedule(view, { now, next }, { label: u === 1 ? 'TWAP' : `TWAP urgency ${u}` });
  }
}

/** Follows an intraday volume profile: done by t is Q times the profile's share of [start, end) before t. */
export class VwapStrategy implements ExecutionStrategy {
  readonly name = 'vwap';
  private schedule: ((t: number) => number) | undefined;
  /** The horizon end the schedule was built for: a trader's new horizon rebuilds it. */
  private scheduleEnd = NaN;

  /** `profile` maps venue time to volume weights (see `VolumeProfile`). */
  constructor(private readonly profile: VolumeProfile) {}

  decide(view: MarketView): StrategyStep {
    if (this.schedule === undefined || this.scheduleEnd !== view.endNs) {
      this.schedule = vwapSchedule(this.profile, view.startNs, view.endNs);
      this.scheduleEnd = view.endNs;
    }
    const q = view.parent.quantity;
    const u = view.urgency;
    const fNow = pacedFraction(this.schedule(view.ts), u);
    const fNext = pacedFraction(this.schedule(view.ts + view.nextDecisionInNs), u);
    return followSchedule(view, { now: q * fNow, next: q * fNext }, { label: u === 1 ? 'VWAP' : `VWAP urgency ${u}`, inputs: { profileDone: fNow, twapDone: view.elapsed } });
  }
}

/**
 * Participation of volume: trades `rate` of the total volume (the market's and its own), so by now
 * it should have done rate/(1 − rate) times the market volume printed since the start; the next
 * slice is forecast from the recent volume rate.
 */
export class PovStrategy implements ExecutionStrategy {
  readonly name = 'pov';
  constructor(readonly rate: number) {
    if (!(rate > 0 && rate < 1)) throw new Error(`the participation rate must be in (0, 1), received ${rate}`);
  }

  decide(view: MarketView): StrategyStep {
    const q = view.parent.quantity;
    // The trader's urgency scales the rate, to at most POV_MAX_RATE.
    const rate = view.urgency === 1 ? this.rate : Math.min(POV_MAX_RATE, this.rate * view.urgency);
    const ratio = rate / (1 - rate);
    const now = Math.min(q, ratio * view.marketVolumeSinceStart);
    const forecast = (view.recentVolume * view.nextDecisionInNs) / view.recentVolumeWindowNs;
    const next = Math.min(q, now + ratio * forecast);
    const participation = view.filled + view.marketVolumeSinceStart > 0 ? view.filled / (view.filled + view.marketVolumeSinceStart) : 0;
    return followSchedule(view, { now, next }, { label: `POV ${fmtPct(rate)}`, inputs: { marketVolume: view.marketVolumeSinceStart, participation } });
  }
}

/**
 * Almgren–Chriss: holdings follow x(t) = X·sinh(κ(T−t))/sinh(κT), with κ from λ, σ and η (see
 * `almgrenChrissKappa`). Larger λ or σ, or smaller η, front-load the order; λ → 0 is TWAP.
 */
export class AlmgrenChrissStrategy implements ExecutionStrategy {
  readonly name = 'ac';
  /** κ in 1/s. */
  readonly kappa: number;

  constructor(readonly params: AlmgrenChrissParams) {
    this.kappa = almgrenChrissKappa(params);
  }

  decide(view: MarketView): StrategyStep {
    const q = view.parent.quantity;
    const h = view.parent.horizonNs;
    const kT = (this.kappa * h) / 1e9;
    const u = view.urgency;
    const now = q * pacedFraction(almgrenChrissFraction(view.elapsed, kT), u);
    const next = q * pacedFraction(almgrenChrissFraction((view.ts + view.nextDecisionInNs - view.startNs) / h, kT), u);
    return followSchedule(view, { now, next }, { label: `AC κT=${kT.toFixed(2)}`, inputs: { kappaT: kT, twapDone: view.elapsed } });
  }
}

/**
 * Almgren–Chriss as a live session runs it, where no pilot run or pre-trade window came first:
 * at its first decision it takes σ from the market it has watched (the view's EWMA volatility) and
 * η from walking the book it sees with 1, 2, 4 and 8 slices' worth (`estimateImpact` on that one
 * sample, as a backtest does on many), γ = 0, and keeps that schedule to the horizon.
 */

export class SessionAlmgrenChrissStrategy implements ExecutionStrategy {
  readonly name = 'ac';
  private inner: AlmgrenChrissStrategy | null = null;

  /** `lambdaPerBps`: the risk aversion, 1/bps (0 is TWAP). */
  constructor(readonly lambdaPerBps: number) {
    if (!(lambdaPerBps >= 0) || !Number.isFinite(lambdaPerBps)) throw new Error(`the AC risk aversion must be a finite number from 0 up, received ${lambdaPerBps}`);
  }

  /** κ in 1/s, once the first decision has calibrated it; null before. */
  get kappa(): number | null {
    return this.inner?.kappa ?? null;
  }

  decide(view: MarketView): StrategyStep {
    this.inner ??= this.calibrate(view);
    return this.inner.decide(view);
  }

  private calibrate(view: MarketView): AlmgrenChrissStrategy {
    const q = view.parent.quantity;
    const intervalS = view.nextDecisionInNs / 1e9;
    const slices = Math.max(1, Math.round(view.parent.horizonNs / Math.max(1, view.nextDecisionInNs)));
    let sumSizeCost = 0;
    let sumSizeSquared = 0;
    let shortWalks = 0;
    const mid = view.mid;
    for (const n of calibrationSizes(q, slices)) {
      const c = mid > 0 ? costBeyondTouch(view.depth, view.parent.side, n, mid) : undefined;
      if (c === undefined) shortWalks++;
      else {
        sumSizeCost += n * c;
        sumSizeSquared += n * n;
      }
    }
    const sigma = view.volatilityBpsPerSqrtS;
    // One book sample over one second whose squared return gives σ² (bps² per s → log-return² per s).
    const impact = estimateImpact(
      { sumSquaredReturns: (sigma / 10_000) ** 2, sumSeconds: 1, sumSizeCost, sumSizeSquared, sumHalfSpreadBps: mid > 0 ? (view.spread / 2 / mid) * 10_000 : 0, bookSamples: 1, shortWalks },
      Math.max(intervalS, 1e-9),
    );
    return new AlmgrenChrissStrategy({ sigmaBpsPerSqrtS: impact.sigmaBpsPerSqrtS, etaBpsPerLotPerS: impact.etaBpsPerLotPerS, gammaBpsPerLot: 0, lambdaPerBps: this.lambdaPerBps, quantity: q, intervalS });
  }
}
