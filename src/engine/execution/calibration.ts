/**
 * Estimating the Almgren–Chriss inputs from market data the agent could have seen before trading.
 *
 * Method (the same code serves the simulator and a historical venue):
 * - σ: the mid is sampled every `stepNs` over an agent-free window; σ² = Σ r² / Σ Δt with r the
 *   log returns, reported in bps per √s.
 * - η (temporary impact): at every sample the visible book is walked on the side the parent order
 *   takes from, for a grid of child sizes n; the cost beyond the touch, in bps of the mid, is
 *   regressed on n through the origin (slope k, bps per lot). A child of n = v·τ lots sent every τ
 *   seconds then concedes k·v·τ bps beyond the half spread, so η = k·τ (bps per lot/s).
 * - γ (permanent impact): bps of end-mid move per lot traded, measured where a counterfactual
 *   exists (a pilot agent run against the same seed without the agent); 0 where the venue cannot
 *   be moved by the agent (a historical venue).
 *
 * On the simulator the window is a set of pilot runs of the scenario on seeds disjoint from the
 * evaluation seeds; on a historical venue it is the stretch of the day before the episode starts.
 */

import type { L2Snapshot, Side } from '../book/types';
import type { Venue } from '../venue/types';
import { MarketObserver, venueMid } from './market-observer';

/** Sums an agent-free window contributes to the estimates; windows add up. */
export interface CalibrationSums {
  /** Σ r² over mid samples (log returns). */
  readonly sumSquaredReturns: number;
  /** Σ Δt in s over those returns. */
  readonly sumSeconds: number;
  /** Σ n·c and Σ n² over (book sample, size n) with c the cost beyond the touch in bps. */
  readonly sumSizeCost: number;
  readonly sumSizeSquared: number;
  /** Σ half spread in bps and the count of two-sided samples. */
  readonly sumHalfSpreadBps: number;
  readonly bookSamples: number;
  /** Book walks skipped because the visible depth was short of the size. */
  readonly shortWalks: number;
}

/** The sums of no window at all. */
export const EMPTY_CALIBRATION: CalibrationSums = {
  sumSquaredReturns: 0,
  sumSeconds: 0,
  sumSizeCost: 0,
  sumSizeSquared: 0,
  sumHalfSpreadBps: 0,
  bookSamples: 0,
  shortWalks: 0,
};

/** Returns the sums of two windows together. */
export function addCalibration(a: CalibrationSums, b: CalibrationSums): CalibrationSums {
  return {
    sumSquaredReturns: a.sumSquaredReturns + b.sumSquaredReturns,
    sumSeconds: a.sumSeconds + b.sumSeconds,
    sumSizeCost: a.sumSizeCost + b.sumSizeCost,
    sumSizeSquared: a.sumSizeSquared + b.sumSizeSquared,
    sumHalfSpreadBps: a.sumHalfSpreadBps + b.sumHalfSpreadBps,
    bookSamples: a.bookSamples + b.bookSamples,
    shortWalks: a.shortWalks + b.shortWalks,
  };
}

/** An agent-free stretch of a venue to sample. */
export interface CalibrationWindow {
  readonly venue: Venue;
  /** The window's length from the venue's current time. */
  readonly durationNs: number;
  /** Sampling step. */
  readonly stepNs: number;
  /** The side the parent order will trade (a sell walks the bids). */
  readonly side: Side;
  /** Child sizes (lots) to walk the book for. */
  readonly sizes: readonly number[];
  /** Levels a side to look at; defaults to 10. */
  readonly levels?: number;
  /** Fed with the window's prints and mids, so the window doubles as a warm-up. */
  readonly observer?: MarketObserver;
}

