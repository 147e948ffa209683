import type { AgentView, EngineEvent, EventBatch, HostInfo, SessionSnapshot } from '../../../engine/contract/index';
import { isVolatileStress } from '../../../engine/contract/events';
import { formatPrice, formatSize, simSecond } from '../format/format';
import { describeOverrides } from '../format/overrides';
import { describeDeltas } from '../format/limits';
import { BarBuilder } from './bars';
import { RiskPass, riskFromSnapshot } from './risk';
import { FILLS_MAX, OrdersPass, type FillMark } from './orders';
import type { ActivityRow, AuditRow, BacktestRun, CockpitState, Connection, DecisionRow, Quote, SessionInfo, TapeRow } from './types';

/** Trades kept for the time & sales tape. */
export const TAPE_MAX = 200;
/** Decisions kept for the feed. */
export const DECISIONS_MAX = 300;
/** Lines kept in the activity log. */
export const ACTIVITY_MAX = 300;

/** Returns the state of a window that has not heard from the engine yet. */
export function initialState(connection: Connection): CockpitState {
  return {
    connection,
    sync: 'waiting',
    host: null,
    session: null,
    lastSeq: 0,
    simTimeNs: 0,
    quote: null,
    lastTrade: null,
    tape: [],
    chart: { epoch: 0, bars: [] },
    agents: new Map(),
    decisions: [],
    activity: [],
    killSwitch: { engaged: false, reason: null },
    risk: null,
    riskFeed: [],
    depth: null,
    evaluation: { running: null, runs: [] },
    orders: new Map(),
    audit: [],
    fills: [],
    whatIf: { running: null, last: null },
    replay: null,
    signal: { now: null, series: [] },
  };
}

/**
 * Why the window asks for a snapshot: its first or a new connection, events lost on the way, or a
 * different stream (a replay opened or closed, a replay moved to another moment).
 */
export type SnapshotCause = 'connect' | 'gap' | 'reset';

/**
 * Rebuilds the live state from a snapshot. The logs (decisions, activity, risk feed) are history
 * the snapshot does not carry, so they stay, unless the stream itself changed (`reset`: they were
 * another stream's or another moment's); a resync after a gap says so in the activity log.
 */
export function applySnapshot(
  state: CockpitState,
  snapshot: SessionSnapshot,
  host: HostInfo,
  cause: SnapshotCause,
): CockpitState {
  const s = snapshot.session;
  const session: SessionInfo = {
    id: s.id,
    seed: s.seed,
    market: s.market,
    symbol: s.symbol,
    tickSize: s.tickSize,
    startNs: s.startNs,
    state: s.state,
    speed: s.speed,
  };
  const tradesNewestFirst: TapeRow[] = [];
  for (let i = snapshot.trades.length - 1; i >= 0 && tradesNewestFirst.length < TAPE_MAX; i--) {
    const t = snapshot.trades[i]!;
    tradesNewestFirst.push({ key: `snap${snapshot.lastSeq}-${i}`, ts: t.ts, price: t.price, size: t.size, aggressor: null });
  }
  const bars = new BarBuilder({ epoch: state.chart.epoch + 1, bars: [] });
  for (const t of snapshot.trades) bars.trade(simSecond(t.ts), t.price, t.size);
  const mid = midOf(snapshot.quote);
  if (mid !== null) bars.mid(simSecond(s.simTimeNs), mid);
  const built = bars.result();

  const activity =
    cause === 'gap'
      ? prepend(state.activity, [cockpitRow(s.simTimeNs, 'warn', 'Resynchronised', `events were lost; rebuilt from snapshot at seq ${snapshot.lastSeq}`)], ACTIVITY_MAX)
      : state.activity;

  const reset = cause === 'reset';
  // The audit trail: the snapshot's actions, with those the window saw after it (a reconnect keeps them).
  const recorded: AuditRow[] = (snapshot.actions ?? []).map(auditRow).reverse();
  const later = reset ? [] : state.audit.filter((r) => r.seq > snapshot.lastSeq);
  return {
    ...state,
    ...(reset ? { decisions: [], riskFeed: [], orders: new Map(), fills: [] } : {}),
    audit: [...later, ...recorded].slice(0, AUDIT_MAX),
    sync: 'live',
    host,
    session,
    lastSeq: snapshot.lastSeq,
    simTimeNs: s.simTimeNs,
    quote: snapshot.quote ? { ...snapshot.quote, ts: s.simTimeNs } : null,
    lastTrade: tradesNewestFirst[0] ?? null,
    tape: tradesNewestFirst,
    chart: { epoch: state.chart.epoch + 1, bars: built.bars },
    agents: new Map(snapshot.agents.map((a) => [a.id, a])),
    activity: reset ? state.activity.filter((a) => a.source === 'cockpit') : activity,
    killSwitch: { engaged: snapshot.risk.killSwitch, reason: snapshot.risk.reason },
    risk: riskFromSnapshot(snapshot.risk),
    depth: snapshot.depth,
    signal: { now: snapshot.signal ?? null, series: reset || cause === 'gap' ? [] : state.signal.series },
  };
}

