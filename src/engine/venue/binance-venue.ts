/**
 * A historical venue on a Binance capture (spot or USD-M, hftbacktest's format): the book is
 * rebuilt from the REST snapshot and the depth diffs under Binance's sequencing rule
 * (`BinanceBookRebuild`), the tape is the trade stream, and an agent's orders trade against them.
 *
 * Binance publishes price levels, not orders, so the agent's place in a queue is estimated. The
 * queue model (Rigtorp's "estimating order queue position", the proportional case of hftbacktest's
 * `ProbQueueModel`, f(x) = x):
 * - A resting agent order joins the back of its level: the size ahead is what the level shows when
 *   it arrives (less what the agent itself took there). Later increases of the level queue behind it.
 * - A trade at the agent's price, on its side (the maker's: `m = true` means the bids), takes from
 *   the front: it shrinks the size ahead, and what it has beyond the size ahead fills the agent
 *   (the aggressor would have reached the agent before the orders behind it). A trade on its side
 *   at a worse price went through the agent's price: its level was gone (the diffs, 100 ms apart on
 *   spot, may not show it yet), so nothing is left ahead and the trade fills it. Several agent
 *   orders share a trade in price-time order.
 * - A decrease of the level in a diff is first the trades at that price since the last diff that
 *   touched it (already taken off the front); the rest is cancels, assumed spread evenly over the
 *   queue, so the size ahead shrinks by that part times ahead / (level size before the cancels).
 *   A cancel is as likely anywhere in the queue: optimistic against "cancels come from the back",
 *   pessimistic against "cancels come from the front". The size ahead never exceeds the level.
 * - A diff that adds size on the other side at a price that crosses a resting agent order trades
 *   with it (the agent is the maker) up to the added size.
 * - A marketable agent order takes the visible levels, best first, up to its limit. What the agent
 *   takes from a level stays taken until the level shrinks below it (real flow acts first on the
 *   part the agent left), and new size at the level is available again (as on LOBSTER).
 * - The real flow is never changed by the agent; no latency; fills are in lots (the instrument's
 *   `lotUnits` size units); a fractional share of a lot from the pro-rata estimate never fills.
 * - `l2`, `bestBid` and `bestAsk` show the rebuilt book less what the agent took, in lots.
 */

import type { L2Snapshot, OrderBook, Side } from '../book/types';
import { BinanceBookRebuild } from '../data/binance';
import type { BinanceInstrument, BinanceRecord } from '../data/binance';
import type { AgentFill, AgentOrder, AgentOrderId, CancelResult, ElapseResult, SubmitResult, Venue, VenueEvent, VenueOrder, VenueRejectReason } from './types';

/** A capture held in memory: its records in file order and each one's time on the venue's clock. */
export interface BinanceCapture {
  readonly instrument: BinanceInstrument;
  readonly records: readonly BinanceRecord[];
  /** Ns on the venue's clock (after the UTC midnight of the first record's day) of record i. */
  timeAt(i: number): number;
}

export interface BinanceVenueOptions {
  /** An empty book for the real flow. */
  readonly book: OrderBook;
  /** Where the clock starts: every record up to it has happened. The book must be in sync by then. */
  readonly startNs: number;
}

interface ShadowOrder {
  readonly id: AgentOrderId;
  readonly side: Side;
  readonly price: number;
  /** Lots. */
  readonly size: number;
  filled: number;
  readonly acceptedAt: number;
  /** Size units ahead (fractional under the pro-rata estimate). */
  ahead: number;
}

/** Replays a Binance capture and lets one agent trade against it; see the module comment for the queue model. */
export class BinanceVenue implements Venue {
  private readonly capture: BinanceCapture;
  private readonly book: OrderBook;
  private readonly rebuild: BinanceBookRebuild;
  private readonly lot: number;
  private next = 0;
  private time: number;
  private events: VenueEvent[] = [];
  private readonly orders = new Map<AgentOrderId, ShadowOrder>();
  /** Size units traded at each level since a diff last touched it. */
  private readonly tradedSinceDiff = new Map<number, number>();
  /** Size units the agent took from each level. */
  private readonly taken = new Map<number, number>();

