/**
 * The kernel: one venue, the agents working parent orders on it through their ports, and the
 * model-free risk gate every order passes, advanced by `elapse(ns)`. Each agent is an
 * `ExecutionSession` on an `AgentPort` of the shared venue; the kernel owns time, hands each port
 * what concerns its agent as the venue moves, and lets agents decide on their schedules. It
 * publishes what happens as events (a live session sequences and journals them; a backtest keeps
 * the session's own record). A live session (kernel/session-kernel.ts), a backtest or evaluation
 * episode (runner.ts) and a training env (rl/env.ts) are this kernel with a different market and
 * clock: the host's wall clock with the top of book sampled on a 100 ms grid, or as fast as the
 * decisions come (in a training env, each one the learner's action).
 */

import { NS_PER_SECOND } from '../core/clock';
import type { IdSource } from '../core/ids';
import type { Side } from '../book/types';
import type { AgentState, DecisionExplanation, DepthView, OrderExposure, SignalView, UnsequencedEvent } from '../contract/events';
import type { Venue, VenueEvent, VenueOrder, VenueRejectReason } from '../venue/types';
import type { AgentOverride } from '../agents/agents.contract';
import { ExecutionSession, type OrderStep } from './session';
import { MarketObserver, venueMid } from './market-observer';
import type { ExecutionStrategy, ParentOrder, SessionRefusal } from './types';
import type { VolumeProfile } from './schedules';
import { AgentPort } from './agent-port';
import { describeDenial, RiskGate, type RiskDenial, type TradingState } from '../risk/gate';
import type { RiskLimits } from '../risk/limits';
import { PostureBook, type PostureRule } from '../risk/posture';
import type { DetectorEdge, DynamicRisk, DynamicRiskView, MarketSample } from '../risk/overlay';
import type { MarketSignal, SignalReading } from '../signals/market-signal';

/** What a kernel runs on: a venue that shows its book, and what it needs to know of the instrument. */
export interface SessionMarket {
  readonly venue: Venue;
  /** The market's name as the session reports it: a scenario's name, or `lobster:FILE`. */
  readonly name: string;
  readonly symbol: string;
  /** Currency per price unit, for display (a simulator tick; $0.0001 on LOBSTER). */
  readonly priceUnit: number;
  /** Price units per tick, the step orders are priced in (1 on the simulator, 100 on LOBSTER). */
  readonly tickSize: number;
  /** The day's open, ns since midnight. */
  readonly openNs: number;
  /** The intraday volume shape VWAP follows. */
  readonly volumeProfile: VolumeProfile;
  /** Whether the venue reports the agents' own fills as trades on its tape (the simulator does; a replay does not). */
  readonly venuePrintsAgentFills: boolean;
}

/** One agent the kernel runs: a parent order and the strategy that works it. */
export interface AgentSpec {
  readonly name: string;
  /** A strategy name the session's strategy factory knows ('twap', 'vwap', 'pov', 'rl', …). */
  readonly strategy: string;
  readonly side: Side;
  readonly quantity: number;
  readonly horizonSeconds: number;
  readonly intervalSeconds: number;
  /** Seconds after the session opens before the agent starts (the market warms up first). */
  readonly startAfterSeconds: number;
  /** The parent order as a whole, where it has more than side, quantity and horizon (a limit price): a backtest's. */
  readonly parent?: ParentOrder;
  /** An observer already warmed up on the market (a backtest's pre-trade window); a fresh one by default, fed from the session's start. */
  readonly observer?: MarketObserver;
  /** Whether the agent's session keeps its decisions (default true). */
  readonly recordDecisions?: boolean;
  /** Whether the agent is done once its order is filled (default), or decides on to its horizon (a training env's fixed-length episode). */
  readonly finishWhenFilled?: boolean;
  /** A POV agent's participation rate (0..1); the strategies' default when not given. */
  readonly participation?: number;
  /** An Almgren–Chriss agent's risk aversion, 1/bps; the strategies' default when not given. */
  readonly riskAversion?: number;
  /** The pace the agent starts at (ExecutionSession.retune's urgency; 1 when not given). */
  readonly urgency?: number;
  /** The most of the market's volume the agent may take (0..1); none when not given. */
  readonly participationCap?: number;
  /** Told of each of the agent's orders the gate denies, besides the OrderDenied event. */
  readonly onDenied?: (order: VenueOrder, denial: RiskDenial) => void;
}

