/**
 * Features of the order book and the tape, computed incrementally per event. One event is one book
 * state after one market message (a LOBSTER row, a simulator book operation, a live update), with
 * the trade it printed if it printed one. The same `SignalFeatures` runs on a historical replay, in
 * the simulator and live: every source hands it the top levels in LOBSTER's flat layout
 * (askPrice1, askSize1, bidPrice1, bidSize1, askPrice2, …; an empty level has size 0) and the print.
 *
 * Each windowed feature keeps a running sum over a ring of the last W events' contributions: an
 * event adds its own and takes back the one leaving the window, so an update costs O(levels), never
 * O(W). The contributions are integers (sizes, half-tick mid moves), so the running sums are exact
 * and equal, to the last bit, a direct sum over the window (`features.test.ts` checks it on the
 * GOOG day). Prices come in whatever unit the source uses; `tickSize` (price units per tick) makes
 * spread, microprice and moves unit-free.
 */

import type { Side } from '../book/types';

/** The depths whose volume imbalance is a feature, where the source carries that many levels. */
export const IMBALANCE_DEPTHS: readonly number[] = [1, 2, 3, 5, 10];
/** The short and long event windows of the windowed features. */
export const SHORT_WINDOW = 10;
export const LONG_WINDOW = 100;

/** What a `SignalFeatures` needs to know about its source. */
export interface SignalFeaturesOptions {
  /** Levels a side the source carries (1 for a level-1 file). */
  readonly levels: number;
  /** Price units per tick: 100 for LOBSTER ($ × 10000, $0.01 ticks), 1 for ticks. */
  readonly tickSize: number;
  /** Session open and close in ns on the source's clock, for the time of day (default 09:30–16:00 after midnight). */
  readonly sessionOpenNs?: number;
  readonly sessionCloseNs?: number;
}

/** A print at the event: its size and the side that took liquidity (undefined when the source does not say). */
export interface TradeTick {
  readonly size: number;
  readonly aggressor: Side | undefined;
}

/** Each feature's name and what it measures, in vector order (depth features only up to the source's levels). */
export const FEATURE_DOCS: Readonly<Record<string, string>> = {
  imbalance_1: 'volume imbalance of the best level, (bid − ask) / (bid + ask), in [−1, 1]',
  imbalance_2: 'volume imbalance of the best 2 levels a side',
  imbalance_3: 'volume imbalance of the best 3 levels a side',
  imbalance_5: 'volume imbalance of the best 5 levels a side',
  imbalance_10: 'volume imbalance of the best 10 levels a side',
  spread: 'best ask − best bid, ticks',
  microprice: 'size-weighted microprice (ask·bidSize + bid·askSize) / (bidSize + askSize) minus the mid, ticks',
  ofi_10: 'order-flow imbalance (Cont, Kukanov and Stoikov 2014) summed over the last 10 events, over the mean touch depth of the last 100',
  ofi_100: 'order-flow imbalance summed over the last 100 events, over the mean touch depth of the last 100',
  vol_100: 'realised volatility: √(Σ squared mid moves) over the last 100 events, ticks',
  midChange_10: 'mid now minus the mid 10 events ago, ticks',
  midChange_100: 'mid now minus the mid 100 events ago, ticks',
  midVsMean_10: 'mid now minus the mean mid of the last 10 events, ticks',
  midVsMean_100: 'mid now minus the mean mid of the last 100 events, ticks',
  tradeFlow_100: 'signed traded volume over the last 100 events, (aggressive buys − aggressive sells) / all, in [−1, 1] (0 without trades)',
  volume_100: 'log(1 + traded volume over the last 100 events / mean touch depth of the last 100)',
  trades_100: 'share of the last 100 events that printed a trade',
  depletionBid: 'queue depletion at the best bid: 1 − its size / the largest size it had since the price became the best bid',
  depletionAsk: 'queue depletion at the best ask, likewise',
  timeOfDay: 'time since the session open over the session length (0 at the open, 1 at the close)',
};

