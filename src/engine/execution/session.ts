/**
 * One parent order worked on one venue: the session builds the `MarketView`, carries out a
 * strategy's steps (cancels, child orders) through the `Venue`, records fills and `Decision`s, moves
 * time, and sweeps what is left at the horizon. The live session kernel, the backtest runner and
 * the RL environment all drive it, so a policy sees the same view and trades the same way in
 * training, in evaluation and live, and every order it sends passes the same risk gate first: this
 * class is the one path from an agent to a venue.
 */

import type { L2Snapshot, Side } from '../book/types';
import type { AgentFill, AgentOrder, AgentOrderId, ElapseResult, Venue, VenueOrder } from '../venue/types';
import type { GateContext, RiskDenial, RiskGate } from '../risk/gate';
import { MarketObserver, venueMid } from './market-observer';
import type { ChildOrder, Decision, DecisionAction, ExecutionFill, MarketView, ParentOrder, SessionRefusal, StrategyStep } from './types';
import { workingLots } from './types';

/** What an `ExecutionSession` works on. */
export interface ExecutionSessionOptions {
  readonly venue: Venue;
  /** The pre-trade gate every order passes before it reaches the venue. */
  readonly gate: RiskGate;
  /** The agent's state as the gate sees it; always running when not given (an episode's agent). */
  readonly agentState?: () => GateContext['agentState'];
  /** Told of every order the gate denied (the kernel publishes it). */
  readonly onDenied?: (order: VenueOrder, denial: RiskDenial) => void;
  readonly parent: ParentOrder;
  readonly agentId: string;
  /** Price units per tick on this venue (1 when prices are ticks; 100 for LOBSTER's dollars × 10000 at one cent). */
  readonly tickSize: number;
  /** Ns between decisions; the view's `nextDecisionInNs`. */
  readonly decisionIntervalNs: number;
  /** An observer already fed by a warm-up; a fresh one otherwise. */
  readonly observer?: MarketObserver;
  /** Levels a side in the view's depth; defaults to 5. */
  readonly depthLevels?: number;
  /** The first child order id; ids then count up. Defaults to 1. */
  readonly firstOrderId?: number;
  /** Keep every `Decision` (the cockpit and tests want them; training does not). Defaults to true. */
  readonly recordDecisions?: boolean;
  /**
   * True when the venue also prints a `TradePrinted` for each agent fill it reports during `elapse`
   * (the simulator does; the LOBSTER venue does not): those lots are taken out of the market volume
   * the view shows, so participation is measured against the others' volume. Defaults to false.
   */
  readonly venuePrintsAgentFills?: boolean;
}

/** Counts of what the venue refused during a session. */
export interface SessionRejects {
  /** Orders refused, by the risk gate or by the venue. */
  readonly submits: number;
  readonly cancels: number;
  /** Of `submits`, those the risk gate denied. */
  readonly denied: number;
  /** The last order refusal and who refused it, or null when none was refused. */
  readonly last: SessionRefusal | null;
}


/** Works one parent order on one venue; see the module comment. */
export class ExecutionSession {
  readonly venue: Venue;
  readonly parent: ParentOrder;
  readonly agentId: string;
  readonly tickSize: number;
  readonly decisionIntervalNs: number;
  readonly observer: MarketObserver;
  readonly startNs: number;
  readonly endNs: number;
  readonly arrivalMid: number;
  readonly fills: ExecutionFill[] = [];
  readonly decisions: Decision[] = [];
  private readonly depthLevels: number;
  private readonly recordDecisions: boolean;
  private readonly venuePrintsAgentFills: boolean;
  private nextId: number;
  private filledLots = 0;
  private notionalSum = 0;
  private mid: number;
  private rejectedSubmits = 0;
  private rejectedCancels = 0;
  private deniedSubmits = 0;
  private lastRefusal: SessionRefusal | null = null;
  private readonly gate: RiskGate;
  private readonly agentState: () => GateContext['agentState'];
  private readonly onDenied: ((order: VenueOrder, denial: RiskDenial) => void) | undefined;
  private swept = false;
  private readonly touch = new TouchTracker();
  /** The touch followed through the slice under way (see beginSlice), or null. */
  private following: TouchTracker | null = null;

