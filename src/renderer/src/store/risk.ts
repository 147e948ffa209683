import type { AgentLimits, DynamicRiskView, EngineEvent, LimitsChange, LimitUse, OrderExposure, RiskLimits, RiskSample, RiskView } from '../../../engine/contract/index';
import type { AgentRisk, LimitDelta, LimitGroup, LimitsChangeRow, RiskFeedRow, RiskState, TradingPosture } from './types';

/** Rows of each kind (denials, alerts) kept in the risk feed, so a flood of denials never pushes an alert out. */
export const RISK_FEED_MAX = 200;
/** Limit changes kept for the record (the engine keeps 100). */
export const LIMITS_HISTORY_MAX = 100;
/** How many of the newest feed rows a repeated denial (same agent, same code) folds into instead of adding a row. */
export const DENIAL_FOLD_DEPTH = 6;

/** Returns the risk state a snapshot describes. */
export function riskFromSnapshot(view: RiskView): RiskState {
  const history: LimitsChangeRow[] = [];
  view.history.forEach((change, i) => {
    const before = i > 0 ? view.history[i - 1]!.limits : null;
    history.push(historyRow(`h${change.ts}-${i}`, change, change.agentId === null ? 'session' : { agentId: change.agentId }, before === null ? null : diffLimits(before, change.limits)));
  });
  history.reverse();
  return {
    limits: view.limits,
    session: { state: view.session.state, reason: view.session.reason, use: view.session.use },
    agents: new Map(view.agents.map((a) => [a.agentId, { agentId: a.agentId, state: a.state, reason: a.reason, limits: a.limits, ownLimits: a.ownLimits, use: a.use, participation: a.participation }])),
    history,
    dynamic: view.dynamic,
  };
}

/** Returns the limits that differ between `before` and `after`, per-agent ones first, in the engine's field order. */
export function diffLimits(before: RiskLimits, after: RiskLimits): LimitDelta[] {
  return [...diffGroup('perAgent', before.perAgent, after.perAgent), ...diffGroup('session', before.session, after.session)];
}

/** Returns the per-agent limits that differ between `before` and `after`. */
export function diffAgentLimits(before: AgentLimits, after: AgentLimits): LimitDelta[] {
  return diffGroup('perAgent', before, after);
}

function diffGroup(group: LimitGroup, before: object, after: object): LimitDelta[] {
  const out: LimitDelta[] = [];
  const b = before as Readonly<Record<string, number>>;
  for (const [key, to] of Object.entries(after as Readonly<Record<string, number>>)) {
    const from = b[key];
    if (from !== undefined && !Object.is(from, to)) out.push({ group, key, from, to });
  }
  return out;
}

/**
 * A working copy of the risk state and the feed for one pass over batches: the events change it,
 * each batch's sample replaces the use and the dynamic view, and `commit` returns the new slices
 * (the old objects where nothing changed, so subscribers skip them).
 */
export class RiskPass {
  private risk: RiskState | null;
  private agents: Map<string, AgentRisk> | null = null;
  private readonly added: RiskFeedRow[] = [];
  private readonly folded = new Set<string>();
  private readonly history: LimitsChangeRow[] = [];

  constructor(
    base: RiskState | null,
    private readonly feed: readonly RiskFeedRow[],
  ) {
    this.risk = base;
  }

  /** Carries out the part of an event that concerns the risk overlay; `name` names agents for the feed. */
  apply(e: EngineEvent, name: (agentId: string) => string): void {
    switch (e.kind) {
      case 'TradingStateChanged':
        if (e.agentId === null) this.setSession({ state: e.state, reason: e.reason });
        else this.updateAgent(e.agentId, (a) => ({ ...a, state: e.state, reason: e.reason }));
        break;
      case 'KillSwitchEngaged':
        // The kill switch is the session's HALTED state (risk/gate.ts); no TradingStateChanged says so.
        this.setSession({ state: 'HALTED', reason: e.reason });
        break;
      case 'KillSwitchReleased':
        this.setSession({ state: 'ACTIVE', reason: e.reason });
        break;
      case 'OrderAccepted':
      case 'OrderFilled':
        this.expose(e.agentId, e.exposure, e.side);
        break;
      case 'OrderCancelled':
      case 'OrderExpired':
        this.expose(e.agentId, e.exposure, null);
        break;
      case 'RiskLimitsChanged':
        this.limitsChanged(e);
        break;
      case 'OrderDenied':
        this.deny({ kind: 'denial', key: `d${e.seq}`, ts: e.ts, agentId: e.agentId, agentName: name(e.agentId), code: e.code, detail: e.detail, side: e.side, size: e.size, price: e.price, orderId: e.orderId, count: 1 });
        break;
      case 'RiskAlert':
        this.added.push({ kind: 'alert', key: `a${e.seq}`, ts: e.ts, detector: e.detector, edge: e.edge, reason: e.reason, value: e.value, threshold: e.threshold, action: e.action, agents: e.agents.map(name) });
        break;
      default:
        break;
    }
  }

