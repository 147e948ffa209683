/**
 * The market simulator as a `Venue`: an execution agent trades in the same book as the background
 * agents (its orders carry the owner id `AGENT_OWNER`), so its orders move the market and the
 * background agents react through the book. Running the same seed with no agent orders gives the
 * exact market the agent did not disturb (the counterfactual; see `SimMarket`).
 *
 * Latency: by default the agent's orders and cancels act at `now()`, as the `Venue` contract says,
 * with their immediate fills in the result. With `latency.entryMs` or `jitterMs` set, they reach the
 * book later (seeded draws from the agent's own stream): `submit` then returns accepted with no
 * fills and the whole size `resting` (in flight), `cancel` returns what was working when it was
 * sent, and fills arrive as `OrderFilled` events during `elapse`. An in-flight order the book
 * refuses on arrival (post-only that would cross) disappears from `openOrders`.
 *
 * Passive fills (`passiveFills`, by default the scenario's `agentFills`): with 'queue' the agent's
 * resting orders sit in the book in price-time priority. With 'trade-through' what does not trade on
 * arrival stays out of the book (a shadow order: the background agents never see it) and fills at
 * its price only when a trade prints strictly through it (above a sell, below a buy), up to that
 * trade's size, or in full when the opposite best reaches it.
 */

import type { BookResult, L2Snapshot, Side } from '../book/types';
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
  VenueRejectReason,
} from '../venue/types';
import type { FactsRecorder } from './facts-recorder';
import { AGENT_ID_BASE, AGENT_OWNER, BUY, SIDE_NAMES, SimMarket, T_EXTERNAL } from './market';
import { LatencyModel } from './sampling';
import type { LatencyParams, Scenario } from './scenario';

export interface SimVenueOptions {
  /** The execution agent's latency; none by default. */
  readonly latency?: Partial<LatencyParams>;
  /** Report `TradePrinted` and `LevelChanged` events (default true); fills are always reported. */
  readonly marketEvents?: boolean;
  /** Records the stylized facts' samples as the market runs. */
  readonly recorder?: FactsRecorder;
  /** How the agent's resting orders fill (see the module comment); defaults to the scenario's `agentFills`. */
  readonly passiveFills?: 'queue' | 'trade-through';
}

/** The traded instrument: currency per tick and shares per lot. */
export interface SimInstrument {
  readonly symbol: string;
  readonly tickSize: number;
  readonly lotSize: number;
}

interface WorkingOrder {
  readonly id: AgentOrderId;
  readonly bookId: number;
  readonly side: Side;
  readonly price: number;
  readonly market: boolean;
  readonly size: number;
  filled: number;
  /** Lots resting in the book (0 while in flight). */
  resting: number;
  acceptedAt: number;
  inFlight: boolean;
  readonly order: VenueOrder;
}

const ARRIVE = 0;
const CANCEL_ARRIVES = 1;

/** Creates a simulated venue on `scenario` whose whole market is fixed by `seed`. */
export function createSimVenue(scenario: Scenario, seed: number, options: SimVenueOptions = {}): SimVenue {
  return new SimVenue(scenario, seed, options);
}

/** A `Venue` on the market simulator; see the module comment. */
export class SimVenue implements Venue {
  readonly market: SimMarket;
  readonly instrument: SimInstrument;
  readonly scenarioName: string;
  private readonly latency: LatencyModel;
  private readonly marketEvents: boolean;
  private events: VenueEvent[] = [];
  private readonly orders = new Map<AgentOrderId, WorkingOrder>();
  private readonly byBookId = new Map<number, WorkingOrder>();
  /** The agent's resting lots by level key. */
  private readonly own = new Map<number, number>();
  private nextBookId = AGENT_ID_BASE;
  private ownOp = false;
  private readonly tradeThrough: boolean;
  /** Working shadow orders (trade-through fills), oldest first. */
  private readonly shadows: WorkingOrder[] = [];

  constructor(scenario: Scenario, seed: number, options: SimVenueOptions) {
    this.market = new SimMarket(scenario, seed, options.recorder ? { recorder: options.recorder } : {});
    this.instrument = { symbol: scenario.instrument.symbol, tickSize: scenario.instrument.tickSize, lotSize: scenario.instrument.lotSize };
    this.scenarioName = scenario.name;
    this.latency = new LatencyModel({ entryMs: 0, marketDataMs: 0, jitterMs: 0, ...options.latency }, this.market.agentLatencyRng);
    this.marketEvents = options.marketEvents ?? true;
    this.tradeThrough = (options.passiveFills ?? scenario.agentFills) === 'trade-through';
    this.market.setBookListener((r, ts, takerOwner, takerSide) => this.onBookOp(r, ts, takerOwner, takerSide));
    this.market.setExternalHandler((kind, arg) => this.onExternal(kind, arg));
  }

