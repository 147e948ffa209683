/**
 * Calibration of the simulator from a LOBSTER day: measurements of the order flow and the book,
 * and a scenario whose parameters come from them. Pure: messages and orderbook rows come in,
 * numbers and a scenario object go out (the file reading is in `node/sim-calibrate.ts`).
 *
 * What is measured (LOBSTER prices are dollars × 10000; a $0.01 tick is 100 units):
 * - spread in ticks, sampled each second (the book after every message up to the second);
 * - depth: mean size by level and side, sampled each second;
 * - arrival rates per second by kind and side: limit submissions (type 1), cancellations (types 2
 *   and 3), aggressive orders (visible executions, type 4, grouped by timestamp and resting side
 *   into one aggressor each), hidden executions (type 5);
 * - order sizes: limit submissions and aggressive orders, as 21 quantiles (0 %, 5 %, …, 100 %);
 * - limit placement distance from the opposite best (ask − price for a buy, in ticks, on the book
 *   before the message) and from the same-side best, as quantiles;
 * - cancel ratio (cancellations / submissions) and the cancellation hazard per resting order:
 *   full cancellations of orders submitted in the window over the summed lifetimes of those of them
 *   seen to end (cancelled or fully executed): the maximum-likelihood rate of an exponential
 *   lifetime, leaving out orders that drift below the file's levels and vanish from view;
 * - intraday volume profile: executed shares (types 4 and 5) by 30-minute bucket, or the per-minute
 *   volume file when given;
 * - the standard deviation of 1-minute mid log returns.
 *
 * How the scenario is made from them (`scenarioFromCalibration`):
 * - instrument: start price = first mid; tick $0.01; 1 share a lot; session = the file's span;
 * - zero-intelligence flow: half the measured limit submissions per side (market makers' re-quotes
 *   stand for the other half), placement = the measured distance from the opposite best (at least
 *   one tick), limit sizes = the measured quantiles, cancel rate = the measured hazard, market
 *   orders = half the measured aggressive orders per side, with the measured sizes;
 * - Hawkes market orders: 30 % of the aggressive orders at a branching ratio of 0.5 (baseline
 *   = 0.3 × rate × (1 − 0.5)); informed traders: the remaining 20 %;
 * - market makers: quoted spread = the measured median spread, level spacing = a quarter of it, sizes
 *   = the measured mean touch depth spread over the makers;
 * - fundamental: 1-minute volatility = the measured one (5 bps when under 30 minutes of data);
 *   volatility clustering and jumps keep moderate defaults;
 * - backstop stub quotes 20 median spreads away.
 */

import type { LobsterMessage } from '../data/lobster';
import { LOBSTER_UNITS_PER_TICK } from '../data/lobster';
import { NS_PER_SECOND } from '../core/clock';
import { quantile } from './stats';
import type { ScenarioInput } from './scenario';

const QUANTILE_POINTS = 21;
const BUCKET_SECONDS = 1800;

export interface CalibrationMeasurements {
  readonly messages: number;
  readonly startNs: number;
  readonly endNs: number;
  readonly seconds: number;
  readonly startMidTicks: number;
  readonly spreadTicks: { readonly mean: number; readonly p05: number; readonly p25: number; readonly median: number; readonly p75: number; readonly p95: number };
  /** Mean size by level (1 first) for bids and asks, shares. */
  readonly depthProfile: { readonly bids: readonly number[]; readonly asks: readonly number[] };
  /** Per second. */
  readonly rates: {
    readonly limitBuy: number;
    readonly limitSell: number;
    readonly cancelBuy: number;
    readonly cancelSell: number;
    readonly marketBuy: number;
    readonly marketSell: number;
    readonly hiddenExecutions: number;
  };
  readonly cancelRatio: number;
  /** Cancellations per resting order per second. */
  readonly cancelHazard: number;
  /** 21 quantiles (0 %, 5 %, …, 100 %), shares. */
  readonly limitSizeQuantiles: readonly number[];
  readonly marketSizeQuantiles: readonly number[];
  /** 21 quantiles of limit placement distance from the opposite best, ticks. */
  readonly placementFromOppositeQuantiles: readonly number[];
  /** 21 quantiles of limit placement distance behind the same-side best, ticks (negative = improving). */
  readonly placementFromSameQuantiles: readonly number[];
  /** Executed shares by 30-minute bucket from the first message, normalised to a mean of 1. */
  readonly volumeProfile: readonly number[];
  readonly volatility1mBps: number;
  readonly executedVolume: number;
}

function quantiles(xs: readonly number[]): number[] {
  const s = [...xs].sort((a, b) => a - b);
  const out: number[] = [];
  for (let i = 0; i < QUANTILE_POINTS; i++) out.push(s.length === 0 ? NaN : quantile(s, i / (QUANTILE_POINTS - 1)));
  return out;
}

