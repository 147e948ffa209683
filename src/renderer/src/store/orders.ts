import type { EngineEvent } from '../../../engine/contract/index';
import type { Side } from '../../../engine/book/types';

/** Where an order stands: resting at the venue, done, or never sent (refused by the gate or the venue). */
export type OrderState = 'working' | 'filled' | 'cancelled' | 'expired' | 'denied';

/** One order in the blotter: the agent's or the trader's, from acceptance (or denial) to its end. Prices in ticks, sizes in lots. */
export interface OrderRow {
  readonly orderId: string;
  readonly agentId: string;
  readonly side: Side;
  /** Limit price; null for a market order. */
  readonly price: number | null;
  readonly size: number;
  readonly filled: number;
  /** Average fill price in ticks, null before the first fill. */
  readonly avgPrice: number | null;
  readonly state: OrderState;
  /** Simulated time it was accepted or denied, and of its last change. */
  readonly ts: number;
  readonly updatedTs: number;
  /** The risk gate's word on it: passed, or the denial's code and why. */
  readonly outcome: string;
  readonly denied: boolean;
}

/** One fill, as the chart marks it. Price in ticks. */
export interface FillMark {
  readonly ts: number;
  readonly agentId: string;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
}

/** Fills the chart keeps, oldest first; past it the oldest go. */
export const FILLS_MAX = 2_000;

/** Each agent's running VWAP at its fills: [ts, average price in ticks] in time order. */
export function runningVwap(fills: readonly FillMark[]): ReadonlyMap<string, ReadonlyArray<readonly [number, number]>> {
  const sums = new Map<string, { lots: number; notional: number; points: Array<readonly [number, number]> }>();
  for (const f of fills) {
    const s = sums.get(f.agentId) ?? { lots: 0, notional: 0, points: [] };
    s.lots += f.size;
    s.notional += f.price * f.size;
    s.points.push([f.ts, s.notional / s.lots]);
    sums.set(f.agentId, s);
  }
  return new Map([...sums].map(([id, s]) => [id, s.points]));
}

/** Orders the blotter keeps; past it the oldest finished ones go. */
export const ORDERS_MAX = 5_000;

/**
 * Folds order events into the blotter's rows, copying the map once per pass: accepted opens a
 * row (working while lots rest), fills add to it, cancelled and expired end it, a denial is a
 * row of its own with its reason. Returns the same map when `e` is not about an order.
 */
export class OrdersPass {
  private map: Map<string, OrderRow> | null = null;

  constructor(private readonly base: ReadonlyMap<string, OrderRow>) {}

  apply(e: EngineEvent): void {
    switch (e.kind) {
      case 'OrderAccepted':
        this.put({
          orderId: e.orderId,
          agentId: e.agentId,
          side: e.side,
          price: e.price,
          size: e.size,
          filled: this.get(e.orderId)?.filled ?? 0,
          avgPrice: this.get(e.orderId)?.avgPrice ?? null,
          state: e.resting > 0 ? 'working' : (this.get(e.orderId)?.state ?? 'working'),
          ts: e.ts,
          updatedTs: e.ts,
          outcome: 'passed',
          denied: false,
        });
        break;
      case 'OrderFilled': {
        const o = this.get(e.orderId) ?? this.opened(e.orderId, e.agentId, e.side, null, e.size + e.remaining, e.ts);
        const filled = o.filled + e.size;
        const avgPrice = ((o.avgPrice ?? 0) * o.filled + e.price * e.size) / filled;
        this.put({ ...o, filled, avgPrice, state: e.remaining === 0 ? 'filled' : o.state, updatedTs: e.ts });
        break;
      }
      case 'OrderCancelled': {
        const o = this.get(e.orderId);
        if (o !== undefined) this.put({ ...o, state: 'cancelled', updatedTs: e.ts });
        break;
      }
      case 'OrderExpired': {
        const o = this.get(e.orderId);
        if (o !== undefined) this.put({ ...o, state: o.filled >= o.size ? 'filled' : 'expired', updatedTs: e.ts });
        break;
      }
      case 'OrderDenied':
        this.put({
          orderId: e.orderId,
          agentId: e.agentId,
          side: e.side,
          price: e.price,
          size: e.size,
          filled: 0,
          avgPrice: null,
          state: 'denied',
          ts: e.ts,
          updatedTs: e.ts,
          outcome: `${e.denial === null ? 'venue' : 'risk'} ${e.code}${e.detail ? `: ${e.detail}` : ''}`,
          denied: true,
        });
        break;
      default:
        break;
    }
  }

  /** The rows after the pass: the base itself when nothing changed. */
  commit(): ReadonlyMap<string, OrderRow> {
    if (this.map === null) return this.base;
    if (this.map.size > ORDERS_MAX) {
      // Map order is insertion order: the oldest go first, working ones kept.
      for (const [id, o] of this.map) {
        if (this.map.size <= ORDERS_MAX) break;
        if (o.state !== 'working') this.map.delete(id);
      }
    }
    return this.map;
  }

  private get(id: string): OrderRow | undefined {
    return (this.map ?? this.base).get(id);
  }

  private opened(orderId: string, agentId: string, side: Side, price: number | null, size: number, ts: number): OrderRow {
    return { orderId, agentId, side, price, size, filled: 0, avgPrice: null, state: 'working', ts, updatedTs: ts, outcome: 'passed', denied: false };
  }

  private put(o: OrderRow): void {
    this.map ??= new Map(this.base);
    this.map.set(o.orderId, o);
  }
}
