/**
 * The sources a `SignalFeatures` is fed from, each turned into the same event: the book's top
 * levels in LOBSTER's flat layout and the print. A LOBSTER row (historical replay), an `L2Snapshot`
 * (the simulator's book and a live venue's `l2(levels)`), a venue's events (`VenueEventFeed`), and
 * a feature matrix of a whole day for training and evaluation.
 */

import type { L2Snapshot } from '../book/types';
import type { VenueEvent } from '../venue/types';
import type { LobsterDay, LobsterMessage } from '../data/lobster';
import { LOBSTER_UNITS_PER_TICK } from '../data/lobster';
import type { SignalFeatures, TradeTick } from './features';
import { createSignalFeatures } from './features';

/** Returns the print of a LOBSTER message: visible and hidden executions (the aggressor is the resting side's opposite) and cross trades (no aggressor). */
export function lobsterTrade(message: LobsterMessage): TradeTick | undefined {
  if (message.kind === 'execute' || message.kind === 'executeHidden') return { size: message.size, aggressor: message.side === 'buy' ? 'sell' : 'buy' };
  if (message.kind === 'cross') return { size: message.size, aggressor: undefined };
  return undefined;
}

/** Writes `snapshot`'s best `levels` levels a side into `out` in LOBSTER's flat layout (empty levels: price 0, size 0) and returns it. */
export function flatRowFromL2(snapshot: L2Snapshot, levels: number, out: Float64Array = new Float64Array(levels * 4)): Float64Array {
  for (let l = 0; l < levels; l++) {
    const a = snapshot.asks[l];
    const b = snapshot.bids[l];
    out[4 * l] = a ? a[0] : 0;
    out[4 * l + 1] = a ? a[1] : 0;
    out[4 * l + 2] = b ? b[0] : 0;
    out[4 * l + 3] = b ? b[1] : 0;
  }
  return out;
}

/** A day's features, one row per event, with the mids and times the labels and splits need. */
export interface FeatureMatrix {
  readonly names: readonly string[];
  /** Events. */
  readonly rows: number;
  /** rows × names.length, row-major. */
  readonly x: Float32Array;
  /** Mid after each event, price units (the last two-sided mid where the book is one-sided). */
  readonly mids: Float64Array;
  readonly timesNs: Float64Array;
  readonly tickSize: number;
  readonly levels: number;
}

/** Computes the features after every event of a LOBSTER day (levels as the day carries them, at most `maxLevels`). */
export function lobsterFeatureMatrix(day: LobsterDay, maxLevels = day.levels): FeatureMatrix {
  const levels = Math.min(day.levels, maxLevels);
  const f = createSignalFeatures({ levels, tickSize: LOBSTER_UNITS_PER_TICK });
  return runDay(day, f);
}

function runDay(day: LobsterDay, f: SignalFeatures): FeatureMatrix {
  const rows = day.length;
  const width = f.size;
  const x = new Float32Array(rows * width);
  const mids = new Float64Array(rows);
  const timesNs = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const message = day.message(i);
    f.onEvent(message.timeNs, day.row(i), lobsterTrade(message));
    x.set(f.vector(), i * width);
    mids[i] = f.mid();
    timesNs[i] = message.timeNs;
  }
  // Events before the first two-sided book take its mid, so no label compares with NaN.
  const first = mids.findIndex((m) => !Number.isNaN(m));
  for (let i = 0; i < first; i++) mids[i] = mids[first] as number;
  return { names: f.names, rows, x, mids, timesNs, tickSize: f.tickSize, levels: f.levels };
}

/** One side of a book kept from level totals: prices best first, sizes by price. */
class L2Side {
  private readonly prices: number[] = [];
  private readonly sizes = new Map<number, number>();
  constructor(private readonly descending: boolean) {}

  clear(): void {
    this.prices.length = 0;
    this.sizes.clear();
  }

