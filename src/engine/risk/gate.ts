/**
 * The model-free pre-trade gate. Whatever an agent sends, the gate lets an order through only when
 * no hard limit is breached; a denial is data (a stable code and the numbers behind it), never an
 * exception. The gate owns the limits and the kill switch; it knows nothing of models, venues or
 * sessions, and is told what it needs of them (the agent's state, the mid, the working orders) at
 * each check.
 */

import type { RiskLimits } from './limits';

/** An order as the gate sees it: what it would send, not how. */
export interface GateOrder {
  readonly kind: 'limit' | 'market';
  readonly side: 'buy' | 'sell';
  /** Lots. */
  readonly size: number;
  /** Ticks; limit orders only. */
  readonly price?: number;
}

/** What the gate is told about the agent and the market at the moment of an order. */
export interface GateContext {
  /** The agent's state; only a running agent may send orders. */
  readonly agentState: 'running' | 'paused' | 'killed' | 'done';
  /** The venue's mid in ticks (NaN when one side of the book is empty). */
  readonly mid: number;
  /** The agent's working orders before this one. */
  readonly openOrders: number;
}

/** Why the gate stopped an order: a stable code and the limit and value that decided it. */
export type RiskDenial =
  | { readonly code: 'KILL_SWITCH_ENGAGED'; readonly reason: string }
  | { readonly code: 'AGENT_NOT_RUNNING'; readonly state: GateContext['agentState'] }
  | { readonly code: 'ORDER_SIZE_INVALID'; readonly size: number }
  | { readonly code: 'PRICE_INVALID'; readonly price: number }
  | { readonly code: 'ORDER_SIZE_EXCEEDS_MAX'; readonly max: number; readonly size: number }
  | { readonly code: 'PRICE_OUTSIDE_COLLAR'; readonly collarBps: number; readonly awayBps: number; readonly price: number; readonly mid: number }
  | { readonly code: 'OPEN_ORDERS_EXCEED_MAX'; readonly max: number; readonly open: number };

export type RiskDenialCode = RiskDenial['code'];

/** What the gate answers: the order may go, or it is denied with the reason. */
export type GateOutcome = { readonly allowed: true } | { readonly allowed: false; readonly denial: RiskDenial };

const ALLOWED: GateOutcome = { allowed: true };

/** The pre-trade gate; see the module comment. */
export class RiskGate {
  private current: RiskLimits;
  private killReason: string | null = null;

  constructor(limits: RiskLimits) {
    this.current = limits;
  }

  /** Returns the limits in force. */
  get limits(): RiskLimits {
    return this.current;
  }

  /** Returns whether the kill switch is engaged. */
  get killed(): boolean {
    return this.killReason !== null;
  }

  /** Returns why the kill switch was engaged, or null when it is not. */
  get killSwitchReason(): string | null {
    return this.killReason;
  }

  /** Sets the limits every later order is checked against. */
  setLimits(limits: RiskLimits): void {
    this.current = limits;
  }

  /** Engages the kill switch: every order is denied until it is released. */
  engageKillSwitch(reason: string): void {
    this.killReason = reason;
  }

  /** Releases the kill switch. */
  releaseKillSwitch(): void {
    this.killReason = null;
  }

  /** Returns whether `order` may go out, checked in a fixed order: kill switch, agent, size (whole and positive, then the limit), price (whole ticks, then the collar), open orders. */
  check(order: GateOrder, context: GateContext): GateOutcome {
    const denial = this.deny(order, context);
    return denial === null ? ALLOWED : { allowed: false, denial };
  }

  private deny(order: GateOrder, context: GateContext): RiskDenial | null {
    const limits = this.current;
    if (this.killReason !== null) return { code: 'KILL_SWITCH_ENGAGED', reason: this.killReason };
    if (context.agentState !== 'running') return { code: 'AGENT_NOT_RUNNING', state: context.agentState };
    if (!Number.isSafeInteger(order.size) || order.size <= 0) return { code: 'ORDER_SIZE_INVALID', size: order.size };
    if (order.size > limits.maxOrderLots) return { code: 'ORDER_SIZE_EXCEEDS_MAX', max: limits.maxOrderLots, size: order.size };
    if (order.kind === 'limit') {
      const price = order.price ?? NaN;
      if (!Number.isSafeInteger(price) || price <= 0) return { code: 'PRICE_INVALID', price };
      const awayBps = (Math.abs(price - context.mid) / context.mid) * 10_000;
      // NaN (no mid, or no price) fails the comparison: an order the gate cannot place is denied.
      if (!(awayBps <= limits.priceCollarBps)) return { code: 'PRICE_OUTSIDE_COLLAR', collarBps: limits.priceCollarBps, awayBps, price, mid: context.mid };
    }
    if (context.openOrders >= limits.maxOpenOrders) return { code: 'OPEN_ORDERS_EXCEED_MAX', max: limits.maxOpenOrders, open: context.openOrders };
    return null;
  }
}

/**
 * Returns a denial as a sentence with its numbers; `price` formats ticks as the trader reads them
 * (`extra` more decimals for a mid, which may sit between ticks).
 */
export function describeDenial(denial: RiskDenial, price: (ticks: number, extra?: number) => string): string {
  switch (denial.code) {
    case 'KILL_SWITCH_ENGAGED':
      return `kill switch engaged: ${denial.reason}`;
    case 'AGENT_NOT_RUNNING':
      return `agent is ${denial.state}`;
    case 'ORDER_SIZE_INVALID':
      return `size ${denial.size} is not a whole positive number of lots`;
    case 'PRICE_INVALID':
      return `price ${denial.price} is not a whole positive number of ticks`;
    case 'ORDER_SIZE_EXCEEDS_MAX':
      return `size ${denial.size} lots, max ${denial.max}`;
    case 'PRICE_OUTSIDE_COLLAR':
      return Number.isFinite(denial.mid)
        ? `price ${price(denial.price)} is ${denial.awayBps.toFixed(0)} bps from the mid ${price(denial.mid, 1)}, collar ${denial.collarBps} bps`
        : `price ${price(denial.price)} cannot be checked against the collar: the book shows no mid`;
    case 'OPEN_ORDERS_EXCEED_MAX':
      return `${denial.open} working orders, max ${denial.max}`;
  }
}