  /** Takes a batch's sample: what every limit is used for at its end, and the dynamic view. */
  sample(s: RiskSample): void {
    const risk = this.risk;
    if (risk === null) return;
    const sessionUse = sameUse(risk.session.use, s.session) ? risk.session.use : s.session;
    const dynamic = sameDynamic(risk.dynamic, s.dynamic) ? risk.dynamic : s.dynamic;
    if (sessionUse !== risk.session.use || dynamic !== risk.dynamic) this.risk = { ...risk, session: { ...risk.session, use: sessionUse }, dynamic };
    for (const [id, use] of Object.entries(s.agents)) {
      const participation = s.participation[id] ?? null;
      this.updateAgent(id, (a) => (sameUse(a.use, use) && a.participation === participation ? a : { ...a, use, participation }));
    }
  }

  /** Returns the record this pass made of the limits change published as event `seq`, if any. */
  recorded(seq: number): LimitsChangeRow | null {
    return this.history.find((r) => r.key === `e${seq}`) ?? null;
  }

  /** Returns the new risk state and feed. */
  commit(): { risk: RiskState | null; riskFeed: readonly RiskFeedRow[] } {
    let risk = this.risk;
    if (risk !== null && (this.agents !== null || this.history.length > 0)) {
      risk = {
        ...risk,
        agents: this.agents ?? risk.agents,
        history: this.history.length > 0 ? prependNewest(risk.history, this.history, LIMITS_HISTORY_MAX) : risk.history,
      };
    }
    const kept = this.folded.size === 0 ? this.feed : this.feed.filter((r) => !this.folded.has(r.key));
    return { risk, riskFeed: this.added.length === 0 && kept === this.feed ? kept : newestOfEachKind(prependNewest(kept, this.added, Infinity), RISK_FEED_MAX) };
  }

  private setSession(posture: TradingPosture): void {
    const risk = this.risk;
    if (risk === null || (risk.session.state === posture.state && risk.session.reason === posture.reason)) return;
    this.risk = { ...risk, session: { ...risk.session, ...posture } };
  }

  private updateAgent(id: string, change: (a: AgentRisk) => AgentRisk): void {
    const risk = this.risk;
    if (risk === null) return;
    const current = (this.agents ?? risk.agents).get(id);
    if (current === undefined) return;
    const next = change(current);
    if (next === current) return;
    this.agents ??= new Map(risk.agents);
    this.agents.set(id, next);
  }

  /**
   * Books an order step's exposure to the agent's use and the session's. The event gives the lots
   * working in total; they go to the order's side, or, for a cancel or expiry (which do not say),
   * to the only side with lots working. The batch's sample corrects whatever cannot be told here.
   */
  private expose(agentId: string, exposure: OrderExposure, side: 'buy' | 'sell' | null): void {
    const risk = this.risk;
    const current = risk === null ? undefined : (this.agents ?? risk.agents).get(agentId);
    if (risk === null || current === undefined) return;
    const before = current.use;
    let { workingBuyLots, workingSellLots } = before;
    const lots = exposure.workingLots;
    const onBuy = side === 'buy' || (side === null && workingSellLots === 0 && workingBuyLots > 0);
    const onSell = side === 'sell' || (side === null && workingBuyLots === 0 && workingSellLots > 0);
    if (onBuy) workingBuyLots = Math.max(0, lots - workingSellLots);
    else if (onSell) workingSellLots = Math.max(0, lots - workingBuyLots);
    else if (lots === 0) workingBuyLots = workingSellLots = 0;
    const use: LimitUse = { ...before, position: exposure.position, openOrders: exposure.openOrders, workingBuyLots, workingSellLots };
    if (sameUse(before, use)) return;
    this.updateAgent(agentId, (a) => ({ ...a, use }));
    const s = this.risk!.session;
    this.risk = {
      ...this.risk!,
      session: {
        ...s,
        use: {
          ...s.use,
          position: s.use.position + use.position - before.position,
          openOrders: s.use.openOrders + use.openOrders - before.openOrders,
          workingBuyLots: s.use.workingBuyLots + use.workingBuyLots - before.workingBuyLots,
          workingSellLots: s.use.workingSellLots + use.workingSellLots - before.workingSellLots,
        },
      },
    };
  }