export interface KernelConfig {
  readonly market: SessionMarket;
  readonly agents: readonly AgentSpec[];
  readonly limits: RiskLimits;
  /** The grid of simulated time the top of book is sampled on for QuoteChanged (default 100 ms); null samples nothing (a backtest). */
  readonly quoteGridNs?: number | null;
  /** Told of every event (a live session sequences them instead). */
  readonly onEvent?: (event: UnsequencedEvent) => void;
  /** Volatility forecasts and detectors, sampled once a simulated second on the quote grid; none by default. */
  readonly dynamic?: DynamicRisk;
  /** What the overlay does when a detector fires (DEFAULT_POSTURE_RULES by default). */
  readonly postureRules?: readonly PostureRule[];
  /** The market's signal, fed with every event of the venue; every agent's view carries its reading. None by default. */
  readonly signal?: MarketSignal;
}

/** Levels a side the market sample's depth counts. */
const SAMPLE_LEVELS = 5;

/** The market as the dynamic-risk monitor samples it (`MarketSample`): the one way, for a session and for the fit on real days. */
export function marketSample(venue: Venue, ts: number, tickSize: number): MarketSample {
  const depth = venue.l2(SAMPLE_LEVELS);
  const bid = depth.bids[0]?.[0];
  const ask = depth.asks[0]?.[0];
  const sum = (side: ReadonlyArray<readonly [number, number]>): number => side.reduce((n, [, q]) => n + q, 0);
  const two = bid !== undefined && ask !== undefined;
  return { ts, mid: two ? (bid + ask) / 2 : NaN, spread: two ? (ask - bid) / tickSize : NaN, bidDepth: sum(depth.bids), askDepth: sum(depth.asks) };
}

/** What a strategy factory is told about the agent it builds for. */
export interface StrategyContext {
  readonly market: SessionMarket;
  readonly parent: ParentOrder;
  readonly startNs: number;
}

/** A strategy as the session runs it, with the explanation of its last decision when it has one. */
export interface CockpitStrategy extends ExecutionStrategy {
  /** Returns why the last decision was taken, when the strategy can say (learned policies). */
  lastExplanation?(): DecisionExplanation | null;
}

export type StrategyFactory = (spec: AgentSpec, context: StrategyContext) => CockpitStrategy;

/** How many recent trades a snapshot carries. */
export const TRADE_HISTORY = 4_000;
/** The top of book is sampled for QuoteChanged on this grid of simulated time. */
const QUOTE_GRID_NS = 100_000_000;
/** Levels a side in depth views. */
const DEPTH_LEVELS = 10;

export interface KernelDeps {
  readonly ids: IdSource;
  readonly strategies: StrategyFactory;
}

/** An agent as the kernel runs it. */
export interface RunningAgent {
  readonly id: string;
  readonly spec: AgentSpec;
  readonly port: AgentPort;
  readonly parent: ParentOrder;
  readonly startNs: number;
  readonly intervalNs: number;
  strategy: CockpitStrategy | null;
  session: ExecutionSession | null;
  /** Watches the market from the session's start, so the agent's first view has volume and volatility. */
  readonly observer: MarketObserver;
  state: AgentState;
  nextAt: number;
  filled: number;
  notional: number;
  lastReason: string | null;
  /** Why the agent is being flattened, once it is. */
  flattenReason: string | null;
  /** Set once the trader retired the finished agent: it leaves the views, its record stays. */
  retired?: boolean;
  /** The mid at which the agent pauses itself (a buyer's when the mid rises to it, a seller's when it falls to it), or null. */
  pauseAt: number | null;
  /** The parameters the trader changed, each with its original (the pause price's entry goes to null once reached). */
  overrides: AgentOverride[];
}

/** The trader's own orders go out as this agent's orders: the desk (Kernel.desk). */
export const DESK_ID = 'trader';
/** The desk as the kernel runs it: no strategy, no schedule, no parent order to fill (one it never reaches stands in for it). */
const DESK_SPEC: AgentSpec = { name: 'Trader (manual)', strategy: 'manual', side: 'buy', quantity: Number.MAX_SAFE_INTEGER, horizonSeconds: 86_400, intervalSeconds: 1, startAfterSeconds: 0, recordDecisions: false };

/** Whether an agent is the trader's desk. */
export function isDesk(a: { readonly id: string }): boolean {
  return a.id === DESK_ID;
}

/** A flattening agent sends its next reducing order this long after the last. */
const FLATTEN_STEP_NS = NS_PER_SECOND;

/** Whether the kernel asks an agent to decide on its schedule: it is running, or working its position to flat. */
function deciding(a: RunningAgent): boolean {
  return a.state === 'running' || a.state === 'flattening';
}

