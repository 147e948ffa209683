/**
 * The model-free pre-trade gate. Whatever an agent sends, the gate lets an order through only when
 * no hard limit is breached; a denial is data (a stable code and the numbers behind it), never an
 * exception. The gate owns the limits, the trading states (per agent and for the session) and the
 * exposure book the kernel keeps it told of; it knows nothing of models, venues or sessions, and is
 * told at each check what it needs of them (the agent and its state, the mid, the opposite touch,
 * the time).
 */

import type { Side } from '../book/types';
import { ExposureBook, type AgentExposure } from './exposure';
import type { AgentLimits, LimitsChange, RiskLimits } from './limits';

/** An order as the gate sees it: what it would send, not how. */
export interface GateOrder {
  readonly kind: 'limit' | 'market';
  readonly side: Side;
  /** Lots. */
  readonly size: number;
  /** Price units; limit orders only. */
  readonly price?: number;
  /** Which of the agent's decisions sent it (orders of one decision, such as the parts of a split order, are not duplicates of each other). */
  readonly decision?: number;
}

/** An agent's life as the kernel runs it; only a running (or flattening) agent may send orders. */
export type AgentLifecycle = 'running' | 'paused' | 'killed' | 'done' | 'flattening';

/** What the gate is told about the agent and the market at the moment of an order. */
export interface GateContext {
  readonly agentId: string;
  readonly agentState: AgentLifecycle;
  /** The venue's mid in price units (NaN when one side of the book is empty): the collar's reference and the mark. */
  readonly mid: number;
  /** Simulated ns. */
  readonly now: number;
}

/** Whose limit or state decided: the agent's own, or the session's (all agents together). */
export type RiskScope = 'agent' | 'session';

/**
 * Trading states: ACTIVE trades; REDUCING lets through only orders that take the position toward
 * flat; HALTED lets no order through (cancels always pass).
 */
export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';

/** Why the gate stopped an order: a stable code and the limit and value that decided it. */
export type RiskDenial =
  | { readonly code: 'TRADING_HALTED'; readonly scope: RiskScope; readonly reason: string }
  | { readonly code: 'AGENT_NOT_RUNNING'; readonly state: AgentLifecycle }
  | { readonly code: 'ORDER_SIZE_INVALID'; readonly size: number }
  | { readonly code: 'PRICE_INVALID'; readonly price: number }
  | { readonly code: 'REDUCE_ONLY'; readonly scope: RiskScope; readonly reason: string; readonly position: number; readonly side: Side; readonly size: number }
  | { readonly code: 'ORDER_SIZE_EXCEEDS_MAX'; readonly max: number; readonly size: number }
  | { readonly code: 'ORDER_NOTIONAL_EXCEEDS_MAX'; readonly max: number; readonly notional: number }
  | { readonly code: 'PRICE_OUTSIDE_COLLAR'; readonly collarBps: number; readonly awayBps: number; readonly price: number; readonly mid: number }
  | { readonly code: 'POSITION_EXCEEDS_MAX'; readonly scope: RiskScope; readonly side: 'long' | 'short'; readonly max: number; readonly projected: number }
  | { readonly code: 'OPEN_ORDERS_EXCEED_MAX'; readonly scope: RiskScope; readonly max: number; readonly open: number }
  | { readonly code: 'ORDER_RATE_EXCEEDS_MAX'; readonly scope: RiskScope; readonly max: number; readonly windowSeconds: number; readonly count: number }
  | { readonly code: 'DAILY_LOSS_EXCEEDED'; readonly scope: RiskScope; readonly max: number; readonly loss: number }
  | { readonly code: 'SELF_TRADE'; readonly price: number; readonly restingAgent: string; readonly restingOrder: number; readonly restingPrice: number }
  | { readonly code: 'DUPLICATE_ORDER'; readonly windowSeconds: number; readonly ageSeconds: number };