  constructor(capture: BinanceCapture, options: BinanceVenueOptions) {
    if (capture.records.length === 0) throw new Error('the Binance venue needs at least one record, received none');
    if (!Number.isSafeInteger(options.startNs)) throw new Error(`startNs must be an integer ns count, received ${options.startNs}`);
    this.capture = capture;
    this.book = options.book;
    this.rebuild = new BinanceBookRebuild(options.book, capture.instrument);
    this.lot = capture.instrument.lotUnits;
    this.time = options.startNs;
    this.runUntil(options.startNs);
    this.events = [];
    if (!this.rebuild.inSync) throw new Error(`the ${capture.instrument.symbol} book is not rebuilt by the start (no snapshot bridged by a diff yet, or a gap): start later`);
  }

  now(): number {
    return this.time;
  }

  elapse(ns: number): ElapseResult {
    if (!Number.isSafeInteger(ns) || ns < 0) throw new Error(`elapse takes a non-negative integer ns count, received ${ns}`);
    this.events = [];
    this.runUntil(this.time + ns);
    this.time += ns;
    const events = this.events;
    this.events = [];
    return { now: this.time, events, exhausted: this.next >= this.capture.records.length };
  }

  submit(order: VenueOrder): SubmitResult {
    const id = order.id;
    const reject = this.validate(order);
    if (reject) return { accepted: false, id, reject };
    const opposite = order.side === 'buy' ? this.bestAsk() : this.bestBid();
    if (order.kind === 'limit' && order.postOnly && opposite !== undefined && crosses(order.side, order.price, opposite)) {
      return { accepted: false, id, reject: { code: 'POST_ONLY_WOULD_CROSS', price: order.price, bestOpposite: opposite } };
    }
    const limit = order.kind === 'limit' ? order.price : order.side === 'buy' ? Infinity : -Infinity;
    const o: ShadowOrder = { id, side: order.side, price: order.kind === 'limit' ? order.price : 0, size: order.size, filled: 0, acceptedAt: this.time, ahead: 0 };
    const fills = this.take(o, limit);
    const left = o.size - o.filled;
    if (left === 0 || order.kind === 'market' || order.tif === 'IOC') return { accepted: true, id, fills, resting: 0, cancelled: left };
    o.ahead = this.available(o.side, o.price);
    this.orders.set(id, o);
    return { accepted: true, id, fills, resting: left, cancelled: 0 };
  }

  cancel(id: AgentOrderId): CancelResult {
    const o = this.orders.get(id);
    if (!o) return { accepted: false, id, reject: { code: 'UNKNOWN_ORDER', id } };
    this.orders.delete(id);
    return { accepted: true, id, cancelled: o.size - o.filled };
  }

  bestBid(): number | undefined {
    return this.l2(1).bids[0]?.[0];
  }

  bestAsk(): number | undefined {
    return this.l2(1).asks[0]?.[0];
  }

  l2(levels: number): L2Snapshot {
    const raw = this.book.l2(levels + this.taken.size);
    const side = (entries: L2Snapshot['bids'], s: Side): Array<readonly [number, number]> => {
      const out: Array<readonly [number, number]> = [];
      for (const [price, units] of entries) {
        const lots = Math.floor((units - this.takenAt(s, price)) / this.lot);
        if (lots > 0) out.push([price, lots]);
        if (out.length === levels) break;
      }
      return out;
    };
    return { bids: side(raw.bids, 'buy'), asks: side(raw.asks, 'sell') };
  }

  openOrders(): readonly AgentOrder[] {
    return [...this.orders.values()].map((o) => this.view(o));
  }

  order(id: AgentOrderId): AgentOrder | undefined {
    const o = this.orders.get(id);
    return o ? this.view(o) : undefined;
  }

  private view(o: ShadowOrder): AgentOrder {
    return { id: o.id, side: o.side, price: o.price, size: o.size, filled: o.filled, remaining: o.size - o.filled, acceptedAt: o.acceptedAt, sizeAhead: Math.ceil(o.ahead / this.lot) };
  }