  /** Sets the level at `price` to `size` (0 removes it). */
  set(price: number, size: number): void {
    const had = this.sizes.has(price);
    if (size > 0) {
      this.sizes.set(price, size);
      if (!had) {
        // Binary search for the insertion point, best price first.
        let lo = 0;
        let hi = this.prices.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          const better = this.descending ? (this.prices[mid] as number) > price : (this.prices[mid] as number) < price;
          if (better) lo = mid + 1;
          else hi = mid;
        }
        this.prices.splice(lo, 0, price);
      }
    } else if (had) {
      this.sizes.delete(price);
      this.prices.splice(this.prices.indexOf(price), 1);
    }
  }

  /** Writes the best `levels` levels into the flat row (price at `offset`, size after it, every 4). */
  write(row: Float64Array, levels: number, offset: number): void {
    for (let l = 0; l < levels; l++) {
      const p = this.prices[l];
      row[4 * l + offset] = p ?? 0;
      row[4 * l + offset + 1] = p === undefined ? 0 : (this.sizes.get(p) as number);
    }
  }
}

/**
 * Turns a venue's events (`ElapseResult.events`: the simulator's or a live venue's) into feature
 * events: the book is kept from `LevelChanged` totals, and the events of one timestamp (one market
 * operation: a sweep changes several levels and prints several trades) make one event, with their
 * prints summed (the aggressor is the side that took the most). A venue does not report the market liquidity the agent's own aggressive orders
 * take, so `resync(venue.l2(depth))` after the agent acts (or after every `elapse`) puts the book
 * back to what the venue shows; ask for more levels than the features read, so levels that move up
 * into the top are known.
 */
export class VenueEventFeed {
  readonly levels: number;
  private readonly bids = new L2Side(true);
  private readonly asks = new L2Side(false);
  private readonly row: Float64Array;
  private pendingTs = NaN;
  private tradeSize = 0;
  private buySize = 0;
  private sellSize = 0;
  private readonly onEvent: (timeNs: number, row: Float64Array, trade?: TradeTick) => void;

  /** Calls `onEvent` with each event (the row is reused: copy what you keep). */
  constructor(levels: number, onEvent: (timeNs: number, row: Float64Array, trade?: TradeTick) => void) {
    if (!Number.isSafeInteger(levels) || levels <= 0) throw new Error(`levels must be a positive integer, received ${levels}`);
    this.levels = levels;
    this.row = new Float64Array(levels * 4);
    this.onEvent = onEvent;
  }

  /** Replaces the kept book with `snapshot` (levels the venue shows now). */
  resync(snapshot: L2Snapshot): void {
    this.bids.clear();
    this.asks.clear();
    for (const [p, s] of snapshot.bids) this.bids.set(p, s);
    for (const [p, s] of snapshot.asks) this.asks.set(p, s);
  }

  /** Takes a batch of venue events in order; emits an event per timestamp (the last one of the batch included). */
  push(events: readonly VenueEvent[]): void {
    for (const e of events) {
      if (e.kind !== 'LevelChanged' && e.kind !== 'TradePrinted') continue;
      if (e.ts !== this.pendingTs) this.flush();
      this.pendingTs = e.ts;
      if (e.kind === 'LevelChanged') (e.side === 'buy' ? this.bids : this.asks).set(e.price, e.size);
      else {
        this.tradeSize += e.size;
        if (e.aggressor === 'buy') this.buySize += e.size;
        else this.sellSize += e.size;
      }
    }
    this.flush();
  }

  /** Returns the kept book's top levels in the flat layout (a view: do not change it). */
  current(): Float64Array {
    this.asks.write(this.row, this.levels, 0);
    this.bids.write(this.row, this.levels, 2);
    return this.row;
  }

  private flush(): void {
    if (Number.isNaN(this.pendingTs)) return;
    const trade: TradeTick | undefined = this.tradeSize > 0 ? { size: this.tradeSize, aggressor: this.buySize >= this.sellSize ? 'buy' : 'sell' } : undefined;
    this.onEvent(this.pendingTs, this.current(), trade);
    this.pendingTs = NaN;
    this.tradeSize = 0;
    this.buySize = 0;
    this.sellSize = 0;
  }
}
