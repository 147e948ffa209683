/**
 * A tiny seeded venue for tests of execution code: a ladder of price levels each side, background
 * market orders at a fixed cadence that walk the ladder, levels that refill and gaps that close.
 * The background draws the same random numbers whatever the agent does, so a seed run without the
 * agent is the exact counterfactual of a run with it; what the agent takes stays taken until the
 * background refills it (impact). Prices are ticks (tick size 1), sizes lots.
 */

import type { L2Snapshot, Side } from '../../book/types';
import { Rng } from '../../core/rng';
import type {
  AgentFill,
  AgentOrder,
  AgentOrderId,
  CancelResult,
  ElapseResult,
  SubmitResult,
  Venue,
  VenueEvent,
  VenueOrder,
} from '../../venue/types';

/** The fake venue's ladder and background flow. */
export interface FakeVenueOptions {
  readonly startBid?: number;
  readonly levels?: number;
  /** Full depth of a level, lots. */
  readonly depth?: number;
  /** Ns between background events. */
  readonly eventNs?: number;
  /** Chance that an event is a market order. */
  readonly tradeProbability?: number;
  /** Largest background market order, lots. */
  readonly maxTrade?: number;
  /** Lots a level regains per event. */
  readonly refill?: number;
  /** Chance per event that a gap in the spread closes by one tick. */
  readonly improveProbability?: number;
  readonly startNs?: number;
}

interface Resting {
  readonly id: AgentOrderId;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  filled: number;
  ahead: number;
  readonly acceptedAt: number;
}

/** See the module comment. */
export class FakeVenue implements Venue {
  private readonly rng: Rng;
  private readonly o: Required<FakeVenueOptions>;
  private time: number;
  private nextEventAt: number;
  /** Best first: bids descending, asks ascending; each entry [price, size]. */
  private bids: Array<[number, number]> = [];
  private asks: Array<[number, number]> = [];
  private readonly orders = new Map<AgentOrderId, Resting>();
  private events: VenueEvent[] = [];
  /** Lots the background printed so far (agent fills excluded). */
  printed = 0;

  constructor(seed: number, options: FakeVenueOptions = {}) {
    this.rng = new Rng(seed);
    this.o = {
      startBid: options.startBid ?? 10_000,
      levels: options.levels ?? 10,
      depth: options.depth ?? 40,
      eventNs: options.eventNs ?? 100_000_000,
      tradeProbability: options.tradeProbability ?? 0.3,
      maxTrade: options.maxTrade ?? 12,
      refill: options.refill ?? 2,
      improveProbability: options.improveProbability ?? 0.3,
      startNs: options.startNs ?? 0,
    };
    this.time = this.o.startNs;
    this.nextEventAt = this.time + this.o.eventNs;
    for (let k = 0; k < this.o.levels; k++) {
      this.bids.push([this.o.startBid - k, this.o.depth]);
      this.asks.push([this.o.startBid + 1 + k, this.o.depth]);
    }
  }

  now(): number {
    return this.time;
  }

  elapse(ns: number): ElapseResult {
    if (!Number.isSafeInteger(ns) || ns < 0) throw new Error(`elapse takes a non-negative integer ns count, received ${ns}`);
    this.events = [];
    const target = this.time + ns;
    while (this.nextEventAt <= target) {
      this.time = this.nextEventAt;
      this.backgroundEvent();
      this.nextEventAt += this.o.eventNs;
    }
    this.time = target;
    const events = this.events;
    this.events = [];
    return { now: this.time, events, exhausted: false };
  }

  submit(order: VenueOrder): SubmitResult {
    const id = order.id;
    if (!Number.isSafeInteger(id) || id <= 0) return { accepted: false, id, reject: { code: 'INVALID_ORDER_ID', id } };
    if (this.orders.has(id)) return { accepted: false, id, reject: { code: 'DUPLICATE_ORDER_ID', id } };
    if (!Number.isSafeInteger(order.size) || order.size <= 0) return { accepted: false, id, reject: { code: 'INVALID_SIZE', size: order.size } };
    const limit = order.kind === 'limit' ? order.price : order.side === 'buy' ? Infinity : -Infinity;
    const levels = order.side === 'buy' ? this.asks : this.bids;
    const fills: AgentFill[] = [];
    let left = order.size;
    while (left > 0 && levels.length > 0) {
      const top = levels[0] as [number, number];
      if (order.side === 'buy' ? top[0] > limit : top[0] < limit) break;
      const n = Math.min(left, top[1]);
      top[1] -= n;
      left -= n;
      fills.push({ orderId: id, side: order.side, price: top[0], size: n, liquidity: 'taker', remaining: left, ts: this.time });
      if (top[1] === 0) this.dropTouch(order.side === 'buy' ? 'sell' : 'buy');
    }
    if (left === 0 || order.kind === 'market' || order.tif === 'IOC') return { accepted: true, id, fills, resting: 0, cancelled: left };
    const own = order.side === 'buy' ? this.bids : this.asks;
    const at = own.find(([p]) => p === order.price);
    this.orders.set(id, { id, side: order.side, price: order.price, size: order.size, filled: order.size - left, ahead: at ? at[1] : 0, acceptedAt: this.time });
    return { accepted: true, id, fills, resting: left, cancelled: 0 };
  }

