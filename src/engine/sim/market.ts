/**
 * The market simulator's discrete-event kernel: one instrument, one L3 order book, a nanosecond
 * event queue, a fundamental value process and the background agents of a scenario.
 *
 * Determinism: everything random comes from one seeded `Rng`, forked in a fixed order at
 * construction into one stream for the fundamental and one (plus one for latency) per agent, so an
 * agent's draws never depend on another's; agents draw a fixed number of variates per decision.
 * Events at one nanosecond run in scheduling order. The execution agent (see `SimVenue`) gets its
 * own forked latency stream whether or not it trades, so a run with no agent orders is the exact
 * counterfactual of a run with them: the agent changes the market only through the book.
 *
 * The book is never crossed (the matching engine sees to that) and never left empty: when a side
 * empties, a backstop stub quote goes in at a fixed distance from the last mid, as exchanges' stub
 * quotes do; makers re-quote on their next turn. With `backstop.anchorToGenuineMid` the reference
 * is the mid of the last book whose bests were both genuine (not stubs), so a run of market orders
 * that keeps eating stubs finds each new one at the same price rather than ever further away.
 */

import { createOrderBook } from '../book/order-book';
import type { BookResult, LimitOrderRequest, MarketOrderRequest, OrderBook, Side } from '../book/types';
import { NS_PER_SECOND } from '../core/clock';
import { Rng } from '../core/rng';
import { buildAgents } from './agents';
import { EventQueue } from './event-queue';
import { FlowImpact } from './flow-impact';
import type { SimAgent } from './agents';
import type { FactsRecorder } from './facts-recorder';
import { LatencyModel, normalQuantile } from './sampling';
import type { Scenario } from './scenario';

export const BUY = 0;
export const SELL = 1;
export const SIDE_NAMES: readonly Side[] = ['buy', 'sell'];

/** Owner id of the execution agent's orders in the book. */
export const AGENT_OWNER = 1_000_000;
/** Owner id of the backstop stub quotes. */
export const BACKSTOP_OWNER = 999_999;
/** First book order id of the execution agent's orders (background ids count up from 1). */
export const AGENT_ID_BASE = 2 ** 40;

/** Event targets below 0 belong to the kernel. */
const T_FUNDAMENTAL = -1;
const T_SCENARIO = -2;
const T_ARRIVAL = -3;
/** Events of an external participant (the venue's execution agent). */
export const T_EXTERNAL = -4;

const P_LIMIT = 0;
const P_MARKET = 1;
const P_CANCEL = 2;
const P_IOC = 3;

/** Called after every book operation with its (reused) result; `takerOwner` is who sent it. */
export type BookOpListener = (result: BookResult, ts: number, takerOwner: number, takerSide: number, aggressive: boolean) => void;

export interface SimMarketOptions {
  /** Records the stylized facts' samples as the market runs. */
  readonly recorder?: FactsRecorder;
  /** Sizing hint for the book. */
  readonly initialOrders?: number;
}

/** The simulated market; see the module comment. */
export class SimMarket {
  readonly scenario: Scenario;
  readonly book: OrderBook;
  readonly openNs: number;
  readonly closeNs: number;
  readonly agents: readonly SimAgent[];
  /** The execution agent's latency stream (always forked, used or not). */
  readonly agentLatencyRng: Rng;
  /** Simulated events handled (queue pops). */
  eventsProcessed = 0;
  /** Book operations carried out (submissions and cancels). */
  messages = 0;
  /** Stub quotes the backstop put in because a side had emptied. */
  backstops = 0;
  /** The fundamental value, ticks (fractional). */
  fundamental: number;
  /** Current log-volatility factor of the fundamental (1 = typical). */
  volFactor = 1;
  /** The makers' shift of their fair value from the signed aggressive flow, every taker's (absent unless the scenario's `marketMakers.flowImpact` is set). */
  readonly flowImpact: FlowImpact | undefined;

  private nowNs: number;
  private readonly queue = new EventQueue();
  private readonly fundRng: Rng;
  private readonly recorder: FactsRecorder | undefined;
  private listener: BookOpListener | undefined;
  private external: ((kind: number, arg: number) => void) | undefined;
  private nextId = 1;
  private lastBid: number;
  private lastAsk: number;
  /** Mid of the last book whose bests were both genuine (not backstop stubs): the stubs' reference. */
  private refMid: number;
  /** Price of the latest backstop stub on each side (0: none yet). */
  private readonly stubPx = [0, 0];
  private readonly activityProfile: Float64Array;
  private readonly activityBucketNs: number;
  /** Largest activity multiplier, for thinning. */
  readonly maxActivity: number;