/** What one pass over batches produced. */
export interface BatchOutcome {
  readonly state: CockpitState;
  /** Batches not applied because the first of them does not follow on: a gap; empty when all applied. */
  readonly rest: readonly EventBatch[];
}

/**
 * Applies batches in one pass and returns one new state. Events at or below `lastSeq` are skipped
 * (they are already in the state, e.g. from a snapshot); a batch that starts after `lastSeq + 1`
 * stops the pass, and it and the batches after it come back in `rest`.
 */
export function applyBatches(state: CockpitState, batches: readonly EventBatch[]): BatchOutcome {
  if (state.session === null || state.sync !== 'live') return { state, rest: batches };
  const outcome = applyEvents(state, batches);
  // A replay's batches say where it stands; the last applied one is where it is.
  const status = batches.slice(0, batches.length - outcome.rest.length).findLast((b) => b.replay !== undefined)?.replay;
  const { replay } = outcome.state;
  if (status === undefined || replay === null || replay.status.sessionId !== status.sessionId) return outcome;
  return { state: { ...outcome.state, replay: { ...replay, status } }, rest: outcome.rest };
}

function applyEvents(state: CockpitState, batches: readonly EventBatch[]): BatchOutcome {
  if (state.session === null) return { state, rest: batches };
  const pass = new Pass(state, state.session);
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b]!;
    if (batch.firstSeq > pass.lastSeq + 1) return { state: pass.commit(), rest: batches.slice(b) };
    if (batch.lastSeq >= pass.lastSeq && batch.simTimeNs > pass.simTimeNs) pass.simTimeNs = batch.simTimeNs;
    for (const event of batch.events) {
      if (event.seq <= pass.lastSeq) continue;
      pass.apply(event);
      pass.lastSeq = event.seq;
    }
    if (batch.depth !== undefined && batch.lastSeq >= pass.lastSeq) pass.depth = batch.depth;
    if (batch.risk !== undefined && batch.lastSeq >= pass.lastSeq) pass.risk.sample(batch.risk);
    if (batch.lastSeq > pass.lastSeq) pass.lastSeq = batch.lastSeq;
  }
  return { state: pass.commit(), rest: [] };
}

/** Returns the share (0..1) of an agent's horizon elapsed at `simTimeNs`. */
export function scheduleElapsedAt(agent: Pick<AgentView, 'startNs' | 'endNs'>, simTimeNs: number): number {
  const span = agent.endNs - agent.startNs;
  if (!(span > 0)) return simTimeNs >= agent.endNs ? 1 : 0;
  return Math.min(1, Math.max(0, (simTimeNs - agent.startNs) / span));
}

/** Returns the percentage the agents grid shows for a share of the horizon. */
function shownPercent(share: number): number {
  return Math.round(share * 100);
}

/** Seconds of the signal's direction the chart keeps. */
export const SIGNAL_SERIES_MAX = 3_600;