  private limitsChanged(e: Extract<EngineEvent, { kind: 'RiskLimitsChanged' }>): void {
    const risk = this.risk;
    if (risk === null) return;
    const record = { by: e.by, at: e.at, ts: e.ts, reason: e.reason };
    if (e.agentId === null) {
      const changes = diffLimits(risk.limits, e.limits);
      this.risk = { ...risk, limits: e.limits };
      for (const a of risk.agents.values()) if (!a.ownLimits) this.updateAgent(a.agentId, (x) => ({ ...x, limits: e.limits.perAgent }));
      this.history.push(historyRow(`e${e.seq}`, record, 'session', changes));
      return;
    }
    const agent = (this.agents ?? risk.agents).get(e.agentId);
    const changes = agent === undefined ? null : diffAgentLimits(agent.limits, e.limits.perAgent);
    // The event carries the limits the agent is held to now, and whether they are its own.
    const ownLimits = e.ownLimits;
    this.updateAgent(e.agentId, (a) => ({ ...a, limits: e.limits.perAgent, ownLimits }));
    this.history.push(historyRow(`e${e.seq}`, record, { agentId: e.agentId }, changes));
  }

  /** Adds a denial, folding it into a recent row of the same agent and code (which moves to the top, counted). */
  private deny(row: Extract<RiskFeedRow, { kind: 'denial' }>): void {
    const same = (r: RiskFeedRow): boolean => r.kind === 'denial' && r.agentId === row.agentId && r.code === row.code;
    let looked = 0;
    for (let i = this.added.length - 1; i >= 0 && looked < DENIAL_FOLD_DEPTH; i--, looked++) {
      const r = this.added[i]!;
      if (same(r)) {
        this.added.splice(i, 1);
        this.added.push({ ...row, count: (r as typeof row).count + 1 });
        return;
      }
    }
    for (let i = 0; i < this.feed.length && looked < DENIAL_FOLD_DEPTH; i++) {
      const r = this.feed[i]!;
      if (this.folded.has(r.key)) continue;
      looked++;
      if (same(r)) {
        this.folded.add(r.key);
        this.added.push({ ...row, count: (r as typeof row).count + 1 });
        return;
      }
    }
    this.added.push(row);
  }
}

function historyRow(key: string, change: Pick<LimitsChange, 'by' | 'at' | 'ts' | 'reason'>, scope: LimitsChangeRow['scope'], changes: readonly LimitDelta[] | null): LimitsChangeRow {
  return { key, by: change.by, at: change.at, ts: change.ts, reason: change.reason, scope, changes };
}

/** Returns whether two uses show the same figures (NaN equal to NaN, as a P&L without a mark is). */
export function sameUse(a: LimitUse, b: LimitUse): boolean {
  return (
    Object.is(a.position, b.position) &&
    Object.is(a.workingBuyLots, b.workingBuyLots) &&
    Object.is(a.workingSellLots, b.workingSellLots) &&
    Object.is(a.openOrders, b.openOrders) &&
    Object.is(a.ordersInWindow, b.ordersInWindow) &&
    Object.is(a.pnl, b.pnl)
  );
}

function sameDynamic(a: DynamicRiskView | null, b: DynamicRiskView | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (!Object.is(a.ewmaBpsPerSqrtS, b.ewmaBpsPerSqrtS) || !Object.is(a.garchBpsPerSqrtS, b.garchBpsPerSqrtS) || a.models !== b.models) return false;
  if (a.detectors.length !== b.detectors.length || a.rules.length !== b.rules.length) return false;
  for (let i = 0; i < a.detectors.length; i++) {
    const x = a.detectors[i]!;
    const y = b.detectors[i]!;
    if (x.name !== y.name || x.firing !== y.firing || !Object.is(x.value, y.value) || x.threshold !== y.threshold || x.unit !== y.unit || x.reason !== y.reason || x.since !== y.since) return false;
  }
  for (let i = 0; i < a.rules.length; i++) {
    const x = a.rules[i]!;
    const y = b.rules[i]!;
    if (x.detector !== y.detector || x.action !== y.action || x.restoreOnClear !== y.restoreOnClear) return false;
  }
  return true;
}

/** Returns `added` (oldest first) newest-first ahead of `list`, at most `max` long. */
/** Keeps the newest `max` rows of each kind of `rows` (newest first), in their order. */
function newestOfEachKind(rows: readonly RiskFeedRow[], max: number): readonly RiskFeedRow[] {
  let denials = 0;
  let alerts = 0;
  return rows.filter((r) => (r.kind === 'denial' ? ++denials : ++alerts) <= max);
}

function prependNewest<T>(list: readonly T[], added: readonly T[], max: number): readonly T[] {
  if (added.length === 0) return list.length > max ? list.slice(0, max) : list;
  const out: T[] = [];
  for (let i = added.length - 1; i >= 0 && out.length < max; i--) out.push(added[i]!);
  for (let i = 0; i < list.length && out.length < max; i++) out.push(list[i]!);
  return out;
}
