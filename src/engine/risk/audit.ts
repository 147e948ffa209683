/**
 * A post-trade audit of a session's event stream: it keeps its own books from the events alone
 * (each agent's position, working orders and accepted-order times, the limits and trading states in
 * force) and checks every accepted order against them. It shares no code with the gate, so a breach
 * the gate let through, or an event stream that tells a different story from the gate's books, shows
 * up here: the fuzz suite and the flash-crash comparison read their "no limit breached" from it.
 * Collar, order value and loss are checked at the gate only (they need the mid of the moment).
 */

import type { EngineEvent } from '../contract/events';
import type { RiskLimits } from './limits';

interface Working {
  readonly side: 'buy' | 'sell';
  remaining: number;
}

/** What the audit found: each breach in words, with the event's sequence number, and the counts. */
export interface AuditReport {
  readonly accepted: number;
  readonly denied: number;
  readonly breaches: readonly string[];
}

/** The audit; feed it every event in order (`see`), then read `report()`. */
export class OrderAudit {
  private limits: RiskLimits;
  private sessionState = 'ACTIVE';
  private readonly agentStates = new Map<string, string>();
  private readonly working = new Map<string, Map<string, Working>>();
  private readonly positions = new Map<string, number>();
  private readonly times = new Map<string, number[]>();
  private readonly all: number[] = [];
  private readonly outcomes = new Set<string>();
  private accepted = 0;
  private denied = 0;
  private readonly breaches: string[] = [];

  constructor(initial: RiskLimits) {
    this.limits = initial;
  }

  /** Takes the next event of the stream. */
  see(e: EngineEvent): void {
    switch (e.kind) {
      case 'OrderAccepted':
        this.once(e.orderId, e.seq);
        this.accepted += 1;
        this.checkAccepted(e);
        if (e.resting > 0) this.agentWorking(e.agentId).set(e.orderId, { side: e.side, remaining: e.resting });
        break;
      case 'OrderDenied':
        this.once(e.orderId, e.seq);
        this.denied += 1;
        break;
      case 'OrderFilled': {
        this.positions.set(e.agentId, this.position(e.agentId) + (e.side === 'buy' ? e.size : -e.size));
        // A taker fill is the order's arrival (its resting part was booked net of it); a maker fill eats what rests.
        const w = e.liquidity === 'maker' ? this.agentWorking(e.agentId).get(e.orderId) : undefined;
        if (w) {
          w.remaining -= e.size;
          if (w.remaining < 0) this.breach(e.seq, `${e.orderId} filled ${-w.remaining} lots more than it had working`);
          if (w.remaining <= 0) this.agentWorking(e.agentId).delete(e.orderId);
        }
        break;
      }
      case 'OrderCancelled':
        if (!e.orderId.startsWith(`${e.agentId}/`)) this.breach(e.seq, `${e.agentId} cancelled ${e.orderId}, another agent's order`);
        if (!this.agentWorking(e.agentId).delete(e.orderId)) this.breach(e.seq, `${e.orderId} cancelled but not working`);
        break;
      case 'TradingStateChanged':
        if (e.agentId === null) this.sessionState = e.state;
        else this.agentStates.set(e.agentId, e.state);
        break;
      case 'KillSwitchEngaged':
        this.sessionState = 'HALTED';
        break;
      case 'KillSwitchReleased':
        this.sessionState = 'ACTIVE';
        break;
      case 'RiskLimitsChanged':
        if (e.agentId === null) this.limits = e.limits;
        break;
      case 'OrderExpired':
        break;
      default:
        return;
    }
    if (e.kind === 'OrderAccepted' || e.kind === 'OrderFilled' || e.kind === 'OrderCancelled' || e.kind === 'OrderExpired') {
      const w = this.agentWorking(e.agentId);
      const lots = this.lots(e.agentId, 'buy') + this.lots(e.agentId, 'sell');
      if (e.exposure.openOrders !== w.size || e.exposure.workingLots !== lots || e.exposure.position !== this.position(e.agentId)) {
        this.breach(e.seq, `${e.kind} ${e.orderId} tells ${e.exposure.openOrders} orders / ${e.exposure.workingLots} lots working and position ${e.exposure.position}; the stream adds up to ${w.size} / ${lots} and ${this.position(e.agentId)}`);
      }
    }
  }

  report(): AuditReport {
    return { accepted: this.accepted, denied: this.denied, breaches: this.breaches };
  }

