/**
 * Records what the stylized facts need from a market, simulated or real, the same way for both:
 * the mid price each minute, spread and touch depth each second (the state after every event at or
 * before the boundary), aggressive trades grouped into sign runs (consecutive aggressive orders
 * of one sign, a proxy for metaorders) and each minute's order flow (aggressive buying minus
 * selling over all aggressive volume). Prices in ticks, sizes in lots (shares for LOBSTER).
 */

import { NS_PER_SECOND } from '../core/clock';
import { absolute, autocorrelation, correlation, excessKurtosis, fitPowerLaw, logReturns, mean, variance } from './stats';

/** The top of a book as the recorder reads it; NaN for an empty side. */
export interface TopOfBook {
  bid(): number;
  ask(): number;
  bidSize(): number;
  askSize(): number;
}

/** One sign run: consecutive aggressive orders of one side. */
export interface SignRun {
  readonly sign: 1 | -1;
  /** Total size of the run. */
  readonly size: number;
  /** Mid just before its first trade, ticks. */
  readonly midBefore: number;
  /** Mid just after its last trade, ticks. */
  readonly midAfter: number;
}

/** What a recorded day says, before any comparison. */
export interface MarketFacts {
  /** Excess kurtosis (m4/m2² − 3) of 1-minute log returns of the mid. */
  readonly kurtosis1m: number;
  /** Lag-1 autocorrelation of 1-minute log returns. */
  readonly returnAcf1: number;
  /** Lag-1 autocorrelation of absolute 1-minute log returns (volatility clustering). */
  readonly absReturnAcf1: number;
  /** Mean of the spread sampled each second, in ticks. */
  readonly spreadMeanTicks: number;
  /** Mean of (bid size + ask size) / 2 at the touch sampled each second, in lots. */
  readonly depthTop: number;
  /** Standard deviation of 1-minute log returns, in basis points. */
  readonly volatility1mBps: number;
  /** Traded volume over the day (aggressive trades), lots. */
  readonly dailyVolume: number;
  /** Aggressive orders over the day. */
  readonly aggressiveOrders: number;
  /** Exponent of a power-law fit of sign-run impact against sign-run size (binned, log-log). */
  readonly runImpactExponent: number;
  /** Sign runs seen. */
  readonly signRuns: number;
  /** 1-minute log returns (kept for bootstraps). */
  readonly returns1m: readonly number[];
  /** Mean spread of each minute, ticks (kept for bootstraps). */
  readonly spreadMinutes: readonly number[];
  /** Mean touch depth of each minute, lots (kept for bootstraps). */
  readonly depthMinutes: readonly number[];
  /**
   * How much a minute's order flow says about the next minute's return: the correlation of
   * (aggressive buy − sell volume) / aggressive volume in minute k with the mid's log return over
   * minute k + 1.
   */
  readonly flowReturnCorr: number;
  /** The pairs behind it, aligned: minute k's flow and minute k + 1's log return (kept for bootstraps). */
  readonly flowMinutes: readonly number[];
  readonly nextReturns: readonly number[];
  /**
   * Six times the variance of 10-second mid log returns over the variance of 1-minute ones
   * (non-overlapping, from the mid sampled each second): 1 for a random walk, below 1 when prices
   * trend within the minute, above 1 when they bounce back.
   */
  readonly varianceRatio10s: number;
  /** The mid sampled each second (the last known one when a side is empty), ticks (kept for the variance ratio's bootstrap). */
  readonly mids1s: readonly number[];
  /** The spread sampled each second while both sides are quoted, ticks (kept for its distribution). */
  readonly spreads1s: readonly number[];
  /** (bid size + ask size) / 2 at the touch sampled each second while both sides are quoted, lots. */
  readonly depths1s: readonly number[];
}

const MINUTE = 60 * NS_PER_SECOND;

