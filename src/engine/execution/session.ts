/**
 * One parent order worked on one venue: the session builds the `MarketView`, carries out a
 * strategy's steps (cancels, child orders) through the `Venue`, records fills and `Decision`s, moves
 * time, and sweeps what is left at the horizon. The live session kernel, the backtest runner and
 * the RL environment all drive it, so a policy sees the same view and trades the same way in
 * training, in evaluation and live, and every order it sends passes the same risk gate first: this
 * class is the one path from an agent to a venue.
 */

import type { L2Snapshot, Side } from '../book/types';
import type { AgentFill, AgentOrder, AgentOrderId, ElapseResult, Venue, VenueEvent, VenueOrder, VenueRejectReason } from '../venue/types';
import { RiskGate, type AgentLifecycle, type RiskDenial } from '../risk/gate';
import { MarketObserver, venueMid } from './market-observer';
import type { ChildOrder, Decision, DecisionAction, ExecutionFill, MarketView, ParentOrder, SessionRefusal, StrategyStep } from './types';
import { formatShare as fmtShare, workingLots } from './types';
import type { SignalReading } from '../signals/market-signal';

/** What an `ExecutionSession` works on. */
export interface ExecutionSessionOptions {
  readonly venue: Venue;
  /** The pre-trade gate every order passes before it reaches the venue. */
  readonly gate: RiskGate;
  /** The agent's state as the gate sees it; always running when not given (an episode's agent). */
  readonly agentState?: () => AgentLifecycle;
  /** Told of every step of every order's life, after the gate's exposure book has it (the kernel publishes them). */
  readonly onOrder?: (step: OrderStep) => void;
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
  /** The market's signal for the view (`MarketView.signal`), when the kernel keeps one. */
  readonly signal?: () => SignalReading | null;
}

/** One step of an order's life, as the session saw it happen. */
export type OrderStep =
  | { readonly kind: 'denied'; readonly order: VenueOrder; readonly denial: RiskDenial }
  | { readonly kind: 'rejected'; readonly order: VenueOrder; readonly reject: VenueRejectReason }
  | { readonly kind: 'accepted'; readonly order: VenueOrder; readonly resting: number }
  | { readonly kind: 'filled'; readonly fill: AgentFill }
  /** The unfilled rest of an IOC or market order, cancelled on arrival. */
  | { readonly kind: 'expired'; readonly orderId: AgentOrderId; readonly lots: number }
  | { readonly kind: 'cancelled'; readonly orderId: AgentOrderId; readonly lots: number; readonly reason: string };

/** Counts of what the venue refused during a session. */
/** What `ExecutionSession.retune` changes; a field left out stays as it is. */
export interface SessionRetune {
  /** Null lifts the limit. */
  readonly limitPrice?: number | null;
  /** The horizon's new end, ns on the venue's clock. */
  readonly endNs?: number;
  readonly urgency?: number;
  /** Null lifts the cap. */
  readonly participationCap?: number | null;
}

export interface SessionRejects {
  /** Orders refused, by the risk gate or by the venue. */
  readonly submits: number;
  readonly cancels: number;
  /** Of `submits`, those the risk gate denied. */
  readonly denied: number;
  /** The last order refusal and who refused it, or null when none was refused. */
  readonly last: SessionRefusal | null;
}


/** The trader's own order as the desk sends it (sendOrder): a limit order when `price` is set, else a market order. */
export interface ManualOrder {
  readonly side: Side;
  readonly size: number;
  /** Limit price in price units; none for a market order. */
  readonly price?: number;
  /** GTC rests what does not fill (a day order: the session ends the day); IOC cancels it; FOK fills whole at once or not at all. */
  readonly tif: 'GTC' | 'IOC' | 'FOK';
  readonly postOnly?: boolean;
}

/** Levels a side a fill-or-kill looks through to see whether the book can fill it. */
const FOK_DEPTH_LEVELS = 1_000;