  // Reused requests.
  private readonly limitReq: { -readonly [K in keyof LimitOrderRequest]: LimitOrderRequest[K] } = {
    kind: 'limit',
    id: 0,
    owner: 0,
    side: 'buy',
    price: 1,
    size: 1,
    tif: 'GTC',
    postOnly: false,
  };
  private readonly marketReq: { -readonly [K in keyof MarketOrderRequest]: MarketOrderRequest[K] } = { kind: 'market', id: 0, owner: 0, side: 'buy', size: 1 };

  // Orders in flight (entry latency), by slot.
  private pKind: Int32Array = new Int32Array(64);
  private pAgent: Int32Array = new Int32Array(64);
  private pSide: Int32Array = new Int32Array(64);
  private pId: Float64Array = new Float64Array(64);
  private pPrice: Float64Array = new Float64Array(64);
  private pSize: Float64Array = new Float64Array(64);
  private pTag: Float64Array = new Float64Array(64);
  private pNext: Int32Array = new Int32Array(64);
  private pFree = -1;

  // Fundamental process.
  private readonly fundStepNs: number;
  private readonly sigmaStep: number;
  private readonly volPersistence: number;
  private readonly volShock: number;
  private readonly jumpProb: number;
  private readonly jumpSigma: number;
  private logVol = 0;

  constructor(scenario: Scenario, seed: number, options: SimMarketOptions = {}) {
    this.scenario = scenario;
    this.book = createOrderBook({ initialOrders: options.initialOrders ?? 4096, initialLevels: 1024 });
    this.openNs = Math.round(scenario.session.openSeconds * NS_PER_SECOND);
    this.closeNs = this.openNs + Math.round(scenario.session.durationSeconds * NS_PER_SECOND);
    this.nowNs = this.openNs;
    this.recorder = options.recorder;
    const start = scenario.instrument.startPriceTicks;
    this.fundamental = start;
    this.lastBid = start - 1;
    this.lastAsk = start + 1;
    this.refMid = start;
    const fi = scenario.marketMakers.flowImpact;
    this.flowImpact = fi === undefined ? undefined : new FlowImpact(fi, this.openNs);

    const profile = scenario.intraday?.profile ?? [1];
    let sum = 0;
    for (const p of profile) sum += p;
    this.activityProfile = Float64Array.from(profile, (p) => (p * profile.length) / sum);
    this.activityBucketNs = Math.round((scenario.intraday?.bucketSeconds ?? scenario.session.durationSeconds) * NS_PER_SECOND);
    this.maxActivity = Math.max(...this.activityProfile);

    const f = scenario.fundamental;
    this.fundStepNs = Math.max(1, Math.round(f.stepMs * 1e6));
    const stepMinutes = f.stepMs / 60_000;
    this.sigmaStep = (f.volatilityBpsPerMinute / 1e4) * Math.sqrt(stepMinutes);
    const tau = f.volMeanReversionMinutes;
    this.volPersistence = Math.exp(-stepMinutes / tau);
    // Stationary sd of the log-volatility is volOfVol: the AR(1) shock keeps it there.
    this.volShock = f.volOfVol * Math.sqrt(1 - this.volPersistence * this.volPersistence);
    this.jumpProb = (f.jumpRatePerHour / 60) * stepMinutes;
    this.jumpSigma = f.jumpSizeBps / 1e4;

    const master = new Rng(seed);
    this.fundRng = master.fork(1);
    this.agentLatencyRng = master.fork(2);
    this.agents = buildAgents(scenario, master, (params, rng) => new LatencyModel(params, rng));
    for (const a of this.agents) a.start(this);
    this.queue.push(this.openNs + this.fundStepNs, T_FUNDAMENTAL, 0, 0);
    scenario.events.forEach((e, i) => {
      const at = this.openNs + Math.round(e.atSeconds * NS_PER_SECOND);
      this.queue.push(at, T_SCENARIO, 0, i);
      if (e.kind === 'liquidityWithdrawal') this.queue.push(at + Math.round(e.durationSeconds * NS_PER_SECOND), T_SCENARIO, 1, i);
    });
  }

  /** Returns the simulated time, ns after midnight. */
  now(): number {
    return this.nowNs;
  }

  /** Returns the activity multiplier (intraday profile, mean 1) at `t`. */
  activity(t: number): number {
    const p = this.activityProfile;
    let i = Math.floor((t - this.openNs) / this.activityBucketNs);
    if (i < 0) i = 0;
    else if (i >= p.length) i = p.length - 1;
    return p[i]!;
  }

