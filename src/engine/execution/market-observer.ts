/**
 * Running market features an execution agent keeps between decisions: printed volume (recent, signed
 * by aggressor, and since a mark) and an EWMA volatility of the mid. It learns only from what a venue reports, so it
 * behaves the same on the simulator and on a historical venue.
 */

import type { Side } from '../book/types';
import type { Venue, VenueEvent } from '../venue/types';

/** Windows and prior of a `MarketObserver`. */
export interface MarketObserverOptions {
  /** Window of `recentVolume` in ns; defaults to 60 s. */
  readonly recentVolumeWindowNs?: number;
  /** Half-life of the volatility EWMA in ns; defaults to 300 s. */
  readonly volatilityHalfLifeNs?: number;
  /** Volatility in bps per √s assumed before the first sample; defaults to 0. */
  readonly volatilityPriorBpsPerSqrtS?: number;
}

const NS_PER_S = 1_000_000_000;

/** Tracks printed volume and the mid's volatility from a venue's events and mids. */
export class MarketObserver {
  readonly recentVolumeWindowNs: number;
  private readonly halfLifeS: number;
  // Ring buffer of recent prints: times and sizes.
  private tradeTs = new Float64Array(256);
  private tradeSize = new Float64Array(256);
  // Signed sizes: + when a buyer took liquidity, − when a seller did, 0 when the side is unknown.
  private tradeSigned = new Float64Array(256);
  private head = 0;
  private count = 0;
  private recentSum = 0;
  private recentSignedSum = 0;
  private totalVolume = 0;
  private markVolume = 0;
  private varianceRate: number;
  private hasVariance: boolean;
  private lastMid = NaN;
  private lastMidTs = NaN;

  constructor(options: MarketObserverOptions = {}) {
    this.recentVolumeWindowNs = options.recentVolumeWindowNs ?? 60 * NS_PER_S;
    this.halfLifeS = (options.volatilityHalfLifeNs ?? 300 * NS_PER_S) / NS_PER_S;
    if (!(this.recentVolumeWindowNs > 0)) throw new Error(`recentVolumeWindowNs must be positive, received ${this.recentVolumeWindowNs}`);
    if (!(this.halfLifeS > 0)) throw new Error(`volatilityHalfLifeNs must be positive, received ${options.volatilityHalfLifeNs}`);
    const prior = options.volatilityPriorBpsPerSqrtS ?? 0;
    this.varianceRate = (prior / 10_000) ** 2;
    this.hasVariance = prior > 0;
  }

  /** Returns an observer that goes on from this one's state: what it has seen so far, and nothing shared after. */
  clone(): MarketObserver {
    const c = new MarketObserver({ recentVolumeWindowNs: this.recentVolumeWindowNs, volatilityHalfLifeNs: this.halfLifeS * NS_PER_S });
    c.tradeTs = this.tradeTs.slice();
    c.tradeSize = this.tradeSize.slice();
    c.tradeSigned = this.tradeSigned.slice();
    c.head = this.head;
    c.count = this.count;
    c.recentSum = this.recentSum;
    c.recentSignedSum = this.recentSignedSum;
    c.totalVolume = this.totalVolume;
    c.markVolume = this.markVolume;
    c.varianceRate = this.varianceRate;
    c.hasVariance = this.hasVariance;
    c.lastMid = this.lastMid;
    c.lastMidTs = this.lastMidTs;
    return c;
  }

  /** Records a market print of `size` lots at `ts`, taken by `aggressor` when the venue says which side. */
  addTrade(ts: number, size: number, aggressor?: Side): void {
    if (!(size > 0)) return;
    this.push(ts, size, aggressor === 'buy' ? size : aggressor === 'sell' ? -size : 0);
  }

  /** Records a venue's `TradePrinted` event: its size, signed by its aggressor. */
  addPrint(e: { readonly ts: number; readonly size: number; readonly aggressor: Side }): void {
    this.addTrade(e.ts, e.size, e.aggressor);
  }

  /** Takes back `size` lots printed at `ts` that were the agent's own fills (venues that print them), with the print's aggressor. */
  removeOwnTrade(ts: number, size: number, aggressor?: Side): void {
    if (!(size > 0)) return;
    this.push(ts, -size, aggressor === 'buy' ? -size : aggressor === 'sell' ? size : 0);
  }

  private push(ts: number, size: number, signed: number): void {
    if (this.count === this.tradeTs.length) this.grow();
    const i = (this.head + this.count) % this.tradeTs.length;
    this.tradeTs[i] = ts;
    this.tradeSize[i] = size;
    this.tradeSigned[i] = signed;
    this.count++;
    this.recentSum += size;
    this.recentSignedSum += signed;
    this.totalVolume += size;
  }