export type RiskDenialCode = RiskDenial['code'];

/** What the gate answers: the order may go, or it is denied with the reason. */
export type GateOutcome = { readonly allowed: true } | { readonly allowed: false; readonly denial: RiskDenial };

/** A trading state with why it was set. */
export interface StateWithReason {
  readonly state: TradingState;
  readonly reason: string;
}

/** The largest size of an order the per-order and position limits let through, and the limit that cut it (null when none did). */
export interface SizeFit {
  readonly size: number;
  readonly limitedBy: string | null;
}

/** How much of its limits an agent (or the session) uses: position, working orders, orders in the rate window, and profit so far in currency (realised plus marked to the mid; NaN with a position and no mid). */
export interface LimitUse {
  readonly position: number;
  readonly workingBuyLots: number;
  readonly workingSellLots: number;
  readonly openOrders: number;
  readonly ordersInWindow: number;
  readonly pnl: number;
}

const ALLOWED: GateOutcome = { allowed: true };
const ACTIVE: StateWithReason = { state: 'ACTIVE', reason: 'trading' };
const NS = 1e9;
/** How many limit changes the gate keeps for the record. */
const HISTORY = 100;

/** The pre-trade gate; see the module comment. */
export class RiskGate {
  private current: RiskLimits;
  private readonly overrides = new Map<string, AgentLimits>();
  private sessionState: StateWithReason = ACTIVE;
  private readonly agentStates = new Map<string, StateWithReason>();
  private readonly changes: LimitsChange[] = [];
  /** What every agent holds and has working, as the kernel reports it. */
  readonly exposure = new ExposureBook();

  /**
   * @param limits the limits in force from the start
   * @param currencyPerPriceUnit what one price unit is worth in currency, for notional and loss limits (1 where prices are already currency)
   */
  constructor(
    limits: RiskLimits,
    private readonly currencyPerPriceUnit = 1,
  ) {
    this.current = limits;
  }

  /** Returns the limits in force. */
  get limits(): RiskLimits {
    return this.current;
  }

  /** Returns the per-agent limits agent `agentId` is held to: its own where it has them, else the session's per-agent ones. */
  limitsFor(agentId: string): AgentLimits {
    return this.overrides.get(agentId) ?? this.current.perAgent;
  }

  /** The agents with limits of their own. */
  agentOverrides(): ReadonlyMap<string, AgentLimits> {
    return this.overrides;
  }

  /** The changes of limits so far, oldest first (the last 100). */
  get history(): readonly LimitsChange[] {
    return this.changes;
  }

  /** Returns whether the session is HALTED (the kill switch). */
  get killed(): boolean {
    return this.sessionState.state === 'HALTED';
  }

  /** Returns why the session is HALTED, or null when it is not. */
  get killSwitchReason(): string | null {
    return this.killed ? this.sessionState.reason : null;
  }

  /** The session's trading state. */
  get session(): StateWithReason {
    return this.sessionState;
  }

  /** Agent `agentId`'s own trading state (ACTIVE unless set). */
  agentTradingState(agentId: string): StateWithReason {
    return this.agentStates.get(agentId) ?? ACTIVE;
  }

  /** Sets the limits every later order is checked against (one agent's own when `agentId` is given; null there drops them), and records who, when and why. */
  setLimits(limits: RiskLimits, change: Omit<LimitsChange, 'limits' | 'agentId' | 'ownLimits'>, agentId?: { readonly id: string; readonly limits: AgentLimits | null }): void {
    if (agentId) {
      if (agentId.limits === null) this.overrides.delete(agentId.id);
      else this.overrides.set(agentId.id, agentId.limits);
    } else this.current = limits;
    // An agent's change records the limits it is held to after it: its own, or the session's per-agent ones when they were dropped.
    this.changes.push({ ...change, agentId: agentId?.id ?? null, ownLimits: agentId ? agentId.limits !== null : false, limits: agentId ? { ...this.current, perAgent: this.limitsFor(agentId.id) } : this.current });
    if (this.changes.length > HISTORY) this.changes.splice(0, this.changes.length - HISTORY);
  }