/** Runs the venue through an agent-free window and returns its calibration sums. */
export function sampleCalibration(w: CalibrationWindow): CalibrationSums {
  if (!Number.isSafeInteger(w.durationNs) || w.durationNs < 0) throw new Error(`calibration window must be a non-negative integer ns count, received ${w.durationNs}`);
  if (!Number.isSafeInteger(w.stepNs) || w.stepNs <= 0) throw new Error(`calibration step must be a positive integer ns count, received ${w.stepNs}`);
  const levels = w.levels ?? 10;
  let sumR2 = 0;
  let sumS = 0;
  let sumNC = 0;
  let sumNN = 0;
  let sumHalf = 0;
  let books = 0;
  let short = 0;
  let prevMid = venueMid(w.venue, NaN);
  let prevTs = w.venue.now();
  w.observer?.sampleMid(prevTs, prevMid);
  const end = w.venue.now() + w.durationNs;
  while (w.venue.now() < end) {
    const r = w.venue.elapse(Math.min(w.stepNs, end - w.venue.now()));
    if (w.observer) for (const e of r.events) if (e.kind === 'TradePrinted') w.observer.addPrint(e);
    const depth = w.venue.l2(levels);
    const bid = depth.bids[0]?.[0];
    const ask = depth.asks[0]?.[0];
    if (bid === undefined || ask === undefined) continue;
    const mid = (bid + ask) / 2;
    w.observer?.sampleMid(r.now, mid);
    if (prevMid > 0) {
      const lr = Math.log(mid / prevMid);
      sumR2 += lr * lr;
      sumS += (r.now - prevTs) / 1e9;
    }
    prevMid = mid;
    prevTs = r.now;
    books++;
    sumHalf += ((ask - bid) / 2 / mid) * 10_000;
    for (const n of w.sizes) {
      const c = costBeyondTouch(depth, w.side, n, mid);
      if (c === undefined) short++;
      else {
        sumNC += n * c;
        sumNN += n * n;
      }
    }
  }
  return {
    sumSquaredReturns: sumR2,
    sumSeconds: sumS,
    sumSizeCost: sumNC,
    sumSizeSquared: sumNN,
    sumHalfSpreadBps: sumHalf,
    bookSamples: books,
    shortWalks: short,
  };
}

/**
 * Returns the cost in bps of `mid` of taking `size` lots from the visible book beyond the touch
 * price (the average price's distance from the touch), or undefined when the depth is short.
 */
export function costBeyondTouch(depth: L2Snapshot, side: Side, size: number, mid: number): number | undefined {
  const levels = side === 'sell' ? depth.bids : depth.asks;
  const touch = levels[0]?.[0];
  if (touch === undefined) return undefined;
  let left = size;
  let notional = 0;
  for (const [p, s] of levels) {
    const n = Math.min(left, s);
    notional += n * p;
    left -= n;
    if (left === 0) break;
  }
  if (left > 0) return undefined;
  const avg = notional / size;
  return ((side === 'sell' ? touch - avg : avg - touch) / mid) * 10_000;
}

/** The estimated inputs and how much data they rest on. */
export interface ImpactEstimate {
  readonly sigmaBpsPerSqrtS: number;
  readonly etaBpsPerLotPerS: number;
  readonly gammaBpsPerLot: number;
  /** Slope of the cost beyond the touch, bps per lot. */
  readonly depthSlopeBpsPerLot: number;
  readonly halfSpreadBps: number;
  readonly seconds: number;
  readonly bookSamples: number;
  readonly shortWalks: number;
}

/**
 * Returns σ, η and γ from calibration sums; `intervalS` is the decision interval τ. `minEta` bounds
 * η below, so a book whose walks never leave the touch still gives a finite κ (a large one: with no
 * measurable impact the model trades early to shed risk).
 */
export function estimateImpact(sums: CalibrationSums, intervalS: number, gammaBpsPerLot = 0, minEta = 1e-9): ImpactEstimate {
  if (!(intervalS > 0)) throw new Error(`the decision interval must be positive, received ${intervalS} s`);
  if (sums.sumSeconds <= 0 || sums.bookSamples === 0) {
    throw new Error(`calibration needs a two-sided book over some time, received ${sums.bookSamples} book samples over ${sums.sumSeconds} s`);
  }
  const sigma = Math.sqrt(sums.sumSquaredReturns / sums.sumSeconds) * 10_000;
  const slope = sums.sumSizeSquared > 0 ? Math.max(0, sums.sumSizeCost / sums.sumSizeSquared) : 0;
  const eta = Math.max(minEta, slope * intervalS);
  return {
    sigmaBpsPerSqrtS: sigma,
    etaBpsPerLotPerS: eta,
    gammaBpsPerLot: Math.max(0, gammaBpsPerLot),
    depthSlopeBpsPerLot: slope,
    halfSpreadBps: sums.sumHalfSpreadBps / sums.bookSamples,
    seconds: sums.sumSeconds,
    bookSamples: sums.bookSamples,
    shortWalks: sums.shortWalks,
  };
}

/** Returns the child sizes to walk for a parent of `quantity` lots cut into `slices` slices: 1, 2, 4 and 8 slices' worth. */
export function calibrationSizes(quantity: number, slices: number): number[] {
  const slice = Math.max(1, Math.round(quantity / Math.max(1, slices)));
  return [slice, 2 * slice, 4 * slice, 8 * slice];
}