  /** Returns the best bid, or the last one seen when the side is empty. */
  bid(): number {
    return this.book.bestBid() ?? this.lastBid;
  }

  /** Returns the best ask, or the last one seen when the side is empty. */
  ask(): number {
    return this.book.bestAsk() ?? this.lastAsk;
  }

  /** Returns the mid in ticks (last known sides when one is empty). */
  mid(): number {
    return (this.bid() + this.ask()) / 2;
  }

  /** Schedules an event for `target` (an agent index, or `T_EXTERNAL`). */
  schedule(t: number, target: number, kind: number, arg: number): void {
    this.queue.push(t < this.nowNs ? this.nowNs : t, target, kind, arg);
  }

  /** Sets the listener told of every book operation (the venue). */
  setBookListener(listener: BookOpListener | undefined): void {
    this.listener = listener;
  }

  /** Sets the handler of `T_EXTERNAL` events. */
  setExternalHandler(handler: ((kind: number, arg: number) => void) | undefined): void {
    this.external = handler;
  }

  /** Returns the time of the next queued event (Infinity when none). */
  nextEventTime(): number {
    return this.queue.peekTime();
  }

  /** Carries out every event up to and including `t`, then sets the clock to `t`. */
  runUntil(t: number): void {
    const q = this.queue;
    const rec = this.recorder;
    const agents = this.agents;
    while (q.size > 0 && q.peekTime() <= t) {
      q.pop();
      const et = q.topTime;
      this.nowNs = et;
      this.eventsProcessed++;
      if (rec !== undefined) rec.advance(et);
      const target = q.topTarget;
      if (target >= 0) agents[target]!.handle(this, q.topKind, q.topArg);
      else this.kernelEvent(target, q.topKind, q.topArg);
    }
    if (t > this.nowNs) this.nowNs = t;
  }

  // ---- Order entry for background agents ----

  /** Sends a limit order for a background agent (through its entry latency); returns its book id. */
  sendLimit(agent: SimAgent, side: number, price: number, size: number, tag: number, tif: 'GTC' | 'IOC' = 'GTC'): number {
    const id = this.nextId++;
    const delay = agent.latency.instant ? 0 : agent.latency.entry();
    if (delay === 0) this.arriveLimit(agent, id, side, price, size, tag, tif);
    else this.inFlight(delay, tif === 'IOC' ? P_IOC : P_LIMIT, agent.index, id, side, price, size, tag);
    return id;
  }

  /**
   * Sends a market order for a background agent (through its entry latency). With `toTouch` (the
   * default) it takes at most what the opposite best level shows when it arrives, as most real
   * market orders do; a sweep through several levels needs `toTouch` false.
   */
  sendMarket(agent: SimAgent, side: number, size: number, toTouch = true): void {
    const id = this.nextId++;
    const delay = agent.latency.instant ? 0 : agent.latency.entry();
    if (delay === 0) this.backgroundMarket(agent.owner, id, side, size, toTouch);
    else this.inFlight(delay, P_MARKET, agent.index, id, side, 0, size, toTouch ? 1 : 0);
  }

  private backgroundMarket(owner: number, id: number, side: number, size: number, toTouch: boolean): void {
    if (toTouch) {
      const best = side === BUY ? this.book.bestAsk() : this.book.bestBid();
      if (best === undefined) return;
      const shown = this.book.depthAt(side === BUY ? 'sell' : 'buy', best);
      if (size > shown) size = shown;
    }
    this.submitMarket(owner, id, side, size);
  }

  /** Sends a cancel for a background agent (through its entry latency). */
  sendCancel(agent: SimAgent, id: number): void {
    const delay = agent.latency.instant ? 0 : agent.latency.entry();
    if (delay === 0) this.cancelById(id, agent.owner);
    else this.inFlight(delay, P_CANCEL, agent.index, id, 0, 0, 0, 0);
  }

  // ---- Book operations (any owner) ----