  /** Records the mid at `ts`; updates the volatility estimate from the log return since the last one. */
  sampleMid(ts: number, mid: number): void {
    if (!(mid > 0) || !Number.isFinite(mid)) return;
    if (Number.isFinite(this.lastMid) && ts > this.lastMidTs) {
      const dt = (ts - this.lastMidTs) / NS_PER_S;
      const r = Math.log(mid / this.lastMid);
      const rate = (r * r) / dt;
      if (!this.hasVariance) {
        this.varianceRate = rate;
        this.hasVariance = true;
      } else {
        const w = 1 - Math.exp((-dt * Math.LN2) / this.halfLifeS);
        this.varianceRate += w * (rate - this.varianceRate);
      }
    }
    if (!Number.isFinite(this.lastMid) || ts >= this.lastMidTs) {
      this.lastMid = mid;
      this.lastMidTs = ts;
    }
  }

  /** Returns the lots printed in the window ending at `now`. */
  recentVolume(now: number): number {
    this.expire(now);
    return this.recentSum;
  }

  /**
   * Returns the order flow of the window ending at `now`: lots bought by aggressive buyers minus
   * lots sold by aggressive sellers (prints whose aggressor is unknown count in neither).
   */
  recentSignedVolume(now: number): number {
    this.expire(now);
    return this.recentSignedSum;
  }

  private expire(now: number): void {
    const from = now - this.recentVolumeWindowNs;
    while (this.count > 0 && (this.tradeTs[this.head] as number) <= from) {
      this.recentSum -= this.tradeSize[this.head] as number;
      this.recentSignedSum -= this.tradeSigned[this.head] as number;
      this.head = (this.head + 1) % this.tradeTs.length;
      this.count--;
    }
    if (this.count === 0) {
      this.recentSum = 0;
      this.recentSignedSum = 0;
    }
  }

  /** Starts counting `volumeSinceMark` from now. */
  mark(): void {
    this.markVolume = this.totalVolume;
  }

  /** Returns the lots printed since the last `mark()` (or since construction). */
  volumeSinceMark(): number {
    return this.totalVolume - this.markVolume;
  }

  /** Returns the volatility estimate in bps per √s. */
  volatilityBpsPerSqrtS(): number {
    return Math.sqrt(this.varianceRate) * 10_000;
  }

  /** Returns the last mid sampled (NaN before any). */
  lastSampledMid(): number {
    return this.lastMid;
  }

  private grow(): void {
    const n = this.tradeTs.length;
    const ts = new Float64Array(n * 2);
    const size = new Float64Array(n * 2);
    const signed = new Float64Array(n * 2);
    for (let k = 0; k < this.count; k++) {
      ts[k] = this.tradeTs[(this.head + k) % n] as number;
      size[k] = this.tradeSize[(this.head + k) % n] as number;
      signed[k] = this.tradeSigned[(this.head + k) % n] as number;
    }
    this.tradeTs = ts;
    this.tradeSize = size;
    this.tradeSigned = signed;
    this.head = 0;
  }
}

/** Returns the venue's mid, or `fallback` when a side is empty. */
export function venueMid(venue: Venue, fallback: number): number {
  const b = venue.bestBid();
  const a = venue.bestAsk();
  if (b !== undefined && a !== undefined) return (a + b) / 2;
  return fallback;
}

/** What else a warm-up feeds with the venue's events (the kernel's `MarketSignal`). */
export interface EventSink {
  push(events: readonly VenueEvent[]): void;
}

/**
 * Lets the market run for `durationNs` without an agent, in steps of `stepNs`, feeding the observer
 * its prints and mids, and `sink` every event. Returns the venue time at the end.
 */
export function warmUp(venue: Venue, observer: MarketObserver, durationNs: number, stepNs: number, sink?: EventSink): number {
  if (!Number.isSafeInteger(durationNs) || durationNs < 0) throw new Error(`warm-up duration must be a non-negative integer ns count, received ${durationNs}`);
  if (!Number.isSafeInteger(stepNs) || stepNs <= 0) throw new Error(`warm-up step must be a positive integer ns count, received ${stepNs}`);
  let mid = venueMid(venue, NaN);
  observer.sampleMid(venue.now(), mid);
  let left = durationNs;
  while (left > 0) {
    const dt = Math.min(stepNs, left);
    const r = venue.elapse(dt);
    for (const e of r.events) if (e.kind === 'TradePrinted') observer.addPrint(e);
    sink?.push(r.events);
    mid = venueMid(venue, mid);
    observer.sampleMid(r.now, mid);
    left -= dt;
  }
  return venue.now();
}

/** Returns the ns from the venue's time to an episode's start; throws when the venue is already past it. */
export function timeUntilStart(venue: Venue, startNs: number): number {
  const dt = startNs - venue.now();
  if (dt < 0) throw new Error(`the venue opened at ${venue.now()} ns, after the episode start ${startNs} ns`);
  return dt;
}

/** Runs `warmUp` from the venue's time up to the episode's start `startNs`. */
export function warmUpTo(venue: Venue, observer: MarketObserver, startNs: number, stepNs: number, sink?: EventSink): number {
  return warmUp(venue, observer, timeUntilStart(venue, startNs), stepNs, sink);
}