  constructor(options: ExecutionSessionOptions) {
    const { venue, parent } = options;
    checkParent(parent);
    if (!(options.tickSize > 0)) throw new Error(`tickSize must be positive, received ${options.tickSize}`);
    if (!Number.isSafeInteger(options.decisionIntervalNs) || options.decisionIntervalNs <= 0) {
      throw new Error(`decisionIntervalNs must be a positive integer ns count, received ${options.decisionIntervalNs}`);
    }
    this.venue = venue;
    this.gate = options.gate;
    this.agentState = options.agentState ?? alwaysRunning;
    this.onDenied = options.onDenied;
    this.parent = parent;
    this.agentId = options.agentId;
    this.tickSize = options.tickSize;
    this.decisionIntervalNs = options.decisionIntervalNs;
    this.observer = options.observer ?? new MarketObserver();
    this.depthLevels = options.depthLevels ?? 5;
    this.recordDecisions = options.recordDecisions ?? true;
    this.venuePrintsAgentFills = options.venuePrintsAgentFills ?? false;
    this.nextId = options.firstOrderId ?? 1;
    this.startNs = venue.now();
    this.endNs = this.startNs + parent.horizonNs;
    const mid = venueMid(venue, this.observer.lastSampledMid());
    if (!(mid > 0)) throw new Error(`the venue shows no two-sided market at the start (${this.startNs} ns): cannot take an arrival mid`);
    this.arrivalMid = mid;
    this.mid = mid;
    this.observer.sampleMid(this.startNs, mid);
    this.observer.mark();
  }

  /** Lots filled so far. */
  get filled(): number {
    return this.filledLots;
  }

  /** Sum of price × lots over the fills (venue price units × lots). */
  get notional(): number {
    return this.notionalSum;
  }

  /** Returns the mid the session last saw (price units). */
  get lastMid(): number {
    return this.mid;
  }

  /** True once the horizon is reached. */
  get atHorizon(): boolean {
    return this.venue.now() >= this.endNs;
  }

  get rejects(): SessionRejects {
    return { submits: this.rejectedSubmits, cancels: this.rejectedCancels, denied: this.deniedSubmits, last: this.lastRefusal };
  }

  /** Returns what a strategy sees now. */
  observe(): MarketView {
    const venue = this.venue;
    const ts = venue.now();
    const depth = venue.l2(this.depthLevels);
    const bestBid = depth.bids[0]?.[0];
    const bestAsk = depth.asks[0]?.[0];
    if (bestBid !== undefined && bestAsk !== undefined) this.mid = (bestBid + bestAsk) / 2;
    const bidSize = depth.bids[0]?.[1] ?? 0;
    const askSize = depth.asks[0]?.[1] ?? 0;
    const openOrders = venue.openOrders();
    const timeLeftNs = Math.max(0, this.endNs - ts);
    return {
      ts,
      parent: this.parent,
      startNs: this.startNs,
      endNs: this.endNs,
      timeLeftNs,
      elapsed: Math.min(1, Math.max(0, (ts - this.startNs) / this.parent.horizonNs)),
      nextDecisionInNs: Math.min(this.decisionIntervalNs, timeLeftNs),
      filled: this.filledLots,
      quantityLeft: this.parent.quantity - this.filledLots,
      working: workingLots(openOrders),
      arrivalMid: this.arrivalMid,
      bestBid,
      bestAsk,
      mid: this.mid,
      spread: bestBid !== undefined && bestAsk !== undefined ? bestAsk - bestBid : 0,
      tickSize: this.tickSize,
      depth,
      bidSizeAtTouch: bidSize,
      askSizeAtTouch: askSize,
      imbalance: bidSize + askSize > 0 ? (bidSize - askSize) / (bidSize + askSize) : 0,
      recentVolume: this.observer.recentVolume(ts),
      recentSignedVolume: this.observer.recentSignedVolume(ts),
      recentVolumeWindowNs: this.observer.recentVolumeWindowNs,
      marketVolumeSinceStart: this.observer.volumeSinceMark(),
      volatilityBpsPerSqrtS: this.observer.volatilityBpsPerSqrtS(),
      openOrders,
      fills: this.fills,
      lastRefusal: this.lastRefusal,
    };
  }