const NS_PER_S = 1_000_000_000;
const DEFAULT_OPEN_NS = 34_200 * NS_PER_S;
const DEFAULT_CLOSE_NS = 57_600 * NS_PER_S;

/** Returns the feature names a source with `levels` levels a side gives, in vector order. */
export function featureNames(levels: number): string[] {
  const names = IMBALANCE_DEPTHS.filter((d) => d <= levels).map((d) => `imbalance_${d}`);
  return names.concat([
    'spread',
    'microprice',
    'ofi_10',
    'ofi_100',
    'vol_100',
    'midChange_10',
    'midChange_100',
    'midVsMean_10',
    'midVsMean_100',
    'tradeFlow_100',
    'volume_100',
    'trades_100',
    'depletionBid',
    'depletionAsk',
    'timeOfDay',
  ]);
}

/** A windowed running sum over the last `w` values of a ring of contributions. */
function windowSum(ring: Float64Array, sum: number, n: number, value: number, w: number): number {
  // The ring holds LONG_WINDOW + 1 entries; slot n % size is the event n's contribution.
  const size = ring.length;
  let s = sum + value;
  if (n >= w) s -= ring[(n - w) % size] as number;
  return s;
}

/** Features of the book and the tape, updated by `onEvent`; see the module comment. */
export class SignalFeatures {
  readonly levels: number;
  readonly tickSize: number;
  readonly names: readonly string[];
  readonly size: number;
  private readonly depths: readonly number[];
  private readonly openNs: number;
  private readonly spanNs: number;
  private readonly out: Float64Array;
  /** Events seen. */
  private n = 0;

  // Rings of per-event contributions (LONG_WINDOW + 1 slots, see windowSum).
  private readonly ringOfi = new Float64Array(LONG_WINDOW + 1);
  private readonly ringMove2 = new Float64Array(LONG_WINDOW + 1);
  private readonly ringMid2 = new Float64Array(LONG_WINDOW + 1);
  private readonly ringBuy = new Float64Array(LONG_WINDOW + 1);
  private readonly ringSell = new Float64Array(LONG_WINDOW + 1);
  private readonly ringVol = new Float64Array(LONG_WINDOW + 1);
  private readonly ringTrade = new Float64Array(LONG_WINDOW + 1);
  private readonly ringDepth2 = new Float64Array(LONG_WINDOW + 1);

  private ofiShort = 0;
  private ofiLong = 0;
  private move2Long = 0;
  private buyLong = 0;
  private sellLong = 0;
  private volLong = 0;
  private tradeLong = 0;
  private depth2Long = 0;
  private mid2Short = 0;
  private mid2Long = 0;

  // The previous event's touch, and the twice-mid (ask + bid) in price units.
  private bidP = NaN;
  private bidQ = 0;
  private askP = NaN;
  private askQ = 0;
  private mid2 = NaN;
  private spreadTicks = NaN;
  private bidPeak = 0;
  private askPeak = 0;
  private timeNs = 0;

  constructor(options: SignalFeaturesOptions) {
    const { levels, tickSize } = options;
    if (!Number.isSafeInteger(levels) || levels <= 0) throw new Error(`levels must be a positive integer, received ${levels}`);
    if (!(tickSize > 0) || !Number.isFinite(tickSize)) throw new Error(`tickSize must be a positive number of price units, received ${tickSize}`);
    this.levels = levels;
    this.tickSize = tickSize;
    this.depths = IMBALANCE_DEPTHS.filter((d) => d <= levels);
    this.names = featureNames(levels);
    this.size = this.names.length;
    this.out = new Float64Array(this.size);
    this.openNs = options.sessionOpenNs ?? DEFAULT_OPEN_NS;
    const close = options.sessionCloseNs ?? DEFAULT_CLOSE_NS;
    if (!(close > this.openNs)) throw new Error(`the session must close after it opens, received open ${this.openNs} ns and close ${close} ns`);
    this.spanNs = close - this.openNs;
  }