  /** Sets the session's trading state, or agent `agentId`'s. */
  setTradingState(scope: 'session' | { readonly agentId: string }, state: TradingState, reason: string): void {
    const next = { state, reason };
    if (scope === 'session') this.sessionState = next;
    else this.agentStates.set(scope.agentId, next);
  }

  /** Engages the kill switch: the session is HALTED, every order is denied until it is released. */
  engageKillSwitch(reason: string): void {
    this.setTradingState('session', 'HALTED', reason);
  }

  /** Releases the kill switch: the session is ACTIVE again. */
  releaseKillSwitch(): void {
    this.sessionState = ACTIVE;
  }

  /** Returns whether `order` may go out. Checks run in a fixed order and the first breach is the outcome (see risk/README.md). */
  check(order: GateOrder, context: GateContext): GateOutcome {
    const denial = this.deny(order, context);
    return denial === null ? ALLOWED : { allowed: false, denial };
  }

  /**
   * Returns the largest size, up to `order.size`, that the per-order limits (size, value) and the
   * position limits (and, under REDUCING, the position left to reduce) let through: what an agent
   * that sizes its orders to its limits sends.
   */
  fit(order: GateOrder, context: GateContext): SizeFit {
    const limits = this.limitsFor(context.agentId);
    const a = this.exposure.agent(context.agentId);
    const s = this.exposure;
    let size = Math.floor(order.size);
    let limitedBy: string | null = null;
    const cut = (room: number, why: string): void => {
      const r = Math.max(0, Math.floor(room));
      if (r < size) {
        size = r;
        limitedBy = why;
      }
    };
    cut(limits.maxOrderLots, `max order ${limits.maxOrderLots} lots`);
    const unit = this.unitValue(order, context);
    if (unit > 0) cut(limits.maxOrderNotional / unit, `max order value ${limits.maxOrderNotional}`);
    if (order.side === 'buy') {
      cut(limits.maxLongLots - (a.position + a.workingBuyLots), `agent long limit ${limits.maxLongLots} lots`);
      cut(this.current.session.maxLongLots - (s.position + s.workingBuyLots), `session long limit ${this.current.session.maxLongLots} lots`);
    } else {
      cut(limits.maxShortLots + (a.position - a.workingSellLots), `agent short limit ${limits.maxShortLots} lots`);
      cut(this.current.session.maxShortLots + (s.position - s.workingSellLots), `session short limit ${this.current.session.maxShortLots} lots`);
    }
    const reducing = this.reducingScope(context, a);
    if (reducing !== null) {
      const pos = reducing === 'agent' ? a : s;
      cut(reducibleLots(order.side, pos.position, pos.workingBuyLots, pos.workingSellLots), `${reducing === 'agent' ? 'the agent' : 'the session'} may only reduce its position`);
    }
    return { size, limitedBy };
  }

  /** How many more orders agent `agentId` may have accepted now: the room its and the session's working-order and rate limits leave. */
  orderRoom(agentId: string, now: number): number {
    const limits = this.limitsFor(agentId);
    const session = this.current.session;
    const a = this.exposure.agent(agentId);
    const s = this.exposure;
    return Math.max(
      0,
      Math.min(
        limits.maxOpenOrders - a.openOrders,
        session.maxOpenOrders - s.openOrders,
        limits.maxOrdersPerWindow - a.orders.count(now, limits.rateWindowSeconds * NS),
        session.maxOrdersPerWindow - s.orders.count(now, session.rateWindowSeconds * NS),
      ),
    );
  }