/** Samples a market during a session [startNs, endNs] and turns the samples into `MarketFacts`. */
export class FactsRecorder {
  private readonly top: TopOfBook;
  private readonly endNs: number;
  private nextSecond: number;
  private nextMinute: number;
  private lastMid = NaN;
  private readonly mids: number[] = [];
  private readonly secondMids: number[] = [];
  private readonly secondSpreads: number[] = [];
  private readonly secondDepths: number[] = [];
  private spreadSum = 0;
  private spreadN = 0;
  private depthSum = 0;
  private depthN = 0;
  private minuteSpread = 0;
  private minuteDepth = 0;
  private minuteN = 0;
  private readonly spreadMinutes: number[] = [];
  private readonly depthMinutes: number[] = [];
  private volume = 0;
  private orders = 0;
  private lastTradeT = -1;
  private lastTradeSign = 0;
  private readonly runs: SignRun[] = [];
  private runSign = 0;
  private runSize = 0;
  private runMidBefore = NaN;
  private runMidAfter = NaN;
  private readonly startNs: number;
  private readonly flowSigned: number[] = [];
  private readonly flowTotal: number[] = [];

  constructor(top: TopOfBook, startNs: number, endNs: number) {
    this.top = top;
    this.startNs = startNs;
    this.endNs = endNs;
    this.nextSecond = startNs;
    this.nextMinute = startNs;
  }

  /**
   * Tells the recorder an event at `t` is about to change the book: every sampling boundary
   * before `t` is recorded from the book as it stands.
   */
  advance(t: number): void {
    if (t <= this.nextSecond) return;
    this.sampleUntil(Math.min(t, this.endNs + 1));
  }

  /** Records an aggressive order's trades at `t`: sign +1 for a buyer, −1 for a seller. */
  trade(t: number, sign: 1 | -1, size: number, midBefore: number, midAfter: number): void {
    if (t > this.endNs) return;
    this.volume += size;
    const minute = Math.floor((t - this.startNs) / MINUTE);
    if (minute >= 0) {
      while (this.flowTotal.length <= minute) {
        this.flowTotal.push(0);
        this.flowSigned.push(0);
      }
      this.flowTotal[minute] = (this.flowTotal[minute] as number) + size;
      this.flowSigned[minute] = (this.flowSigned[minute] as number) + sign * size;
    }
    if (!(t === this.lastTradeT && sign === this.lastTradeSign)) this.orders++;
    this.lastTradeT = t;
    this.lastTradeSign = sign;
    if (sign !== this.runSign) {
      this.closeRun();
      this.runSign = sign;
      this.runSize = 0;
      this.runMidBefore = midBefore;
    }
    this.runSize += size;
    this.runMidAfter = midAfter;
  }

