/**
 * The seeded order stream the book benchmark replays: about 60% limit orders near the touch (some
 * improving it, a few crossing), 30% cancels of orders that are live at that point, 10% market
 * orders. Stored as parallel typed arrays so that replaying it costs next to nothing.
 *
 * Knowing which orders are live needs matching, so the generator runs the stream through this
 * engine's own book as it goes; any book that matches by price-time priority sees the same live
 * orders, which the benchmark checks by comparing final depth across implementations.
 */
import { Rng } from '../core/rng';
import { createOrderBook } from './order-book';
import type { LimitOrderRequest, MarketOrderRequest } from './types';

/** Operation codes of `BookStream.op`. */
export const OP_LIMIT = 0;
export const OP_CANCEL = 1;
export const OP_MARKET = 2;

/** Side codes of `BookStream.side`. */
export const SIDE_BUY = 0;
export const SIDE_SELL = 1;

/** A compact order stream; entry i of each array describes operation i. */
export interface BookStream {
  readonly count: number;
  /** OP_LIMIT, OP_CANCEL or OP_MARKET. */
  readonly op: Uint8Array;
  /** SIDE_BUY or SIDE_SELL (0 for cancels). */
  readonly side: Uint8Array;
  /** The new order's id, or the id a cancel targets. */
  readonly id: Int32Array;
  /** Limit price in ticks (0 for cancels and markets). */
  readonly price: Int32Array;
  /** Size in lots (0 for cancels). */
  readonly size: Int32Array;
}

/** The tick around which the generated book starts. */
export const STREAM_START_PRICE = 100_000;

type MutableLimit = { -readonly [K in keyof LimitOrderRequest]: LimitOrderRequest[K] };
type MutableMarket = { -readonly [K in keyof MarketOrderRequest]: MarketOrderRequest[K] };

/** Returns the stream fixed by `seed`, `count` operations long. */
export function generateBookStream(seed: number, count: number): BookStream {
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`stream length must be a non-negative integer, received ${count}`);
  const rng = new Rng(seed);
  const op = new Uint8Array(count);
  const side = new Uint8Array(count);
  const id = new Int32Array(count);
  const price = new Int32Array(count);
  const size = new Int32Array(count);

  const book = createOrderBook({ initialOrders: 1 << 16 });
  // Live order ids, with each id's index in `live` so that removal is a swap with the last.
  const live = new Int32Array(count + 1);
  const livePos = new Int32Array(count + 1).fill(-1);
  let liveCount = 0;
  const addLive = (orderId: number): void => {
    livePos[orderId] = liveCount;
    live[liveCount++] = orderId;
  };
  const removeLive = (orderId: number): void => {
    const at = livePos[orderId]!;
    if (at < 0) return;
    const last = live[--liveCount]!;
    live[at] = last;
    livePos[last] = at;
    livePos[orderId] = -1;
  };

  const limit: MutableLimit = { kind: 'limit', id: 0, owner: 0, side: 'buy', price: 0, size: 0 };
  const market: MutableMarket = { kind: 'market', id: 0, owner: 0, side: 'buy', size: 0 };
  let nextId = 1;

  for (let i = 0; i < count; i++) {
    const u = rng.next();
    let kind = u < 0.6 ? OP_LIMIT : u < 0.9 ? OP_CANCEL : OP_MARKET;
    if (kind === OP_CANCEL && liveCount === 0) kind = OP_LIMIT;
    op[i] = kind;
    if (kind === OP_CANCEL) {
      const target = live[rng.int(liveCount)]!;
      id[i] = target;
      book.cancel(target);
      removeLive(target);
      continue;
    }
    const s = rng.int(2);
    side[i] = s;
    const orderId = nextId++;
    id[i] = orderId;
    let result;
    if (kind === OP_LIMIT) {
      const p = limitPrice(rng, s, book.bestBid(), book.bestAsk());
      const q = 1 + rng.int(100);
      price[i] = p;
      size[i] = q;
      limit.id = orderId;
      limit.side = s === SIDE_BUY ? 'buy' : 'sell';
      limit.price = p;
      limit.size = q;
      result = book.submit(limit);
      if (result.resting > 0) addLive(orderId);
    } else {
      const q = 1 + rng.int(150);
      size[i] = q;
      market.id = orderId;
      market.side = s === SIDE_BUY ? 'buy' : 'sell';
      market.size = q;
      result = book.submit(market);
    }
    for (const f of result.fills) if (f.makerRemaining === 0) removeLive(f.makerId);
  }
  return { count, op, side, id, price, size };
}

/**
 * A price near the touch: mostly at or a few ticks behind the own side's best (geometric distance),
 * sometimes one tick better, which crosses when the spread is one tick.
 */
function limitPrice(rng: Rng, side: number, bid: number | undefined, ask: number | undefined): number {
  const better = rng.chance(0.15);
  const behind = Math.min(60, Math.floor(rng.exponential(0.3)));
  if (side === SIDE_BUY) {
    const ref = bid ?? (ask !== undefined ? ask - 1 : STREAM_START_PRICE);
    return Math.max(1, better ? ref + 1 : ref - behind);
  }
  const ref = ask ?? (bid !== undefined ? bid + 1 : STREAM_START_PRICE + 1);
  return Math.max(1, better ? ref - 1 : ref + behind);
}
