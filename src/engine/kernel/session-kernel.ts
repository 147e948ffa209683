import type { Clock } from '../core/clock';
import { ManualClock, NS_PER_SECOND } from '../core/clock';
import type { IdSource } from '../core/ids';
import { Rng } from '../core/rng';
import type { Side } from '../book/types';
import type { EngineEvent, SessionState, UnsequencedEvent } from '../contract/events';
import type { CommandResult } from '../contract/result';
import { fail, ok } from '../contract/result';
import type { ValidCommand } from '../contract/index';
import { StandInMarket, type MarketHappening } from '../market/standin-market';
import { TwapAgent } from '../agents/twap-agent';
import type { SessionSnapshot } from './snapshot';

export interface AgentSpec {
  readonly name: string;
  readonly side: Side;
  readonly quantity: number;
  readonly horizonSeconds: number;
  readonly intervalSeconds: number;
}

export interface SessionConfig {
  readonly sessionId: string;
  readonly seed: number;
  readonly symbol: string;
  /** Price of one tick in currency, for display. */
  readonly tickSize: number;
  /** Session start, ns since midnight. */
  readonly startNs: number;
  /** Simulated seconds per wall second at start. */
  readonly speed: number;
  readonly agents: readonly AgentSpec[];
}

export const DEFAULT_SESSION: SessionConfig = {
  sessionId: 'session-1',
  seed: 42,
  symbol: 'SIM',
  tickSize: 0.01,
  startNs: 34_200 * NS_PER_SECOND,
  speed: 5,
  agents: [
    { name: 'TWAP sell 60k', side: 'sell', quantity: 60_000, horizonSeconds: 3_600, intervalSeconds: 10 },
    { name: 'TWAP buy 30k', side: 'buy', quantity: 30_000, horizonSeconds: 2_700, intervalSeconds: 15 },
  ],
};

/** How many recent trades a snapshot carries. */
const TRADE_HISTORY = 4_000;

export interface KernelDeps {
  readonly clock: ManualClock;
  readonly ids: IdSource;
  readonly rng: Rng;
}

/**
 * The session kernel: it wires the market, the agents and the kill switch, advances simulated time
 * by `elapse(ns)`, carries out validated commands, and publishes every change as a sequenced event.
 * Time and chance come in from outside, so the same seed gives the same event stream however time
 * is sliced.
 */
export class SessionKernel {
  private readonly clock: ManualClock;
  private readonly ids: IdSource;
  private readonly market: StandInMarket;
  private readonly agents: TwapAgent[] = [];
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly trades: Array<{ ts: number; price: number; size: number }> = [];
  private seq = 0;
  private paused = false;
  private killSwitch = false;
  private killReason: string | null = null;
  private speed: number;

  constructor(
    deps: KernelDeps,
    private readonly config: SessionConfig = DEFAULT_SESSION,
  ) {
    this.clock = deps.clock;
    this.ids = deps.ids;
    if (this.clock.now() < config.startNs) this.clock.advanceTo(config.startNs);
    this.market = new StandInMarket(deps.rng.fork(1), config.startNs);
    this.speed = config.speed;
    const mid = this.market.mid();
    for (const spec of config.agents) {
      const parent = {
        side: spec.side,
        quantity: spec.quantity,
        startNs: config.startNs,
        horizonNs: spec.horizonSeconds * NS_PER_SECOND,
      };
      this.agents.push(new TwapAgent(this.ids.next('agent'), spec.name, parent, mid, spec.intervalSeconds * NS_PER_SECOND));
    }
  }