  private validate(order: VenueOrder): VenueRejectReason | undefined {
    if (!Number.isSafeInteger(order.id) || order.id <= 0) return { code: 'INVALID_ORDER_ID', id: order.id };
    if (this.orders.has(order.id)) return { code: 'DUPLICATE_ORDER_ID', id: order.id };
    if (!Number.isSafeInteger(order.size) || order.size <= 0) return { code: 'INVALID_SIZE', size: order.size };
    if (order.kind === 'limit' && (!Number.isSafeInteger(order.price) || order.price <= 0)) return { code: 'INVALID_PRICE', price: order.price };
    for (const o of this.orders.values()) {
      if (o.side === order.side) continue;
      if (order.kind === 'market' || crosses(order.side, order.price, o.price)) return { code: 'WOULD_SELF_TRADE', price: o.price, restingId: o.id };
    }
    return undefined;
  }

  /** Takes visible liquidity for an arriving order up to its limit; returns its fills. */
  private take(o: ShadowOrder, limit: number): AgentFill[] {
    const fills: AgentFill[] = [];
    const bookSide: Side = o.side === 'buy' ? 'sell' : 'buy';
    const l2 = this.book.l2(Number.MAX_SAFE_INTEGER);
    for (const [price] of o.side === 'buy' ? l2.asks : l2.bids) {
      if (o.filled === o.size || !crosses(o.side, limit, price)) break;
      const lots = Math.min(o.size - o.filled, Math.floor(this.available(bookSide, price) / this.lot));
      if (lots <= 0) continue;
      const key = levelKey(bookSide, price);
      this.taken.set(key, (this.taken.get(key) ?? 0) + lots * this.lot);
      o.filled += lots;
      fills.push({ orderId: o.id, side: o.side, price, size: lots, liquidity: 'taker', remaining: o.size - o.filled, ts: this.time });
    }
    return fills;
  }

  private runUntil(target: number): void {
    const { records } = this.capture;
    while (this.next < records.length && this.capture.timeAt(this.next) <= target) {
      this.replay(records[this.next] as BinanceRecord, this.capture.timeAt(this.next));
      this.next++;
    }
  }

  private replay(r: BinanceRecord, ts: number): void {
    if (r.kind === 'trade') {
      this.rebuild.onRecord(r);
      const makerSide: Side = r.buyerIsMaker ? 'buy' : 'sell';
      this.events.push({ kind: 'TradePrinted', ts, price: r.price, size: Math.floor(r.size / this.lot), aggressor: other(makerSide), hidden: false });
      this.onTrade(makerSide, r.price, r.size, ts);
      return;
    }
    if (r.kind !== 'depth' && r.kind !== 'snapshot') {
      this.rebuild.onRecord(r);
      return;
    }
    // Level sizes before and after, for the levels the record names (a snapshot resets the book).
    const touched: Array<readonly [Side, number, number]> = [];
    if (r.kind === 'depth') {
      for (const [price] of r.bids) touched.push(['buy', price, this.book.depthAt('buy', price)]);
      for (const [price] of r.asks) touched.push(['sell', price, this.book.depthAt('sell', price)]);
    }
    this.rebuild.onRecord(r);
    if (r.kind === 'snapshot') {
      this.tradedSinceDiff.clear();
      for (const o of this.orders.values()) this.capAhead(o);
      return;
    }
    for (const [side, price, before] of touched) {
      const after = this.book.depthAt(side, price);
      if (after === before) continue;
      this.events.push({ kind: 'LevelChanged', ts, side, price, size: Math.floor(after / this.lot) });
      const key = levelKey(side, price);
      const traded = this.tradedSinceDiff.get(key) ?? 0;
      this.tradedSinceDiff.delete(key);
      if (after < before) this.onDecrease(side, price, before, after, traded);
      else this.onIncrease(side, price, after - before, ts);
      const taken = this.taken.get(key);
      if (taken !== undefined && taken > after) {
        if (after === 0) this.taken.delete(key);
        else this.taken.set(key, after);
      }
    }
  }

