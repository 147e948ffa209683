/**
 * The order book's public types. Prices are integer ticks and sizes integer lots inside the engine;
 * decimals appear only at the edges (files, UI). Order ids are non-negative safe integers chosen by
 * the caller (a venue, a replay of recorded ids, an agent's id source) and unique among live orders.
 */

export type Side = 'buy' | 'sell';
export type OrderId = number;
export type OwnerId = number;
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';

/** What happens when an incoming order would trade with a resting order of the same owner. */
export type SelfTradePrevention = 'none' | 'cancelNewest' | 'cancelOldest' | 'cancelBoth';

export interface LimitOrderRequest {
  readonly kind: 'limit';
  readonly id: OrderId;
  readonly owner: OwnerId;
  readonly side: Side;
  /** Limit price in ticks. */
  readonly price: number;
  /** Size in lots. */
  readonly size: number;
  /** Defaults to GTC. */
  readonly tif?: TimeInForce;
  /** Rejected instead of trading if it would cross on arrival. */
  readonly postOnly?: boolean;
  /** Defaults to 'none'. Owner 0 by convention means "anonymous" and never self-trades. */
  readonly stp?: SelfTradePrevention;
}

export interface MarketOrderRequest {
  readonly kind: 'market';
  readonly id: OrderId;
  readonly owner: OwnerId;
  readonly side: Side;
  readonly size: number;
  readonly stp?: SelfTradePrevention;
}

export type OrderRequest = LimitOrderRequest | MarketOrderRequest;

/** A rejection is data with a stable code and the numbers behind it, never an exception. */
export type RejectReason =
  | { readonly code: 'OFF_TICK_PRICE'; readonly price: number }
  | { readonly code: 'INVALID_SIZE'; readonly size: number }
  | { readonly code: 'INVALID_ORDER_ID'; readonly id: number }
  | { readonly code: 'DUPLICATE_ORDER_ID'; readonly id: OrderId }
  | { readonly code: 'UNKNOWN_ORDER'; readonly id: OrderId }
  | { readonly code: 'POST_ONLY_WOULD_CROSS'; readonly price: number; readonly bestOpposite: number }
  | { readonly code: 'FOK_NOT_FILLABLE'; readonly size: number; readonly available: number }
  | { readonly code: 'MODIFY_SIZE_NOT_POSITIVE'; readonly size: number }
  | { readonly code: 'EXECUTE_EXCEEDS_SIZE'; readonly size: number; readonly available: number }
  /** A field outside its closed set or type (a side, kind, tif, stp or owner from untyped input). */
  | { readonly code: 'INVALID_REQUEST'; readonly field: string; readonly received: string };

export interface Fill {
  readonly makerId: OrderId;
  readonly makerOwner: OwnerId;
  /** -1 when the fill comes from `execute` (a recorded execution with no known aggressor). */
  readonly takerId: OrderId;
  readonly takerOwner: OwnerId;
  /** The aggressor's side. */
  readonly takerSide: Side;
  /** Always the maker's price. */
  readonly price: number;
  readonly size: number;
  /** What is left of the maker order after this fill (0 = gone). */
  readonly makerRemaining: number;
}

/** A level's new total after the call; size 0 means the level is gone. */
export interface LevelChange {
  readonly side: Side;
  readonly price: number;
  readonly size: number;
}

/**
 * What every book call returns. For speed the book may hand back the same result object (and its
 * arrays) on every call: it is valid until the next call on that book; copy what you keep.
 */
export interface BookResult {
  readonly accepted: boolean;
  readonly reject: RejectReason | undefined;
  readonly fills: readonly Fill[];
  /** Size of the incoming or modified order left resting on the book after the call (0 = none). */
  readonly resting: number;
  /** Size removed without trading by this call: cancels, IOC/market remainders, STP. */
  readonly cancelled: number;
  /** Ids of resting orders cancelled by self-trade prevention. */
  readonly stpCancelled: readonly OrderId[];
  /** Level totals changed by the call, in the order they changed (a level may appear twice). */
  readonly l2: readonly LevelChange[];
}

export interface RestingOrder {
  readonly id: OrderId;
  readonly owner: OwnerId;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  /** Present only when not 'none': the mode the order keeps when a modify makes it trade. */
  readonly stp?: SelfTradePrevention;
  /** Present only when true: a modify that would make the order cross is rejected. */
  readonly postOnly?: boolean;
}

/** Sizing hints and result handling for `createOrderBook` and `restoreOrderBook`. */
export interface OrderBookOptions {
  /** Order slots to allocate up front (the book grows by doubling). Defaults to 1024. */
  readonly initialOrders?: number;
  /** Price levels to allocate up front, both sides together. Defaults to 256. */
  readonly initialLevels?: number;
  /**
   * When true, every call returns a new result with new arrays and fills that the caller may keep.
   * Defaults to false: one result object is reused (see `BookResult`).
   */
  readonly freshResults?: boolean;
}

export interface QueuePosition {
  /** Orders ahead of this one at its level. */
  readonly ordersAhead: number;
  /** Lots ahead of this one at its level. */
  readonly sizeAhead: number;
  /** The level's total size. */
  readonly levelSize: number;
}

/** Aggregated depth, best first. Each entry is [price ticks, size lots]. */
export interface L2Snapshot {
  readonly bids: ReadonlyArray<readonly [number, number]>;
  readonly asks: ReadonlyArray<readonly [number, number]>;
}

/** Full depth, order by order, queue order within each level, best level first; plain JSON. */
export interface L3Snapshot {
  readonly bids: ReadonlyArray<{ readonly price: number; readonly orders: ReadonlyArray<RestingOrder> }>;
  readonly asks: ReadonlyArray<{ readonly price: number; readonly orders: ReadonlyArray<RestingOrder> }>;
}

export interface OrderBook {
  /** Submits a limit or market order; matches it at the makers' prices, price-time priority. */
  submit(order: OrderRequest): BookResult;
  /** Cancels a resting order. */
  cancel(id: OrderId): BookResult;
  /**
   * Changes a resting order. A size reduction at the same price keeps the queue position; a price
   * change or a size increase loses it (the order goes to the back, and may match if it crosses).
   */
  modify(id: OrderId, change: { readonly price?: number; readonly size?: number }): BookResult;
  /** Reduces a resting order by `by` lots, keeping its queue position (removes it at zero). */
  reduce(id: OrderId, by: number): BookResult;
  /** Executes `size` lots of a resting order against an unknown aggressor (recorded executions). */
  execute(id: OrderId, size: number): BookResult;

  /** Returns the best bid in ticks, or undefined when there is none. */
  bestBid(): number | undefined;
  /** Returns the best ask in ticks, or undefined when there is none. */
  bestAsk(): number | undefined;
  /** Returns the total size resting at a price on a side (0 when empty). */
  depthAt(side: Side, price: number): number;
  /** Returns up to `levels` aggregated levels a side, best first. */
  l2(levels: number): L2Snapshot;
  /** Returns every resting order, level by level in queue order. */
  l3(): L3Snapshot;
  /** Returns the resting order with this id, if any. */
  order(id: OrderId): RestingOrder | undefined;
  /** Returns the queue position of a resting order, if it rests. */
  queuePosition(id: OrderId): QueuePosition | undefined;
  /** Returns the ids resting at a price on a side, front of the queue first. */
  levelOrders(side: Side, price: number): OrderId[];
  /** Number of live resting orders. */
  readonly orderCount: number;
}
