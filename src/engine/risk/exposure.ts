/**
 * What the gate needs to know of each agent between orders: its position and cash from its fills,
 * its working orders, the times of its recent orders (for the rate limit) and the orders of its
 * recent decisions (for the duplicate guard); and the session's totals of the same. The kernel tells
 * it every accepted order, fill and cancel as they happen, so a check reads figures, never scans
 * history. Prices are venue price units, sizes lots, times simulated ns.
 */

import type { Side } from '../book/types';

/** One working order as the gate sees it. */
interface Working {
  readonly side: Side;
  readonly price: number;
  remaining: number;
}

/** A working order at the top of the firm's orders on its side. */
interface Best {
  readonly agentId: string;
  readonly orderId: number;
  readonly price: number;
}

/** The longest order-rate window a limit may have, in seconds: times older than this are forgotten. */
export const RATE_WINDOW_MAX_SECONDS = 60;
const KEEP_NS = RATE_WINDOW_MAX_SECONDS * 1e9;

/**
 * Times (non-decreasing) for a sliding-window count. Every time of the last
 * `RATE_WINDOW_MAX_SECONDS` is kept, so a window made longer counts the orders it now covers.
 */
class TimeWindow {
  private times: number[] = [];
  private head = 0;

  /** Returns how many times fall in (now − windowNs, now]. */
  count(now: number, windowNs: number): number {
    const times = this.times;
    // Forget what no window can reach any more.
    const keep = now - KEEP_NS;
    while (this.head < times.length && (times[this.head] as number) <= keep) this.head += 1;
    if (this.head > 1_024 && this.head * 2 > times.length) {
      this.times = times.slice(this.head);
      this.head = 0;
      return this.count(now, windowNs);
    }
    // The first time inside the window, by binary search from the kept head.
    const from = now - windowNs;
    let lo = this.head;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((times[mid] as number) <= from) lo = mid + 1;
      else hi = mid;
    }
    return times.length - lo;
  }

  push(ts: number): void {
    this.times.push(ts);
  }
}

/** One agent's exposure; read by the gate, written by `ExposureBook`. */
export class AgentExposure {
  /** Signed lots: buys add, sells subtract. */
  position = 0;
  /** Price units × lots received from sells minus paid for buys. */
  cash = 0;
  workingBuyLots = 0;
  workingSellLots = 0;
  readonly working = new Map<number, Working>();
  readonly orders = new TimeWindow();
  /** Duplicate guard: order key → [ts, decision] of the last accepted order with that key. */
  readonly recent = new Map<string, readonly [number, number]>();

  get openOrders(): number {
    return this.working.size;
  }

  /** Profit since the session began in price units × lots: cash plus the position marked at `mark` (NaN without a mark while a position is open). */
  pnl(mark: number): number {
    return this.position === 0 ? this.cash : this.cash + this.position * mark;
  }
}

/** Every agent's exposure and the session's totals. */
export class ExposureBook {
  private readonly agents = new Map<string, AgentExposure>();
  /** Session totals, kept as the agents' change. */
  position = 0;
  cash = 0;
  workingBuyLots = 0;
  workingSellLots = 0;
  openOrders = 0;
  readonly orders = new TimeWindow();
  /** The firm's best working orders, or null when they must be worked out again. */
  private best: { buy: Best | null; sell: Best | null } | null = null;

  /** Returns an agent's exposure (empty before its first order). */
  agent(agentId: string): AgentExposure {
    let a = this.agents.get(agentId);
    if (!a) {
      a = new AgentExposure();
      this.agents.set(agentId, a);
    }
    return a;
  }

  /** Every agent's exposure, by id. */
  entries(): IterableIterator<[string, AgentExposure]> {
    return this.agents.entries();
  }

  /** The session's profit in price units × lots, marked at `mark`. */
  pnl(mark: number): number {
    return this.position === 0 ? this.cash : this.cash + this.position * mark;
  }

  /** Records an order the venue accepted at `ts`, with the lots left resting on it (a limit price for them). */
  accepted(agentId: string, orderId: number, side: Side, price: number | undefined, resting: number, ts: number, key: string | null, decision: number): void {
    const a = this.agent(agentId);
    a.orders.push(ts);
    this.orders.push(ts);
    if (key !== null) {
      a.recent.set(key, [ts, decision]);
      if (a.recent.size > 256) for (const [k, [at]] of a.recent) if (at < ts - 60e9) a.recent.delete(k);
    }
    if (resting > 0 && price !== undefined) {
      a.working.set(orderId, { side, price, remaining: resting });
      this.best = null;
      this.openOrders += 1;
      this.addWorking(a, side, resting);
    }
  }

  /** Records a fill of one of an agent's orders; `resting` when it filled a working order (not on arrival). */
  filled(agentId: string, orderId: number, side: Side, price: number, size: number, resting: boolean): void {
    const a = this.agent(agentId);
    const signed = side === 'buy' ? size : -size;
    a.position += signed;
    this.position += signed;
    a.cash -= signed * price;
    this.cash -= signed * price;
    if (!resting) return;
    const w = a.working.get(orderId);
    if (!w) return;
    const lots = Math.min(size, w.remaining);
    w.remaining -= lots;
    this.addWorking(a, side, -lots);
    if (w.remaining <= 0) {
      a.working.delete(orderId);
      this.openOrders -= 1;
      this.best = null;
    }
  }

  /** Records that an agent's working order left the book unfilled (cancelled, or expired). */
  removed(agentId: string, orderId: number): void {
    const a = this.agent(agentId);
    const w = a.working.get(orderId);
    if (!w) return;
    a.working.delete(orderId);
    this.openOrders -= 1;
    this.best = null;
    this.addWorking(a, w.side, -w.remaining);
  }

  /**
   * Returns the firm's working order on the other side that an order on `side` at `price` would
   * trade with (a buy at or above the lowest firm sell, a sell at or below the highest firm buy):
   * the self-trade the gate prevents. Returns the owner and the order, or null.
   */
  crossing(side: Side, price: number): { readonly agentId: string; readonly orderId: number; readonly price: number } | null {
    const best = this.bestWorking();
    const other = side === 'buy' ? best.sell : best.buy;
    if (other === null) return null;
    return (side === 'buy' ? other.price <= price : other.price >= price) ? other : null;
  }

  /** The firm's highest working buy and lowest working sell, worked out again only after the working orders changed. */
  private bestWorking(): { buy: Best | null; sell: Best | null } {
    if (this.best !== null) return this.best;
    let buy: Best | null = null;
    let sell: Best | null = null;
    for (const [agentId, a] of this.agents) {
      for (const [orderId, w] of a.working) {
        if (w.side === 'buy' && (buy === null || w.price > buy.price)) buy = { agentId, orderId, price: w.price };
        if (w.side === 'sell' && (sell === null || w.price < sell.price)) sell = { agentId, orderId, price: w.price };
      }
    }
    this.best = { buy, sell };
    return this.best;
  }

  private addWorking(a: AgentExposure, side: Side, lots: number): void {
    if (side === 'buy') {
      a.workingBuyLots += lots;
      this.workingBuyLots += lots;
    } else {
      a.workingSellLots += lots;
      this.workingSellLots += lots;
    }
  }
}