  now(): number {
    return this.market.now();
  }

  /** Returns the mid in ticks (all orders, the agent's included). */
  mid(): number {
    return this.market.mid();
  }

  elapse(ns: number): ElapseResult {
    if (!Number.isSafeInteger(ns) || ns < 0) throw new Error(`elapse takes a non-negative integer ns count, received ${ns}`);
    this.market.runUntil(this.market.now() + ns);
    const events = this.events;
    this.events = [];
    return { now: this.market.now(), events, exhausted: false };
  }

  submit(order: VenueOrder): SubmitResult {
    const id = order.id;
    const reject = this.validate(order);
    if (reject) return { accepted: false, id, reject };
    const w: WorkingOrder = {
      id,
      bookId: this.nextBookId++,
      side: order.side,
      price: order.kind === 'limit' ? order.price : 0,
      market: order.kind === 'market',
      size: order.size,
      filled: 0,
      resting: 0,
      acceptedAt: this.market.now(),
      inFlight: false,
      order,
    };
    const delay = this.latency.instant ? 0 : this.latency.entry();
    if (delay > 0) {
      w.inFlight = true;
      this.orders.set(id, w);
      this.byBookId.set(w.bookId, w);
      this.market.schedule(this.market.now() + delay, T_EXTERNAL, ARRIVE, id);
      return { accepted: true, id, fills: [], resting: order.size, cancelled: 0 };
    }
    this.ownOp = true;
    const r = this.sendToBook(w);
    this.ownOp = false;
    if (!r.accepted) return { accepted: false, id, reject: this.bookReject(r, order) };
    const fills: AgentFill[] = [];
    let left = w.size;
    for (const f of r.fills) {
      left -= f.size;
      fills.push({ orderId: id, side: w.side, price: f.price, size: f.size, liquidity: 'taker', remaining: left, ts: this.market.now() });
    }
    w.filled = w.size - left;
    const resting = this.shadowSize(w, r);
    this.rest(w, resting);
    // What a trade-through order shadows beyond the book's resting size was not cancelled.
    return { accepted: true, id, fills, resting, cancelled: r.cancelled - (resting - r.resting) };
  }

  cancel(id: AgentOrderId): CancelResult {
    const w = this.orders.get(id);
    if (!w) return { accepted: false, id, reject: { code: 'UNKNOWN_ORDER', id } };
    const working = w.size - w.filled;
    const delay = this.latency.instant ? 0 : this.latency.entry();
    if (delay > 0) {
      this.market.schedule(this.market.now() + delay, T_EXTERNAL, CANCEL_ARRIVES, id);
      return { accepted: true, id, cancelled: working };
    }
    if (!this.tradeThrough) {
      this.ownOp = true;
      this.market.cancelById(w.bookId, AGENT_OWNER);
      this.ownOp = false;
    }
    this.forget(w);
    return { accepted: true, id, cancelled: working };
  }

  bestBid(): number | undefined {
    return this.own.size === 0 ? this.market.book.bestBid() : this.l2(1).bids[0]?.[0];
  }

  bestAsk(): number | undefined {
    return this.own.size === 0 ? this.market.book.bestAsk() : this.l2(1).asks[0]?.[0];
  }

  l2(levels: number): L2Snapshot {
    const book = this.market.book;
    if (this.own.size === 0) return book.l2(levels);
    const raw = book.l2(levels + this.own.size);
    const strip = (entries: L2Snapshot['bids'], side: number): Array<readonly [number, number]> => {
      const out: Array<readonly [number, number]> = [];
      for (const [price, size] of entries) {
        const left = size - (this.own.get(levelKey(side, price)) ?? 0);
        if (left > 0) out.push([price, left]);
        if (out.length >= levels) break;
      }
      return out;
    };
    return { bids: strip(raw.bids, 0), asks: strip(raw.asks, 1) };
  }

  openOrders(): readonly AgentOrder[] {
    const out: AgentOrder[] = [];
    for (const w of this.orders.values()) out.push(this.view(w));
    return out;
  }