/** Formats currency for a denial's sentence. */
function money(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export class Kernel {
  protected readonly venue: Venue;
  protected readonly agents: RunningAgent[] = [];
  /** The market as watched from the session's start, fed as an agent not started yet is: an agent launched mid-session starts from a copy (`watched`). */
  private readonly watch = new MarketObserver();
  protected readonly trades: Array<{ ts: number; price: number; size: number }> = [];
  /** The model-free pre-trade gate: the kernel calls it through each agent's session and does not contain it. */
  protected readonly gate: RiskGate;
  protected readonly quoteGridNs: number | null;
  protected nextQuoteAt: number;
  protected lastQuote = { bid: 0, ask: 0, bidSize: 0, askSize: 0 };
  /** Which detector holds which agent in which posture. */
  protected readonly posture: PostureBook;
  /** What the last SignalUpdated said, so an unchanged signal is not published again. */
  private lastSignalKey = '';

  constructor(
    protected readonly deps: KernelDeps,
    protected readonly config: KernelConfig,
  ) {
    this.venue = config.market.venue;
    this.gate = new RiskGate(config.limits, config.market.priceUnit);
    this.posture = new PostureBook(config.postureRules);
    this.quoteGridNs = config.quoteGridNs === undefined ? QUOTE_GRID_NS : config.quoteGridNs;
    this.nextQuoteAt = this.quoteGridNs === null ? Infinity : this.gridAfter(this.venue.now());
    config.agents.forEach((spec, index) => this.agents.push(this.makeAgent(deps.ids.next('agent'), spec, index)));
    config.signal?.resync(this.venue);
  }

  /** An agent as the kernel runs it, on port `index` of the venue (unique to it), starting `spec.startAfterSeconds` from now. */
  private makeAgent(id: string, spec: AgentSpec, index: number): RunningAgent {
    const startNs = this.venue.now() + Math.round(spec.startAfterSeconds * NS_PER_SECOND);
    return {
      id,
      spec,
      port: new AgentPort(this.venue, index),
      parent: spec.parent ?? { side: spec.side, quantity: spec.quantity, horizonNs: Math.round(spec.horizonSeconds * NS_PER_SECOND) },
      startNs,
      intervalNs: Math.round(spec.intervalSeconds * NS_PER_SECOND),
      strategy: null,
      session: null,
      observer: spec.observer ?? new MarketObserver(),
      state: 'running',
      nextAt: startNs,
      filled: 0,
      notional: 0,
      lastReason: null,
      flattenReason: null,
      pauseAt: null,
      overrides: [],
    };
  }

  /**
   * Adds an agent on a new parent order while the session runs (the trader's launch): the next id
   * from the session's id source, a port of its own, its first decision at the next moment time
   * moves. Refused under the kill switch. Returns it.
   */
  /** A copy of the market as watched since the session's start (volume, flow, volatility), for an agent launched now. */
  protected watched(): MarketObserver {
    return this.watch.clone();
  }

  protected addAgent(spec: AgentSpec): RunningAgent {
    const agent = this.makeAgent(this.deps.ids.next('agent'), spec, this.agents.length);
    this.agents.push(agent);
    return agent;
  }

  /** Samples the opening quote (a live session publishes its opening events first). */
  start(): void {
    this.sampleQuote();
  }

  /** Returns the simulated time, ns since midnight: the venue's clock, which only `elapse` moves. */
  now(): number {
    return this.venue.now();
  }

  /** Agent `index`'s state and the reason it last gave (a failed strategy's error when it was stopped for it). */
  agentOutcome(index: number): { readonly state: AgentState; readonly lastReason: string | null } | undefined {
    const a = this.agents[index];
    return a === undefined ? undefined : { state: a.state, lastReason: a.lastReason };
  }

  /** The session agent `index` works its order in (null before it starts), for a backtest's record. */
  agentSession(index: number): ExecutionSession | null {
    return this.agents[index]?.session ?? null;
  }

  /** Returns the book's top levels. */
  depth(levels = DEPTH_LEVELS): DepthView {
    return this.venue.l2(levels);
  }

  /**
   * Advances simulated time by `ns`: market events, agent decisions and quote samples as they fall
   * due. With `decideAtEnd` false, agents due at the new time are brought up to it but not asked to
   * decide yet (a training env asks them itself, with the learner's action).
   */
  elapse(ns: number, decideAtEnd = true): void {
    if (!Number.isFinite(ns) || ns < 0) throw new Error(`elapse takes a non-negative duration in ns, received ${ns}`);
    const target = this.now() + Math.floor(ns);
    for (;;) {
      let agentAt = Infinity;
      for (const a of this.agents) if (deciding(a) && a.nextAt < agentAt) agentAt = a.nextAt;
      const next = Math.max(this.now(), Math.min(target, agentAt, this.nextQuoteAt));
      // Every working agent's session follows the slice as it happens (fills at the mid of their moment).
      const live = this.agents.filter((a) => a.session !== null && (a.state === 'running' || a.state === 'paused' || a.state === 'flattening'));
      for (const a of live) (a.session as ExecutionSession).beginSlice();
      // The agents' and the trader's orders since the last slice moved the book without an event.
      this.config.signal?.resync(this.venue);
      const slice = this.venue.elapse(next - this.now());
      this.config.signal?.push(slice.events);
      this.distribute(slice.events, live);
      for (const a of live) (a.session as ExecutionSession).finishSlice();
      if (next === this.nextQuoteAt) {
        this.sampleQuote();
        this.pauseAtPrices();
        if (next % NS_PER_SECOND === 0) {
          this.observeMid(next);
          this.publishSignal();
          this.sampleRisk(next);
        }
        this.nextQuoteAt += this.quoteGridNs as number;
      }
      const decideNow = decideAtEnd || next < target;
      for (const a of this.agents) if (deciding(a) && a.nextAt <= next && decideNow) this.decide(a);
      if (next >= target) break;
    }
    if (!decideAtEnd) {
      // Whoever is due at the end is brought up to the moment (started, its view sampled) but not asked yet.
      for (const a of this.agents) {
        if (a.state !== 'running' || a.nextAt > target) continue;
        if (!a.session) this.startAgent(a);
        (a.session as ExecutionSession).advance(0);
      }
    }
  }

  /** The market's signal after the last event, or null (no signal kept, or no event yet). */
  signalReading(): SignalReading | null {
    return this.config.signal?.reading() ?? null;
  }

  /** The market signal as the window shows it, or null. */
  protected signalView(): SignalView | null {
    const r = this.signalReading();
    if (r === null) return null;
    const { ts: _ts, ...view } = r;
    return view;
  }

  /** Publishes the market signal when it has changed since the last second (probabilities to 0.1%, or the regime). */
  protected publishSignal(): void {
    if (!this.publishing) return;
    const view = this.signalView();
    if (view === null) return;
    const key = `${view.down.toFixed(3)} ${view.up.toFixed(3)} ${view.warm} ${view.regime?.name ?? ''} ${view.regime?.sinceNs ?? ''}`;
    if (key === this.lastSignalKey) return;
    this.lastSignalKey = key;
    this.emit({ kind: 'SignalUpdated', ts: this.now(), signal: view });
  }

  /** An agent's fills so far: lots, average price (ticks) and shortfall against its arrival mid (bps, positive = cost). */
  protected fillFigures(a: RunningAgent): { filled: number; avgPrice: number | null; shortfallBps: number | null } {
    const avg = a.filled > 0 ? a.notional / a.filled : null;
    const arrival = a.session?.arrivalMid ?? null;
    const sign = a.parent.side === 'buy' ? 1 : -1;
    return { filled: a.filled, avgPrice: avg, shortfallBps: avg === null || arrival === null || !(arrival > 0) ? null : ((sign * (avg - arrival)) / arrival) * 10_000 };
  }

  /** Engages the kill switch, halts every agent and cancels every working order; returns the counts. */
  protected killAll(reason: string): { agentsHalted: number; ordersCancelled: number } {
    let halted = 0;
    let cancelled = 0;
    // The switch goes first so nothing an agent does while it is being stopped can reach the venue.
    this.gate.engageKillSwitch(reason);
    for (const a of this.agents) {
      cancelled += this.cancelWorking(a, `kill switch: ${reason}`);
      // The desk is the trader's, not an agent: its orders go, and the switch blocks new ones until released.
      if (isDesk(a)) continue;
      if (a.state === 'running' || a.state === 'paused' || a.state === 'flattening') {
        a.state = 'killed';
        halted += 1;
        this.emit({ kind: 'AgentStateChanged', ts: this.now(), agentId: a.id, state: 'killed', reason });
      }
    }
    this.emit({ kind: 'KillSwitchEngaged', ts: this.now(), reason, agentsHalted: halted, ordersCancelled: cancelled, state: 'halted' });
    return { agentsHalted: halted, ordersCancelled: cancelled };
  }

  /**
   * Sets the session's trading state (`agentId` null) or one agent's; HALTED also cancels every
   * working order in its scope. Returns the orders cancelled.
   */
  protected setTradingState(agentId: string | null, state: TradingState, reason: string): number {
    this.gate.setTradingState(agentId === null ? 'session' : { agentId }, state, reason);
    let cancelled = 0;
    if (state === 'HALTED') for (const a of this.agents) if (agentId === null || a.id === agentId) cancelled += this.cancelWorking(a, `halted: ${reason}`);
    this.emit({ kind: 'TradingStateChanged', ts: this.now(), agentId, state, reason, ordersCancelled: cancelled });
    return cancelled;
  }

  /**
   * Stops an agent's strategy and works its position back to flat: its trading state goes to
   * REDUCING (only orders toward flat pass), and every second it sends an IOC at the opposite touch
   * sized to the limits until the position is 0, when it is reported done. Returns whether it started.
   */
  protected flatten(a: RunningAgent, reason: string): boolean {
    if (a.state === 'killed' || a.state === 'flattening' || (a.session === null && a.state !== 'running' && a.state !== 'paused')) return false;
    this.gate.setTradingState({ agentId: a.id }, 'REDUCING', `flatten: ${reason}`);
    this.emit({ kind: 'TradingStateChanged', ts: this.now(), agentId: a.id, state: 'REDUCING', reason: `flatten: ${reason}`, ordersCancelled: this.cancelWorking(a, `flatten: ${reason}`) });
    a.state = 'flattening';
    a.flattenReason = reason;
    a.nextAt = this.now();
    this.emit({ kind: 'AgentStateChanged', ts: this.now(), agentId: a.id, state: 'flattening', reason });
    return true;
  }

  /** Samples the market for the dynamic-risk monitor and carries out the posture rules on what fires or clears. */
  protected sampleRisk(ts: number): void {
    const dynamic = this.config.dynamic;
    if (!dynamic) return;
    const sample = marketSample(this.venue, ts, this.config.market.tickSize);
    // The regime detector reads the market signal's regime, where the session keeps one.
    const reading = this.signalReading();
    const regime = reading?.regime ? { name: reading.regime.name, stress: reading.regimeStress } : null;
    for (const e of dynamic.sample(regime ? { ...sample, regime } : sample)) this.onDetector(e);
  }

  /** Moves the agents as the posture rules say for a detector's edge, and alerts the trader with what fired, why, and what was done. */
  protected onDetector(e: DetectorEdge): void {
    const ts = this.now();
    const because = `${e.detector}: ${e.reason}`;
    const eligible = this.agents.filter((a) => !isDesk(a) && a.state === 'running' && this.gate.agentTradingState(a.id).state === 'ACTIVE').map((a) => a.id);
    const moves = e.edge === 'fired' ? this.posture.fired(e.detector, eligible) : this.posture.cleared(e.detector);
    const moved: string[] = [];
    for (const m of moves) {
      const a = this.agents.find((x) => x.id === m.agentId);
      if (!a) continue;
      if (m.action === 'REDUCING') this.setTradingState(a.id, 'REDUCING', because);
      else if (m.action === 'RESTORE_ACTIVE') {
        if (this.gate.agentTradingState(a.id).state !== 'REDUCING') continue;
        this.setTradingState(a.id, 'ACTIVE', `${e.detector} cleared: ${e.reason}`);
      } else if (m.action === 'PAUSE') {
        if (a.state !== 'running') continue;
        this.cancelWorking(a, `paused: ${because}`);
        a.state = 'paused';
        this.emit({ kind: 'AgentStateChanged', ts, agentId: a.id, state: 'paused', reason: because });
      } else {
        if (a.state !== 'paused' || this.gate.killed) continue;
        a.state = 'running';
        a.nextAt = Math.max(a.nextAt, ts);
        this.emit({ kind: 'AgentStateChanged', ts, agentId: a.id, state: 'running', reason: `${e.detector} cleared: ${e.reason}` });
      }
      moved.push(a.id);
    }
    const action = e.edge === 'fired' ? (this.posture.rule(e.detector)?.action ?? 'ALERT') : moved.length > 0 ? 'RESTORED' : null;
    this.emit({ kind: 'RiskAlert', ts, detector: e.detector, edge: e.edge, reason: e.reason, value: e.value, threshold: e.threshold, action, agents: moved });
  }

  /** The dynamic-risk state with the posture rules, or null without a monitor. */
  protected dynamicView(): DynamicRiskView | null {
    const d = this.config.dynamic;
    return d ? { ...d.view(), rules: this.posture.current } : null;
  }

  /** Cancels an agent's working orders; returns how many were cancelled. */
  protected cancelWorking(a: RunningAgent, reason: string): number {
    return a.session?.cancelAll(reason) ?? 0;
  }

  /** An agent's exposure as the gate books it, for the order events. */
  protected exposureOf(a: RunningAgent): OrderExposure {
    const e = this.gate.exposure.agent(a.id);
    return { position: e.position, openOrders: e.openOrders, workingLots: e.workingBuyLots + e.workingSellLots };
  }

  /** Publishes a step of one of an agent's orders (and books its fills to the agent's figures). */
  protected onOrder(a: RunningAgent, step: OrderStep): void {
    const ts = this.now();
    switch (step.kind) {
      case 'denied':
        this.emitDenied(a, step.order, step.denial.code, describeDenial(step.denial, (units, extra) => this.price(units, extra), money), step.denial);
        a.spec.onDenied?.(step.order, step.denial);
        return;
      case 'rejected':
        this.emitDenied(a, step.order, step.reject.code, describeReject(step.reject, (id) => this.orderName(id), (units) => this.price(units)), null);
        return;
      case 'filled':
        this.recordFill(a, step.fill.orderId, step.fill.side, step.fill.price, step.fill.size, step.fill.liquidity, step.fill.remaining, step.fill.ts);
        return;
    }
    if (!this.publishing) return;
    const order = step.kind === 'accepted' ? step.order.id : step.orderId;
    const orderId = `${a.id}/${order}`;
    const exposure = this.exposureOf(a);
    if (step.kind === 'accepted') {
      const o = step.order;
      this.emit({ kind: 'OrderAccepted', ts, agentId: a.id, orderId, side: o.side, price: o.kind === 'limit' ? o.price : null, size: o.size, resting: step.resting, exposure });
    } else if (step.kind === 'expired') this.emit({ kind: 'OrderExpired', ts, agentId: a.id, orderId, lots: step.lots, exposure });
    else this.emit({ kind: 'OrderCancelled', ts, agentId: a.id, orderId, lots: step.lots, reason: step.reason, exposure });
  }

  /** Names a venue order id as the window does: `agent-2/17`. */
  protected orderName(venueId: number): string {
    const owner = this.agents.find((a) => a.port.owns(venueId));
    return owner ? `${owner.id}/${owner.port.localId(venueId)}` : String(venueId);
  }

  /** Formats a price in ticks as the trader reads it: in the instrument's currency, to the tick's decimals (`extra` more for a mid, which may sit between ticks). */
  protected price(ticks: number, extra = 0): string {
    const tick = this.config.market.priceUnit;
    return (ticks * tick).toFixed(Math.max(0, Math.ceil(-Math.log10(tick) - 1e-9)) + extra);
  }

  protected emitDenied(agent: RunningAgent, order: VenueOrder, code: string, detail: string, denial: RiskDenial | null): void {
    const price = order.kind === 'limit' ? order.price : null;
    this.emit({ kind: 'OrderDenied', ts: this.now(), agentId: agent.id, orderId: `${agent.id}/${order.id}`, side: order.side, price, size: order.size, code, detail, denial });
  }

  /** Books a fill to the agent's figures (a flatten's fills, on the other side, are not the parent's) and publishes it. */
  protected recordFill(agent: RunningAgent, orderId: number, side: Side, price: number, size: number, liquidity: 'maker' | 'taker', remaining: number, ts: number): void {
    if (side === agent.parent.side) {
      agent.filled += size;
      agent.notional += price * size;
    }
    if (this.publishing) this.emit({ kind: 'OrderFilled', ts, agentId: agent.id, orderId: `${agent.id}/${orderId}`, side, price, size, liquidity, remaining, agent: this.fillFigures(agent), exposure: this.exposureOf(agent) });
  }

  /**
   * Hands a slice's events, in the venue's order, to the working agents' sessions (each its own
   * fills, with its own order ids, and the market's events), publishes its prints and feeds them to
   * the observers of the agents not started yet, so every fill is booked and published in its place.
   */
  protected distribute(events: readonly VenueEvent[], live: readonly RunningAgent[]): void {
    for (const e of events) {
      if (e.kind === 'OrderFilled') {
        const owner = live.find((a) => a.port.owns(e.orderId));
        if (owner) (owner.session as ExecutionSession).sliceEvent({ ...e, orderId: owner.port.localId(e.orderId) });
        continue;
      }
      for (const a of live) (a.session as ExecutionSession).sliceEvent(e);
      if (e.kind === 'TradePrinted') {
        this.watch.addPrint(e);
        for (const a of this.agents) if (!a.session) a.observer.addPrint(e);
      }
      if (e.kind === 'TradePrinted' && this.publishing) {
        this.trades.push({ ts: e.ts, price: e.price, size: e.size });
        if (this.trades.length > TRADE_HISTORY * 1.25) this.trades.splice(0, this.trades.length - TRADE_HISTORY);
        this.emit({ kind: 'TradePrinted', ts: e.ts, price: e.price, size: e.size, aggressor: e.aggressor });
      }
    }
  }

  /**
   * Lets an agent decide. An agent whose strategy fails (throws, or asks for something the
   * session refuses) is stopped on its own: its orders are cancelled and the session runs on.
   */
  protected decide(a: RunningAgent): void {
    try {
      this.decideOrThrow(a);
    } catch (err) {
      const reason = `strategy failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500);
      this.cancelWorking(a, reason);
      this.gate.setTradingState({ agentId: a.id }, 'HALTED', reason);
      this.emit({ kind: 'TradingStateChanged', ts: this.now(), agentId: a.id, state: 'HALTED', reason, ordersCancelled: 0 });
      a.state = 'killed';
      a.lastReason = reason;
      this.emit({ kind: 'AgentStateChanged', ts: this.now(), agentId: a.id, state: 'killed', reason });
    }
  }

  /**
   * The trader's desk: the agent the trader's own orders go out as, on a port of its own, through
   * the same session and gate as any agent's. Opened at the trader's first order (so a session
   * without one publishes the stream it always did); it never decides on its own. Throws when the
   * book is not two-sided (a session needs a mid to open).
   */
  protected desk(): RunningAgent {
    const found = this.agents.find(isDesk);
    if (found !== undefined) return found;
    const desk = this.makeAgent(DESK_ID, DESK_SPEC, this.agents.length);
    desk.nextAt = Infinity;
    this.openSession(desk);
    this.agents.push(desk);
    return desk;
  }

  /** Returns a refusal as the trader reads it: the gate's denial or the venue's rejection, with its numbers. */
  protected refusalText(r: SessionRefusal): { readonly code: string; readonly detail: string } {
    if (r.by === 'risk') return { code: r.denial.code, detail: describeDenial(r.denial, (units, extra) => this.price(units, extra), money) };
    return { code: r.reject.code, detail: describeReject(r.reject, (id) => this.orderName(id), (units) => this.price(units)) };
  }

  /** Opens an agent's session now (its arrival mid is taken here): the one path from the agent's orders through the gate to its port. */
  private openSession(a: RunningAgent): ExecutionSession {
    a.session = new ExecutionSession({
      venue: a.port,
      gate: this.gate,
      agentState: () => a.state,
      onOrder: (step) => this.onOrder(a, step),
      parent: a.parent,
      agentId: a.id,
      tickSize: this.config.market.tickSize,
      decisionIntervalNs: a.intervalNs,
      observer: a.observer,
      venuePrintsAgentFills: this.config.market.venuePrintsAgentFills,
      ...(this.config.signal === undefined ? {} : { signal: () => this.signalReading() }),
      ...(a.spec.recordDecisions === undefined ? {} : { recordDecisions: a.spec.recordDecisions }),
    });
    const { urgency, participationCap } = a.spec;
    if (urgency !== undefined || participationCap !== undefined) a.session.retune({ ...(urgency === undefined ? {} : { urgency }), ...(participationCap === undefined ? {} : { participationCap }) });
    return a.session;
  }

  /** Opens an agent's session at its start and builds its strategy. */
  protected startAgent(a: RunningAgent): void {
    const ts = this.now();
    const session = this.openSession(a);
    a.strategy = this.deps.strategies(a.spec, { market: this.config.market, parent: a.parent, startNs: session.startNs });
    this.emit({ kind: 'AgentStarted', ts, agentId: a.id, arrivalMid: session.arrivalMid, startNs: session.startNs, endNs: session.endNs });
  }

  protected decideOrThrow(a: RunningAgent): void {
    const ts = this.now();
    if (!a.session) this.startAgent(a);
    const session = a.session as ExecutionSession;
    session.advance(0);
    const before = session.decisions.length;
    let decided = false;
    if (a.state === 'flattening') {
      const left = session.flattenStep(a.flattenReason ?? 'flatten');
      a.nextAt = ts + FLATTEN_STEP_NS;
      if (left === 0 && isDesk(a)) {
        // The trader's desk, flat, is ready for the trader's next order (held REDUCING until set ACTIVE).
        a.state = 'running';
        a.nextAt = Infinity;
        this.emit({ kind: 'AgentStateChanged', ts, agentId: a.id, state: 'running', reason: `flat: position 0 (${a.flattenReason ?? 'flatten'})` });
        a.flattenReason = null;
      } else if (left === 0) {
        a.state = 'done';
        this.emit({ kind: 'AgentStateChanged', ts, agentId: a.id, state: 'done', reason: `flat: position 0 (${a.flattenReason ?? 'flatten'})` });
      }
    } else if (this.gate.agentTradingState(a.id).state === 'HALTED') {
      // A halted agent is not asked: nothing it sends could go out. It decides again when released.
      a.nextAt = Math.min(ts + a.intervalNs, session.endNs);
      return;
    } else if (ts >= session.endNs || (session.filled >= a.parent.quantity && a.spec.finishWhenFilled !== false)) {
      session.sweep(ts >= session.endNs ? 'horizon reached' : 'order complete');
      a.state = 'done';
    } else {
      session.apply(a.strategy!.decide(session.observe()));
      a.nextAt = Math.min(ts + a.intervalNs, session.endNs);
      decided = true;
    }
    // Only the strategy's own decision carries its explanation; the session's sweep has none.
    const explanation = decided ? (a.strategy?.lastExplanation?.() ?? null) : null;
    for (const d of session.decisions.slice(before)) {
      a.lastReason = d.reason;
      if (this.publishing) this.emit({ kind: 'DecisionMade', ts: d.ts, agentId: a.id, action: d.action.kind, size: d.action.size, price: d.action.price, reason: d.reason, inputs: d.inputs, explanation });
    }
    if (a.state === 'done' && !a.flattenReason) {
      this.emit({ kind: 'AgentStateChanged', ts, agentId: a.id, state: 'done', reason: `parent order finished: ${a.filled} of ${a.parent.quantity} filled` });
    }
  }

  /**
   * Pauses each running agent whose pause price the mid has reached (checked on the quote grid):
   * its working orders are cancelled, and the pause price is used up, so resuming does not pause
   * it again at once.
   */
  protected pauseAtPrices(): void {
    let mid: number | undefined;
    for (const a of this.agents) {
      if (a.pauseAt === null || a.state !== 'running') continue;
      mid ??= venueMid(this.venue, NaN);
      if (!(mid > 0) || (a.parent.side === 'buy' ? mid < a.pauseAt : mid > a.pauseAt)) continue;
      const reason = `the mid ${this.price(mid, 1)} reached the pause price ${this.price(a.pauseAt)}`;
      this.cancelWorking(a, `paused: ${reason}`);
      a.pauseAt = null;
      a.overrides = a.overrides.map((o) => (o.field === 'pauseAtPrice' ? { ...o, value: null, by: 'engine', ts: this.now(), reason } : o));
      a.state = 'paused';
      this.emit({ kind: 'AgentStateChanged', ts: this.now(), agentId: a.id, state: 'paused', reason });
      this.emit({ kind: 'AgentOverridden', ts: this.now(), agentId: a.id, changed: ['pauseAtPrice'], overrides: [...a.overrides], params: { pauseAtPrice: null }, by: 'engine', reason });
    }
  }

  /** Feeds the mid, once a simulated second, to the agents that have not started (as a backtest's warm-up does). */
  protected observeMid(ts: number): void {
    const bid = this.venue.bestBid();
    const ask = this.venue.bestAsk();
    if (bid === undefined || ask === undefined) return;
    this.watch.sampleMid(ts, (bid + ask) / 2);
    for (const a of this.agents) if (!a.session) a.observer.sampleMid(ts, (bid + ask) / 2);
  }

  protected sampleQuote(): void {
    const bid = this.venue.bestBid();
    const ask = this.venue.bestAsk();
    if (bid === undefined || ask === undefined) return;
    const depth = this.venue.l2(1);
    const q = { bid, ask, bidSize: depth.bids[0]?.[1] ?? 0, askSize: depth.asks[0]?.[1] ?? 0 };
    const last = this.lastQuote;
    if (q.bid === last.bid && q.ask === last.ask && q.bidSize === last.bidSize && q.askSize === last.askSize) return;
    this.lastQuote = q;
    this.emit({ kind: 'QuoteChanged', ts: this.now(), ...q });
  }

  protected gridAfter(ns: number): number {
    return (Math.floor(ns / QUOTE_GRID_NS) + 1) * QUOTE_GRID_NS;
  }

  /** Whether anyone takes the events: the hot ones (trades, fills, decisions) are not even built for a backtest's kernel. */
  protected get publishing(): boolean {
    return this.config.onEvent !== undefined;
  }

  /** Publishes an event: to `config.onEvent` here; a live session sequences it. */
  protected emit(event: UnsequencedEvent): void {
    this.config.onEvent?.(event);
  }
}

/** Returns a venue's refusal as a sentence with its numbers (prices as `price` formats them; an invalid price stays in ticks). */
function describeReject(r: VenueRejectReason, orderName: (venueId: number) => string, price: (ticks: number) => string): string {
  switch (r.code) {
    case 'WOULD_SELF_TRADE':
      return `would trade at ${price(r.price)} with the firm's own resting order ${orderName(r.restingId)} (self-trade prevention)`;
    case 'POST_ONLY_WOULD_CROSS':
      return `post-only at ${price(r.price)} would cross the best opposite price ${price(r.bestOpposite)}`;
    case 'INVALID_PRICE':
      return `price ${r.price} ticks is not a positive whole number of ticks`;
    case 'INVALID_SIZE':
      return `size ${r.size} is not a positive whole number of lots`;
    case 'INVALID_ORDER_ID':
    case 'DUPLICATE_ORDER_ID':
    case 'UNKNOWN_ORDER':
      return `order id ${r.id}: ${r.code.toLowerCase().replace(/_/g, ' ')}`;
    case 'TRADING_HALTED':
      return 'the venue has halted trading';
  }
}