/** Audit rows the window keeps (the journal keeps every one). */
export const AUDIT_MAX = 2_000;

/** A human action as the audit trail lists it. */
function auditRow(e: Extract<EngineEvent, { kind: 'ActionRecorded' }>): AuditRow {
  return { seq: e.seq, ts: e.ts, at: e.at, by: e.by, command: e.command, detail: e.detail, reason: e.reason, ok: e.ok, code: e.code };
}

/** Backtest results kept for the evaluation view. */
export const BACKTESTS_MAX = 5;

/** Adds a finished backtest ahead of the kept ones. */
export function addBacktestRun(state: CockpitState, run: BacktestRun): CockpitState {
  return { ...state, evaluation: { running: null, runs: [run, ...state.evaluation.runs].slice(0, BACKTESTS_MAX) } };
}

/** Adds a line the cockpit itself wrote (a command the engine refused, a lost link). */
export function addCockpitActivity(state: CockpitState, tone: ActivityRow['tone'], title: string, detail: string | null, reason: string | null = null): CockpitState {
  return { ...state, activity: prepend(state.activity, [cockpitRow(state.simTimeNs, tone, title, detail, reason)], ACTIVITY_MAX) };
}

/** Returns the mid in ticks (possibly half a tick), or null for a one-sided or crossed quote. */
export function midOf(quote: { readonly bid: number; readonly ask: number } | null): number | null {
  if (quote === null || !(quote.bid > 0) || !(quote.ask > 0) || quote.ask < quote.bid) return null;
  return (quote.bid + quote.ask) / 2;
}

/** A working copy for one pass: lists are collected oldest first and prepended once at commit. */
class Pass {
  lastSeq: number;
  simTimeNs: number;
  private session: SessionInfo;
  private quote: Quote | null;
  private lastTrade: TapeRow | null;
  private killSwitch: CockpitState['killSwitch'];
  depth: CockpitState['depth'];
  /** The risk overlay and the risk feed, worked on beside the rest. */
  readonly risk: RiskPass;
  private agents: Map<string, AgentView> | null = null;
  private readonly tape: TapeRow[] = [];
  private readonly decisions: DecisionRow[] = [];
  private readonly activity: ActivityRow[] = [];
  private readonly bars: BarBuilder;
  private evaluation: CockpitState['evaluation'];
  private readonly orders: OrdersPass;
  private readonly fills: FillMark[] = [];
  private readonly audit: AuditRow[] = [];
  private signal: CockpitState['signal']['now'];
  private readonly signalPoints: Array<{ second: number; direction: number }> = [];

  constructor(
    private readonly base: CockpitState,
    session: SessionInfo,
  ) {
    this.lastSeq = base.lastSeq;
    this.simTimeNs = base.simTimeNs;
    this.session = session;
    this.quote = base.quote;
    this.lastTrade = base.lastTrade;
    this.killSwitch = base.killSwitch;
    this.depth = base.depth;
    this.risk = new RiskPass(base.risk, base.riskFeed);
    this.bars = new BarBuilder(base.chart);
    this.evaluation = base.evaluation;
    this.orders = new OrdersPass(base.orders);
    this.signal = base.signal.now;
  }

