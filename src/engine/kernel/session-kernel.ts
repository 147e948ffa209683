import { NS_PER_SECOND } from '../core/clock';
import type { IdSource } from '../core/ids';
import type { Side } from '../book/types';
import type { AgentState, DecisionExplanation, DepthView, EngineEvent, SessionState, UnsequencedEvent } from '../contract/events';
import type { CommandResult } from '../contract/result';
import { fail, ok } from '../contract/result';
import type { ValidCommand } from '../contract/index';

/** The commands the session kernel carries out; workflows (RunBacktest, CancelWorkflow) run beside it in the host. */
export type SessionCommand = Exclude<ValidCommand, { name: WorkflowCommandName }>;
/** The commands that start or cancel a workflow. */
export type WorkflowCommandName = 'RunBacktest' | 'CancelWorkflow';

/** Whether the session kernel carries out `command` (the host runs the rest beside it). */
export function isSessionCommand(command: ValidCommand): command is SessionCommand {
  return command.name !== 'RunBacktest' && command.name !== 'CancelWorkflow';
}
import type { SessionMarket, SessionVenue } from './market';
import type { SubmitResult, VenueEvent, VenueOrder, VenueRejectReason } from '../venue/types';
import { ExecutionSession } from '../execution/session';
import { MarketObserver } from '../execution/market-observer';
import type { ExecutionStrategy, ParentOrder } from '../execution/types';
import { AgentPort } from './agent-port';
import type { AgentView, SessionSnapshot } from './snapshot';
import { describeDenial, RiskGate, type RiskDenial } from '../risk/gate';
import { DEFAULT_LIMITS, type RiskLimits } from '../risk/limits';

/** One agent the session starts with: a parent order and the strategy that works it. */
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
}

export interface SessionConfig {
  readonly sessionId: string;
  /** The seed the session's market was built from (reported with it). */
  readonly seed: number;
  /** The venue and instrument: the simulator (`simSessionMarket`) or a recorded day. */
  readonly market: SessionMarket;
  /** Simulated seconds per wall second at start. */
  readonly speed: number;
  readonly agents: readonly AgentSpec[];
  readonly limits: RiskLimits;
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

export { DEFAULT_LIMITS };

export const DEFAULT_AGENTS: readonly AgentSpec[] = [
  { name: 'TWAP sell 30k', strategy: 'twap', side: 'sell', quantity: 30_000, horizonSeconds: 3_600, intervalSeconds: 30, startAfterSeconds: 15 },
  { name: 'VWAP buy 20k', strategy: 'vwap', side: 'buy', quantity: 20_000, horizonSeconds: 5_400, intervalSeconds: 30, startAfterSeconds: 25 },
  { name: 'POV 10% sell 15k', strategy: 'pov', side: 'sell', quantity: 15_000, horizonSeconds: 7_200, intervalSeconds: 20, startAfterSeconds: 35 },
];

/** How many recent trades a snapshot carries. */
const TRADE_HISTORY = 4_000;
/** The top of book is sampled for QuoteChanged on this grid of simulated time. */
const QUOTE_GRID_NS = 100_000_000;
/** Levels a side in depth views. */
const DEPTH_LEVELS = 10;

export interface KernelDeps {
  readonly ids: IdSource;
  readonly strategies: StrategyFactory;
}

interface RunningAgent {
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
}

/**
 * The session kernel: it owns a simulated venue, the agents working parent orders on it and the
 * model-free risk gate every order passes; it advances simulated time by `elapse(ns)`, carries out
 * validated commands, and publishes every change as a sequenced event. Time and chance come from the
 * seed alone: market events run at their own simulated times, agents decide on fixed schedules and
 * quotes are sampled on a fixed grid, so the same seed gives the same event stream however the host
 * slices time.
 */
export class SessionKernel {
  private readonly venue: SessionVenue;
  private readonly agents: RunningAgent[] = [];
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly trades: Array<{ ts: number; price: number; size: number }> = [];
  /** The model-free pre-trade gate: the kernel calls it through each agent's session and does not contain it. */
  private readonly gate: RiskGate;
  private seq = 0;
  private paused = false;
  private speed: number;
  private nextQuoteAt: number;
  private lastQuote = { bid: 0, ask: 0, bidSize: 0, askSize: 0 };