  private checkAccepted(e: Extract<EngineEvent, { kind: 'OrderAccepted' }>): void {
    const l = this.limits.perAgent;
    const s = this.limits.session;
    const fail = (what: string): void => this.breach(e.seq, `${e.orderId} ${e.side} ${e.size} accepted ${what}`);
    if (!Number.isSafeInteger(e.size) || e.size <= 0 || e.size > l.maxOrderLots) fail(`beyond the max order of ${l.maxOrderLots}`);
    const own = this.agentStates.get(e.agentId) ?? 'ACTIVE';
    if (this.sessionState === 'HALTED' || own === 'HALTED') fail('while HALTED');
    const pos = this.position(e.agentId);
    const total = this.totalPosition();
    const signed = e.side === 'buy' ? e.size : -e.size;
    const withWorking = (p: number, buy: number, sell: number): number => (e.side === 'buy' ? p + buy + e.size : p - sell - e.size);
    const after = withWorking(pos, this.lots(e.agentId, 'buy'), this.lots(e.agentId, 'sell'));
    const sessionAfter = withWorking(total, this.totalLots('buy'), this.totalLots('sell'));
    if (own === 'REDUCING' && this.sessionState !== 'REDUCING' && (Math.abs(after) > Math.abs(pos) || Math.sign(after) === Math.sign(signed))) fail(`while the agent is REDUCING at position ${pos}`);
    if (this.sessionState === 'REDUCING' && (Math.abs(sessionAfter) > Math.abs(total) || Math.sign(sessionAfter) === Math.sign(signed))) fail(`while the session is REDUCING at position ${total}`);
    // A buy is held to the long limits and a sell to the short ones (an order that reduces a position past a lowered limit is welcome).
    if (e.side === 'buy' ? after > l.maxLongLots : -after > l.maxShortLots) fail(`taking the agent to ${after} lots with its working orders`);
    if (e.side === 'buy' ? sessionAfter > s.maxLongLots : -sessionAfter > s.maxShortLots) fail(`taking the session to ${sessionAfter} lots with its working orders`);
    if (this.agentWorking(e.agentId).size >= l.maxOpenOrders) fail(`with ${this.agentWorking(e.agentId).size} orders working, max ${l.maxOpenOrders}`);
    let open = 0;
    for (const w of this.working.values()) open += w.size;
    if (open >= s.maxOpenOrders) fail(`with ${open} session orders working, max ${s.maxOpenOrders}`);
    const times = this.times.get(e.agentId) ?? [];
    const inWindow = times.filter((t) => t > e.ts - l.rateWindowSeconds * 1e9).length;
    if (inWindow >= l.maxOrdersPerWindow) fail(`as the ${inWindow + 1}th order in ${l.rateWindowSeconds} s, max ${l.maxOrdersPerWindow}`);
    const sessionInWindow = this.all.filter((t) => t > e.ts - s.rateWindowSeconds * 1e9).length;
    if (sessionInWindow >= s.maxOrdersPerWindow) fail(`as the session's ${sessionInWindow + 1}th order in ${s.rateWindowSeconds} s, max ${s.maxOrdersPerWindow}`);
    times.push(e.ts);
    this.times.set(e.agentId, times);
    this.all.push(e.ts);
  }

  private once(orderId: string, seq: number): void {
    if (this.outcomes.has(orderId)) this.breach(seq, `${orderId} has a second outcome`);
    this.outcomes.add(orderId);
  }

  private breach(seq: number, what: string): void {
    this.breaches.push(`#${seq}: ${what}`);
  }

  private agentWorking(agentId: string): Map<string, Working> {
    let w = this.working.get(agentId);
    if (!w) this.working.set(agentId, (w = new Map()));
    return w;
  }

  private position(agentId: string): number {
    return this.positions.get(agentId) ?? 0;
  }

  private totalPosition(): number {
    let n = 0;
    for (const p of this.positions.values()) n += p;
    return n;
  }

  private lots(agentId: string, side: 'buy' | 'sell'): number {
    let n = 0;
    for (const o of this.agentWorking(agentId).values()) if (o.side === side) n += o.remaining;
    return n;
  }

  private totalLots(side: 'buy' | 'sell'): number {
    let n = 0;
    for (const id of this.working.keys()) n += this.lots(id, side);
    return n;
  }
}