  /** Starts the session: publishes its opening events. */
  start(): void {
    this.emit({ kind: 'SessionStarted', ts: this.now(), sessionId: this.config.sessionId, seed: this.config.seed, market: 'stand-in', symbol: this.config.symbol });
    const q = this.market.quote();
    this.emit({ kind: 'QuoteChanged', ts: this.now(), bid: q.bid, ask: q.ask, bidSize: q.bidSize, askSize: q.askSize });
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get clockSource(): Clock {
    return this.clock;
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
    if (this.killSwitch) return 'halted';
    return this.paused ? 'paused' : 'running';
  }

  /** Returns whether the simulated clock is running. */
  get clockRunning(): boolean {
    return !this.paused;
  }

  /** Advances simulated time by `ns`, carrying out every market happening and agent decision due. */
  elapse(ns: number): void {
    if (!Number.isFinite(ns) || ns < 0) throw new Error(`elapse takes a non-negative duration in ns, received ${ns}`);
    const target = this.clock.now() + Math.floor(ns);
    for (;;) {
      const marketAt = this.market.nextEventAt();
      let agent: TwapAgent | undefined;
      let agentAt = Infinity;
      for (const a of this.agents) {
        const t = a.nextDecisionAt();
        if (t !== undefined && t < agentAt) {
          agentAt = t;
          agent = a;
        }
      }
      // A resumed agent may be overdue; it decides now, never in the past.
      const next = Math.max(this.clock.now(), Math.min(marketAt, agentAt));
      if (next > target) break;
      this.clock.advanceTo(next);
      if (agent && agentAt <= marketAt) this.decide(agent);
      else this.publishMarket(this.market.fire());
    }
    this.clock.advanceTo(target);
  }

  /** Carries out a validated command. Returns a typed result; a refusal changes nothing. */
  execute(command: ValidCommand): CommandResult<unknown> {
    const ts = this.now();
    switch (command.name) {
      case 'GetSnapshot':
        return ok({ snapshot: this.snapshot() });
      case 'SetSpeed': {
        this.speed = command.payload.speed;
        this.emit({ kind: 'SpeedChanged', ts, speed: this.speed, reason: command.payload.reason ?? 'speed set' });
        return ok({ speed: this.speed });
      }
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
        if (!this.killSwitch) return fail('REJECTED', 'the kill switch is not engaged');
        this.killSwitch = false;
        this.killReason = null;
        this.emit({ kind: 'KillSwitchReleased', ts, reason: command.payload.reason });
        return ok({ state: this.state });
      case 'PauseAgent':
      case 'ResumeAgent':
      case 'KillAgent': {
        const agent = this.agents.find((a) => a.id === command.payload.agentId);
        if (!agent) return fail('REJECTED', `no agent "${command.payload.agentId}"; agents are ${this.agents.map((a) => a.id).join(', ')}`);
        const to = command.name === 'PauseAgent' ? 'paused' : command.name === 'ResumeAgent' ? 'running' : 'killed';
        if (to === 'running' && this.killSwitch) return fail('REJECTED', 'the kill switch is engaged; release it first');
        if (!agent.transition(to)) return fail('REJECTED', `agent ${agent.id} is ${agent.state}; it cannot become ${to}`);
        this.emit({ kind: 'AgentStateChanged', ts, agentId: agent.id, state: to, reason: command.payload.reason });
        return ok({ agentId: agent.id, state: agent.state });
      }
    }
  }

  /** Returns the whole session state as of `lastSeq`. */
  snapshot(): SessionSnapshot {
    const q = this.market.quote();
    const now = this.now();
    return {
      lastSeq: this.seq,
      session: {
        id: this.config.sessionId,
        seed: this.config.seed,
        market: 'stand-in',
        symbol: this.config.symbol,
        tickSize: this.config.tickSize,
        state: this.state,
        speed: this.speed,
        simTimeNs: now,
        startNs: this.config.startNs,
      },
      quote: { bid: q.bid, ask: q.ask, bidSize: q.bidSize, askSize: q.askSize },
      trades: this.trades.slice(),
      agents: this.agents.map((a) => a.view(now)),
      risk: { killSwitch: this.killSwitch, reason: this.killReason },
    };
  }

  private killAll(reason: string): { state: SessionState; agentsHalted: number; ordersCancelled: number } {
    let halted = 0;
    for (const a of this.agents) {
      if (a.transition('killed')) {
        halted += 1;
        this.emit({ kind: 'AgentStateChanged', ts: this.now(), agentId: a.id, state: 'killed', reason });
      }
    }
    this.killSwitch = true;
    this.killReason = reason;
    // Agents in the stand-in market only cross the spread, so no order is ever left working.
    this.emit({ kind: 'KillSwitchEngaged', ts: this.now(), reason, agentsHalted: halted, ordersCancelled: 0 });
    return { state: this.state, agentsHalted: halted, ordersCancelled: 0 };
  }

  private decide(agent: TwapAgent): void {
    const ts = this.now();
    const decision = agent.decide(ts, this.market.quote());
    this.emit({ kind: 'DecisionMade', ts, agentId: agent.id, action: decision.action, size: decision.size, reason: decision.reason });
    if (decision.action !== 'cross' || decision.size <= 0) return;
    const side = agent.side;
    const q = this.market.quote();
    const price = side === 'sell' ? q.bid : q.ask;
    const orderId = this.ids.next('ord');
    if (this.killSwitch) {
      this.emit({ kind: 'OrderDenied', ts, agentId: agent.id, orderId, side, price, size: decision.size, code: 'KILL_SWITCH_ENGAGED' });
      return;
    }
    this.emit({ kind: 'OrderAccepted', ts, agentId: agent.id, orderId, side, price, size: decision.size });
    const happenings = this.market.take(side, decision.size);
    for (const h of happenings) {
      if (h.kind === 'trade') {
        agent.onFill(h.price, h.size);
        this.emit({ kind: 'OrderFilled', ts, agentId: agent.id, orderId, side, price: h.price, size: h.size });
      }
    }
    this.publishMarket(happenings);
    if (agent.state === 'done') {
      this.emit({ kind: 'AgentStateChanged', ts, agentId: agent.id, state: 'done', reason: 'parent order complete' });
    }
  }

  private publishMarket(happenings: readonly MarketHappening[]): void {
    const ts = this.now();
    for (const h of happenings) {
      if (h.kind === 'quote') {
        this.emit({ kind: 'QuoteChanged', ts, bid: h.quote.bid, ask: h.quote.ask, bidSize: h.quote.bidSize, askSize: h.quote.askSize });
      } else {
        this.trades.push({ ts, price: h.price, size: h.size });
        if (this.trades.length > TRADE_HISTORY * 1.25) this.trades.splice(0, this.trades.length - TRADE_HISTORY);
        this.emit({ kind: 'TradePrinted', ts, price: h.price, size: h.size, aggressor: h.aggressor });
      }
    }
  }

  private now(): number {
    return this.clock.now();
  }

  private emit(event: UnsequencedEvent): void {
    this.seq += 1;
    const e = { ...event, seq: this.seq } as EngineEvent;
    for (const l of this.listeners) l(e);
  }
}

/** Creates a kernel with a fresh manual clock, sequential ids and an Rng seeded from the config. */
export function createSession(config: SessionConfig, ids: IdSource): SessionKernel {
  return new SessionKernel({ clock: new ManualClock(config.startNs), ids, rng: new Rng(config.seed) }, config);
}