  cancel(id: AgentOrderId): CancelResult {
    const o = this.orders.get(id);
    if (!o) return { accepted: false, id, reject: { code: 'UNKNOWN_ORDER', id } };
    this.orders.delete(id);
    return { accepted: true, id, cancelled: o.size - o.filled };
  }

  bestBid(): number | undefined {
    return this.bids[0]?.[0];
  }

  bestAsk(): number | undefined {
    return this.asks[0]?.[0];
  }

  l2(levels: number): L2Snapshot {
    return { bids: this.bids.slice(0, levels).map(([p, s]) => [p, s] as const), asks: this.asks.slice(0, levels).map(([p, s]) => [p, s] as const) };
  }

  openOrders(): readonly AgentOrder[] {
    return [...this.orders.values()].map(view);
  }

  order(id: AgentOrderId): AgentOrder | undefined {
    const o = this.orders.get(id);
    return o ? view(o) : undefined;
  }

  /** Returns the mid in ticks. */
  mid(): number {
    return ((this.bids[0]?.[0] ?? 0) + (this.asks[0]?.[0] ?? 0)) / 2;
  }

  private backgroundEvent(): void {
    // Every event draws the same numbers whatever the state, so the stream never depends on the agent.
    const isTrade = this.rng.chance(this.o.tradeProbability);
    const buy = this.rng.chance(0.5);
    const size = 1 + this.rng.int(this.o.maxTrade);
    const improveBid = this.rng.chance(0.5);
    const improve = this.rng.chance(this.o.improveProbability);
    if (isTrade) this.marketOrder(buy ? 'buy' : 'sell', size);
    for (const l of this.bids) l[1] = Math.min(this.o.depth, l[1] + this.o.refill);
    for (const l of this.asks) l[1] = Math.min(this.o.depth, l[1] + this.o.refill);
    const b = this.bids[0]?.[0];
    const a = this.asks[0]?.[0];
    if (improve && b !== undefined && a !== undefined && a - b > 1) {
      if (improveBid) this.bids.unshift([b + 1, Math.ceil(this.o.depth / 4)]);
      else this.asks.unshift([a - 1, Math.ceil(this.o.depth / 4)]);
      this.trim();
    }
  }

  /** A background market order: it meets the agent's better-priced orders first, then each level's queue. */
  private marketOrder(side: Side, size: number): void {
    const restingSide: Side = side === 'buy' ? 'sell' : 'buy';
    const levels = restingSide === 'buy' ? this.bids : this.asks;
    let left = size;
    let printed = 0;
    let price = 0;
    while (left > 0) {
      const top = levels[0];
      if (!top) break;
      price = top[0];
      // Agent orders at a better price than the top level are hit first.
      for (const o of this.agentOrders(restingSide)) {
        if (left === 0) break;
        if (better(restingSide, o.price, top[0])) left -= this.fillAgent(o, left);
      }
      if (left === 0) break;
      // At the top level: the queue ahead of each agent order, then the agent order.
      let market = Math.min(left, top[1]);
      for (const o of this.agentOrders(restingSide)) {
        if (o.price !== top[0]) continue;
        const reach = left - o.ahead;
        o.ahead = Math.max(0, o.ahead - left);
        if (reach > 0) {
          const n = this.fillAgent(o, reach);
          left -= n;
          market = Math.min(left, top[1]);
        }
      }
      top[1] -= market;
      left -= market;
      printed += market;
      if (top[1] === 0) this.dropTouch(restingSide);
      else break;
    }
    if (printed > 0) {
      this.printed += printed;
      this.events.push({ kind: 'TradePrinted', ts: this.time, price, size: printed, aggressor: side, hidden: false });
    }
  }

  private fillAgent(o: Resting, upTo: number): number {
    const n = Math.min(upTo, o.size - o.filled);
    if (n <= 0) return 0;
    o.filled += n;
    const remaining = o.size - o.filled;
    this.events.push({ kind: 'OrderFilled', orderId: o.id, side: o.side, price: o.price, size: n, liquidity: 'maker', remaining, ts: this.time });
    if (remaining === 0) this.orders.delete(o.id);
    return n;
  }

  private agentOrders(side: Side): Resting[] {
    return [...this.orders.values()].filter((o) => o.side === side).sort((x, y) => (x.price === y.price ? 0 : better(side, x.price, y.price) ? -1 : 1));
  }

  /** Removes an emptied touch level and adds a full one at the back of the ladder. */
  private dropTouch(side: Side): void {
    const levels = side === 'buy' ? this.bids : this.asks;
    levels.shift();
    const last = levels[levels.length - 1];
    const base = last ? last[0] : side === 'buy' ? (this.asks[0]?.[0] ?? this.o.startBid) - 1 : (this.bids[0]?.[0] ?? this.o.startBid) + 1;
    levels.push([side === 'buy' ? base - 1 : base + 1, this.o.depth]);
  }

  private trim(): void {
    while (this.bids.length > this.o.levels) this.bids.pop();
    while (this.asks.length > this.o.levels) this.asks.pop();
  }
}

function view(o: Resting): AgentOrder {
  return { id: o.id, side: o.side, price: o.price, size: o.size, filled: o.filled, remaining: o.size - o.filled, acceptedAt: o.acceptedAt, sizeAhead: o.ahead };
}

function better(side: Side, a: number, b: number): boolean {
  return side === 'buy' ? a > b : a < b;
}