/** Accumulates a LOBSTER day's measurements, message by message. */
export class CalibrationAccumulator {
  private readonly levels: number;
  private n = 0;
  private startNs = NaN;
  private lastNs = NaN;
  private startMid = NaN;
  private bid = NaN;
  private ask = NaN;
  private prevRow: Float64Array;
  private nextSecond = NaN;
  private nextMinute = NaN;
  private readonly spreads: number[] = [];
  private readonly depthBid: Float64Array;
  private readonly depthAsk: Float64Array;
  private depthN = 0;
  private readonly mids: number[] = [];
  private counts = { limitBuy: 0, limitSell: 0, cancelBuy: 0, cancelSell: 0, marketBuy: 0, marketSell: 0, hidden: 0 };
  private readonly limitSizes: number[] = [];
  private readonly marketSizes: number[] = [];
  private readonly fromOpposite: number[] = [];
  private readonly fromSame: number[] = [];
  private aggT = -1;
  private aggSide = '';
  private aggSize = 0;
  private readonly buckets: number[] = [];
  private executed = 0;
  // Known resting orders (submitted in the window) for the cancel hazard.
  private readonly known = new Map<number, number>();
  private readonly bornAt = new Map<number, number>();
  private endedLifetimes = 0;
  private knownCancels = 0;

  constructor(levels: number) {
    this.levels = levels;
    this.prevRow = new Float64Array(levels * 4);
    this.depthBid = new Float64Array(levels);
    this.depthAsk = new Float64Array(levels);
  }

  /** Adds message i and orderbook row i (the book after it). */
  push(m: LobsterMessage, row: ArrayLike<number>): void {
    const t = m.timeNs;
    if (this.n === 0) {
      this.startNs = t;
      this.lastNs = t;
      this.nextSecond = Math.ceil(t / NS_PER_SECOND) * NS_PER_SECOND;
      this.nextMinute = this.nextSecond;
    }
    this.lastNs = t;
    while (this.n > 0 && this.nextSecond < t) this.sample();
    this.n++;

    if (m.kind !== 'halt') {
      const side = m.side;
      const bucket = Math.floor((t - this.startNs) / (BUCKET_SECONDS * NS_PER_SECOND));
      switch (m.kind) {
        case 'submit': {
          if (side === 'buy') this.counts.limitBuy++;
          else this.counts.limitSell++;
          this.limitSizes.push(m.size);
          const px = m.price / LOBSTER_UNITS_PER_TICK;
          if (Number.isFinite(this.ask) && Number.isFinite(this.bid)) {
            this.fromOpposite.push(side === 'buy' ? this.ask - px : px - this.bid);
            this.fromSame.push(side === 'buy' ? this.bid - px : px - this.ask);
          }
          this.known.set(m.orderId, m.size);
          this.bornAt.set(m.orderId, t);
          break;
        }
        case 'cancel':
        case 'delete': {
          if (side === 'buy') this.counts.cancelBuy++;
          else this.counts.cancelSell++;
          const left = this.known.get(m.orderId);
          if (left !== undefined) {
            if (m.kind === 'delete' || left - m.size <= 0) {
              this.end(m.orderId, t);
              this.knownCancels++;
            } else {
              this.known.set(m.orderId, left - m.size);
            }
          }
          break;
        }
        case 'execute': {
          this.executed += m.size;
          this.buckets[bucket] = (this.buckets[bucket] ?? 0) + m.size;
          if (t === this.aggT && side === this.aggSide) {
            this.aggSize += m.size;
          } else {
            this.closeAggressor();
            this.aggT = t;
            this.aggSide = side;
            this.aggSize = m.size;
            // The resting side is `side`; the aggressor is the other.
            if (side === 'buy') this.counts.marketSell++;
            else this.counts.marketBuy++;
          }
          const left = this.known.get(m.orderId);
          if (left !== undefined) {
            if (left - m.size <= 0) this.end(m.orderId, t);
            else this.known.set(m.orderId, left - m.size);
          }
          break;
        }
        case 'executeHidden':
          this.counts.hidden++;
          this.executed += m.size;
          this.buckets[bucket] = (this.buckets[bucket] ?? 0) + m.size;
          break;
        case 'cross':
          break;
      }
    }
    this.prevRow.set(Array.prototype.slice.call(row, 0, this.levels * 4) as number[]);
    const askS = row[1]!;
    const bidS = row[3]!;
    this.ask = askS > 0 ? row[0]! / LOBSTER_UNITS_PER_TICK : NaN;
    this.bid = bidS > 0 ? row[2]! / LOBSTER_UNITS_PER_TICK : NaN;
    if (Number.isNaN(this.startMid) && Number.isFinite(this.ask) && Number.isFinite(this.bid)) this.startMid = (this.ask + this.bid) / 2;
  }

