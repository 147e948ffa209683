/**
 * A historical venue on order-by-order data: the real order flow of a recorded day replays through
 * the order book while an agent's orders trade against it. On LOBSTER data the flow is the message
 * file (`LobsterReplay`, checked row by row against the orderbook file); on Databento MBO data it is
 * the flow `MboFlow` rebuilds from the records (data/databento.ts, passed in as `replay`), with the
 * whole book known (`levels` beyond any depth), so the queue ahead of an agent order is always known.
 *
 * The model, and where it leans:
 * - The real flow is never changed by the agent. Real orders keep arriving, cancelling and
 *   executing as recorded; the agent's orders live beside the real book as "shadow" orders and
 *   are never shown to the real flow. The agent has no market impact beyond the liquidity it takes
 *   (optimistic: real participants do not react to it, and prices move only as they did).
 * - A resting agent order joins the back of the real queue at its price: the real size queued
 *   ahead of it is what the level shows when it arrives (less what the agent itself took there).
 *   Real executions at its price take from the front of the queue, and cancels and deletions of
 *   real orders that arrived before it shrink the size ahead; orders arriving after it queue
 *   behind it. When a real execution at its price exceeds the size ahead, the excess fills the
 *   agent: the aggressor would have reached the agent before the orders behind it. An execution
 *   on its side at a worse price (the aggressor went through the agent's price) fills the agent
 *   likewise, as does a real order arriving on the other side at a price that crosses it (the
 *   agent order is then the maker). Several agent orders share one execution in price-time order.
 *   Executions are assumed to come off the front of the queue, as price-time priority says and as
 *   the data honours in over 99.9% of the executions that can be checked (`cockpit lobster verify`).
 *   Hidden executions (type 5) and cross trades (type 6) never fill the agent (pessimistic: some
 *   would have reached a displayed agent order first).
 * - A marketable agent order takes the visible liquidity at the visible prices, front of the
 *   queue first, up to its limit, and only within the file's N levels: the venue knows nothing
 *   deeper, so a market order larger than the visible depth keeps the rest unfilled (cancelled).
 *   What the agent takes stays consumed: a real order it took from counts as that much smaller
 *   for the agent from then on, while the real flow goes on acting on the whole order; the level
 *   recovers for the agent only as new real orders join it, or as real cancels and executions
 *   shrink the order below what the agent took (real flow acts first on the part the agent left).
 *   This is pessimistic for a repeat taker (the real aggressors' volume is not credited back) and
 *   keeps the agent from taking the same shares twice.
 * - An order priced beyond the visible levels joins with an unknown queue ahead (`sizeAhead`
 *   null); it cannot fill until a message at its price shows the level, and it is then placed
 *   behind everything the level holds.
 * - Orders and cancels act at `now()`, with no latency; market events at the same nanosecond as the
 *   target of `elapse` happen before the agent's next action. During a halt (type 7) submissions
 *   are refused; cancels are accepted. An order that could trade with the agent's own resting
 *   order is refused (a market order whenever the agent rests anything on the other side).
 * - `l2`, `bestBid` and `bestAsk` show the market's depth less what the agent has taken, without
 *   the agent's own orders.
 */

import type { L2Snapshot, LevelChange, OrderBook, Side } from '../book/types';
import type { LobsterMessage } from '../data/lobster';
import { LobsterReplay } from '../data/lobster-replay';
import type { LobsterReplayReport } from '../data/lobster-replay';
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
} from './types';

/** The real order flow the venue replays: message i at `timeAt(i)`; the book is known to `levels` levels a side. */
export interface OrderFlowRecords {
  readonly levels: number;
  readonly length: number;
  message(i: number): LobsterMessage;
  timeAt(i: number): number;
}

/** The recorded LOBSTER day the venue replays: message i and orderbook row i (see `LobsterDay`). */
export interface LobsterRecords extends OrderFlowRecords {
  row(i: number): ArrayLike<number>;
}

/** Applies message i of the real flow to the book, reporting each level change. */
export interface FlowReplay {
  step(message: LobsterMessage, index: number): void;
}

export interface LobsterVenueOptions {
  /** An empty book for the real flow. */
  readonly book: OrderBook;
  /**
   * Where the venue's clock starts, in ns after midnight: every message up to and including it has
   * happened. Defaults to the first message's time.
   */
  readonly startNs?: number;
  /** How the flow is applied to the book; default the LOBSTER replay against the records' orderbook rows. */
  readonly replay?: (book: OrderBook, onLevelChange: (c: LevelChange) => void) => FlowReplay;
}

interface ShadowOrder {
  readonly id: AgentOrderId;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  filled: number;
  readonly acceptedAt: number;
  /** Real lots queued ahead; Infinity while unknown (joined beyond the visible levels). */
  ahead: number;
  /** Index of the last message replayed when the order joined; real orders submitted later queue behind it. */
  readonly joinedAfter: number;
}

