/**
 * The venue an execution agent trades on: the market simulator and the historical (replay) venues
 * implement it alike, so an agent runs unchanged on either. Prices are integer ticks, sizes integer
 * lots, times integer nanoseconds on the venue's clock (for LOBSTER data: after midnight).
 *
 * Time moves only through `elapse(ns)`: the venue carries out every market event up to the new
 * time and returns what happened (the agent's fills, trades, book changes) in order. Between two
 * `elapse` calls the market stands still and the agent's `submit` and `cancel` act at `now()`, with
 * their immediate fills in the returned result. Orders and cancels take effect at once (no
 * latency); a latency model wraps a venue rather than living in it.
 */

import type { L2Snapshot, Side } from '../book/types';

/** The agent's order ids: positive safe integers chosen by the agent, unique among its orders on a venue. */
export type AgentOrderId = number;

export interface VenueLimitOrder {
  readonly kind: 'limit';
  readonly id: AgentOrderId;
  readonly side: Side;
  /** Limit price in ticks. */
  readonly price: number;
  /** Size in lots. */
  readonly size: number;
  /** GTC (the default) rests what does not fill at once; IOC cancels it. */
  readonly tif?: 'GTC' | 'IOC';
  /** Rejected instead of trading if it would cross on arrival. */
  readonly postOnly?: boolean;
}

export interface VenueMarketOrder {
  readonly kind: 'market';
  readonly id: AgentOrderId;
  readonly side: Side;
  readonly size: number;
}

export type VenueOrder = VenueLimitOrder | VenueMarketOrder;

/** Why the venue refused an order or a cancel: a stable code and the numbers behind it. */
export type VenueRejectReason =
  | { readonly code: 'INVALID_ORDER_ID'; readonly id: number }
  | { readonly code: 'DUPLICATE_ORDER_ID'; readonly id: AgentOrderId }
  | { readonly code: 'INVALID_SIZE'; readonly size: number }
  | { readonly code: 'INVALID_PRICE'; readonly price: number }
  | { readonly code: 'POST_ONLY_WOULD_CROSS'; readonly price: number; readonly bestOpposite: number }
  | { readonly code: 'WOULD_SELF_TRADE'; readonly price: number; readonly restingId: AgentOrderId }
  | { readonly code: 'UNKNOWN_ORDER'; readonly id: AgentOrderId }
  | { readonly code: 'TRADING_HALTED' };

/** One fill of one of the agent's orders. */
export interface AgentFill {
  readonly orderId: AgentOrderId;
  readonly side: Side;
  /** Ticks. */
  readonly price: number;
  /** Lots. */
  readonly size: number;
  /** 'maker' when a resting order was hit, 'taker' when the order took liquidity on arrival. */
  readonly liquidity: 'maker' | 'taker';
  /** What is left of the order after this fill (0 = done). */
  readonly remaining: number;
  readonly ts: number;
}

/** The venue's answer to `submit`: accepted with its immediate fills, or rejected with a reason. */
export type SubmitResult =
  | {
      readonly accepted: true;
      readonly id: AgentOrderId;
      /** Fills on arrival. */
      readonly fills: readonly AgentFill[];
      /** Size left resting on the venue. */
      readonly resting: number;
      /** Size cancelled on arrival (IOC or market remainders). */
      readonly cancelled: number;
    }
  | { readonly accepted: false; readonly id: AgentOrderId; readonly reject: VenueRejectReason };

export type CancelResult =
  | { readonly accepted: true; readonly id: AgentOrderId; readonly cancelled: number }
  | { readonly accepted: false; readonly id: AgentOrderId; readonly reject: VenueRejectReason };

/** One of the agent's working orders. */
export interface AgentOrder {
  readonly id: AgentOrderId;
  readonly side: Side;
  readonly price: number;
  /** Size as submitted. */
  readonly size: number;
  readonly filled: number;
  readonly remaining: number;
  /** When the venue accepted it. */
  readonly acceptedAt: number;
  /** The venue's estimate of the market size queued ahead of it at its price, in lots (null: unknown). */
  readonly sizeAhead: number | null;
}

/** What happened in the market, in order; kinds are past-tense nouns. */
export type VenueEvent =
  | ({ readonly kind: 'OrderFilled' } & AgentFill)
  | {
      readonly kind: 'TradePrinted';
      readonly ts: number;
      readonly price: number;
      readonly size: number;
      /** The side that took liquidity. */
      readonly aggressor: Side;
      /** True for a trade against hidden liquidity (the visible book is unchanged). */
      readonly hidden: boolean;
    }
  | {
      readonly kind: 'LevelChanged';
      readonly ts: number;
      readonly side: Side;
      readonly price: number;
      /** The level's new market total in lots; 0 means the level is gone. */
      readonly size: number;
    }
  | { readonly kind: 'TradingStatusChanged'; readonly ts: number; readonly status: 'halted' | 'quoting' | 'trading' };

export interface ElapseResult {
  /** The venue's time after the call. */
  readonly now: number;
  /** Everything that happened during the interval, in order. The array is the caller's to keep. */
  readonly events: readonly VenueEvent[];
  /** True when a historical venue has no market data left (the market stands still from then on). */
  readonly exhausted: boolean;
}

/** A market an agent trades on: the simulator or a historical replay (see the module comment). */
export interface Venue {
  /** Returns the venue's current time in ns. */
  now(): number;
  /**
   * Advances the venue by `ns` (a non-negative integer), carrying out every market event up to and
   * including the new time, and returns what happened.
   */
  elapse(ns: number): ElapseResult;
  /** Submits one of the agent's orders at `now()`. */
  submit(order: VenueOrder): SubmitResult;
  /** Cancels one of the agent's working orders at `now()`. */
  cancel(id: AgentOrderId): CancelResult;
  /** Returns the best bid in ticks the agent could sell into, excluding its own orders. */
  bestBid(): number | undefined;
  /** Returns the best ask in ticks the agent could buy from, excluding its own orders. */
  bestAsk(): number | undefined;
  /** Returns up to `levels` levels a side of the market's visible depth, best first, excluding the agent's own orders. */
  l2(levels: number): L2Snapshot;
  /** Returns the agent's working orders, oldest first. */
  openOrders(): readonly AgentOrder[];
  /** Returns one of the agent's working orders, if it is still working. */
  order(id: AgentOrderId): AgentOrder | undefined;
}
