/**
 * The live session: the kernel (execution/kernel.ts) on a market, advanced by the host's wall clock,
 * with the commands a trader sends, the whole state as a snapshot, and every change published as a
 * sequenced event (the window shows them, the journal keeps them). Time and chance come from the
 * seed alone: market events run at their own simulated times, agents decide on fixed schedules and
 * quotes are sampled on a fixed grid, so the same seed gives the same event stream however the host
 * slices time.
 */

import { replayCommands } from '../replay/replay.contract';
import { formatClock, NS_PER_SECOND } from '../core/clock';
import type { EngineEvent, SessionState, UnsequencedEvent, AgentState } from '../contract/events';
import type { CommandResult } from '../contract/result';
import { fail, ok } from '../contract/result';
import type { CommandPayload, ValidCommand } from '../contract/index';
import { DESK_ID, isDesk, Kernel, TRADE_HISTORY, type AgentSpec, type KernelDeps, type RunningAgent, type SessionMarket } from '../execution/kernel';
import type { ExecutionSession, ManualOrder } from '../execution/session';
import type { ManualOrderResult } from './trading.contract';
import type { AgentOverride, OverrideField } from '../agents/agents.contract';
import { SNAPSHOT_ACTIONS, type AgentView, type RiskSample, type RiskView, type SessionSnapshot } from './snapshot';
import type { LimitUse } from '../risk/gate';
import { venueMid } from '../execution/market-observer';
import type { DynamicRisk } from '../risk/overlay';
import type { PostureRule } from '../risk/posture';
import { DEFAULT_LIMITS, type RiskLimits } from '../risk/limits';
import type { MarketSignal } from '../signals/market-signal';
import { isLearned } from './learned-strategy';

export type { AgentSpec, CockpitStrategy, KernelDeps, StrategyContext, StrategyFactory } from '../execution/kernel';
export { DEFAULT_LIMITS };

/** The commands the session kernel carries out; workflows (RunBacktest, CancelWorkflow) run beside it in the host. */
export type SessionCommand = Exclude<ValidCommand, { name: WorkflowCommandName | ReplayCommandName | 'StartSession' }>;
/** The commands that start or cancel a workflow. */
export type WorkflowCommandName = 'RunBacktest' | 'CancelWorkflow';
/** The commands of recorded sessions and their replays (the host's, never the kernel's). */
export type ReplayCommandName = keyof typeof replayCommands;

/** Whether the session kernel carries out `command` (the host runs the rest beside it). */
export function isSessionCommand(command: ValidCommand): command is SessionCommand {
  return isSessionCommandName(command.name);
}

/** Whether a command of this name is the session kernel's (by name alone: a recorded action's). */
export function isSessionCommandName(name: string): boolean {
  return name !== 'RunBacktest' && name !== 'CancelWorkflow' && name !== 'StartSession' && !Object.hasOwn(replayCommands, name);
}

/** Longest detail an audit row keeps of a command's payload. */
const ACTION_DETAIL_MAX = 300;