type Status = 'trading' | 'halted' | 'quoting';

/** Replays a LOBSTER day and lets one agent trade against it; see the module comment for the model. */
export class LobsterVenue implements Venue {
  private readonly records: OrderFlowRecords;
  private readonly book: OrderBook;
  private readonly replay: FlowReplay;
  private readonly lobsterReplay: LobsterReplay | null = null;
  private next = 0;
  private time: number;
  private status: Status = 'trading';
  private events: VenueEvent[] = [];
  private eventTs = 0;
  private readonly orders = new Map<AgentOrderId, ShadowOrder>();
  /** Index of the submission message of each real order submitted during the replay. */
  private readonly arrivals = new Map<number, number>();
  /** Lots the agent has taken out of each real (book) order, by book order id. */
  private readonly taken = new Map<number, number>();
  /** Book order ids with taken lots, by level key. */
  private readonly takenAtLevel = new Map<number, Set<number>>();

  constructor(records: OrderFlowRecords | LobsterRecords, options: LobsterVenueOptions) {
    if (records.length === 0) throw new Error('the venue needs at least one message of the real flow, received none');
    this.records = records;
    this.book = options.book;
    const onLevelChange = (c: LevelChange): void => {
      this.events.push({ kind: 'LevelChanged', ts: this.eventTs, side: c.side, price: c.price, size: c.size });
    };
    if (options.replay) {
      this.replay = options.replay(options.book, onLevelChange);
    } else {
      if (!('row' in records)) throw new Error('a flow without orderbook rows needs a replay (LobsterVenueOptions.replay)');
      const lobster = new LobsterReplay(options.book, records.levels, { onLevelChange });
      this.lobsterReplay = lobster;
      this.replay = { step: (m, i) => lobster.step(m, records.row(i)) };
    }
    const start = options.startNs ?? records.timeAt(0);
    if (!Number.isSafeInteger(start)) throw new Error(`startNs must be an integer ns count, received ${start}`);
    this.time = start;
    this.runUntil(start);
    this.events = [];
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
    return { now: this.time, events, exhausted: this.next >= this.records.length };
  }

  submit(order: VenueOrder): SubmitResult {
    const id = order.id;
    const reject = this.validate(order);
    if (reject) return { accepted: false, id, reject };
    const limit = order.kind === 'limit' ? order.price : order.side === 'buy' ? Infinity : -Infinity;
    const opposite = order.side === 'buy' ? this.bestAsk() : this.bestBid();
    if (order.kind === 'limit' && order.postOnly && opposite !== undefined && crosses(order.side, order.price, opposite)) {
      return { accepted: false, id, reject: { code: 'POST_ONLY_WOULD_CROSS', price: order.price, bestOpposite: opposite } };
    }
    const shadow: ShadowOrder = {
      id,
      side: order.side,
      price: order.kind === 'limit' ? order.price : 0,
      size: order.size,
      filled: 0,
      acceptedAt: this.time,
      ahead: 0,
      joinedAfter: this.next - 1,
    };
    const fills = this.take(shadow, limit);
    const left = shadow.size - shadow.filled;
    if (left === 0 || order.kind === 'market' || order.tif === 'IOC') {
      return { accepted: true, id, fills, resting: 0, cancelled: left };
    }
    shadow.ahead = this.sizeAheadOnJoining(shadow.side, shadow.price);
    this.orders.set(id, shadow);
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
    if (this.takenAtLevel.size === 0) return this.book.l2(levels);
    const raw = this.book.l2(levels + this.takenAtLevel.size);
    const side = (entries: L2Snapshot['bids'], s: Side): Array<readonly [number, number]> => {
      const out: Array<readonly [number, number]> = [];
      for (const [price, size] of entries) {
        const available = size - this.takenAt(s, price);
        if (available > 0) out.push([price, available]);
        if (out.length === levels) break;
      }
      return out;
    };
    const bids = side(raw.bids, 'buy');
    const asks = side(raw.asks, 'sell');
    return { bids, asks };
  }

  openOrders(): readonly AgentOrder[] {
    return [...this.orders.values()].map((o) => view(o));
  }

  order(id: AgentOrderId): AgentOrder | undefined {
    const o = this.orders.get(id);
    return o ? view(o) : undefined;
  }

  /** Returns the replay's check of the real book against the orderbook rows so far. */
  replayReport(): LobsterReplayReport {
    if (this.lobsterReplay === null) throw new Error('the venue replays a flow without orderbook rows: there is no row check to report');
    return this.lobsterReplay.report();
  }