  apply(e: EngineEvent): void {
    this.risk.apply(e, (id) => this.agentName(id));
    this.orders.apply(e);
    switch (e.kind) {
      case 'SessionStarted':
        this.session = { ...this.session, id: e.sessionId, seed: e.seed, market: e.market, symbol: e.symbol };
        this.log(e, 'info', `Session ${e.sessionId} started`, `${e.market} ${e.symbol}, seed ${e.seed}`, null);
        break;
      case 'SessionPaused':
        this.session = { ...this.session, state: e.state };
        this.log(e, 'warn', 'Session paused', null, e.reason);
        break;
      case 'SessionResumed':
        this.session = { ...this.session, state: e.state };
        this.log(e, 'good', 'Session resumed', null, e.reason);
        break;
      case 'SpeedChanged':
        this.session = { ...this.session, speed: e.speed };
        this.log(e, 'info', `Speed set to ×${e.speed}`, null, e.reason);
        break;
      case 'QuoteChanged': {
        this.quote = { bid: e.bid, ask: e.ask, bidSize: e.bidSize, askSize: e.askSize, ts: e.ts };
        const mid = midOf(e);
        if (mid !== null) this.bars.mid(simSecond(e.ts), mid);
        break;
      }
      case 'TradePrinted': {
        const row: TapeRow = { key: String(e.seq), ts: e.ts, price: e.price, size: e.size, aggressor: e.aggressor };
        this.tape.push(row);
        this.lastTrade = row;
        this.bars.trade(simSecond(e.ts), e.price, e.size);
        break;
      }
      case 'OrderAccepted':
      case 'OrderCancelled':
      case 'OrderExpired':
        break;
      case 'RiskAlert':
        this.log(e, e.edge === 'fired' ? 'danger' : 'good', `Risk alert ${e.detector} ${e.edge}`, `${e.reason}${e.action ? ` · ${e.action}${e.agents.length > 0 ? ` ${e.agents.map((id) => this.agentName(id)).join(', ')}` : ''}` : ''}`, null);
        break;
      case 'PostureRulesChanged':
        this.log(e, 'warn', 'Posture rules changed', e.rules.map((r) => `${r.detector} → ${r.action}`).join(' · '), e.reason);
        break;
      case 'TradingStateChanged':
        this.log(e, e.state === 'HALTED' ? 'danger' : e.state === 'REDUCING' ? 'warn' : 'good', `${e.agentId === null ? 'Session' : this.agentName(e.agentId)} ${e.state}`, e.ordersCancelled > 0 ? `${e.ordersCancelled} orders cancelled` : null, e.reason);
        break;
      case 'AgentLaunched': {
        const view: AgentView = {
          id: e.agentId,
          name: e.name,
          strategy: e.strategy,
          state: 'running',
          side: e.side,
          quantity: e.quantity,
          filled: 0,
          avgPrice: null,
          arrivalMid: null,
          shortfallBps: null,
          scheduleElapsed: 0,
          startNs: e.ts,
          endNs: e.ts + e.horizonNs,
          working: 0,
          lastReason: null,
          params: { urgency: e.urgency, participationCap: e.participationCap, limitPrice: e.limitPrice, endNs: e.ts + e.horizonNs, pauseAtPrice: null },
          overrides: [],
        };
        this.agents ??= new Map(this.base.agents);
        this.agents.set(e.agentId, view);
        this.log(e, 'info', `${e.name} launched`, `${e.strategy} ${e.side} ${formatSize(e.quantity)} over ${Math.round(e.horizonNs / 60e9)} min${e.limitPrice === null ? '' : `, limit ${formatPrice(e.limitPrice, this.session.tickSize)}`}`, null);
        break;
      }
      case 'AgentOverridden': {
        const endNs = e.params.endNs;
        this.updateAgent(e.agentId, (a) => ({ ...a, overrides: e.overrides, params: { ...a.params, ...e.params }, ...(typeof endNs === 'number' ? { endNs } : {}) }));
        this.log(e, 'warn', `${this.agentName(e.agentId)} overridden`, describeOverrides(e.overrides.filter((o) => e.changed.includes(o.field)), this.session.tickSize), e.reason);
        break;
      }
      case 'AgentRetired':
        this.log(e, 'info', `${this.agentName(e.agentId)} retired`, null, e.reason);
        this.agents ??= new Map(this.base.agents);
        this.agents.delete(e.agentId);
        break;
      case 'AgentStarted':
        this.updateAgent(e.agentId, (a) => ({ ...a, arrivalMid: e.arrivalMid, startNs: e.startNs, endNs: e.endNs }));
        break;
      case 'OrderFilled':
        this.fills.push({ ts: e.ts, agentId: e.agentId, side: e.side, price: e.price, size: e.size });
        // The engine's figures, as it computed them (the window does not work them out again).
        this.updateAgent(e.agentId, (a) => ({ ...a, filled: e.agent.filled, avgPrice: e.agent.avgPrice, shortfallBps: e.agent.shortfallBps }));
        break;
      case 'OrderDenied':
        this.log(
          e,
          'danger',
          `Order denied: ${e.code}`,
          `${e.detail ? `${e.detail} · ` : ''}${this.agentName(e.agentId)} ${e.side} ${formatSize(e.size)} @ ${e.price === null ? 'market' : formatPrice(e.price, this.session.tickSize)} (${e.orderId})`,
          null,
        );
        break;
      case 'DecisionMade':
        this.decisions.push({
          seq: e.seq,
          ts: e.ts,
          agentId: e.agentId,
          agentName: this.agentName(e.agentId),
          action: e.action,
          size: e.size,
          price: e.price ?? null,
          reason: e.reason,
          inputs: e.inputs ?? {},
          explanation: e.explanation ?? null,
        });
        this.updateAgent(e.agentId, (a) => (a.lastReason === e.reason ? a : { ...a, lastReason: e.reason }));
        break;
      case 'AgentStateChanged':
        this.updateAgent(e.agentId, (a) => ({ ...a, state: e.state }));
        this.log(e, e.state === 'killed' ? 'danger' : e.state === 'paused' || e.state === 'flattening' ? 'warn' : 'info', `${this.agentName(e.agentId)} ${e.state}`, null, e.reason);
        break;
      case 'KillSwitchEngaged':
        this.killSwitch = { engaged: true, reason: e.reason };
        this.session = { ...this.session, state: e.state };
        this.log(e, 'danger', 'KILL SWITCH ENGAGED', `${e.agentsHalted} agents halted, ${e.ordersCancelled} orders cancelled`, e.reason);
        break;
      case 'KillSwitchReleased':
        this.killSwitch = { engaged: false, reason: null };
        this.session = { ...this.session, state: e.state };
        this.log(e, 'good', 'Kill switch released', null, e.reason);
        break;
      case 'RiskLimitsChanged': {
        // The risk pass has just recorded what the change moved.
        const changes = this.risk.recorded(e.seq)?.changes ?? null;
        const moved = changes === null ? 'limits set' : changes.length === 0 ? 'no limit moved' : describeDeltas(changes);
        this.log(e, 'warn', e.agentId === null ? 'Risk limits changed' : `Own limits of ${this.agentName(e.agentId)} changed`, `${moved} · by ${e.by}`, e.reason);
        break;
      }
      case 'ActionRecorded':
        this.audit.push(auditRow(e));
        break;
      case 'SignalUpdated': {
        if (this.signal?.regime?.name !== e.signal.regime?.name && e.signal.regime !== null) this.log(e, isVolatileStress(e.signal.regimeStress) ? 'warn' : 'info', `Regime: ${e.signal.regime.name}`, `stress ${e.signal.regimeStress.toFixed(2)}`, null);
        this.signal = e.signal;
        this.signalPoints.push({ second: simSecond(e.ts), direction: e.signal.direction });
        break;
      }
      case 'WorkflowUpdated': {
        const running = this.evaluation.running;
        if (running !== null && running.jobId === e.jobId && (e.state === 'queued' || e.state === 'running')) {
          this.evaluation = { ...this.evaluation, running: { ...running, state: e.state, done: e.done, total: e.total } };
        }
        if (e.state === 'done') this.log(e, 'info', `Backtest ${e.jobId} finished`, `${e.done} of ${e.total} episodes`, null);
        else if (e.state === 'failed') this.log(e, 'danger', `Backtest ${e.jobId} failed`, e.detail, null);
        else if (e.state === 'cancelled') this.log(e, 'warn', `Backtest ${e.jobId} cancelled`, `after ${e.done} of ${e.total} episodes`, e.detail);
        break;
      }
      default:
        assertNever(e);
    }
  }