  /** Submits a limit order now and returns the book's (reused) result; the agent's own order gets a copy taken before anything else can touch the book (see `keepResult`). */
  submitLimit(owner: number, id: number, side: number, price: number, size: number, tif: 'GTC' | 'IOC' = 'GTC', postOnly = false): BookResult {
    const req = this.limitReq;
    req.id = id;
    req.owner = owner;
    req.side = SIDE_NAMES[side]!;
    req.price = price < 1 ? 1 : price;
    req.size = size;
    req.tif = tif;
    req.postOnly = postOnly;
    const opp = side === BUY ? this.book.bestAsk() : this.book.bestBid();
    const aggressive = opp !== undefined && (side === BUY ? price >= opp : price <= opp);
    const midBefore = aggressive && this.recorder !== undefined ? this.mid() : 0;
    this.messages++;
    const r = this.book.submit(req);
    const result = owner === AGENT_OWNER ? keepResult(r) : r;
    this.after(r, owner, side, aggressive, midBefore);
    return result;
  }

  /** Submits a market order now and returns the book's (reused) result; the agent's own order gets a copy (see `keepResult`). */
  submitMarket(owner: number, id: number, side: number, size: number): BookResult {
    const req = this.marketReq;
    req.id = id;
    req.owner = owner;
    req.side = SIDE_NAMES[side]!;
    req.size = size;
    const midBefore = this.recorder !== undefined ? this.mid() : 0;
    this.messages++;
    const r = this.book.submit(req);
    const result = owner === AGENT_OWNER ? keepResult(r) : r;
    this.after(r, owner, side, true, midBefore);
    return result;
  }

  /** Cancels a resting order now (an unknown id is ignored: it traded first). */
  cancelById(id: number, owner: number): BookResult {
    this.messages++;
    const r = this.book.cancel(id);
    if (r.accepted) this.after(r, owner, 0, false, 0);
    return r;
  }

  /** Returns a fresh background order id. */
  newId(): number {
    return this.nextId++;
  }

  // ---- Internals ----

  private arriveLimit(agent: SimAgent, id: number, side: number, price: number, size: number, tag: number, tif: 'GTC' | 'IOC' = 'GTC'): void {
    const r = this.submitLimit(agent.owner, id, side, price, size, tif);
    let filled = 0;
    const fills = r.fills;
    for (let i = 0; i < fills.length; i++) filled += fills[i]!.size;
    agent.onArrived(this, id, side, price, r.resting, filled, tag);
  }

  /** Routes fills to background makers, keeps the book two-sided and tells the recorder and listener. */
  private after(r: BookResult, takerOwner: number, takerSide: number, aggressive: boolean, midBefore: number): void {
    const fills = r.fills;
    const nf = fills.length;
    if (nf > 0) {
      const agents = this.agents;
      let size = 0;
      for (let i = 0; i < nf; i++) {
        const f = fills[i]!;
        size += f.size;
        const o = f.makerOwner;
        if (o >= 1 && o <= agents.length) agents[o - 1]!.onFill(this, f.makerId, takerSide ^ 1, f.price, f.size, f.makerRemaining);
      }
      if (this.recorder !== undefined) this.recorder.trade(this.nowNs, takerSide === BUY ? 1 : -1, size, midBefore, this.mid());
      if (this.flowImpact !== undefined) this.flowImpact.trade(this.nowNs, takerSide === BUY ? 1 : -1, size);
    }
    if (this.listener !== undefined) this.listener(r, this.nowNs, takerOwner, takerSide, aggressive);
    const b = this.book.bestBid();
    const a = this.book.bestAsk();
    if (b !== undefined) this.lastBid = b;
    if (a !== undefined) this.lastAsk = a;
    if (b !== undefined && a !== undefined && b !== this.stubPx[BUY] && a !== this.stubPx[SELL]) this.refMid = (b + a) / 2;
    if (b === undefined || a === undefined) this.backstop(b === undefined ? BUY : SELL);
  }

  private backstop(side: number): void {
    const bs = this.scenario.backstop;
    // Distance from the last genuine mid, not from a mid that already includes an earlier stub:
    // measured from the latter, every stub a seller eats puts the next one further down, and a
    // burst of market orders walks the price to the floor. With no stub at either last best the
    // last mid is genuine and is used as before. Opt-in (`anchorToGenuineMid`) so that scenarios
    // tuned with the old rule keep their exact markets.
    const stubbed = bs.anchorToGenuineMid && (this.lastBid === this.stubPx[BUY] || this.lastAsk === this.stubPx[SELL]);
    const mid = stubbed ? this.refMid : (this.lastBid + this.lastAsk) / 2;
    const price = side === BUY ? Math.max(1, Math.floor(mid - bs.distanceTicks)) : Math.ceil(mid + bs.distanceTicks);
    this.backstops++;
    this.stubPx[side] = price;
    this.submitLimit(BACKSTOP_OWNER, this.nextId++, side, price, bs.size);
  }