  private end(id: number, t: number): void {
    this.endedLifetimes += (t - (this.bornAt.get(id) ?? t)) / NS_PER_SECOND;
    this.known.delete(id);
    this.bornAt.delete(id);
  }

  private closeAggressor(): void {
    if (this.aggSize > 0) this.marketSizes.push(this.aggSize);
    this.aggSize = 0;
  }

  private sample(): void {
    const row = this.prevRow;
    if (Number.isFinite(this.ask) && Number.isFinite(this.bid)) {
      this.spreads.push(this.ask - this.bid);
      for (let k = 0; k < this.levels; k++) {
        this.depthAsk[k] = this.depthAsk[k]! + row[4 * k + 1]!;
        this.depthBid[k] = this.depthBid[k]! + row[4 * k + 3]!;
      }
      this.depthN++;
    }
    if (this.nextSecond >= this.nextMinute) {
      this.mids.push((this.ask + this.bid) / 2);
      this.nextMinute += 60 * NS_PER_SECOND;
    }
    this.nextSecond += NS_PER_SECOND;
  }

  /** Returns the measurements so far. */
  result(): CalibrationMeasurements {
    this.closeAggressor();
    const seconds = Math.max(1e-9, (this.lastNs - this.startNs) / NS_PER_SECOND);
    const c = this.counts;
    const submissions = c.limitBuy + c.limitSell;
    const cancels = c.cancelBuy + c.cancelSell;
    const sp = this.spreads;
    const mids = this.mids.filter((x) => Number.isFinite(x));
    const rets: number[] = [];
    for (let i = 1; i < mids.length; i++) rets.push(Math.log(mids[i]! / mids[i - 1]!));
    const mr = rets.reduce((a, b) => a + b, 0) / Math.max(1, rets.length);
    const sd = Math.sqrt(rets.reduce((a, b) => a + (b - mr) ** 2, 0) / Math.max(1, rets.length));
    const nb = Math.max(1, Math.ceil(seconds / BUCKET_SECONDS));
    const vol: number[] = [];
    for (let i = 0; i < nb; i++) vol.push(this.buckets[i] ?? 0);
    // The last bucket may be partial: scale it to a full one.
    const lastFull = seconds - (nb - 1) * BUCKET_SECONDS;
    if (nb > 1 && lastFull > 0) vol[nb - 1] = (vol[nb - 1]! * BUCKET_SECONDS) / lastFull;
    const vmean = vol.reduce((a, b) => a + b, 0) / nb;
    return {
      messages: this.n,
      startNs: this.startNs,
      endNs: this.lastNs,
      seconds,
      startMidTicks: this.startMid,
      spreadTicks: {
        mean: sp.length ? sp.reduce((a, b) => a + b, 0) / sp.length : NaN,
        p05: quantile(sp, 0.05),
        p25: quantile(sp, 0.25),
        median: quantile(sp, 0.5),
        p75: quantile(sp, 0.75),
        p95: quantile(sp, 0.95),
      },
      depthProfile: {
        bids: Array.from(this.depthBid, (x) => x / Math.max(1, this.depthN)),
        asks: Array.from(this.depthAsk, (x) => x / Math.max(1, this.depthN)),
      },
      rates: {
        limitBuy: c.limitBuy / seconds,
        limitSell: c.limitSell / seconds,
        cancelBuy: c.cancelBuy / seconds,
        cancelSell: c.cancelSell / seconds,
        marketBuy: c.marketBuy / seconds,
        marketSell: c.marketSell / seconds,
        hiddenExecutions: c.hidden / seconds,
      },
      cancelRatio: submissions > 0 ? cancels / submissions : NaN,
      cancelHazard: this.endedLifetimes > 0 ? this.knownCancels / this.endedLifetimes : NaN,
      limitSizeQuantiles: quantiles(this.limitSizes),
      marketSizeQuantiles: quantiles(this.marketSizes),
      placementFromOppositeQuantiles: quantiles(this.fromOpposite),
      placementFromSameQuantiles: quantiles(this.fromSame),
      volumeProfile: vmean > 0 ? vol.map((v) => v / vmean) : vol.map(() => 1),
      volatility1mBps: rets.length >= 30 ? sd * 1e4 : NaN,
      executedVolume: this.executed,
    };
  }
}

/** Replaces the profile by a per-minute volume series, bucketed by 30 minutes and normalised. */
export function profileFromMinutes(perMinute: readonly number[]): number[] {
  const perBucket = BUCKET_SECONDS / 60;
  const out: number[] = [];
  for (let i = 0; i < perMinute.length; i += perBucket) {
    const slice = perMinute.slice(i, i + perBucket);
    out.push((slice.reduce((a, b) => a + b, 0) / slice.length) * perBucket);
  }
  const m = out.reduce((a, b) => a + b, 0) / Math.max(1, out.length);
  return out.map((v) => (m > 0 ? v / m : 1));
}