  /** What agent `agentId` uses of its limits now, with the mid as the mark. */
  agentUse(agentId: string, now: number, mid: number): LimitUse {
    const a = this.exposure.agent(agentId);
    const limits = this.limitsFor(agentId);
    return { position: a.position, workingBuyLots: a.workingBuyLots, workingSellLots: a.workingSellLots, openOrders: a.openOrders, ordersInWindow: a.orders.count(now, limits.rateWindowSeconds * NS), pnl: a.pnl(mid) * this.currencyPerPriceUnit };
  }

  /** What the session's agents use of the session-wide limits now. */
  sessionUse(now: number, mid: number): LimitUse {
    const s = this.exposure;
    return { position: s.position, workingBuyLots: s.workingBuyLots, workingSellLots: s.workingSellLots, openOrders: s.openOrders, ordersInWindow: s.orders.count(now, this.current.session.rateWindowSeconds * NS), pnl: s.pnl(mid) * this.currencyPerPriceUnit };
  }

  /** The key the duplicate guard compares orders by. */
  static orderKey(order: GateOrder): string {
    return `${order.kind}|${order.side}|${order.price ?? 'mkt'}|${order.size}`;
  }

  /** Value of one lot of `order` in currency: at its limit price, or at the mid for a market order. */
  private unitValue(order: GateOrder, context: GateContext): number {
    const price = order.kind === 'limit' ? (order.price ?? NaN) : context.mid;
    return price * this.currencyPerPriceUnit;
  }

  /** The scope that holds the agent to reducing orders (its own state, the session's, or a loss past a limit), or null. */
  private reducingScope(context: GateContext, a: AgentExposure): RiskScope | null {
    if (this.sessionState.state === 'REDUCING') return 'session';
    if (this.agentTradingState(context.agentId).state === 'REDUCING') return 'agent';
    return this.lossBreach(context, a)?.scope ?? null;
  }

  private lossBreach(context: GateContext, a: AgentExposure): { scope: RiskScope; max: number; loss: number } | null {
    const limits = this.limitsFor(context.agentId);
    const agentLoss = -a.pnl(context.mid) * this.currencyPerPriceUnit;
    if (agentLoss >= limits.maxDailyLoss) return { scope: 'agent', max: limits.maxDailyLoss, loss: agentLoss };
    const sessionLoss = -this.exposure.pnl(context.mid) * this.currencyPerPriceUnit;
    if (sessionLoss >= this.current.session.maxDailyLoss) return { scope: 'session', max: this.current.session.maxDailyLoss, loss: sessionLoss };
    return null;
  }