  /** Number of events seen. */
  get events(): number {
    return this.n;
  }

  /** Returns whether the long windows are full (earlier vectors average over fewer events). */
  get warm(): boolean {
    return this.n > LONG_WINDOW;
  }

  /** Returns the last mid in price units (NaN before a two-sided book). */
  mid(): number {
    return this.mid2 / 2;
  }

  /**
   * Takes one event: the book after it (`row`, flat layout, at least `levels` levels) at `timeNs`,
   * and the trade it printed, if any. Then `vector()` holds the features after it.
   */
  onEvent(timeNs: number, row: ArrayLike<number>, trade?: TradeTick): void {
    const n = this.n;
    const slot = n % (LONG_WINDOW + 1);
    const askQ = row[1] as number;
    const bidQ = row[3] as number;
    const twoSided = askQ > 0 && bidQ > 0;
    const askP = twoSided ? (row[0] as number) : this.askP;
    const bidP = twoSided ? (row[2] as number) : this.bidP;

    // Order-flow imbalance of this event (CKS 2014, eq. 2), 0 without a two-sided book on both sides of it.
    let e = 0;
    if (twoSided && !Number.isNaN(this.bidP)) {
      if (bidP >= this.bidP) e += bidQ;
      if (bidP <= this.bidP) e -= this.bidQ;
      if (askP <= this.askP) e -= askQ;
      if (askP >= this.askP) e += this.askQ;
    }
    const mid2 = twoSided ? askP + bidP : this.mid2;
    // Twice the mid move in ticks (an integer for on-tick prices), squared.
    const move = Number.isNaN(this.mid2) || Number.isNaN(mid2) ? 0 : (mid2 - this.mid2) / this.tickSize;
    const depth2 = twoSided ? askQ + bidQ : 0;
    let buy = 0;
    let sell = 0;
    let traded = 0;
    if (trade !== undefined && trade.size > 0) {
      traded = trade.size;
      if (trade.aggressor === 'buy') buy = trade.size;
      else if (trade.aggressor === 'sell') sell = trade.size;
    }

    this.ofiShort = windowSum(this.ringOfi, this.ofiShort, n, e, SHORT_WINDOW);
    this.ofiLong = windowSum(this.ringOfi, this.ofiLong, n, e, LONG_WINDOW);
    this.move2Long = windowSum(this.ringMove2, this.move2Long, n, move * move, LONG_WINDOW);
    this.buyLong = windowSum(this.ringBuy, this.buyLong, n, buy, LONG_WINDOW);
    this.sellLong = windowSum(this.ringSell, this.sellLong, n, sell, LONG_WINDOW);
    this.volLong = windowSum(this.ringVol, this.volLong, n, traded, LONG_WINDOW);
    this.tradeLong = windowSum(this.ringTrade, this.tradeLong, n, traded > 0 ? 1 : 0, LONG_WINDOW);
    this.depth2Long = windowSum(this.ringDepth2, this.depth2Long, n, depth2, LONG_WINDOW);
    // Before the first two-sided book the mid is unknown; it counts as 0 and those events leave the windows soon.
    const m2 = Number.isNaN(mid2) ? 0 : mid2;
    this.mid2Short = windowSum(this.ringMid2, this.mid2Short, n, m2, SHORT_WINDOW);
    this.mid2Long = windowSum(this.ringMid2, this.mid2Long, n, m2, LONG_WINDOW);
    this.ringOfi[slot] = e;
    this.ringMove2[slot] = move * move;
    this.ringMid2[slot] = m2;
    this.ringBuy[slot] = buy;
    this.ringSell[slot] = sell;
    this.ringVol[slot] = traded;
    this.ringTrade[slot] = traded > 0 ? 1 : 0;
    this.ringDepth2[slot] = depth2;

    if (twoSided) {
      this.bidPeak = bidP === this.bidP ? Math.max(this.bidPeak, bidQ) : bidQ;
      this.askPeak = askP === this.askP ? Math.max(this.askPeak, askQ) : askQ;
      this.bidP = bidP;
      this.bidQ = bidQ;
      this.askP = askP;
      this.askQ = askQ;
      this.mid2 = mid2;
      this.spreadTicks = (askP - bidP) / this.tickSize;
    }
    this.timeNs = timeNs;
    this.n = n + 1;
    this.write(row, twoSided);
  }