  order(id: AgentOrderId): AgentOrder | undefined {
    const w = this.orders.get(id);
    return w ? this.view(w) : undefined;
  }

  private view(w: WorkingOrder): AgentOrder {
    const q = w.inFlight ? undefined : this.market.book.queuePosition(w.bookId);
    return {
      id: w.id,
      side: w.side,
      price: w.price,
      size: w.size,
      filled: w.filled,
      remaining: w.size - w.filled,
      acceptedAt: w.acceptedAt,
      sizeAhead: q ? q.sizeAhead : null,
    };
  }

  private validate(order: VenueOrder): VenueRejectReason | undefined {
    if (!Number.isSafeInteger(order.id) || order.id <= 0) return { code: 'INVALID_ORDER_ID', id: order.id };
    if (this.orders.has(order.id)) return { code: 'DUPLICATE_ORDER_ID', id: order.id };
    if (!Number.isSafeInteger(order.size) || order.size <= 0) return { code: 'INVALID_SIZE', size: order.size };
    if (order.kind === 'limit' && (!Number.isSafeInteger(order.price) || order.price <= 0)) return { code: 'INVALID_PRICE', price: order.price };
    for (const o of this.orders.values()) {
      if (o.side === order.side || o.market) continue;
      const crosses = order.kind === 'market' || (order.side === 'buy' ? order.price >= o.price : order.price <= o.price);
      if (crosses) return { code: 'WOULD_SELF_TRADE', price: o.price, restingId: o.id };
    }
    return undefined;
  }

  private bookReject(r: BookResult, order: VenueOrder): VenueRejectReason {
    const reason = r.reject;
    if (reason?.code === 'POST_ONLY_WOULD_CROSS') return { code: 'POST_ONLY_WOULD_CROSS', price: reason.price, bestOpposite: reason.bestOpposite };
    if (reason?.code === 'INVALID_SIZE') return { code: 'INVALID_SIZE', size: order.size };
    return { code: 'INVALID_PRICE', price: order.kind === 'limit' ? order.price : 0 };
  }

  private sendToBook(w: WorkingOrder): BookResult {
    const side = w.side === 'buy' ? BUY : 1;
    if (w.market) return this.market.submitMarket(AGENT_OWNER, w.bookId, side, w.size);
    const o = w.order as Extract<VenueOrder, { kind: 'limit' }>;
    // Trade-through: only what trades on arrival goes through the book; `rest` shadows the rest.
    return this.market.submitLimit(AGENT_OWNER, w.bookId, side, o.price, w.size, this.tradeThrough ? 'IOC' : (o.tif ?? 'GTC'), o.postOnly ?? false);
  }

  /** What a trade-through limit order leaves to rest outside the book: its unfilled size unless IOC. */
  private shadowSize(w: WorkingOrder, r: BookResult): number {
    if (!this.tradeThrough || w.market) return r.resting;
    const o = w.order as Extract<VenueOrder, { kind: 'limit' }>;
    if ((o.tif ?? 'GTC') === 'IOC') return 0;
    return w.size - r.fills.reduce((n, f) => n + f.size, 0);
  }

  /** Records what an order left resting after its arrival, or forgets it. */
  private rest(w: WorkingOrder, resting: number): void {
    w.inFlight = false;
    if (resting > 0 && this.tradeThrough) {
      // Out of the book: the book never reports it, so only `orders` and `shadows` know it.
      w.resting = resting;
      this.orders.set(w.id, w);
      this.byBookId.delete(w.bookId);
      this.shadows.push(w);
    } else if (resting > 0) {
      w.resting = resting;
      const k = levelKey(w.side === 'buy' ? 0 : 1, w.price);
      this.own.set(k, (this.own.get(k) ?? 0) + resting);
      this.orders.set(w.id, w);
      this.byBookId.set(w.bookId, w);
    } else {
      this.orders.delete(w.id);
      this.byBookId.delete(w.bookId);
    }
  }

  private forget(w: WorkingOrder): void {
    if (this.tradeThrough) {
      const i = this.shadows.indexOf(w);
      if (i >= 0) this.shadows.splice(i, 1);
      w.resting = 0;
    } else if (w.resting > 0) {
      const k = levelKey(w.side === 'buy' ? 0 : 1, w.price);
      const left = (this.own.get(k) ?? 0) - w.resting;
      if (left > 0) this.own.set(k, left);
      else this.own.delete(k);
      w.resting = 0;
    }
    this.orders.delete(w.id);
    this.byBookId.delete(w.bookId);
  }