  commit(): CockpitState {
    const b = this.base;
    if (this.simTimeNs !== b.simTimeNs) this.advanceSchedules();
    return {
      ...b,
      session: this.session,
      lastSeq: this.lastSeq,
      simTimeNs: this.simTimeNs,
      quote: this.quote,
      lastTrade: this.lastTrade,
      killSwitch: this.killSwitch,
      ...this.risk.commit(),
      depth: this.depth,
      agents: this.agents ?? b.agents,
      tape: prepend(b.tape, this.tape, TAPE_MAX),
      decisions: prepend(b.decisions, this.decisions, DECISIONS_MAX),
      activity: prepend(b.activity, this.activity, ACTIVITY_MAX),
      chart: this.bars.result(),
      evaluation: this.evaluation,
      orders: this.orders.commit(),
      fills: this.fills.length === 0 ? b.fills : [...b.fills, ...this.fills].slice(-FILLS_MAX),
      audit: prepend(b.audit, this.audit, AUDIT_MAX),
      signal: this.signalPoints.length === 0 && this.signal === b.signal.now ? b.signal : { now: this.signal, series: this.signalSeries(b.signal.series) },
    };
  }

  /** The signal's series with this pass's points: one a simulated second (a later reading of the same second replaces it). */
  private signalSeries(before: CockpitState['signal']['series']): CockpitState['signal']['series'] {
    const merged = before.slice(Math.max(0, before.length - SIGNAL_SERIES_MAX));
    for (const p of this.signalPoints) {
      if (merged.length > 0 && merged[merged.length - 1]!.second >= p.second) merged[merged.length - 1] = p;
      else merged.push(p);
    }
    return merged.length > SIGNAL_SERIES_MAX ? merged.slice(-SIGNAL_SERIES_MAX) : merged;
  }

