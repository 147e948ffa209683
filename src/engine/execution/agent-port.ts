import type { L2Snapshot } from '../book/types';
import type { AgentFill, AgentOrder, AgentOrderId, CancelResult, ElapseResult, SubmitResult, Venue, VenueOrder } from '../venue/types';

/** Global order ids of agent `index` are `(index + 1) · ID_SPAN + local id`. */
const ID_SPAN = 1_000_000_000;

/**
 * One agent's view of a venue it shares with the session's other agents. The kernel owns time: it
 * elapses the shared venue and hands each agent's session what concerns it (the market's events and
 * its own fills, with its own order ids), so an `ExecutionSession` runs on a port exactly as on
 * a venue of its own. The risk gate sits before the port, in the agent's `ExecutionSession`, which
 * tells the kernel each step of every order's life.
 */
export class AgentPort implements Venue {
  private readonly base: number;

  constructor(
    private readonly venue: Venue,
    index: number,
  ) {
    this.base = (index + 1) * ID_SPAN;
  }

  /** Returns whether a venue order id belongs to this port's agent. */
  owns(globalId: number): boolean {
    return globalId > this.base && globalId < this.base + ID_SPAN;
  }

  /** Returns the agent's own id for one of its venue order ids. */
  localId(globalId: number): number {
    return globalId - this.base;
  }

  /** Translates one of this agent's fills from venue ids to the agent's ids. */
  localFill(fill: AgentFill): AgentFill {
    return { ...fill, orderId: fill.orderId - this.base };
  }

  now(): number {
    return this.venue.now();
  }

  /** Time is moved by the kernel only, which hands each slice to the agent's session as it happens (see `view`): elapsing nothing returns nothing. */
  elapse(ns: number): ElapseResult {
    if (ns !== 0) throw new Error(`an agent cannot move the shared venue's clock; it asked to elapse ${ns} ns`);
    return { now: this.venue.now(), events: [], exhausted: false };
  }

  submit(order: VenueOrder): SubmitResult {
    if (!Number.isSafeInteger(order.id) || order.id <= 0 || order.id >= ID_SPAN) return { accepted: false, id: order.id, reject: { code: 'INVALID_ORDER_ID', id: order.id } };
    const r = this.venue.submit({ ...order, id: order.id + this.base });
    return r.accepted ? { ...r, id: order.id, fills: r.fills.map((f) => this.localFill(f)) } : { ...r, id: order.id };
  }

  cancel(id: AgentOrderId): CancelResult {
    const r = this.venue.cancel(id + this.base);
    return { ...r, id };
  }

  bestBid(): number | undefined {
    return this.venue.bestBid();
  }

  bestAsk(): number | undefined {
    return this.venue.bestAsk();
  }

  l2(levels: number): L2Snapshot {
    return this.venue.l2(levels);
  }

  openOrders(): readonly AgentOrder[] {
    const out: AgentOrder[] = [];
    for (const o of this.venue.openOrders()) if (this.owns(o.id)) out.push({ ...o, id: o.id - this.base });
    return out;
  }

  order(id: AgentOrderId): AgentOrder | undefined {
    const o = this.venue.order(id + this.base);
    return o ? { ...o, id } : undefined;
  }
}