  private inFlight(delay: number, kind: number, agent: number, id: number, side: number, price: number, size: number, tag: number): void {
    if (this.pFree < 0) this.growPending();
    const s = this.pFree;
    this.pFree = this.pNext[s]!;
    this.pKind[s] = kind;
    this.pAgent[s] = agent;
    this.pId[s] = id;
    this.pSide[s] = side;
    this.pPrice[s] = price;
    this.pSize[s] = size;
    this.pTag[s] = tag;
    this.queue.push(this.nowNs + delay, T_ARRIVAL, 0, s);
  }

  private growPending(): void {
    const old = this.pKind.length;
    const n = old * 2;
    const i32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.pKind = i32(this.pKind);
    this.pAgent = i32(this.pAgent);
    this.pSide = i32(this.pSide);
    this.pNext = i32(this.pNext);
    this.pId = f64(this.pId);
    this.pPrice = f64(this.pPrice);
    this.pSize = f64(this.pSize);
    this.pTag = f64(this.pTag);
    for (let s = old; s < n; s++) this.pNext[s] = s + 1 < n ? s + 1 : this.pFree;
    this.pFree = old;
  }

  private kernelEvent(target: number, kind: number, arg: number): void {
    if (target === T_ARRIVAL) {
      const s = arg;
      const agent = this.agents[this.pAgent[s]!]!;
      const pk = this.pKind[s]!;
      const id = this.pId[s]!;
      const side = this.pSide[s]!;
      const price = this.pPrice[s]!;
      const size = this.pSize[s]!;
      const tag = this.pTag[s]!;
      this.pNext[s] = this.pFree;
      this.pFree = s;
      if (pk === P_LIMIT || pk === P_IOC) this.arriveLimit(agent, id, side, price, size, tag, pk === P_IOC ? 'IOC' : 'GTC');
      else if (pk === P_MARKET) this.backgroundMarket(agent.owner, id, side, size, tag === 1);
      else this.cancelById(id, agent.owner);
    } else if (target === T_FUNDAMENTAL) {
      this.stepFundamental();
      this.queue.push(this.nowNs + this.fundStepNs, T_FUNDAMENTAL, 0, 0);
    } else if (target === T_SCENARIO) {
      this.scenarioEvent(kind, arg);
    } else if (target === T_EXTERNAL) {
      this.external?.(kind, arg);
    }
  }

  /** One step of the fundamental: log-AR(1) volatility, intraday scaling, Gaussian move and rare jumps. */
  private stepFundamental(): void {
    const rng = this.fundRng;
    const z1 = normalQuantile(rng.next());
    const z2 = normalQuantile(rng.next());
    const uj = rng.next();
    const zj = normalQuantile(rng.next());
    const f = this.scenario.fundamental;
    this.logVol = this.volPersistence * this.logVol + this.volShock * z1;
    // The mean of exp(logVol) is exp(var/2): divide it out so `volatilityBpsPerMinute` stays the typical level.
    this.volFactor = Math.exp(this.logVol - (f.volOfVol * f.volOfVol) / 2);
    const act = this.activity(this.nowNs) ** f.profileExponent;
    let r = this.sigmaStep * this.volFactor * act * z2;
    if (uj < this.jumpProb) r += this.jumpSigma * zj;
    this.fundamental *= Math.exp(r);
  }

  private scenarioEvent(phase: number, index: number): void {
    const e = this.scenario.events[index]!;
    if (e.kind === 'fundamentalJump') {
      this.fundamental *= Math.exp(e.bps / 1e4);
    } else if (e.kind === 'liquidityWithdrawal') {
      const makers = this.agents.filter((a) => a.kind === 'marketMaker');
      const n = Math.round(makers.length * e.share);
      for (let i = 0; i < n; i++) {
        const m = makers[i]!;
        if (phase === 0) m.withdraw(this);
        else m.resume(this, this.nowNs + Math.round(((i + 1) / n) * e.recoverySeconds * NS_PER_SECOND));
      }
    }
    // Aggressive selling bursts are agents of their own (see `buildAgents`).
  }
}

/**
 * Copies a book result the caller reads after `after` has run: a backstop stub placed when the
 * order emptied a side submits to the book again, which reuses (and so overwrites) its result, and
 * the agent's fills and resting size would read as the stub's.
 */
function keepResult(r: BookResult): BookResult {
  return { accepted: r.accepted, reject: r.reject, fills: r.fills.map((f) => ({ ...f })), resting: r.resting, cancelled: r.cancelled, stpCancelled: [...r.stpCancelled], l2: r.l2.map((c) => ({ ...c })) };
}