  /** Records the remaining boundaries up to the session's end and returns the facts. */
  finish(): MarketFacts {
    this.sampleUntil(this.endNs + 1);
    this.closeRun();
    const returns = logReturns(this.mids.filter((m) => Number.isFinite(m)));
    const sd = Math.sqrt(mean(returns.map((r) => r * r)) - mean(returns) ** 2);
    // mids[k] is the mid at the start of minute k: minute k + 1 returns log(mids[k + 2] / mids[k + 1]).
    const flowMinutes: number[] = [];
    const nextReturns: number[] = [];
    for (let k = 0; k + 2 < this.mids.length; k++) {
      const total = this.flowTotal[k] ?? 0;
      const a = this.mids[k + 1] as number;
      const b = this.mids[k + 2] as number;
      if (total > 0 && a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b)) {
        flowMinutes.push((this.flowSigned[k] as number) / total);
        nextReturns.push(Math.log(b / a));
      }
    }
    return {
      kurtosis1m: excessKurtosis(returns),
      returnAcf1: autocorrelation(returns, 1),
      absReturnAcf1: autocorrelation(absolute(returns), 1),
      spreadMeanTicks: this.spreadN > 0 ? this.spreadSum / this.spreadN : NaN,
      depthTop: this.depthN > 0 ? this.depthSum / this.depthN : NaN,
      volatility1mBps: sd * 1e4,
      dailyVolume: this.volume,
      aggressiveOrders: this.orders,
      runImpactExponent: runImpactExponent(this.runs),
      signRuns: this.runs.length,
      returns1m: returns,
      spreadMinutes: this.spreadMinutes,
      depthMinutes: this.depthMinutes,
      flowReturnCorr: correlation(flowMinutes, nextReturns),
      flowMinutes,
      nextReturns,
      varianceRatio10s: varianceRatio(this.secondMids, 10, 60),
      mids1s: this.secondMids,
      spreads1s: this.secondSpreads,
      depths1s: this.secondDepths,
    };
  }

  /** Returns the sign runs recorded so far. */
  signRuns(): readonly SignRun[] {
    return this.runs;
  }

  private sampleUntil(t: number): void {
    const top = this.top;
    const bid = top.bid();
    const ask = top.ask();
    const ok = Number.isFinite(bid) && Number.isFinite(ask);
    const mid = ok ? (bid + ask) / 2 : this.lastMid;
    if (ok) this.lastMid = mid;
    const spread = ask - bid;
    const depth = (top.bidSize() + top.askSize()) / 2;
    while (this.nextSecond < t) {
      this.secondMids.push(mid);
      if (ok) {
        this.secondSpreads.push(spread);
        this.secondDepths.push(depth);
        this.spreadSum += spread;
        this.spreadN++;
        this.depthSum += depth;
        this.depthN++;
      }
      if (this.nextSecond >= this.nextMinute) {
        this.mids.push(mid);
        this.nextMinute += MINUTE;
        if (this.minuteN > 0) {
          this.spreadMinutes.push(this.minuteSpread / this.minuteN);
          this.depthMinutes.push(this.minuteDepth / this.minuteN);
        }
        this.minuteSpread = 0;
        this.minuteDepth = 0;
        this.minuteN = 0;
      }
      if (ok) {
        this.minuteSpread += spread;
        this.minuteDepth += depth;
        this.minuteN++;
      }
      this.nextSecond += NS_PER_SECOND;
    }
  }

  private closeRun(): void {
    if (this.runSign !== 0 && this.runSize > 0 && Number.isFinite(this.runMidBefore) && Number.isFinite(this.runMidAfter)) {
      this.runs.push({ sign: this.runSign as 1 | -1, size: this.runSize, midBefore: this.runMidBefore, midAfter: this.runMidAfter });
    }
    this.runSign = 0;
    this.runSize = 0;
  }
}

/**
 * Returns (long / short) × Var(short-step log returns) / Var(long-step log returns) of a series
 * sampled at a fixed step, from non-overlapping returns over `short` and `long` samples; NaN when
 * either variance cannot be estimated. Samples that are not positive finite numbers are skipped
 * with the returns that touch them.
 */
export function varianceRatio(samples: readonly number[], short: number, long: number): number {
  const returns = (k: number): number[] => {
    const out: number[] = [];
    for (let i = k; i < samples.length; i += k) {
      const a = samples[i - k] as number;
      const b = samples[i] as number;
      if (a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b)) out.push(Math.log(b / a));
    }
    return out;
  };
  const sampleVariance = (xs: number[]): number => (xs.length < 2 ? NaN : (variance(xs) * xs.length) / (xs.length - 1));
  const vLong = sampleVariance(returns(long));
  return vLong > 0 ? ((long / short) * sampleVariance(returns(short))) / vLong : NaN;
}

/**
 * Fits the exponent of mean signed impact (ticks) against run size: runs are binned by size in
 * log-spaced bins (a factor of 2), bins with at least 20 runs and a positive mean impact are fitted
 * in log-log, each bin's mean impact against its mean size.
 */
export function runImpactExponent(runs: readonly SignRun[], minPerBin = 20): number {
  const bins = new Map<number, { n: number; size: number; impact: number }>();
  for (const r of runs) {
    const b = Math.floor(Math.log2(r.size));
    let bin = bins.get(b);
    if (!bin) bins.set(b, (bin = { n: 0, size: 0, impact: 0 }));
    bin.n++;
    bin.size += r.size;
    bin.impact += r.sign * (r.midAfter - r.midBefore);
  }
  const sizes: number[] = [];
  const impacts: number[] = [];
  for (const bin of bins.values()) {
    if (bin.n < minPerBin) continue;
    sizes.push(bin.size / bin.n);
    impacts.push(bin.impact / bin.n);
  }
  return fitPowerLaw(sizes, impacts).slope;
}