  /** A trade of `units` at (makerSide, price): agent orders at that price or better on that side, best first, are offered what it had beyond the size ahead. */
  private onTrade(makerSide: Side, price: number, units: number, ts: number): void {
    const key = levelKey(makerSide, price);
    this.tradedSinceDiff.set(key, (this.tradedSinceDiff.get(key) ?? 0) + units);
    if (this.orders.size === 0) return;
    const candidates = this.byPriority(makerSide, (o) => o.price === price || better(makerSide, o.price, price));
    let consumed = 0;
    for (const o of candidates) {
      // A print beyond the agent's price means its level was gone: nothing is ahead of it any more.
      if (o.price !== price) o.ahead = 0;
      const room = Math.floor((units - o.ahead - consumed) / this.lot);
      if (room > 0) {
        const n = Math.min(room, o.size - o.filled);
        consumed += n * this.lot;
        this.fill(o, n, ts);
      }
      if (o.price === price) o.ahead = Math.max(0, o.ahead - units);
    }
  }

  /** A level decrease beyond the trades since the last diff is cancels, spread evenly over the queue (see the module comment). */
  private onDecrease(side: Side, price: number, before: number, after: number, traded: number): void {
    const cancels = Math.max(0, before - after - traded);
    const queue = Math.max(0, before - traded);
    for (const o of this.orders.values()) {
      if (o.side !== side || o.price !== price) continue;
      if (cancels > 0 && queue > 0) o.ahead = Math.max(0, o.ahead - (cancels * Math.min(o.ahead, queue)) / queue);
      this.capAhead(o);
    }
  }

  /** New size on the other side at a price crossing resting agent orders trades with them (the agent is the maker). */
  private onIncrease(side: Side, price: number, units: number, ts: number): void {
    if (this.orders.size === 0) return;
    const agentSide = other(side);
    let left = Math.floor(units / this.lot);
    for (const o of this.byPriority(agentSide, (x) => crosses(agentSide, x.price, price))) {
      if (left === 0) break;
      const n = Math.min(left, o.size - o.filled);
      left -= n;
      const key = levelKey(side, price);
      this.taken.set(key, (this.taken.get(key) ?? 0) + n * this.lot);
      this.fill(o, n, ts);
    }
  }

  private byPriority(side: Side, keep: (o: ShadowOrder) => boolean): ShadowOrder[] {
    const out: ShadowOrder[] = [];
    for (const o of this.orders.values()) if (o.side === side && keep(o)) out.push(o);
    return out.sort((a, b) => (a.price === b.price ? 0 : better(side, a.price, b.price) ? -1 : 1));
  }

  private fill(o: ShadowOrder, n: number, ts: number): void {
    if (n <= 0) return;
    o.filled += n;
    const remaining = o.size - o.filled;
    this.events.push({ kind: 'OrderFilled', orderId: o.id, side: o.side, price: o.price, size: n, liquidity: 'maker', remaining, ts });
    if (remaining === 0) this.orders.delete(o.id);
  }

  private capAhead(o: ShadowOrder): void {
    o.ahead = Math.min(o.ahead, this.available(o.side, o.price));
  }

  /** Size units at a level less what the agent took there. */
  private available(side: Side, price: number): number {
    return Math.max(0, this.book.depthAt(side, price) - this.takenAt(side, price));
  }

  private takenAt(side: Side, price: number): number {
    return this.taken.get(levelKey(side, price)) ?? 0;
  }
}

function crosses(side: Side, price: number, opposite: number): boolean {
  return side === 'buy' ? price >= opposite : price <= opposite;
}

function better(side: Side, a: number, b: number): boolean {
  return side === 'buy' ? a > b : a < b;
}

function other(side: Side): Side {
  return side === 'buy' ? 'sell' : 'buy';
}

function levelKey(side: Side, price: number): number {
  return side === 'buy' ? price * 2 : price * 2 + 1;
}
