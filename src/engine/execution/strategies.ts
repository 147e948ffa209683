/**
 * The baseline strategies: TWAP, VWAP, POV and Almgren–Chriss. Each says how much should be done by
 * now and by the next decision; `followSchedule` turns that into child orders (cross what is late,
 * rest the next slice at the touch). The session sweeps what is left at the horizon.
 */

import type { AlmgrenChrissParams, VolumeProfile } from './schedules';
import { almgrenChrissFraction, almgrenChrissKappa, twapFraction, vwapSchedule } from './schedules';
import { followSchedule } from './tactics';
import type { ExecutionStrategy, MarketView, StrategyStep } from './types';

/** Straight-line schedule: Q·t/T done at time t. */
export class TwapStrategy implements ExecutionStrategy {
  readonly name = 'twap';

  decide(view: MarketView): StrategyStep {
    const q = view.parent.quantity;
    const h = view.parent.horizonNs;
    const now = q * twapFraction(view.elapsed);
    const next = q * twapFraction((view.ts + view.nextDecisionInNs - view.startNs) / h);
    return followSchedule(view, { now, next }, { label: 'TWAP' });
  }
}

/** Follows an intraday volume profile: done by t is Q times the profile's share of [start, end) before t. */
export class VwapStrategy implements ExecutionStrategy {
  readonly name = 'vwap';
  private schedule: ((t: number) => number) | undefined;

  /** `profile` maps venue time to volume weights (see `VolumeProfile`). */
  constructor(private readonly profile: VolumeProfile) {}

  decide(view: MarketView): StrategyStep {
    this.schedule ??= vwapSchedule(this.profile, view.startNs, view.endNs);
    const q = view.parent.quantity;
    const fNow = this.schedule(view.ts);
    const fNext = this.schedule(view.ts + view.nextDecisionInNs);
    return followSchedule(view, { now: q * fNow, next: q * fNext }, { label: 'VWAP', inputs: { profileDone: fNow, twapDone: view.elapsed } });
  }
}

/**
 * Participation of volume: trades `rate` of the total volume (the market's and its own), so by now
 * it should have done rate/(1 − rate) times the market volume printed since the start; the next
 * slice is forecast from the recent volume rate.
 */
export class PovStrategy implements ExecutionStrategy {
  readonly name = 'pov';
  private readonly ratio: number;

  constructor(readonly rate: number) {
    if (!(rate > 0 && rate < 1)) throw new Error(`the participation rate must be in (0, 1), received ${rate}`);
    this.ratio = rate / (1 - rate);
  }

  decide(view: MarketView): StrategyStep {
    const q = view.parent.quantity;
    const now = Math.min(q, this.ratio * view.marketVolumeSinceStart);
    const forecast = (view.recentVolume * view.nextDecisionInNs) / view.recentVolumeWindowNs;
    const next = Math.min(q, now + this.ratio * forecast);
    const participation = view.filled + view.marketVolumeSinceStart > 0 ? view.filled / (view.filled + view.marketVolumeSinceStart) : 0;
    return followSchedule(view, { now, next }, { label: `POV ${fmtPct(this.rate)}`, inputs: { marketVolume: view.marketVolumeSinceStart, participation } });
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
    const now = q * almgrenChrissFraction(view.elapsed, kT);
    const next = q * almgrenChrissFraction((view.ts + view.nextDecisionInNs - view.startNs) / h, kT);
    return followSchedule(view, { now, next }, { label: `AC κT=${kT.toFixed(2)}`, inputs: { kappaT: kT, twapDone: view.elapsed } });
  }
}

function fmtPct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}