  private onExternal(kind: number, id: number): void {
    const w = this.orders.get(id);
    if (!w) return;
    if (kind === CANCEL_ARRIVES) {
      if (w.inFlight) {
        // The cancel overtook nothing: the order is still in flight; it is dropped on arrival.
        this.forget(w);
        return;
      }
      if (!this.tradeThrough) this.market.cancelById(w.bookId, AGENT_OWNER);
      this.forget(w);
      return;
    }
    const r = this.sendToBook(w);
    if (!r.accepted) {
      this.forget(w);
      return;
    }
    // Taker fills were reported by the book listener.
    this.rest(w, this.shadowSize(w, r));
  }

  private onBookOp(r: BookResult, ts: number, takerOwner: number, takerSide: number): void {
    if (this.ownOp) return;
    const fills = r.fills;
    for (let i = 0; i < fills.length; i++) {
      const f = fills[i]!;
      if (f.makerOwner === AGENT_OWNER) {
        const w = this.byBookId.get(f.makerId);
        if (w) {
          w.filled += f.size;
          w.resting -= f.size;
          const k = levelKey(w.side === 'buy' ? 0 : 1, w.price);
          const left = (this.own.get(k) ?? 0) - f.size;
          if (left > 0) this.own.set(k, left);
          else this.own.delete(k);
          this.events.push({ kind: 'OrderFilled', orderId: w.id, side: w.side, price: f.price, size: f.size, liquidity: 'maker', remaining: w.size - w.filled, ts });
          if (f.makerRemaining === 0) {
            w.resting = 0;
            this.orders.delete(w.id);
            this.byBookId.delete(w.bookId);
          }
        }
      } else if (takerOwner === AGENT_OWNER) {
        const w = this.byBookId.get(f.takerId);
        if (w) {
          w.filled += f.size;
          this.events.push({ kind: 'OrderFilled', orderId: w.id, side: w.side, price: f.price, size: f.size, liquidity: 'taker', remaining: w.size - w.filled, ts });
        }
      }
      if (this.marketEvents) this.events.push({ kind: 'TradePrinted', ts, price: f.price, size: f.size, aggressor: SIDE_NAMES[takerSide]!, hidden: false });
      if (this.shadows.length > 0) this.fillShadowsThrough(f.price, f.size, ts);
    }
    if (this.shadows.length > 0) this.fillShadowsReached(ts);
    if (!this.marketEvents) return;
    const l2 = r.l2;
    for (let i = 0; i < l2.length; i++) {
      const c = l2[i]!;
      const own = this.own.size === 0 ? 0 : (this.own.get(levelKey(c.side === 'buy' ? 0 : 1, c.price)) ?? 0);
      this.events.push({ kind: 'LevelChanged', ts, side: c.side, price: c.price, size: Math.max(0, c.size - own) });
    }
  }

  /** Trade-through: a trade at `price` fills the shadows it went strictly through, oldest first, up to its size. */
  private fillShadowsThrough(price: number, size: number, ts: number): void {
    let left = size;
    for (const w of [...this.shadows]) {
      if (left <= 0) break;
      const through = w.side === 'sell' ? price > w.price : price < w.price;
      if (!through) continue;
      const q = Math.min(left, w.size - w.filled);
      left -= q;
      this.fillShadow(w, q, ts);
    }
  }

  /** Trade-through: a shadow the opposite best has reached fills in full. */
  private fillShadowsReached(ts: number): void {
    const book = this.market.book;
    const bid = book.bestBid();
    const ask = book.bestAsk();
    for (const w of [...this.shadows]) {
      const reached = w.side === 'sell' ? bid !== undefined && bid >= w.price : ask !== undefined && ask <= w.price;
      if (reached) this.fillShadow(w, w.size - w.filled, ts);
    }
  }

  private fillShadow(w: WorkingOrder, q: number, ts: number): void {
    if (q <= 0) return;
    w.filled += q;
    w.resting -= q;
    this.events.push({ kind: 'OrderFilled', orderId: w.id, side: w.side, price: w.price, size: q, liquidity: 'maker', remaining: w.size - w.filled, ts });
    if (w.filled >= w.size) this.forget(w);
  }
}

function levelKey(side: number, price: number): number {
  return price * 2 + side;
}