  /**
   * Carries out a strategy's step at `now()`: cancels first, then the child orders, clipped so the
   * working and filled lots never exceed the parent quantity and priced within its limit. Records
   * the decision. Returns the lots filled on arrival.
   */
  apply(step: StrategyStep): number {
    const ts = this.venue.now();
    for (const id of step.cancels) {
      const r = this.venue.cancel(id);
      if (!r.accepted) this.rejectedCancels++;
    }
    let got = 0;
    for (const child of step.orders) got += this.send(child);
    if (this.recordDecisions) {
      this.decisions.push({ ts, agentId: this.agentId, inputs: step.inputs, action: step.action, reason: step.reason });
    }
    return got;
  }

  /** Moves the venue on by `ns` (at most to the horizon when `clip`), recording fills, prints and the mid. */
  advance(ns: number, clip = true): ElapseResult {
    const dt = clip ? Math.max(0, Math.min(ns, this.endNs - this.venue.now())) : ns;
    this.beginSlice();
    const r = this.venue.elapse(dt);
    this.endSlice(r);
    this.observer.sampleMid(r.now, this.mid);
    return r;
  }

  /**
   * Before the venue moves (`advance` does it, and a kernel for every agent before each slice of a
   * shared venue): with orders out, the touch is followed through the slice so each fill gets the mid
   * of its moment.
   */
  beginSlice(): void {
    this.following = this.venue.openOrders().length > 0 ? this.touch.seed(this.venue.l2(this.depthLevels)) : null;
  }

  /** After the venue moved: records the slice's fills, feeds its prints to the observer and takes the new mid. */
  endSlice(r: ElapseResult): void {
    const touch = this.following;
    this.following = null;
    for (const e of r.events) {
      if (e.kind === 'OrderFilled') {
        this.recordFill(e, touch?.mid() ?? this.mid);
        if (this.venuePrintsAgentFills) this.observer.removeOwnTrade(e.ts, e.size, this.parent.side === 'sell' ? 'buy' : 'sell');
      } else if (e.kind === 'TradePrinted') this.observer.addPrint(e);
      else if (touch !== null && e.kind === 'LevelChanged') touch.change(e.side, e.price, e.size);
    }
    this.mid = venueMid(this.venue, this.mid);
  }

  /**
   * Cancels every working order and sends what is left of the parent order to cross at once: a
   * market order, or an IOC at the limit price when there is one. What the visible book cannot
   * fill stays unfilled. Records a 'sweep' decision; does nothing the second time.
   */
  sweep(reason = 'horizon reached'): number {
    if (this.swept) return 0;
    this.swept = true;
    const cancels = this.venue.openOrders().map((o) => o.id);
    for (const id of cancels) {
      const r = this.venue.cancel(id);
      if (!r.accepted) this.rejectedCancels++;
    }
    const left = this.parent.quantity - this.filledLots;
    const limit = this.parent.limitPrice;
    const inputs = { quantityLeft: left, cancelled: cancels.length };
    if (left <= 0) {
      this.pushDecision({ kind: 'cancel', size: 0, price: null }, `${reason}: order complete, cancelled ${cancels.length} working`, inputs);
      return 0;
    }
    const got = this.send({ style: 'sweep', size: left, price: limit, tif: 'IOC' });
    const unfilled = left - got;
    const tail = unfilled > 0 ? `; ${unfilled} lots found no liquidity${limit !== undefined ? ` within the limit ${limit}` : ''} and stay unfilled` : '';
    this.pushDecision(
      { kind: 'sweep', size: left, price: limit ?? null },
      `${reason}: swept the remaining ${left} lots ${limit !== undefined ? `with an IOC at the limit ${limit}` : 'at market'}, filled ${got}${tail}`,
      inputs,
    );
    return got;
  }

  private pushDecision(action: DecisionAction, reason: string, inputs: Record<string, number>): void {
    if (this.recordDecisions) this.decisions.push({ ts: this.venue.now(), agentId: this.agentId, inputs, action, reason });
  }

