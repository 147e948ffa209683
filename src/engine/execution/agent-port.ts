import type { L2Snapshot } from '../book/types';
import type { AgentFill, AgentOrder, AgentOrderId, CancelResult, ElapseResult, SubmitResult, Venue, VenueEvent, VenueOrder } from '../venue/types';

/** Global order ids of agent `index` are `(index + 1) · ID_SPAN + local id`. */
const ID_SPAN = 1_000_000_000;

/** Told of every order that reached the venue and what the venue answered. */
export type SubmitListener = (order: VenueOrder, result: SubmitResult) => void;

/**
 * One agent's view of a venue it shares with the session's other agents. The kernel owns time: it
 * elapses the shared venue and hands each agent's session what concerns it (`view`: market events
 * and its own fills, with its own order ids), so an `ExecutionSession` runs on a port exactly as on
 * a venue of its own. The risk gate sits before the port, in the agent's `ExecutionSession`; the port tells the
 * kernel what the venue answered to every order that reached it.
 */
export class AgentPort implements Venue {
  private readonly base: number;

  constructor(
    private readonly venue: Venue,
    index: number,
    private readonly onSubmit: SubmitListener,
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

  /**
   * The agent's view of a slice of the shared venue: the market's events and its own fills, with its
   * own order ids (other agents' fills left out). A slice without fills is the agent's as it is.
   */
  view(slice: ElapseResult): ElapseResult {
    let fills = false;
    for (const e of slice.events) {
      if (e.kind === 'OrderFilled') {
        fills = true;
        break;
      }
    }
    if (!fills) return slice;
    const events: VenueEvent[] = [];
    for (const e of slice.events) {
      if (e.kind !== 'OrderFilled') events.push(e);
      else if (this.owns(e.orderId)) events.push({ ...e, orderId: e.orderId - this.base });
    }
    return { ...slice, events };
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
    if (!Number.isSafeInteger(order.id) || order.id <= 0 || order.id >= ID_SPAN) {
      const result: SubmitResult = { accepted: false, id: order.id, reject: { code: 'INVALID_ORDER_ID', id: order.id } };
      this.onSubmit(order, result);
      return result;
    }
    const r = this.venue.submit({ ...order, id: order.id + this.base });
    const result: SubmitResult = r.accepted
      ? { ...r, id: order.id, fills: r.fills.map((f) => this.localFill(f)) }
      : { ...r, id: order.id };
    this.onSubmit(order, result);
    return result;
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