  private deny(order: GateOrder, context: GateContext): RiskDenial | null {
    const limits = this.limitsFor(context.agentId);
    const session = this.current.session;
    if (this.sessionState.state === 'HALTED') return { code: 'TRADING_HALTED', scope: 'session', reason: this.sessionState.reason };
    const own = this.agentStates.get(context.agentId);
    if (own?.state === 'HALTED') return { code: 'TRADING_HALTED', scope: 'agent', reason: own.reason };
    if (context.agentState !== 'running' && context.agentState !== 'flattening') return { code: 'AGENT_NOT_RUNNING', state: context.agentState };
    const size = order.size;
    if (!Number.isSafeInteger(size) || size <= 0) return { code: 'ORDER_SIZE_INVALID', size };
    const price = order.price ?? NaN;
    if (order.kind === 'limit' && (!Number.isSafeInteger(price) || price <= 0)) return { code: 'PRICE_INVALID', price };
    const a = this.exposure.agent(context.agentId);
    const s = this.exposure;
    // Reduce-only: under REDUCING (the session's or the agent's) or past a loss limit.
    const reduceScope = this.sessionState.state === 'REDUCING' ? 'session' : own?.state === 'REDUCING' ? 'agent' : null;
    if (reduceScope !== null) {
      const pos = reduceScope === 'agent' ? a : s;
      if (size > reducibleLots(order.side, pos.position, pos.workingBuyLots, pos.workingSellLots)) {
        const why = reduceScope === 'agent' ? (own as StateWithReason).reason : this.sessionState.reason;
        return { code: 'REDUCE_ONLY', scope: reduceScope, reason: why, position: pos.position, side: order.side, size };
      }
    }
    if (size > limits.maxOrderLots) return { code: 'ORDER_SIZE_EXCEEDS_MAX', max: limits.maxOrderLots, size };
    const notional = size * this.unitValue(order, context);
    // A market order with no mid has no value to check; its size is still bounded and the collar does not apply to it.
    if (notional > limits.maxOrderNotional) return { code: 'ORDER_NOTIONAL_EXCEEDS_MAX', max: limits.maxOrderNotional, notional };
    if (order.kind === 'limit') {
      const awayBps = (Math.abs(price - context.mid) / context.mid) * 10_000;
      // NaN (no mid) fails the comparison: an order the gate cannot place is denied.
      if (!(awayBps <= limits.priceCollarBps)) return { code: 'PRICE_OUTSIDE_COLLAR', collarBps: limits.priceCollarBps, awayBps, price, mid: context.mid };
    }
    if (order.side === 'buy') {
      const projected = a.position + a.workingBuyLots + size;
      if (projected > limits.maxLongLots) return { code: 'POSITION_EXCEEDS_MAX', scope: 'agent', side: 'long', max: limits.maxLongLots, projected };
      const total = s.position + s.workingBuyLots + size;
      if (total > session.maxLongLots) return { code: 'POSITION_EXCEEDS_MAX', scope: 'session', side: 'long', max: session.maxLongLots, projected: total };
    } else {
      const projected = -(a.position - a.workingSellLots - size);
      if (projected > limits.maxShortLots) return { code: 'POSITION_EXCEEDS_MAX', scope: 'agent', side: 'short', max: limits.maxShortLots, projected };
      const total = -(s.position - s.workingSellLots - size);
      if (total > session.maxShortLots) return { code: 'POSITION_EXCEEDS_MAX', scope: 'session', side: 'short', max: session.maxShortLots, projected: total };
    }
    if (a.openOrders >= limits.maxOpenOrders) return { code: 'OPEN_ORDERS_EXCEED_MAX', scope: 'agent', max: limits.maxOpenOrders, open: a.openOrders };
    if (s.openOrders >= session.maxOpenOrders) return { code: 'OPEN_ORDERS_EXCEED_MAX', scope: 'session', max: session.maxOpenOrders, open: s.openOrders };
    const rate = a.orders.count(context.now, limits.rateWindowSeconds * NS);
    if (rate >= limits.maxOrdersPerWindow) return { code: 'ORDER_RATE_EXCEEDS_MAX', scope: 'agent', max: limits.maxOrdersPerWindow, windowSeconds: limits.rateWindowSeconds, count: rate };
    const sessionRate = s.orders.count(context.now, session.rateWindowSeconds * NS);
    if (sessionRate >= session.maxOrdersPerWindow) return { code: 'ORDER_RATE_EXCEEDS_MAX', scope: 'session', max: session.maxOrdersPerWindow, windowSeconds: session.rateWindowSeconds, count: sessionRate };
    const loss = this.lossBreach(context, a);
    if (loss !== null && size > reducibleLots(order.side, loss.scope === 'agent' ? a.position : s.position, loss.scope === 'agent' ? a.workingBuyLots : s.workingBuyLots, loss.scope === 'agent' ? a.workingSellLots : s.workingSellLots)) {
      return { code: 'DAILY_LOSS_EXCEEDED', scope: loss.scope, max: loss.max, loss: loss.loss };
    }
    // Self-trade prevention: a limit order at or through a firm order on the other side. A market
    // order's reach is the venue's to know; it refuses one that would meet a firm order.
    if (order.kind === 'limit') {
      const cross = s.crossing(order.side, price);
      if (cross !== null) return { code: 'SELF_TRADE', price, restingAgent: cross.agentId, restingOrder: cross.orderId, restingPrice: cross.price };
    }
    if (limits.duplicateWindowSeconds > 0 && order.decision !== undefined) {
      const last = a.recent.get(RiskGate.orderKey(order));
      if (last !== undefined && last[1] !== order.decision) {
        const age = context.now - last[0];
        if (age < limits.duplicateWindowSeconds * NS) return { code: 'DUPLICATE_ORDER', windowSeconds: limits.duplicateWindowSeconds, ageSeconds: age / NS };
      }
    }
    return null;
  }
}