  private send(child: ChildOrder): number {
    const parent = this.parent;
    const working = this.venue.openOrders();
    const room = parent.quantity - this.filledLots - workingLots(working);
    const size = Math.min(Math.floor(child.size), room);
    if (size <= 0) return 0;
    const price = child.price === undefined ? undefined : clampToLimit(parent.side, child.price, parent.limitPrice);
    const id = this.nextId++;
    const order: VenueOrder =
      price === undefined
        ? { kind: 'market', id, side: parent.side, size }
        : { kind: 'limit', id, side: parent.side, price, size, tif: child.tif };
    const outcome = this.gate.check(order, { agentState: this.agentState(), mid: venueMid(this.venue, this.mid), openOrders: working.length });
    if (!outcome.allowed) {
      this.rejectedSubmits++;
      this.deniedSubmits++;
      this.lastRefusal = { by: 'risk', ts: this.venue.now(), denial: outcome.denial };
      this.onDenied?.(order, outcome.denial);
      return 0;
    }
    const r = this.venue.submit(order);
    if (!r.accepted) {
      this.rejectedSubmits++;
      this.lastRefusal = { by: 'venue', ts: this.venue.now(), reject: r.reject };
      return 0;
    }
    let got = 0;
    for (const f of r.fills) {
      this.recordFill(f);
      got += f.size;
    }
    return got;
  }

  private recordFill(f: AgentFill, midBefore = this.mid): void {
    this.filledLots += f.size;
    this.notionalSum += f.price * f.size;
    this.fills.push({
      orderId: f.orderId,
      side: f.side,
      price: f.price,
      size: f.size,
      liquidity: f.liquidity,
      remaining: f.remaining,
      ts: f.ts,
      midBefore,
    });
  }
}

/**
 * The market's touch during an `elapse`, followed from `LevelChanged` events on top of the depth seen
 * before it. Levels deeper than the seed are unknown until an event shows them, so when a side's
 * known levels all empty the mid falls back to the last one computed.
 */
class TouchTracker {
  private readonly bids = new Map<number, number>();
  private readonly asks = new Map<number, number>();
  private last = NaN;

  seed(depth: L2Snapshot): this {
    this.bids.clear();
    this.asks.clear();
    for (const [p, q] of depth.bids) this.bids.set(p, q);
    for (const [p, q] of depth.asks) this.asks.set(p, q);
    this.last = NaN;
    return this;
  }

  change(side: Side, price: number, size: number): void {
    const m = side === 'buy' ? this.bids : this.asks;
    if (size > 0) m.set(price, size);
    else m.delete(price);
  }

  /** Returns the mid of the known touch, or undefined when a side is unknown and no mid was computed yet. */
  mid(): number | undefined {
    let bid = -Infinity;
    let ask = Infinity;
    for (const p of this.bids.keys()) if (p > bid) bid = p;
    for (const p of this.asks.keys()) if (p < ask) ask = p;
    if (Number.isFinite(bid) && Number.isFinite(ask) && ask > bid) this.last = (bid + ask) / 2;
    return Number.isNaN(this.last) ? undefined : this.last;
  }
}

function alwaysRunning(): GateContext['agentState'] {
  return 'running';
}

/** Returns `price` moved inside the parent's limit: sells not below it, buys not above it. */
export function clampToLimit(side: Side, price: number, limit: number | undefined): number {
  if (limit === undefined) return price;
  return side === 'sell' ? Math.max(price, limit) : Math.min(price, limit);
}

/** Throws when a parent order is malformed, saying what was received. */
export function checkParent(parent: ParentOrder): void {
  if (parent.side !== 'buy' && parent.side !== 'sell') throw new Error(`parent side must be 'buy' or 'sell', received ${String(parent.side)}`);
  if (!Number.isSafeInteger(parent.quantity) || parent.quantity <= 0) throw new Error(`parent quantity must be a positive integer of lots, received ${parent.quantity}`);
  if (!Number.isSafeInteger(parent.horizonNs) || parent.horizonNs <= 0) throw new Error(`parent horizon must be a positive integer ns count, received ${parent.horizonNs}`);
  if (parent.limitPrice !== undefined && !(parent.limitPrice > 0)) throw new Error(`parent limit price must be positive, received ${parent.limitPrice}`);
}

/** Returns the ids of working orders not priced at `price`. */
export function ordersAwayFrom(orders: readonly AgentOrder[], price: number): AgentOrderId[] {
  return orders.filter((o) => o.price !== price).map((o) => o.id);
}