  private validate(order: VenueOrder): VenueRejectReason | undefined {
    if (!Number.isSafeInteger(order.id) || order.id <= 0) return { code: 'INVALID_ORDER_ID', id: order.id };
    if (this.orders.has(order.id)) return { code: 'DUPLICATE_ORDER_ID', id: order.id };
    if (!Number.isSafeInteger(order.size) || order.size <= 0) return { code: 'INVALID_SIZE', size: order.size };
    if (order.kind === 'limit' && (!Number.isSafeInteger(order.price) || order.price <= 0)) return { code: 'INVALID_PRICE', price: order.price };
    if (this.status !== 'trading') return { code: 'TRADING_HALTED' };
    for (const o of this.orders.values()) {
      if (o.side === order.side) continue;
      // A market order could reach any resting order of the agent's on the other side.
      if (order.kind === 'market' || crosses(order.side, order.price, o.price)) return { code: 'WOULD_SELF_TRADE', price: o.price, restingId: o.id };
    }
    return undefined;
  }

  /** Takes visible liquidity for an arriving order up to its limit; returns its fills. */
  private take(o: ShadowOrder, limit: number): AgentFill[] {
    const fills: AgentFill[] = [];
    const bookSide: Side = o.side === 'buy' ? 'sell' : 'buy';
    const snapshot = this.book.l2(this.records.levels);
    const levels = (o.side === 'buy' ? snapshot.asks : snapshot.bids).map(([price]) => price);
    for (const price of levels) {
      if (o.filled === o.size || !crosses(o.side, limit, price)) break;
      let got = 0;
      for (const realId of this.book.levelOrders(bookSide, price)) {
        const want = o.size - o.filled - got;
        if (want === 0) break;
        const available = (this.book.order(realId)?.size ?? 0) - this.takenFrom(realId);
        if (available <= 0) continue;
        const n = Math.min(want, available);
        this.addTaken(bookSide, price, realId, n);
        got += n;
      }
      if (got > 0) {
        o.filled += got;
        fills.push({ orderId: o.id, side: o.side, price, size: got, liquidity: 'taker', remaining: o.size - o.filled, ts: this.time });
      }
    }
    return fills;
  }

  private sizeAheadOnJoining(side: Side, price: number): number {
    const n = this.records.levels;
    const own = side === 'buy' ? this.book.l2(n).bids : this.book.l2(n).asks;
    const last = own[n - 1];
    // The file shows nothing beyond level N: a price there has an unknown queue.
    if (own.length === n && last !== undefined && crosses(side, last[0], price) && last[0] !== price) return Infinity;
    return Math.max(0, this.book.depthAt(side, price) - this.takenAt(side, price));
  }

  private runUntil(target: number): void {
    const records = this.records;
    while (this.next < records.length && records.timeAt(this.next) <= target) {
      this.replayMessage(this.next);
      this.next++;
    }
  }

  private replayMessage(i: number): void {
    const m = this.records.message(i);
    this.eventTs = m.timeNs;
    // Whether each real order came before an agent order must be read before the replay moves on.
    const realId = m.kind === 'halt' ? -1 : m.orderId;
    const arrival = this.arrivals.get(realId);
    this.replay.step(m, i);
    switch (m.kind) {
      case 'submit':
        this.arrivals.set(m.orderId, i);
        this.crossArrival(m.orderId, m.side, m.price, m.size);
        break;
      case 'cancel':
      case 'delete':
        this.realCancel(m.side, m.price, m.size, arrival);
        this.forgetIfGone(m.orderId);
        break;
      case 'execute':
        this.events.push({ kind: 'TradePrinted', ts: m.timeNs, price: m.price, size: m.size, aggressor: other(m.side), hidden: false });
        this.realExecution(m.side, m.price, m.size);
        this.forgetIfGone(m.orderId);
        break;
      case 'executeHidden':
        this.events.push({ kind: 'TradePrinted', ts: m.timeNs, price: m.price, size: m.size, aggressor: other(m.side), hidden: true });
        break;
      case 'cross':
        break;
      case 'halt': {
        const status: Status = m.phase === 'halted' ? 'halted' : m.phase === 'quoting' ? 'quoting' : 'trading';
        this.status = status;
        this.events.push({ kind: 'TradingStatusChanged', ts: m.timeNs, status });
        break;
      }
    }
  }

  /** A real cancel or delete at (side, price): it shrinks the queue of agent orders that joined after the real order. */
  private realCancel(side: Side, price: number, size: number, arrival: number | undefined): void {
    for (const o of this.orders.values()) {
      if (o.side !== side || o.price !== price) continue;
      if (arrival === undefined || arrival <= o.joinedAfter) o.ahead = Math.max(0, o.ahead - size);
      this.capAhead(o);
    }
  }

