/**
 * The baseline strategies: TWAP, VWAP, POV and Almgren–Chriss. Each says how much should be done by
 * now and by the next decision; `followSchedule` turns that into child orders (cross what is late,
 * rest the next slice at the touch). The session sweeps what is left at the horizon.
 */

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