/** Works one parent order on one venue; see the module comment. */
export class ExecutionSession {
  readonly venue: Venue;
  readonly agentId: string;
  readonly tickSize: number;
  readonly decisionIntervalNs: number;
  readonly observer: MarketObserver;
  readonly startNs: number;
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
  private readonly agentState: () => AgentLifecycle;
  private readonly onOrder: ((step: OrderStep) => void) | undefined;
  private readonly signal: (() => SignalReading | null) | undefined;
  /** Counts the decisions (strategy steps, sweeps, flatten steps) the session carried out; the duplicate guard tells them apart. */
  private decisionCount = 0;
  /** What the last decision's orders were cut to, to fit the limits (said in its reason), or null. */
  private sizing: string | null = null;
  private swept = false;
  private readonly touch = new TouchTracker();
  /** The touch followed through the slice under way (see beginSlice), or null. */
  private following: TouchTracker | null = null;
  /** The parent order as it stands: the trader's overrides change its limit price and its horizon (`retune`). */
  private current: ParentOrder;
  private end: number;
  private tuning: { urgency: number; participationCap: number | null } = { urgency: 1, participationCap: null };

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
    this.onOrder = options.onOrder;
    this.signal = options.signal;
    this.current = parent;
    this.agentId = options.agentId;
    this.tickSize = options.tickSize;
    this.decisionIntervalNs = options.decisionIntervalNs;
    this.observer = options.observer ?? new MarketObserver();
    this.depthLevels = options.depthLevels ?? 5;
    this.recordDecisions = options.recordDecisions ?? true;
    this.venuePrintsAgentFills = options.venuePrintsAgentFills ?? false;
    this.nextId = options.firstOrderId ?? 1;
    this.startNs = venue.now();
    this.end = this.startNs + parent.horizonNs;
    const mid = venueMid(venue, this.observer.lastSampledMid());
    if (!(mid > 0)) throw new Error(`the venue shows no two-sided market at the start (${this.startNs} ns): cannot take an arrival mid`);
    this.arrivalMid = mid;
    this.mid = mid;
    this.observer.sampleMid(this.startNs, mid);
    this.observer.mark();
  }

  /** The parent order as it stands now (its limit and horizon as the trader last set them). */
  get parent(): ParentOrder {
    return this.current;
  }

  /** When the horizon ends (ns): the start plus the parent's horizon. */
  get endNs(): number {
    return this.end;
  }

  /** The trader's urgency (1 unless overridden) and participation cap (null: none). */
  get pace(): { readonly urgency: number; readonly participationCap: number | null } {
    return this.tuning;
  }

  /**
   * Changes how the rest of the order is worked, from the next decision: the limit price (null
   * lifts it), the horizon's end (at least now), the urgency the strategy paces itself by, and a
   * cap on the share of the market's volume the agent takes. Working orders stay as they are.
   */
  retune(t: SessionRetune): void {
    if (t.limitPrice !== undefined) {
      if (t.limitPrice !== null && !(t.limitPrice > 0)) throw new Error(`a limit price must be positive, received ${t.limitPrice}`);
      const { limitPrice: _old, ...rest } = this.current;
      this.current = t.limitPrice === null ? rest : { ...rest, limitPrice: t.limitPrice };
    }
    if (t.endNs !== undefined) {
      if (!Number.isSafeInteger(t.endNs) || t.endNs <= this.startNs) throw new Error(`a horizon must end after the order started, received ${t.endNs}`);
      this.end = t.endNs;
      this.current = { ...this.current, horizonNs: t.endNs - this.startNs };
    }
    if (t.urgency !== undefined) {
      if (!(t.urgency > 0) || !Number.isFinite(t.urgency)) throw new Error(`urgency must be a positive number, received ${t.urgency}`);
      this.tuning = { ...this.tuning, urgency: t.urgency };
    }
    if (t.participationCap !== undefined) {
      if (t.participationCap !== null && !(t.participationCap > 0 && t.participationCap < 1)) throw new Error(`a participation cap must be in (0, 1), received ${t.participationCap}`);
      this.tuning = { ...this.tuning, participationCap: t.participationCap };
    }
  }

  /** The share of the volume traded since the start that is the agent's: filled / (filled + the market's), 0 before any. */
  get participation(): number {
    const market = this.observer.volumeSinceMark();
    return this.filledLots + market > 0 ? this.filledLots / (this.filledLots + market) : 0;
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
      urgency: this.tuning.urgency,
      ...this.signalField(),
    };
  }

  private signalField(): { readonly signal?: SignalReading } {
    const s = this.signal?.() ?? null;
    return s === null ? {} : { signal: s };
  }

  /**
   * Carries out a strategy's step at `now()`: cancels first, then the child orders, clipped so the
   * working and filled lots never exceed the parent quantity and priced within its limit. Records
   * the decision. Returns the lots filled on arrival.
   */
  apply(step: StrategyStep): number {
    const ts = this.venue.now();
    this.decisionCount += 1;
    this.sizing = null;
    for (const id of step.cancels) this.cancel(id, 'cancelled by the agent');
    let got = 0;
    for (const child of step.orders) got += this.send(child);
    if (this.recordDecisions) {
      const reason = this.sizing === null ? step.reason : `${step.reason}; ${this.sizing}`;
      this.decisions.push({ ts, agentId: this.agentId, inputs: step.inputs, action: step.action, reason });
    }
    return got;
  }

  /** Cancels every working order (a kill, a pause, a halt); returns how many were cancelled. */
  cancelAll(reason: string): number {
    let n = 0;
    for (const o of this.venue.openOrders()) if (this.cancel(o.id, reason)) n += 1;
    return n;
  }

  /**
   * One step of working the agent's position back to flat: cancels its working orders and sends an
   * IOC on the other side at the opposite touch, sized to the limits. Returns the position left
   * (signed lots), which the step's fills have already reduced.
   */
  flattenStep(reason: string): number {
    this.decisionCount += 1;
    this.cancelAll(`cancelled to flatten: ${reason}`);
    const position = this.position;
    if (position === 0) return 0;
    const side: Side = position > 0 ? 'sell' : 'buy';
    const price = side === 'sell' ? this.venue.bestBid() : this.venue.bestAsk();
    if (price === undefined) return position;
    const order: VenueOrder = { kind: 'limit', id: 0, side, price, size: Math.abs(position), tif: 'IOC' };
    const fit = this.gate.fit(order, this.gateContext());
    if (fit.size > 0) this.submit({ ...order, id: this.nextId++, size: fit.size });
    this.pushDecision({ kind: 'flatten', size: fit.size, price }, `flatten (${reason}): ${side} ${fit.size} of ${Math.abs(position)} lots IOC at ${price}${fit.limitedBy ? `, cut to fit ${fit.limitedBy}` : ''}`, { position });
    return this.position;
  }

  /**
   * Sends the trader's own order (the desk's): not clipped to a parent order or priced within its
   * limit, but through the same gate to the venue as every order. A fill-or-kill the book cannot
   * fill whole at once is killed whole after the gate passes it: accepted with nothing resting,
   * then expired, never partly filled. Returns its id and the lots filled on arrival; whether the
   * gate or the venue refused it is in `rejects`.
   */
  sendOrder(o: ManualOrder): { readonly id: number; readonly filled: number } {
    this.decisionCount += 1;
    const id = this.nextId++;
    const order: VenueOrder =
      o.price === undefined
        ? { kind: 'market', id, side: o.side, size: o.size }
        : { kind: 'limit', id, side: o.side, price: o.price, size: o.size, tif: o.tif === 'GTC' ? 'GTC' : 'IOC', ...(o.postOnly ? { postOnly: true } : {}) };
    const killWhole = o.tif === 'FOK' && this.fillableNow(o.side, o.price) < o.size;
    return { id, filled: this.submit(order, killWhole) };
  }

  /** Cancels one of the agent's working orders by its id; returns the lots cancelled, or null when the venue has no such working order. */
  cancelOrder(id: AgentOrderId, reason: string): number | null {
    const lots = this.venue.order(id)?.remaining ?? null;
    if (lots === null) return null;
    return this.cancel(id, reason) ? lots : null;
  }

  /** Lots the opposite side of the book offers now at `limit` or better (all of it for a market order). */
  private fillableNow(side: Side, limit: number | undefined): number {
    const book = this.venue.l2(FOK_DEPTH_LEVELS);
    const levels = side === 'buy' ? book.asks : book.bids;
    let lots = 0;
    for (const [price, size] of levels) {
      if (limit !== undefined && (side === 'buy' ? price > limit : price < limit)) break;
      lots += size;
    }
    return lots;
  }

  /** The agent's position as the gate books it: signed lots, buys adding. */
  get position(): number {
    return this.gate.exposure.agent(this.agentId).position;
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
    for (const e of r.events) this.sliceEvent(e);
    this.finishSlice();
  }

  /** One event of the slice under way, in the venue's order (a kernel hands each agent the market's events and its own fills, with its own order ids). */
  sliceEvent(e: VenueEvent): void {
    const touch = this.following;
    if (e.kind === 'OrderFilled') {
      this.recordFill(e, touch?.mid() ?? this.mid, true);
      if (this.venuePrintsAgentFills) this.observer.removeOwnTrade(e.ts, e.size, this.parent.side === 'sell' ? 'buy' : 'sell');
    } else if (e.kind === 'TradePrinted') this.observer.addPrint(e);
    else if (touch !== null && e.kind === 'LevelChanged') touch.change(e.side, e.price, e.size);
  }

  /** Ends the slice under way: takes the venue's new mid. */
  finishSlice(): void {
    this.following = null;
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
    this.decisionCount += 1;
    this.sizing = null;
    const cancels = this.venue.openOrders().map((o) => o.id);
    for (const id of cancels) this.cancel(id, reason);
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
      `${reason}: swept the remaining ${left} lots ${limit !== undefined ? `with an IOC at the limit ${limit}` : 'at market'}, filled ${got}${tail}${this.sizing === null ? '' : `; ${this.sizing}`}`,
      inputs,
    );
    return got;
  }

  private pushDecision(action: DecisionAction, reason: string, inputs: Record<string, number>): void {
    if (this.recordDecisions) this.decisions.push({ ts: this.venue.now(), agentId: this.agentId, inputs, action, reason });
  }

  /** Sends one of the strategy's child orders: clipped to what is left of the parent and to its limit price, then split into orders the limits let through (as many as the working-order and rate limits leave room for). Returns the lots filled on arrival. */
  private send(child: ChildOrder): number {
    const parent = this.parent;
    const working = this.venue.openOrders();
    const room = Math.min(parent.quantity - this.filledLots - workingLots(working), this.capRoom(working));
    const price = child.price === undefined ? undefined : clampToLimit(parent.side, child.price, parent.limitPrice);
    const order = (id: number, lots: number): VenueOrder =>
      price === undefined ? { kind: 'market', id, side: parent.side, size: lots } : { kind: 'limit', id, side: parent.side, price, size: lots, tif: child.tif };
    // A size that is not a positive number is the strategy's error: the gate denies it with the reason, and the strategy is told.
    if (!(child.size > 0)) return this.submit(order(this.nextId++, child.size));
    const size = Math.min(Math.floor(child.size), room);
    if (room < child.size && this.tuning.participationCap !== null) this.note(`cut to the participation cap of ${fmtShare(this.tuning.participationCap)}: room for ${Math.max(0, room)} lots`);
    if (size <= 0) return 0;
    // A size the gate would refuse outright (not a whole positive number) goes to it as it is, to be denied with its reason.
    if (!Number.isSafeInteger(size)) return this.submit(order(this.nextId++, size));
    const fit = this.gate.fit(order(0, size), this.gateContext());
    // Nothing fits (no room left under a position limit, or REDUCING): the order goes as it is, to be denied with the reason.
    if (fit.limitedBy === null || fit.size === 0) return this.submit(order(this.nextId++, size));
    const parts = Math.min(this.gate.orderRoom(this.agentId, this.venue.now()), fit.size > 0 ? Math.ceil(size / fit.size) : 0);
    let left = size;
    let got = 0;
    let sent = 0;
    for (let i = 0; i < parts && left > 0; i++) {
      const lots = Math.min(fit.size, left);
      got += this.submit(order(this.nextId++, lots));
      left -= lots;
      sent += 1;
    }
    this.note(`${size} lots sized to the limits (${fit.limitedBy}): sent ${sent} order${sent === 1 ? '' : 's'} of at most ${fit.size}${left > 0 ? `, ${left} lots wait for room` : ''}`);
    return got;
  }

  /** Adds to what the decision's orders were cut to (said in its reason). */
  private note(text: string): void {
    this.sizing = this.sizing === null ? text : `${this.sizing}; ${text}`;
  }

  /**
   * Lots the participation cap leaves room for: with cap p, filled plus working may reach
   * p/(1 − p) times the market's volume since the start (p of all the volume, the agent's
   * included); unbounded without a cap.
   */
  private capRoom(working: readonly AgentOrder[]): number {
    const cap = this.tuning.participationCap;
    if (cap === null) return Infinity;
    return Math.floor((cap / (1 - cap)) * this.observer.volumeSinceMark()) - this.filledLots - workingLots(working);
  }

  private gateContext(): { agentId: string; agentState: AgentLifecycle; mid: number; now: number } {
    return { agentId: this.agentId, agentState: this.agentState(), mid: venueMid(this.venue, this.mid), now: this.venue.now() };
  }

  /**
   * Passes one order through the gate to the venue, and books each step of its life; returns the
   * lots filled on arrival. `killWhole`: the gate passed a fill-or-kill the book cannot fill, which
   * is accepted and expires at once without reaching the venue.
   */
  private submit(order: VenueOrder, killWhole = false): number {
    const outcome = this.gate.check({ ...order, decision: this.decisionCount }, this.gateContext());
    if (!outcome.allowed) {
      this.rejectedSubmits++;
      this.deniedSubmits++;
      this.lastRefusal = { by: 'risk', ts: this.venue.now(), denial: outcome.denial };
      this.onOrder?.({ kind: 'denied', order, denial: outcome.denial });
      return 0;
    }
    if (killWhole) {
      this.gate.exposure.accepted(this.agentId, order.id, order.side, order.kind === 'limit' ? order.price : undefined, 0, this.venue.now(), RiskGate.orderKey(order), this.decisionCount);
      this.onOrder?.({ kind: 'accepted', order, resting: 0 });
      this.onOrder?.({ kind: 'expired', orderId: order.id, lots: order.size });
      return 0;
    }
    const r = this.venue.submit(order);
    if (!r.accepted) {
      this.rejectedSubmits++;
      this.lastRefusal = { by: 'venue', ts: this.venue.now(), reject: r.reject };
      this.onOrder?.({ kind: 'rejected', order, reject: r.reject });
      return 0;
    }
    const exposure = this.gate.exposure;
    exposure.accepted(this.agentId, order.id, order.side, order.kind === 'limit' ? order.price : undefined, r.resting, this.venue.now(), RiskGate.orderKey(order), this.decisionCount);
    this.onOrder?.({ kind: 'accepted', order, resting: r.resting });
    let got = 0;
    for (const f of r.fills) {
      this.recordFill(f, this.mid, false);
      if (f.side === this.parent.side) got += f.size;
    }
    if (r.cancelled > 0) this.onOrder?.({ kind: 'expired', orderId: order.id, lots: r.cancelled });
    return got;
  }

  /** Cancels one working order; returns whether the venue cancelled it. */
  private cancel(id: AgentOrderId, reason: string): boolean {
    const r = this.venue.cancel(id);
    if (!r.accepted) {
      this.rejectedCancels++;
      return false;
    }
    this.gate.exposure.removed(this.agentId, id);
    this.onOrder?.({ kind: 'cancelled', orderId: id, lots: r.cancelled, reason });
    return true;
  }

  /** Books a fill: to the gate's exposure always, to the parent order's figures when it is on the parent's side (a flatten's fills are not). */
  private recordFill(f: AgentFill, midBefore: number, resting: boolean): void {
    this.gate.exposure.filled(this.agentId, f.orderId, f.side, f.price, f.size, resting);
    this.onOrder?.({ kind: 'filled', fill: f });
    if (f.side !== this.parent.side) return;
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

function alwaysRunning(): AgentLifecycle {
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