  private write(row: ArrayLike<number>, twoSided: boolean): void {
    const o = this.out;
    let k = 0;
    if (twoSided) {
      for (const d of this.depths) {
        let a = 0;
        let b = 0;
        for (let l = 0; l < d; l++) {
          a += row[4 * l + 1] as number;
          b += row[4 * l + 3] as number;
        }
        o[k++] = (b - a) / (b + a);
      }
    } else {
      k += this.depths.length; // a one-sided book keeps the last imbalances
    }
    const tick = this.tickSize;
    const n = this.n;
    const size = LONG_WINDOW + 1;
    const meanDepth = this.depth2Long / 2 / Math.min(n, LONG_WINDOW);
    const mid2 = this.mid2;
    const past = (w: number): number => (n > w ? (this.ringMid2[(n - 1 - w) % size] as number) : (this.ringMid2[0] as number));
    o[k++] = Number.isNaN(this.spreadTicks) ? 0 : this.spreadTicks;
    o[k++] = this.bidQ + this.askQ > 0 ? ((this.askP * this.bidQ + this.bidP * this.askQ) / (this.bidQ + this.askQ) - mid2 / 2) / tick : 0;
    o[k++] = meanDepth > 0 ? this.ofiShort / meanDepth : 0;
    o[k++] = meanDepth > 0 ? this.ofiLong / meanDepth : 0;
    o[k++] = Math.sqrt(this.move2Long) / 2;
    const change = (w: number): number => {
      const p = past(w);
      return Number.isNaN(mid2) || p === 0 ? 0 : (mid2 - p) / 2 / tick;
    };
    o[k++] = change(SHORT_WINDOW);
    o[k++] = change(LONG_WINDOW);
    o[k++] = Number.isNaN(mid2) ? 0 : (mid2 - this.mid2Short / Math.min(n, SHORT_WINDOW)) / 2 / tick;
    o[k++] = Number.isNaN(mid2) ? 0 : (mid2 - this.mid2Long / Math.min(n, LONG_WINDOW)) / 2 / tick;
    const flow = this.buyLong + this.sellLong;
    o[k++] = flow > 0 ? (this.buyLong - this.sellLong) / flow : 0;
    o[k++] = meanDepth > 0 ? Math.log1p(this.volLong / meanDepth) : 0;
    o[k++] = this.tradeLong / Math.min(n, LONG_WINDOW);
    o[k++] = this.bidPeak > 0 ? 1 - this.bidQ / this.bidPeak : 0;
    o[k++] = this.askPeak > 0 ? 1 - this.askQ / this.askPeak : 0;
    o[k++] = (this.timeNs - this.openNs) / this.spanNs;
  }

  /** Returns the features after the last event, in `names` order (a view reused by the next event: copy what you keep). */
  vector(): Float64Array {
    return this.out;
  }

  /** Returns one feature by name; throws on a name this source does not give. */
  value(name: string): number {
    const i = this.names.indexOf(name);
    if (i < 0) throw new Error(`no feature "${name}" for a ${this.levels}-level source, expected one of: ${this.names.join(', ')}`);
    return this.out[i] as number;
  }
}

/** Creates the features of a source with `levels` levels a side and `tickSize` price units per tick. */
export function createSignalFeatures(options: SignalFeaturesOptions): SignalFeatures {
  return new SignalFeatures(options);
}