const positiveQuantiles = (q: readonly number[], floor: number): number[] => {
  const out = q.map((v) => Math.max(floor, Number.isFinite(v) ? v : floor));
  for (let i = 1; i < out.length; i++) out[i] = Math.max(out[i]!, out[i - 1]!);
  return out.map((v) => Math.round(v * 100) / 100);
};

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

/** Makes a scenario from measurements; see the module comment for the mapping. */
export function scenarioFromCalibration(
  m: CalibrationMeasurements,
  options: { readonly name: string; readonly symbol: string; readonly source: string; readonly volumeProfile?: readonly number[] },
): ScenarioInput {
  const limitPerSide = (m.rates.limitBuy + m.rates.limitSell) / 2;
  const marketPerSide = (m.rates.marketBuy + m.rates.marketSell) / 2;
  const marketTotal = 2 * marketPerSide;
  const medianSpread = Math.max(1, Math.round(m.spreadTicks.median));
  const touch = ((m.depthProfile.bids[0] ?? 100) + (m.depthProfile.asks[0] ?? 100)) / 2;
  const makers = 3;
  const profile = options.volumeProfile ?? m.volumeProfile;
  const marketSize = { law: 'empirical' as const, quantiles: positiveQuantiles(m.marketSizeQuantiles, 1) };
  const openSeconds = Math.floor(m.startNs / NS_PER_SECOND);
  const durationSeconds = Math.max(1, Math.ceil(m.endNs / NS_PER_SECOND) - openSeconds);
  const vol = Number.isFinite(m.volatility1mBps) ? m.volatility1mBps : 5;
  return {
    name: options.name,
    description: `Calibrated from ${options.source}: ${m.messages} messages over ${Math.round(m.seconds)} s; median spread ${m.spreadTicks.median.toFixed(1)} ticks, ${marketTotal.toFixed(3)} aggressive orders/s, cancel hazard ${m.cancelHazard.toFixed(4)}/s per resting order. See src/engine/sim/calibrate.ts for the mapping.`,
    instrument: { symbol: options.symbol, tickSize: 0.01, lotSize: 1, startPriceTicks: Math.max(1, Math.round(m.startMidTicks)) },
    session: { openSeconds, durationSeconds },
    ...(profile.length > 1 ? { intraday: { bucketSeconds: BUCKET_SECONDS, profile: profile.map((p) => round(Math.max(0.01, p), 3)) } } : {}),
    fundamental: {
      volatilityBpsPerMinute: round(vol, 3),
      volOfVol: 0.5,
      volMeanReversionMinutes: 30,
      jumpRatePerHour: 0.3,
      jumpSizeBps: 12,
      stepMs: 1000,
      profileExponent: 0.5,
    },
    zeroIntelligence: {
      limitRate: round(limitPerSide * 0.5),
      marketRate: round(marketPerSide * 0.5),
      cancelRate: round(Number.isFinite(m.cancelHazard) ? m.cancelHazard : 0.1),
      placement: { law: 'empirical', quantiles: positiveQuantiles(m.placementFromOppositeQuantiles, 1) },
      limitSize: { law: 'empirical', quantiles: positiveQuantiles(m.limitSizeQuantiles, 1) },
      marketSize,
      initialOrdersPerSide: 40,
    },
    marketMakers: {
      count: makers,
      requoteMs: 1000,
      spreadTicks: medianSpread,
      levels: 2,
      levelSpacingTicks: Math.max(1, Math.round(medianSpread / 4)),
      size: { law: 'lognormal', median: round(Math.max(1, touch / makers), 1), sigma: 0.5, max: round(Math.max(10, touch * 5), 0) },
      inventorySkewTicksPerLot: 0.01,
      maxInventory: round(Math.max(100, touch * 20), 0),
      volatilityWidening: 1,
    },
    informed: { count: 2, rate: round((marketTotal * 0.2) / 2), thresholdTicks: medianSpread, size: marketSize },
    momentum: { count: 1, rate: 0.1, fastSeconds: 10, slowSeconds: 60, thresholdTicks: medianSpread, size: marketSize },
    meanReversion: { count: 1, rate: 0.1, fastSeconds: 10, slowSeconds: 120, thresholdTicks: medianSpread, size: marketSize },
    hawkes: { baseRate: round(marketTotal * 0.3 * 0.5), alpha: 1, beta: 2, sidePersistence: 0.7, size: marketSize },
    backstop: { distanceTicks: Math.max(50, 20 * medianSpread), size: Math.max(1, Math.round(touch)) },
    events: [],
  };
}
