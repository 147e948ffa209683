/**
 * Execution: parent orders, the strategies that work them through a `Venue`, and what they record.
 *
 * Every strategy (the baselines and, later, a learned policy) implements one interface: at each
 * decision time it receives a `MarketView` and returns a `StrategyStep` (cancels, child orders, and
 * the readable reason). An `ExecutionSession` carries the step out on the venue and turns it into a
 * `Decision` record, so a strategy never touches the venue itself and runs unchanged on the
 * simulator and on a historical venue. Prices are in the venue's integer price units, sizes in lots,
 * times in integer ns on the venue's clock.
 */

import type { RiskDenial } from '../risk/gate';
import type { L2Snapshot, Side } from '../book/types';
import type { AgentFill, AgentOrder, AgentOrderId, VenueRejectReason } from '../venue/types';
import type { SignalReading } from '../signals/market-signal';

/** A block to buy or sell within a horizon from the moment it starts. */
export interface ParentOrder {
  readonly side: Side;
  /** Lots, a positive integer. */
  readonly quantity: number;
  /** How long the order may take, in ns from its start. */
  readonly horizonNs: number;
  /** Sells never trade below it, buys never above it (venue price units). */
  readonly limitPrice?: number;
}

/** What a strategy sees at a decision time. */
export interface MarketView {
  readonly ts: number;
  readonly parent: ParentOrder;
  /** When the parent order started and when its horizon ends (ns). */
  readonly startNs: number;
  readonly endNs: number;
  /** Ns left until the horizon, never negative. */
  readonly timeLeftNs: number;
  /** Elapsed share of the horizon in [0, 1]. */
  readonly elapsed: number;
  /** The ns until the next decision (the session's decision interval, clipped to the horizon). */
  readonly nextDecisionInNs: number;
  readonly filled: number;
  readonly quantityLeft: number;
  /** Lots resting in the agent's working orders. */
  readonly working: number;
  readonly arrivalMid: number;
  readonly bestBid: number | undefined;
  readonly bestAsk: number | undefined;
  /** Mid in price units (the last known one when a side is empty). */
  readonly mid: number;
  /** Spread in price units (0 when a side is empty). */
  readonly spread: number;
  /** Price units per tick on this venue. */
  readonly tickSize: number;
  /** Visible depth, best first, without the agent's orders. */
  readonly depth: L2Snapshot;
  readonly bidSizeAtTouch: number;
  readonly askSizeAtTouch: number;
  /** (bid size − ask size) / (bid size + ask size) at the touch, in [−1, 1]. */
  readonly imbalance: number;
  /** Market volume (lots, the agent's fills excluded) printed in the recent-volume window. */
  readonly recentVolume: number;
  /** Order flow in the same window: lots bought by aggressive buyers minus lots sold by aggressive sellers (agent's fills excluded). */
  readonly recentSignedVolume: number;
  /** The recent-volume window in ns. */
  readonly recentVolumeWindowNs: number;
  /** Market volume (lots, the agent's fills excluded) printed since the parent order started. */
  readonly marketVolumeSinceStart: number;
  /** Volatility of the mid in bps per √s (an EWMA of squared log returns; 0 before any sample). */
  readonly volatilityBpsPerSqrtS: number;
  readonly openOrders: readonly AgentOrder[];
  /** Every fill of the parent order so far, oldest first. */
  readonly fills: readonly ExecutionFill[];
  /** The last order of this parent that did not go out, and why (the risk gate's denial or the venue's reject). */
  readonly lastRefusal: SessionRefusal | null;
  /**
   * The pace the trader set, 1 unless overridden: a schedule strategy is done by time t with
   * f(t)^(1/urgency) of the order instead of f(t) (above 1 it front-loads, below 1 it holds back);
   * POV takes `urgency` times its rate. See `pacedFraction`.
   */
  readonly urgency: number;
  /** The market's signal after the last event (direction probabilities and regime), when the session computes one (`MarketSignal`). */
  readonly signal?: SignalReading;
}

/** A share as a trader reads it, to a tenth of a percent: 0.125 → `12.5%`. */
export function formatShare(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

/** A schedule's done-fraction at the trader's urgency: f^(1/u), so 1 is the schedule itself and the ends stay 0 and 1. */
export function pacedFraction(fraction: number, urgency: number): number {
  if (urgency === 1 || fraction <= 0 || fraction >= 1) return fraction;
  return Math.pow(fraction, 1 / urgency);
}

/** One fill of a child order, with the market's mid just before it. */
export interface ExecutionFill extends AgentFill {
  /**
   * The mid just before the fill (price units): at submission for fills on arrival; for fills
   * during an interval, the touch followed from the venue's `LevelChanged` events (the mid of the
   * last observation on venues that report none).
   */
  readonly midBefore: number;
}

/** How a child order is priced. */
export type ChildStyle = 'passive' | 'deeper' | 'cross' | 'sweep';

/** A child order a strategy asks for; the session gives it an id. */
export interface ChildOrder {
  readonly style: ChildStyle;
  /** Lots. */
  readonly size: number;
  /** Limit price (venue units); undefined for a market order (sweeps without a limit price only). */
  readonly price: number | undefined;
  /** Passive and deeper orders rest (GTC); crossing orders are IOC. */
  readonly tif: 'GTC' | 'IOC';
}

/** What a decision did, as the cockpit lists it. */
export type DecisionActionKind = 'wait' | 'hold' | 'cancel' | 'post' | 'post-deeper' | 'cross' | 'sweep' | 'flatten';

/** The main child order of a decision. */
export interface DecisionAction {
  readonly kind: DecisionActionKind;
  /** Lots sent (0 for wait, hold and cancel). */
  readonly size: number;
  /** Limit price of the main child order, null when none (or a market order). */
  readonly price: number | null;
}

/** One decision of one agent: what it saw, what it did and why, in a line a trader can read. */
export interface Decision {
  readonly ts: number;
  readonly agentId: string;
  readonly inputs: Readonly<Record<string, number>>;
  readonly action: DecisionAction;
  readonly reason: string;
}

/** A strategy's answer at one decision time. */
export interface StrategyStep {
  /** Working orders to cancel before the new ones are sent. */
  readonly cancels: readonly AgentOrderId[];
  readonly orders: readonly ChildOrder[];
  readonly action: DecisionAction;
  readonly reason: string;
  readonly inputs: Readonly<Record<string, number>>;
}

/**
 * A way of working a parent order. Baselines follow a schedule; a learned policy maps the view to
 * an action. Implementations may keep state between calls and are used for one episode.
 */
export interface ExecutionStrategy {
  /** Short name shown in reports ("twap", "ac", "dqn-v3"). */
  readonly name: string;
  /** Returns what to do now. Called once per decision time, in time order, before the horizon. */
  decide(view: MarketView): StrategyStep;
}

/** Returns +1 for a buy and −1 for a sell: the sign that makes a price rise a cost. */
export function costSign(side: Side): 1 | -1 {
  return side === 'buy' ? 1 : -1;
}

/** Returns the working lots of a list of orders. */
export function workingLots(orders: readonly AgentOrder[]): number {
  let n = 0;
  for (const o of orders) n += o.remaining;
  return n;
}

/** Why an order of a parent did not go out: the risk gate's denial or the venue's reject, with its time. */
export type SessionRefusal =
  | { readonly by: 'risk'; readonly ts: number; readonly denial: RiskDenial }
  | { readonly by: 'venue'; readonly ts: number; readonly reject: VenueRejectReason };