  constructor(
    private readonly deps: KernelDeps,
    private readonly config: SessionConfig,
  ) {
    this.venue = config.market.venue;
    this.speed = config.speed;
    this.gate = new RiskGate(config.limits);
    this.nextQuoteAt = this.gridAfter(this.venue.now());
    config.agents.forEach((spec, index) => {
      const id = deps.ids.next('agent');
      const startNs = this.venue.now() + Math.round(spec.startAfterSeconds * NS_PER_SECOND);
      const agent: RunningAgent = {
        id,
        spec,
        port: new AgentPort(this.venue, index, (o, r) => this.onSubmit(agent, o, r)),
        parent: { side: spec.side, quantity: spec.quantity, horizonNs: Math.round(spec.horizonSeconds * NS_PER_SECOND) },
        startNs,
        intervalNs: Math.round(spec.intervalSeconds * NS_PER_SECOND),
        strategy: null,
        session: null,
        observer: new MarketObserver(),
        state: 'running',
        nextAt: startNs,
        filled: 0,
        notional: 0,
        lastReason: null,
      };
      this.agents.push(agent);
    });
  }

  /** Publishes the session's opening events. */
  start(): void {
    this.emit({ kind: 'SessionStarted', ts: this.now(), sessionId: this.config.sessionId, seed: this.config.seed, market: this.config.market.name, symbol: this.config.market.symbol });
    this.sampleQuote();
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Returns the simulated seconds per wall second. */
  get currentSpeed(): number {
    return this.speed;
  }

  /** Returns the sequence number of the last published event. */
  get lastSeq(): number {
    return this.seq;
  }

  get state(): SessionState {
    if (this.gate.killed) return 'halted';
    return this.paused ? 'paused' : 'running';
  }

  /** Returns whether the simulated clock is running. */
  get clockRunning(): boolean {
    return !this.paused;
  }

  /** Returns the book's top levels. */
  depth(levels = DEPTH_LEVELS): DepthView {
    return this.venue.l2(levels);
  }

  /** Advances simulated time by `ns`: market events, agent decisions and quote samples as they fall due. */
  elapse(ns: number): void {
    if (!Number.isFinite(ns) || ns < 0) throw new Error(`elapse takes a non-negative duration in ns, received ${ns}`);
    const target = this.now() + Math.floor(ns);
    for (;;) {
      let agentAt = Infinity;
      for (const a of this.agents) if (a.state === 'running' && a.nextAt < agentAt) agentAt = a.nextAt;
      const next = Math.max(this.now(), Math.min(target, agentAt, this.nextQuoteAt));
      this.distribute(this.venue.elapse(next - this.now()).events);
      if (next === this.nextQuoteAt) {
        this.sampleQuote();
        if (next % NS_PER_SECOND === 0) this.observeMid(next);
        this.nextQuoteAt += QUOTE_GRID_NS;
      }
      for (const a of this.agents) if (a.state === 'running' && a.nextAt <= next) this.decide(a);
      if (next >= target) break;
    }
  }

  /** Carries out a validated session command. Returns a typed result; a refusal changes nothing. */
  execute(command: SessionCommand): CommandResult<unknown> {
    const ts = this.now();
    switch (command.name) {
      case 'GetSnapshot':
        return ok({ snapshot: this.snapshot() });
      case 'SetSpeed':
        this.speed = command.payload.speed;
        this.emit({ kind: 'SpeedChanged', ts, speed: this.speed, reason: command.payload.reason ?? 'speed set' });
        return ok({ speed: this.speed });
      case 'PauseSession':
        if (this.paused) return fail('REJECTED', 'the session is already paused');
        this.paused = true;
        this.emit({ kind: 'SessionPaused', ts, reason: command.payload.reason });
        return ok({ state: this.state });
      case 'ResumeSession':
        if (!this.paused) return fail('REJECTED', 'the session is not paused');
        this.paused = false;
        this.emit({ kind: 'SessionResumed', ts, reason: command.payload.reason });
        return ok({ state: this.state });
      case 'KillAll':
        return ok(this.killAll(command.payload.reason));
      case 'ReleaseKillSwitch':
        if (!this.gate.killed) return fail('REJECTED', 'the kill switch is not engaged');
        this.gate.releaseKillSwitch();
        this.emit({ kind: 'KillSwitchReleased', ts, reason: command.payload.reason });
        return ok({ state: this.state });
      case 'PauseAgent':
      case 'ResumeAgent':
      case 'KillAgent': {
        const agent = this.agents.find((a) => a.id === command.payload.agentId);
        if (!agent) return fail('REJECTED', `no agent "${command.payload.agentId}"; agents are ${this.agents.map((a) => a.id).join(', ')}`);
        const to: AgentState = command.name === 'PauseAgent' ? 'paused' : command.name === 'ResumeAgent' ? 'running' : 'killed';
        if (to === 'running' && this.gate.killed) return fail('REJECTED', 'the kill switch is engaged; release it first');
        if (!canMove(agent.state, to)) return fail('REJECTED', `agent ${agent.id} is ${agent.state}; it cannot become ${to}`);
        if (to !== 'running') this.cancelWorking(agent);
        agent.state = to;
        if (to === 'running') agent.nextAt = Math.max(agent.nextAt, ts);
        this.emit({ kind: 'AgentStateChanged', ts, agentId: agent.id, state: to, reason: command.payload.reason });
        return ok({ agentId: agent.id, state: agent.state });
      }
      case 'SetRiskLimits': {
        const { reason, ...limits } = command.payload;
        this.gate.setLimits(limits);
        this.emit({ kind: 'RiskLimitsChanged', ts, limits, reason });
        return ok({ limits });
      }
    }
  }

  /** Returns the whole session state as of `lastSeq`. */
  snapshot(): SessionSnapshot {
    const now = this.now();
    const q = this.lastQuote;
    return {
      lastSeq: this.seq,
      session: {
        id: this.config.sessionId,
        seed: this.config.seed,
        market: this.config.market.name,
        symbol: this.config.market.symbol,
        tickSize: this.config.market.priceUnit,
        state: this.state,
        speed: this.speed,
        simTimeNs: now,
        startNs: this.config.market.openNs,
      },
      quote: q.bid > 0 && q.ask > 0 ? { ...q } : null,
      trades: this.trades.slice(-TRADE_HISTORY),
      agents: this.agents.map((a) => this.view(a, now)),
      risk: { killSwitch: this.gate.killed, reason: this.gate.killSwitchReason, limits: this.gate.limits },
      depth: this.depth(),
    };
  }

  /** An agent's fills so far: lots, average price (ticks) and shortfall against its arrival mid (bps, positive = cost). */
  private fillFigures(a: RunningAgent): { filled: number; avgPrice: number | null; shortfallBps: number | null } {
    const avg = a.filled > 0 ? a.notional / a.filled : null;
    const arrival = a.session?.arrivalMid ?? null;
    const sign = a.parent.side === 'buy' ? 1 : -1;
    return { filled: a.filled, avgPrice: avg, shortfallBps: avg === null || arrival === null || !(arrival > 0) ? null : ((sign * (avg - arrival)) / arrival) * 10_000 };
  }

  private view(a: RunningAgent, now: number): AgentView {
    const { filled, avgPrice, shortfallBps } = this.fillFigures(a);
    const endNs = a.startNs + a.parent.horizonNs;
    return {
      id: a.id,
      name: a.spec.name,
      strategy: a.strategy?.name ?? a.spec.strategy,
      state: a.state,
      side: a.parent.side,
      quantity: a.parent.quantity,
      filled,
      avgPrice,
      arrivalMid: a.session?.arrivalMid ?? null,
      shortfallBps,
      scheduleElapsed: Math.max(0, Math.min(1, (now - a.startNs) / a.parent.horizonNs)),
      startNs: a.startNs,
      endNs,
      working: a.session ? a.port.openOrders().reduce((n, o) => n + o.remaining, 0) : 0,
      lastReason: a.lastReason,
    };
  }

  private killAll(reason: string): { state: SessionState; agentsHalted: number; ordersCancelled: number } {
    let halted = 0;
    let cancelled = 0;
    // The switch goes first so nothing an agent does while it is being stopped can reach the venue.
    this.gate.engageKillSwitch(reason);
    for (const a of this.agents) {
      cancelled += this.cancelWorking(a);
      if (a.state === 'running' || a.state === 'paused') {
        a.state = 'killed';
        halted += 1;
        this.emit({ kind: 'AgentStateChanged', ts: this.now(), agentId: a.id, state: 'killed', reason });
      }
    }
    this.emit({ kind: 'KillSwitchEngaged', ts: this.now(), reason, agentsHalted: halted, ordersCancelled: cancelled });
    return { state: this.state, agentsHalted: halted, ordersCancelled: cancelled };
  }

  /** Cancels an agent's working orders; returns how many were cancelled. */
  private cancelWorking(a: RunningAgent): number {
    let n = 0;
    for (const o of a.port.openOrders()) if (a.port.cancel(o.id).accepted) n += 1;
    return n;
  }

  private onSubmit(agent: RunningAgent, order: VenueOrder, result: SubmitResult): void {
    if (!result.accepted) {
      this.emitDenied(agent, order, result.reject.code, describeReject(result.reject, (id) => this.orderName(id), (ticks) => this.price(ticks)), null);
      return;
    }
    this.emit({
      kind: 'OrderAccepted',
      ts: this.now(),
      agentId: agent.id,
      orderId: `${agent.id}/${order.id}`,
      side: order.side,
      price: order.kind === 'limit' ? order.price : null,
      size: order.size,
      resting: result.resting,
    });
    for (const f of result.fills) this.recordFill(agent, f.orderId, f.price, f.size, f.liquidity, this.now());
  }

  /** Names a venue order id as the window does: `agent-2/17`. */
  private orderName(venueId: number): string {
    const owner = this.agents.find((a) => a.port.owns(venueId));
    return owner ? `${owner.id}/${owner.port.localId(venueId)}` : String(venueId);
  }

  /** Formats a price in ticks as the trader reads it: in the instrument's currency, to the tick's decimals (`extra` more for a mid, which may sit between ticks). */
  private price(ticks: number, extra = 0): string {
    const tick = this.config.market.priceUnit;
    return (ticks * tick).toFixed(Math.max(0, Math.ceil(-Math.log10(tick) - 1e-9)) + extra);
  }

  private emitDenied(agent: RunningAgent, order: VenueOrder, code: string, detail: string, denial: RiskDenial | null): void {
    const price = order.kind === 'limit' ? order.price : null;
    this.emit({ kind: 'OrderDenied', ts: this.now(), agentId: agent.id, orderId: `${agent.id}/${order.id}`, side: order.side, price, size: order.size, code, detail, denial });
  }

  private recordFill(agent: RunningAgent, orderId: number, price: number, size: number, liquidity: 'maker' | 'taker', ts: number): void {
    agent.filled += size;
    agent.notional += price * size;
    this.emit({ kind: 'OrderFilled', ts, agentId: agent.id, orderId: `${agent.id}/${orderId}`, side: agent.parent.side, price, size, liquidity, agent: this.fillFigures(agent) });
  }

  private distribute(events: readonly VenueEvent[]): void {
    for (const e of events) {
      if (e.kind === 'OrderFilled') {
        const agent = this.agents.find((a) => a.port.owns(e.orderId));
        if (!agent) continue;
        agent.port.deliver(e);
        this.recordFill(agent, agent.port.localFill(e).orderId, e.price, e.size, e.liquidity, e.ts);
        continue;
      }
      for (const a of this.agents) {
        if (a.session) a.port.deliver(e);
        else if (e.kind === 'TradePrinted') a.observer.addPrint(e);
      }
      if (e.kind === 'TradePrinted') {
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
  private decide(a: RunningAgent): void {
    try {
      this.decideOrThrow(a);
    } catch (err) {
      const reason = `strategy failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500);
      this.cancelWorking(a);
      a.state = 'killed';
      a.lastReason = reason;
      this.emit({ kind: 'AgentStateChanged', ts: this.now(), agentId: a.id, state: 'killed', reason });
    }
  }

  private decideOrThrow(a: RunningAgent): void {
    const ts = this.now();
    if (!a.session) {
      a.session = new ExecutionSession({
        venue: a.port,
        gate: this.gate,
        agentState: () => a.state,
        onDenied: (order, denial) => this.emitDenied(a, order, denial.code, describeDenial(denial, (ticks, extra) => this.price(ticks, extra)), denial),
        parent: a.parent,
        agentId: a.id,
        tickSize: this.config.market.tickSize,
        decisionIntervalNs: a.intervalNs,
        observer: a.observer,
        venuePrintsAgentFills: this.config.market.venuePrintsAgentFills,
      });
      a.strategy = this.deps.strategies(a.spec, { market: this.config.market, parent: a.parent, startNs: a.session.startNs });
      this.emit({ kind: 'AgentStarted', ts, agentId: a.id, arrivalMid: a.session.arrivalMid, startNs: a.session.startNs, endNs: a.session.endNs });
    }
    const session = a.session;
    session.advance(0);
    const before = session.decisions.length;
    let decided = false;
    if (ts >= session.endNs || session.filled >= a.parent.quantity) {
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
      this.emit({ kind: 'DecisionMade', ts: d.ts, agentId: a.id, action: d.action.kind, size: d.action.size, price: d.action.price, reason: d.reason, inputs: d.inputs, explanation });
    }
    if (a.state === 'done') {
      this.emit({ kind: 'AgentStateChanged', ts, agentId: a.id, state: 'done', reason: `parent order finished: ${a.filled} of ${a.parent.quantity} filled` });
    }
  }

  /** Feeds the mid, once a simulated second, to the agents that have not started (as a backtest's warm-up does). */
  private observeMid(ts: number): void {
    const bid = this.venue.bestBid();
    const ask = this.venue.bestAsk();
    if (bid === undefined || ask === undefined) return;
    for (const a of this.agents) if (!a.session) a.observer.sampleMid(ts, (bid + ask) / 2);
  }

  private sampleQuote(): void {
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

  private gridAfter(ns: number): number {
    return (Math.floor(ns / QUOTE_GRID_NS) + 1) * QUOTE_GRID_NS;
  }

  /** Returns the simulated time, ns since midnight: the venue's clock, which only `elapse` moves. */
  now(): number {
    return this.venue.now();
  }

  /**
   * Publishes what a workflow running beside the session (a backtest the window started) reports,
   * in the session's one sequence, so the window and the journal see it like any other event.
   */
  publishWorkflow(update: Omit<Extract<EngineEvent, { kind: 'WorkflowUpdated' }>, 'kind' | 'seq' | 'ts'>): void {
    this.emit({ kind: 'WorkflowUpdated', ts: this.now(), ...update });
  }

  private emit(event: UnsequencedEvent): void {
    this.seq += 1;
    const e = { ...event, seq: this.seq } as EngineEvent;
    for (const l of this.listeners) l(e);
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

function canMove(from: AgentState, to: AgentState): boolean {
  if (from === 'killed' || from === 'done') return false;
  if (to === 'running') return from === 'paused';
  if (to === 'paused') return from === 'running';
  return true;
}