  /**
   * A real execution of `size` at (side, price): agent orders at that price or better on that side,
   * best price first then oldest first, are offered what the aggressor had beyond the queue ahead.
   */
  private realExecution(side: Side, price: number, size: number): void {
    if (this.orders.size === 0) return;
    const candidates = this.byPriority(side, (o) => o.price === price || better(side, o.price, price));
    let consumed = 0;
    for (const o of candidates) {
      const room = size - o.ahead - consumed;
      if (room > 0) {
        const n = Math.min(room, o.size - o.filled);
        consumed += n;
        this.fill(o, n);
      }
      if (o.price === price) {
        o.ahead = Math.max(0, o.ahead - size);
        this.capAhead(o);
      }
    }
  }

  /** A real order arriving at a price that crosses resting agent orders on the other side trades with them. */
  private crossArrival(realId: number, side: Side, price: number, size: number): void {
    if (this.orders.size === 0) return;
    const agentSide = other(side);
    const candidates = this.byPriority(agentSide, (o) => crosses(agentSide, o.price, price));
    let left = size;
    for (const o of candidates) {
      if (left === 0) break;
      const n = Math.min(left, o.size - o.filled);
      left -= n;
      this.addTaken(side, price, realId, n);
      this.fill(o, n);
    }
  }

  /** Returns the agent's orders on a side that pass `keep`, best price first, then oldest first. */
  private byPriority(side: Side, keep: (o: ShadowOrder) => boolean): ShadowOrder[] {
    const out: ShadowOrder[] = [];
    for (const o of this.orders.values()) if (o.side === side && keep(o)) out.push(o);
    // Map order is acceptance order and the sort is stable.
    return out.sort((a, b) => (a.price === b.price ? 0 : better(side, a.price, b.price) ? -1 : 1));
  }

  private fill(o: ShadowOrder, n: number): void {
    if (n <= 0) return;
    o.filled += n;
    const remaining = o.size - o.filled;
    this.events.push({ kind: 'OrderFilled', orderId: o.id, side: o.side, price: o.price, size: n, liquidity: 'maker', remaining, ts: this.eventTs });
    if (remaining === 0) this.orders.delete(o.id);
  }

  /** The real size ahead can never exceed what the level holds for the agent. */
  private capAhead(o: ShadowOrder): void {
    o.ahead = Math.min(o.ahead, Math.max(0, this.book.depthAt(o.side, o.price) - this.takenAt(o.side, o.price)));
  }

  private forgetIfGone(realId: number): void {
    if (this.book.order(realId) === undefined) this.arrivals.delete(realId);
  }

  private addTaken(side: Side, price: number, realId: number, n: number): void {
    this.taken.set(realId, this.takenFrom(realId) + n);
    const key = levelKey(side, price);
    let ids = this.takenAtLevel.get(key);
    if (!ids) this.takenAtLevel.set(key, (ids = new Set()));
    ids.add(realId);
  }

  /** Lots the agent took from a real order that are still part of it (real flow acts on the rest first). */
  private takenFrom(realId: number): number {
    const t = this.taken.get(realId);
    if (t === undefined) return 0;
    const size = this.book.order(realId)?.size ?? 0;
    const still = Math.min(t, size);
    if (still === 0) this.taken.delete(realId);
    else if (still !== t) this.taken.set(realId, still);
    return still;
  }

  private takenAt(side: Side, price: number): number {
    const key = levelKey(side, price);
    const ids = this.takenAtLevel.get(key);
    if (!ids) return 0;
    let sum = 0;
    for (const id of ids) {
      const t = this.takenFrom(id);
      if (t === 0) ids.delete(id);
      sum += t;
    }
    if (ids.size === 0) this.takenAtLevel.delete(key);
    return sum;
  }
}

function view(o: ShadowOrder): AgentOrder {
  return {
    id: o.id,
    side: o.side,
    price: o.price,
    size: o.size,
    filled: o.filled,
    remaining: o.size - o.filled,
    acceptedAt: o.acceptedAt,
    sizeAhead: Number.isFinite(o.ahead) ? o.ahead : null,
  };
}

/** Returns whether a `side` order at `price` would trade with a resting opposite order at `opposite`. */
function crosses(side: Side, price: number, opposite: number): boolean {
  return side === 'buy' ? price >= opposite : price <= opposite;
}

/** Returns whether `a` is a strictly better price than `b` for a resting order on `side`. */
function better(side: Side, a: number, b: number): boolean {
  return side === 'buy' ? a > b : a < b;
}

function other(side: Side): Side {
  return side === 'buy' ? 'sell' : 'buy';
}

function levelKey(side: Side, price: number): number {
  return side === 'buy' ? price * 2 : price * 2 + 1;
}