/** Lots an order on `side` may take without the position passing flat, counting same-side working orders as filled. */
function reducibleLots(side: Side, position: number, workingBuy: number, workingSell: number): number {
  return side === 'buy' ? Math.max(0, -position - workingBuy) : Math.max(0, position - workingSell);
}

/**
 * Returns a denial as a sentence with its numbers; `price` formats price units as the trader reads
 * them (`extra` more decimals for a mid, which may sit between ticks), `money` currency.
 */
export function describeDenial(denial: RiskDenial, price: (units: number, extra?: number) => string, money: (value: number) => string = (v) => v.toFixed(2)): string {
  const whose = (scope: RiskScope): string => (scope === 'agent' ? 'agent' : 'session');
  switch (denial.code) {
    case 'TRADING_HALTED':
      return denial.scope === 'session' ? `trading halted (kill switch): ${denial.reason}` : `agent halted: ${denial.reason}`;
    case 'AGENT_NOT_RUNNING':
      return `agent is ${denial.state}`;
    case 'ORDER_SIZE_INVALID':
      return `size ${denial.size} is not a whole positive number of lots`;
    case 'PRICE_INVALID':
      return `price ${denial.price} is not a whole positive number of price units`;
    case 'REDUCE_ONLY':
      return `${whose(denial.scope)} is REDUCING (${denial.reason}): ${denial.side} ${denial.size} lots would not reduce the position of ${denial.position} lots`;
    case 'ORDER_SIZE_EXCEEDS_MAX':
      return `size ${denial.size} lots, max ${denial.max}`;
    case 'ORDER_NOTIONAL_EXCEEDS_MAX':
      return `order value ${money(denial.notional)}, max ${money(denial.max)}`;
    case 'PRICE_OUTSIDE_COLLAR':
      return Number.isFinite(denial.mid)
        ? `price ${price(denial.price)} is ${denial.awayBps.toFixed(0)} bps from the mid ${price(denial.mid, 1)}, collar ${denial.collarBps} bps`
        : `price ${price(denial.price)} cannot be checked against the collar: the book shows no mid`;
    case 'POSITION_EXCEEDS_MAX':
      return `${whose(denial.scope)} ${denial.side} position would reach ${denial.projected} lots counting working orders, max ${denial.max}`;
    case 'OPEN_ORDERS_EXCEED_MAX':
      return `${denial.open} working orders (${whose(denial.scope)}), max ${denial.max}`;
    case 'ORDER_RATE_EXCEEDS_MAX':
      return `${denial.count} orders in the last ${denial.windowSeconds} s (${whose(denial.scope)}), max ${denial.max}`;
    case 'DAILY_LOSS_EXCEEDED':
      return `${whose(denial.scope)} loss ${money(denial.loss)} has reached the daily limit ${money(denial.max)}: only orders that reduce the position pass`;
    case 'SELF_TRADE':
      return `at ${price(denial.price)} it would trade with the firm's own order ${denial.restingAgent}/${denial.restingOrder} at ${price(denial.restingPrice)} (self-trade prevention)`;
    case 'DUPLICATE_ORDER':
      return `the same order was sent ${denial.ageSeconds.toFixed(3)} s ago in an earlier decision (duplicate guard, ${denial.windowSeconds} s)`;
  }
}