/** A command's payload in words for the audit trail: its fields but the reason, `agentId agent-2, speed 25`. */
function describePayload(payload: unknown): string {
  if (typeof payload !== 'object' || payload === null) return '';
  const text = Object.entries(payload as Record<string, unknown>)
    .filter(([k]) => k !== 'reason')
    .map(([k, v]) => `${k} ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(', ');
  return text.length > ACTION_DETAIL_MAX ? `${text.slice(0, ACTION_DETAIL_MAX - 1)}…` : text;
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
  /** The dynamic-risk monitor the session samples the market into; none by default. */
  readonly dynamic?: DynamicRisk;
  readonly postureRules?: readonly PostureRule[];
  /** The market signal every agent's view carries and the window shows; none by default. */
  readonly signal?: MarketSignal;
  /** Whether the learned policy (strategy 'rl') decides on the market signal (trained with it). */
  readonly learnedObservesSignal?: boolean;
}

export const DEFAULT_AGENTS: readonly AgentSpec[] = [
  { name: 'TWAP sell 30k', strategy: 'twap', side: 'sell', quantity: 30_000, horizonSeconds: 3_600, intervalSeconds: 30, startAfterSeconds: 15 },
  { name: 'VWAP buy 20k', strategy: 'vwap', side: 'buy', quantity: 20_000, horizonSeconds: 5_400, intervalSeconds: 30, startAfterSeconds: 25 },
  { name: 'POV 10% sell 15k', strategy: 'pov', side: 'sell', quantity: 15_000, horizonSeconds: 7_200, intervalSeconds: 20, startAfterSeconds: 35 },
];

/** The live session; see the module comment. */
export class SessionKernel extends Kernel {
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  /** The last human actions, for the snapshot's audit trail. */
  private readonly actions: Array<Extract<EngineEvent, { kind: 'ActionRecorded' }>> = [];
  private seq = 0;
  private paused = false;
  private speed: number;

  constructor(
    deps: KernelDeps,
    private readonly session: SessionConfig,
  ) {
    super(deps, {
      market: session.market,
      agents: session.agents,
      limits: session.limits,
      ...(session.dynamic ? { dynamic: session.dynamic } : {}),
      ...(session.postureRules ? { postureRules: session.postureRules } : {}),
      ...(session.signal ? { signal: session.signal } : {}),
    });
    this.speed = session.speed;
  }

  /** Publishes the session's opening events. */
  override start(): void {
    this.emit({ kind: 'SessionStarted', ts: this.now(), sessionId: this.session.sessionId, seed: this.session.seed, market: this.session.market.name, symbol: this.session.market.symbol });
    super.start();
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

  /**
   * Carries out a validated session command from `by` (who sent it: the window, a client, a test),
   * received at wall time `at` (ISO 8601; the host journals the command with the same time, so a
   * re-simulation gives it back), both recorded with every change of limits. Returns a typed
   * result; a refusal changes nothing.
   */
  execute(command: SessionCommand, by = 'trader', at = new Date().toISOString()): CommandResult<unknown> {
    const result = this.carryOut(command, by, at);
    if (command.name !== 'GetSnapshot') {
      const reason = (command.payload as { reason?: unknown }).reason;
      this.recordAction({ by, at, command: command.name, reason: typeof reason === 'string' ? reason : null, ok: result.ok, code: result.ok ? null : result.error.code, detail: result.ok ? describePayload(command.payload) : result.error.message });
    }
    return result;
  }

  /** Publishes a human action for the audit trail (the host's for the workflows it runs beside the session). */
  recordAction(action: Omit<Extract<EngineEvent, { kind: 'ActionRecorded' }>, 'kind' | 'seq' | 'ts'>): void {
    this.emit({ kind: 'ActionRecorded', ts: this.now(), ...action });
  }

  private carryOut(command: SessionCommand, by: string, at: string): CommandResult<unknown> {
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
        this.emit({ kind: 'SessionPaused', ts, reason: command.payload.reason, state: this.state });
        return ok({ state: this.state });
      case 'ResumeSession':
        if (!this.paused) return fail('REJECTED', 'the session is not paused');
        this.paused = false;
        this.emit({ kind: 'SessionResumed', ts, reason: command.payload.reason, state: this.state });
        return ok({ state: this.state });
      case 'KillAll': {
        const counts = this.killAll(command.payload.reason);
        return ok({ state: this.state, ...counts });
      }
      case 'ReleaseKillSwitch':
        if (!this.gate.killed) return fail('REJECTED', 'the kill switch is not engaged');
        this.gate.releaseKillSwitch();
        this.emit({ kind: 'KillSwitchReleased', ts, reason: command.payload.reason, state: this.state });
        return ok({ state: this.state });
      case 'PauseAgent':
      case 'ResumeAgent':
      case 'KillAgent': {
        const agent = this.findAgent(command.payload.agentId);
        if (typeof agent === 'string') return fail('REJECTED', agent);
        if (isDesk(agent)) return fail('REJECTED', "the trader's desk is not an agent: cancel its orders, flatten it, or set its trading state");
        const to: AgentState = command.name === 'PauseAgent' ? 'paused' : command.name === 'ResumeAgent' ? 'running' : 'killed';
        if (to === 'running' && this.gate.killed) return fail('REJECTED', 'the kill switch is engaged; release it first');
        if (!canMove(agent.state, to)) return fail('REJECTED', `agent ${agent.id} is ${agent.state}; it cannot become ${to}`);
        this.posture.release(agent.id);
        if (to !== 'running') this.cancelWorking(agent, `${command.name === 'PauseAgent' ? 'paused' : 'killed'}: ${command.payload.reason}`);
        if (to === 'killed') this.gate.setTradingState({ agentId: agent.id }, 'HALTED', `killed: ${command.payload.reason}`);
        if (to === 'killed') this.emit({ kind: 'TradingStateChanged', ts, agentId: agent.id, state: 'HALTED', reason: `killed: ${command.payload.reason}`, ordersCancelled: 0 });
        agent.state = to;
        if (to === 'running') agent.nextAt = Math.max(agent.nextAt, ts);
        this.emit({ kind: 'AgentStateChanged', ts, agentId: agent.id, state: to, reason: command.payload.reason });
        return ok({ agentId: agent.id, state: agent.state });
      }
      case 'SetRiskLimits': {
        const { reason, limits } = command.payload;
        this.gate.setLimits(limits, { by, at, ts, reason });
        this.emit({ kind: 'RiskLimitsChanged', ts, limits, reason, by, at, agentId: null, ownLimits: false });
        return ok({ limits });
      }
      case 'SetAgentLimits': {
        const { reason, agentId, limits } = command.payload;
        const agent = this.findAgent(agentId);
        if (typeof agent === 'string') return fail('REJECTED', agent);
        this.gate.setLimits(this.gate.limits, { by, at, ts, reason }, { id: agent.id, limits });
        this.emit({ kind: 'RiskLimitsChanged', ts, limits: { ...this.gate.limits, perAgent: this.gate.limitsFor(agent.id) }, reason, by, at, agentId: agent.id, ownLimits: limits !== null });
        return ok({ agentId: agent.id, limits });
      }
      case 'SetTradingState': {
        const { agentId, state, reason } = command.payload;
        if (agentId === null) {
          if (state === 'HALTED') return fail('REJECTED', 'to halt the whole session use KillAll, which also stops every agent');
          if (this.gate.killed) return fail('REJECTED', 'the kill switch is engaged; release it first');
          return ok({ agentId, state, ordersCancelled: this.setTradingState(null, state, reason) });
        }
        const agent = this.findAgent(agentId);
        if (typeof agent === 'string') return fail('REJECTED', agent);
        if (agent.state === 'flattening' && state !== 'REDUCING') return fail('REJECTED', `agent ${agent.id} is flattening; it stays REDUCING until flat`);
        this.posture.release(agent.id);
        return ok({ agentId: agent.id, state, ordersCancelled: this.setTradingState(agent.id, state, reason) });
      }
      case 'SetPostureRules': {
        this.posture.setRules(command.payload.rules);
        this.emit({ kind: 'PostureRulesChanged', ts, rules: command.payload.rules, reason: command.payload.reason, by });
        return ok({ rules: command.payload.rules });
      }
      case 'LaunchAgent': {
        const a = command.payload;
        if (this.gate.killed) return fail('REJECTED', 'the kill switch is engaged: no agent can start; release it first');
        const word = a.strategy === 'rl' ? 'PPO' : a.strategy.toUpperCase();
        const name = `${word}${a.participation === undefined ? '' : ` ${Math.round(a.participation * 100)}%`} ${a.side} ${a.quantity.toLocaleString('en-US')}`;
        const horizonSeconds = Math.round(a.horizonMinutes * 60);
        const spec: AgentSpec = {
          name,
          strategy: a.strategy,
          side: a.side,
          quantity: a.quantity,
          horizonSeconds,
          intervalSeconds: a.intervalSeconds,
          startAfterSeconds: 0,
          // It starts now, on what the session has seen of the market so far (its volume, flow and volatility).
          observer: this.watched(),
          ...(a.limitPrice === undefined ? {} : { parent: { side: a.side, quantity: a.quantity, horizonNs: horizonSeconds * NS_PER_SECOND, limitPrice: a.limitPrice } }),
          ...(a.participation === undefined ? {} : { participation: a.participation }),
          ...(a.riskAversion === undefined ? {} : { riskAversion: a.riskAversion }),
          ...(a.urgency === undefined ? {} : { urgency: a.urgency }),
          ...(a.participationCap === undefined ? {} : { participationCap: a.participationCap }),
        };
        const agent = this.addAgent(spec);
        this.emit({ kind: 'AgentLaunched', ts, agentId: agent.id, name, strategy: a.strategy, side: a.side, quantity: a.quantity, horizonNs: agent.parent.horizonNs, intervalNs: agent.intervalNs, limitPrice: a.limitPrice ?? null, participation: a.participation ?? null, urgency: a.urgency ?? 1, participationCap: a.participationCap ?? null });
        return ok({ agentId: agent.id, name });
      }
      case 'OverrideAgent':
        return this.overrideAgent(command.payload, by, at);
      case 'RetireAgent': {
        const agent = this.findAgent(command.payload.agentId);
        if (typeof agent === 'string') return fail('REJECTED', agent);
        if (isDesk(agent)) return fail('REJECTED', "the trader's desk is not an agent: it cannot be retired");
        if (agent.state !== 'done' && agent.state !== 'killed') return fail('REJECTED', `agent ${agent.id} is ${agent.state}; only a done or killed agent is retired (kill it first)`);
        agent.retired = true;
        this.emit({ kind: 'AgentRetired', ts, agentId: agent.id, reason: command.payload.reason });
        return ok({ agentId: agent.id });
      }
      case 'PlaceOrder':
        return this.placeOrder(command.payload);
      case 'CancelOrder': {
        const { orderId, reason } = command.payload;
        const found = this.findOrder(orderId);
        if (typeof found === 'string') return fail('REJECTED', found);
        const lots = found.agent.session?.cancelOrder(found.localId, `cancelled by ${by}: ${reason}`) ?? null;
        if (lots === null) return fail('REJECTED', `order ${orderId} is not working (filled, cancelled or expired)`);
        return ok({ orderId, lots });
      }
      case 'ModifyOrder': {
        const { orderId, reason } = command.payload;
        if (!orderId.startsWith(`${DESK_ID}/`)) return fail('REJECTED', `only the trader's own orders are modified here; ${orderId} is an agent's (cancel it, and the agent decides again)`);
        const found = this.findOrder(orderId);
        if (typeof found === 'string') return fail('REJECTED', found);
        const working = found.agent.port.order(found.localId);
        if (working === undefined || working.remaining <= 0) return fail('REJECTED', `order ${orderId} is not working (filled, cancelled or expired)`);
        const price = command.payload.price ?? working.price;
        const quantity = command.payload.quantity ?? working.remaining;
        if (price === working.price && quantity === working.remaining) return fail('REJECTED', `order ${orderId} already rests ${quantity} lots at ${this.price(price)}`);
        const offGrid = this.offTick(price);
        if (offGrid !== null) return fail('REJECTED', offGrid);
        found.agent.session?.cancelOrder(found.localId, `modified by ${by}: ${reason}`);
        const placed = this.sendDesk({ side: working.side, size: quantity, price, tif: 'GTC' });
        return placed.ok ? ok({ ...placed.value, replaced: orderId }) : placed;
      }
      case 'Flatten': {
        const { agentId, reason } = command.payload;
        if (this.gate.killed) return fail('REJECTED', 'the kill switch is engaged: no order can go out; release it first');
        let targets: RunningAgent[] = this.agents;
        if (agentId !== null) {
          const agent = this.findAgent(agentId);
          if (typeof agent === 'string') return fail('REJECTED', agent);
          if (agent.state === 'killed' || agent.state === 'flattening') return fail('REJECTED', `agent ${agent.id} is ${agent.state}; it cannot be flattened`);
          targets = [agent];
        }
        let n = 0;
        for (const a of targets) {
          this.posture.release(a.id);
          if (this.flatten(a, reason)) n += 1;
        }
        return ok({ agentsFlattening: n });
      }
    }
  }

  /**
   * Changes a running or paused agent's parameters from its next decision (the session's retune,
   * and the pause price the kernel watches) and records each with its original; a refusal changes
   * nothing.
   */
  private overrideAgent(o: CommandPayload<'OverrideAgent'>, by: string, at: string): CommandResult<{ agentId: string; overrides: readonly AgentOverride[] }> {
    const agent = this.findAgent(o.agentId);
    if (typeof agent === 'string') return fail('REJECTED', agent);
    if (isDesk(agent)) return fail('REJECTED', "the trader's desk has no strategy to override: modify or cancel its orders");
    if (agent.state !== 'running' && agent.state !== 'paused') return fail('REJECTED', `agent ${agent.id} is ${agent.state}; only a running or paused agent takes overrides`);
    const session = agent.session;
    if (session === null) return fail('REJECTED', `agent ${agent.id} has not started yet (it starts at ${formatClock(agent.startNs)}); override it once it runs`);
    if (o.urgency !== undefined && agent.spec.strategy === 'rl') return fail('REJECTED', 'the learned policy sets its own pace from what it sees; change its participation cap, limit price, horizon or pause price instead');
    for (const [what, price] of [['limit price', o.limitPrice], ['pause price', o.pauseAtPrice]] as const) {
      const offGrid = typeof price === 'number' ? this.offTick(price) : null;
      if (offGrid !== null) return fail('REJECTED', `the ${what}'s ${offGrid}`);
    }
    const ts = this.now();
    const endNs = o.horizonLeftMinutes === undefined ? undefined : ts + Math.round(o.horizonLeftMinutes * 60 * NS_PER_SECOND);
    const before = this.params(agent);
    const asked: Array<[OverrideField, number | null | undefined]> = [
      ['urgency', o.urgency],
      ['participationCap', o.participationCap],
      ['limitPrice', o.limitPrice],
      ['endNs', endNs],
      ['pauseAtPrice', o.pauseAtPrice],
    ];
    const changed = asked.filter((c): c is [OverrideField, number | null] => c[1] !== undefined);
    session.retune({
      ...(o.urgency === undefined ? {} : { urgency: o.urgency }),
      ...(o.participationCap === undefined ? {} : { participationCap: o.participationCap }),
      ...(o.limitPrice === undefined ? {} : { limitPrice: o.limitPrice }),
      ...(endNs === undefined ? {} : { endNs }),
    });
    if (o.pauseAtPrice !== undefined) agent.pauseAt = o.pauseAtPrice;
    if (endNs !== undefined) agent.nextAt = Math.min(agent.nextAt, endNs);
    for (const [field, value] of changed) {
      const i = agent.overrides.findIndex((x) => x.field === field);
      const entry: AgentOverride = { field, value, original: i < 0 ? before[field] : agent.overrides[i]!.original, by, at, ts, reason: o.reason };
      if (i < 0) agent.overrides.push(entry);
      else agent.overrides[i] = entry;
    }
    const overrides = [...agent.overrides];
    this.emit({ kind: 'AgentOverridden', ts, agentId: agent.id, changed: changed.map(([f]) => f), overrides, params: this.params(agent), by, reason: o.reason });
    return ok({ agentId: agent.id, overrides });
  }

  /** Sends the trader's order as the desk's and says how it turned out at once. */
  private placeOrder(o: CommandPayload<'PlaceOrder'>): CommandResult<ManualOrderResult> {
    if (o.price !== undefined) {
      const offGrid = this.offTick(o.price);
      if (offGrid !== null) return fail('REJECTED', offGrid);
    }
    return this.sendDesk({ side: o.side, size: o.quantity, ...(o.price === undefined ? {} : { price: o.price }), tif: o.tif === 'day' ? 'GTC' : o.tif === 'ioc' ? 'IOC' : 'FOK', postOnly: o.postOnly });
  }

  private sendDesk(order: ManualOrder): CommandResult<ManualOrderResult> {
    let desk: RunningAgent;
    try {
      desk = this.desk();
    } catch (err) {
      return fail('REJECTED', `no order can go out now: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (desk.state === 'flattening') return fail('REJECTED', "the trader's position is being flattened; wait until it is flat");
    const session = desk.session as ExecutionSession;
    const refusedBefore = session.rejects.submits;
    const sent = session.sendOrder(order);
    const orderId = `${DESK_ID}/${sent.id}`;
    const last = session.rejects.last;
    if (session.rejects.submits > refusedBefore && last !== null) return ok({ orderId, status: 'denied', filled: 0, refusal: { by: last.by, ...this.refusalText(last) } });
    const resting = desk.port.order(sent.id)?.remaining ?? 0;
    return ok({ orderId, status: resting > 0 ? 'working' : sent.filled >= order.size ? 'filled' : 'expired', filled: sent.filled, refusal: null });
  }

  /** Why a price is off the instrument's tick grid, or null when it is on it. */
  private offTick(price: number): string | null {
    const step = this.config.market.tickSize;
    return price % step === 0 ? null : `price ${this.price(price)} is not on the instrument's tick of ${this.price(step)}`;
  }

  /** Returns the agent and its own id of order `orderId` (AGENT/NUMBER), or why there is none. */
  private findOrder(orderId: string): { readonly agent: RunningAgent; readonly localId: number } | string {
    const slash = orderId.lastIndexOf('/');
    const agent = this.agents.find((a) => a.id === orderId.slice(0, slash));
    if (agent === undefined) return `no order ${orderId}: no agent "${orderId.slice(0, slash)}"${orderId.startsWith(`${DESK_ID}/`) ? ' (the trader has placed no order yet)' : ''}`;
    return { agent, localId: Number(orderId.slice(slash + 1)) };
  }

  /** Returns the agent `agentId`, or why there is none. */
  private findAgent(agentId: string): RunningAgent | string {
    return this.agents.find((a) => a.id === agentId && a.retired !== true) ?? `no agent "${agentId}"; agents are ${this.agents.filter((a) => a.retired !== true).map((a) => a.id).join(', ')}`;
  }

  /** Returns the whole session state as of `lastSeq`. */
  snapshot(): SessionSnapshot {
    const now = this.now();
    const q = this.lastQuote;
    return {
      lastSeq: this.seq,
      session: {
        id: this.session.sessionId,
        seed: this.session.seed,
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
      // The desk is the trader's, not an agent with a parent order: its orders are in the blotter, its limits in the risk view.
      agents: this.agents.filter((a) => !isDesk(a) && a.retired !== true).map((a) => this.view(a, now)),
      risk: this.riskView(now),
      depth: this.depth(),
      actions: [...this.actions],
      ...(this.session.signal ? { signal: this.signalView() } : {}),
    };
  }

  /** What each limit is used for now, with the dynamic risk state: sampled into every event batch. */
  riskSample(): RiskSample {
    const now = this.now();
    const mid = this.markMid();
    const agents: Record<string, LimitUse> = {};
    const participation: Record<string, number> = {};
    for (const a of this.agents) {
      agents[a.id] = this.gate.agentUse(a.id, now, mid);
      if (a.session !== null && !isDesk(a)) participation[a.id] = a.session.participation;
    }
    return { session: this.gate.sessionUse(now, mid), agents, participation, dynamic: this.dynamicView() };
  }

  /** The mid positions are marked at (NaN when a side of the book is empty). */
  private markMid(): number {
    return venueMid(this.venue, NaN);
  }

  private riskView(now: number): RiskView {
    const gate = this.gate;
    const mid = this.markMid();
    return {
      killSwitch: gate.killed,
      reason: gate.killSwitchReason,
      limits: gate.limits,
      session: { ...gate.session, use: gate.sessionUse(now, mid) },
      agents: this.agents.filter((a) => a.retired !== true).map((a) => ({ agentId: a.id, ...gate.agentTradingState(a.id), limits: gate.limitsFor(a.id), ownLimits: gate.agentOverrides().has(a.id), use: gate.agentUse(a.id, now, mid), participation: a.session === null || isDesk(a) ? null : a.session.participation })),
      history: gate.history.slice(-20),
      dynamic: this.dynamicView(),
    };
  }

  private view(a: RunningAgent, now: number): AgentView {
    const { filled, avgPrice, shortfallBps } = this.fillFigures(a);
    const endNs = a.session?.endNs ?? a.startNs + a.parent.horizonNs;
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
      scheduleElapsed: Math.max(0, Math.min(1, (now - a.startNs) / (endNs - a.startNs))),
      startNs: a.startNs,
      endNs,
      working: a.session ? a.port.openOrders().reduce((n, o) => n + o.remaining, 0) : 0,
      lastReason: a.lastReason,
      params: this.params(a),
      overrides: [...a.overrides],
      observesSignal: isLearned(a.spec) && this.session.learnedObservesSignal === true,
    };
  }

  /** An agent's overridable parameters as they stand: its session's once started, its spec's before. */
  private params(a: RunningAgent): Record<OverrideField, number | null> {
    const s = a.session;
    return {
      urgency: s?.pace.urgency ?? a.spec.urgency ?? 1,
      participationCap: s?.pace.participationCap ?? a.spec.participationCap ?? null,
      limitPrice: (s?.parent ?? a.parent).limitPrice ?? null,
      endNs: s?.endNs ?? a.startNs + a.parent.horizonNs,
      pauseAtPrice: a.pauseAt,
    };
  }

  /**
   * Publishes what a workflow running beside the session (a backtest the window started) reports,
   * in the session's one sequence, so the window and the journal see it like any other event.
   */
  publishWorkflow(update: Omit<Extract<EngineEvent, { kind: 'WorkflowUpdated' }>, 'kind' | 'seq' | 'ts'>): void {
    this.emit({ kind: 'WorkflowUpdated', ts: this.now(), ...update });
  }

  /** A live session publishes everything. */
  protected override get publishing(): boolean {
    return true;
  }

  /** Sequences an event and hands it to every subscriber. */
  protected override emit(event: UnsequencedEvent): void {
    this.seq += 1;
    const e = { ...event, seq: this.seq } as EngineEvent;
    if (e.kind === 'ActionRecorded') {
      this.actions.push(e);
      if (this.actions.length > SNAPSHOT_ACTIONS) this.actions.shift();
    }
    for (const l of this.listeners) l(e);
  }
}

function canMove(from: AgentState, to: AgentState): boolean {
  if (from === 'killed' || from === 'done') return false;
  if (to === 'running') return from === 'paused';
  if (to === 'paused') return from === 'running';
  return true;
}