  /**
   * Moves each live agent's elapsed schedule to the pass's clock; an agent changes only when the
   * percentage shown changes, so the grid sees a transaction about once per percent.
   */
  private advanceSchedules(): void {
    for (const a of (this.agents ?? this.base.agents).values()) {
      if (a.state !== 'running' && a.state !== 'paused') continue;
      const elapsed = scheduleElapsedAt(a, this.simTimeNs);
      if (shownPercent(elapsed) === shownPercent(a.scheduleElapsed)) continue;
      this.updateAgent(a.id, (x) => ({ ...x, scheduleElapsed: elapsed }));
    }
  }

  private updateAgent(id: string, change: (a: AgentView) => AgentView): void {
    const current = (this.agents ?? this.base.agents).get(id);
    if (current === undefined) return;
    const next = change(current);
    if (next === current) return;
    this.agents ??= new Map(this.base.agents);
    this.agents.set(id, next);
  }

  private agentName(id: string): string {
    return (this.agents ?? this.base.agents).get(id)?.name ?? id;
  }

  private log(e: EngineEvent, tone: ActivityRow['tone'], title: string, detail: string | null, reason: string | null): void {
    this.activity.push({ key: String(e.seq), ts: e.ts, source: 'engine', tone, title, detail, reason });
  }
}

let cockpitRows = 0;

function cockpitRow(ts: number, tone: ActivityRow['tone'], title: string, detail: string | null, reason: string | null = null): ActivityRow {
  cockpitRows += 1;
  return { key: `c${cockpitRows}`, ts, source: 'cockpit', tone, title, detail, reason };
}

/** Returns `added` (oldest first) newest-first ahead of `list`, at most `max` long. */
function prepend<T>(list: readonly T[], added: readonly T[], max: number): readonly T[] {
  if (added.length === 0) return list;
  const out: T[] = [];
  for (let i = added.length - 1; i >= 0 && out.length < max; i--) out.push(added[i]!);
  for (let i = 0; i < list.length && out.length < max; i++) out.push(list[i]!);
  return out;
}

function assertNever(e: never): void {
  // A newer engine may publish kinds this window does not know yet; they are skipped, not fatal.
  void e;
}
