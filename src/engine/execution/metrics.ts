/**
 * Per-episode execution metrics, in basis points of the arrival mid. Sign convention: positive is a
 * cost to the trader, for buys and sells alike (a buy filled above the arrival mid, a sell below it).
 *
 * Unfilled quantity: lots still open after the final sweep are valued as if traded at the mid at
 * the horizon, plus a penalty of `unfilledPenaltyBps` of the arrival mid per lot, always a cost
 * (25 bps by default). The shortfall is taken over the whole parent quantity, so an episode that
 * leaves lots unfilled cannot look cheaper by trading less.
 */

import type { Side } from '../book/types';
import { costSign } from './types';

/** The penalty, in bps of the arrival mid, charged on each unfilled lot on top of its end-mid valuation. */
export const DEFAULT_UNFILLED_PENALTY_BPS = 25;

/** A fill as the metrics need it. */
export interface MetricFill {
  readonly price: number;
  readonly size: number;
  /** The mid just before the fill (for the spread paid). */
  readonly midBefore: number;
}

/** What an episode's metrics are computed from. */
export interface EpisodeMetricInputs {
  readonly side: Side;
  /** Parent quantity in lots. */
  readonly quantity: number;
  readonly arrivalMid: number;
  /** The mid at the horizon with the agent present (after its final sweep). */
  readonly endMid: number;
  readonly fills: readonly MetricFill[];
  /** The mid at the horizon in the same run without the agent; null where no counterfactual exists. */
  readonly counterfactualEndMid: number | null;
  readonly unfilledPenaltyBps?: number;
}

/** An episode's metrics; see the module comment for the conventions. */
export interface EpisodeMetrics {
  /** Implementation shortfall against the arrival mid, over the whole parent quantity, in bps (positive = cost). */
  readonly shortfallBps: number;
  /** The adverse move of the end mid caused by the agent: with vs without it, in bps (positive = against the trader); null without a counterfactual. */
  readonly impactBps: number | null;
  /** Mean over filled lots of the price paid against the mid just before each fill, in bps (positive = paid, negative = earned); null when nothing filled. */
  readonly spreadPaidBps: number | null;
  /** Filled share of the parent quantity in [0, 1]. */
  readonly fillRate: number;
  readonly filled: number;
  readonly unfilled: number;
  /** Volume-weighted fill price, null when nothing filled. */
  readonly avgPrice: number | null;
  readonly arrivalMid: number;
  readonly endMid: number;
  readonly counterfactualEndMid: number | null;
}

/** Returns the episode's metrics; see the module comment for the conventions. */
export function episodeMetrics(m: EpisodeMetricInputs): EpisodeMetrics {
  if (!Number.isSafeInteger(m.quantity) || m.quantity <= 0) throw new Error(`quantity must be a positive integer of lots, received ${m.quantity}`);
  if (!(m.arrivalMid > 0)) throw new Error(`arrival mid must be positive, received ${m.arrivalMid}`);
  if (!(m.endMid > 0)) throw new Error(`end mid must be positive, received ${m.endMid}`);
  const s = costSign(m.side);
  const penalty = m.unfilledPenaltyBps ?? DEFAULT_UNFILLED_PENALTY_BPS;
  let filled = 0;
  let notional = 0;
  let spreadCost = 0;
  for (const f of m.fills) {
    filled += f.size;
    notional += f.price * f.size;
    if (f.midBefore > 0) spreadCost += ((s * (f.price - f.midBefore)) / f.midBefore) * f.size;
  }
  if (filled > m.quantity) throw new Error(`fills total ${filled} lots, more than the parent quantity ${m.quantity}`);
  const unfilled = m.quantity - filled;
  const m0 = m.arrivalMid;
  const cost = s * (notional - filled * m0) + s * unfilled * (m.endMid - m0) + (unfilled * m0 * penalty) / 10_000;
  const shortfallBps = (cost / (m.quantity * m0)) * 10_000;
  const impactBps = m.counterfactualEndMid === null ? null : ((s * (m.endMid - m.counterfactualEndMid)) / m0) * 10_000;
  return {
    shortfallBps,
    impactBps,
    spreadPaidBps: filled > 0 ? (spreadCost / filled) * 10_000 : null,
    fillRate: filled / m.quantity,
    filled,
    unfilled,
    avgPrice: filled > 0 ? notional / filled : null,
    arrivalMid: m0,
    endMid: m.endMid,
    counterfactualEndMid: m.counterfactualEndMid,
  };
}
