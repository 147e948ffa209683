/**
 * The simulator's diagnostics against real books: one set of figures, computed by the same code
 * for a simulated day and for a recorded LOBSTER day, and a verdict per figure against the range of
 * the real days.
 *
 * Every figure but one comes from a `MarketFacts` (the `FactsRecorder`, which samples a simulated
 * market and a LOBSTER replay alike) and a touch probe (a resting order joining its own side's
 * best, the same probe on the simulator's venue and on the historical venue):
 * - order flow → next minute's return (correlation), the 10-second to 1-minute variance ratio;
 * - the touch probe's fill rate and the mid's move against the order when it filled and when not;
 * - excess kurtosis of 1-minute returns, their autocorrelation at lags 1 and 2, the
 *   autocorrelation of absolute returns at lags 1 and 5 (volatility clustering);
 * - the spread's and the touch depth's mean, 10th and 90th percentiles (sampled each second);
 * - the impact exponent of sign runs (consecutive aggressive orders of one side, a metaorder proxy
 *   that a day without metaorder labels allows).
 * The one exception is the impact exponent of controlled metaorders, which only the simulator can
 * run (against its same-seed counterfactual); its range is the literature's square-root law, not a
 * measured day.
 *
 * Ranges: each real day gets a 95% interval per figure (moving-block bootstraps for the series,
 * Wilson for the fill rate, Student t for the probe's moves, runs resampled for the exponent). The
 * real range is the lowest lower bound to the highest upper bound over the days (the verdict
 * `in`); the days' own values give the narrower point range (`in (days)` when inside it too). The
 * distance is the root sum of squares of how far each figure lies outside a range, in widths of the
 * interval range, so 0 means every figure inside.
 */

import { Rng } from '../core/rng';
import { bootstrapRuns, flowCorrInterval } from './facts';
import type { MarketFacts, SignRun } from './facts-recorder';
import { absolute, autocorrelation, blockBootstrap, excessKurtosis, mean, quantile } from './stats';

/** A mean with its 95% interval (null below two observations), as the touch probe reports it. */
export interface MeanInterval {
  readonly mean: number;
  readonly ci95: readonly [number, number] | null;
}

/** The figures of a touch probe that the diagnostics read (both sides pooled). */
export interface TouchSummary {
  readonly n: number;
  readonly anyFill: number;
  readonly adverseIfFilledBps: MeanInterval | null;
  readonly adverseIfNotBps: MeanInterval | null;
}

/** A figure's definition. */
export interface DiagnosticDef {
  readonly key: DiagnosticKey;
  readonly label: string;
  /** A range from the literature instead of the real days (a figure no recorded day can give). */
  readonly reference?: { readonly lo: number; readonly hi: number; readonly source: string };
}

export const DIAGNOSTIC_KEYS = [
  'flowReturnCorr',
  'varianceRatio10s',
  'touchFillRate',
  'touchAdverseFilledBps',
  'touchAdverseMissedBps',
  'kurtosis1m',
  'returnAcf1',
  'returnAcf2',
  'absReturnAcf1',
  'absReturnAcf5',
  'spreadMeanTicks',
  'spreadP10Ticks',
  'spreadP90Ticks',
  'depthTopMean',
  'depthTopP10',
  'depthTopP90',
  'impactExponentRuns',
  'impactExponentMetaorders',
] as const;
export type DiagnosticKey = (typeof DIAGNOSTIC_KEYS)[number];
export type Figures = Record<DiagnosticKey, number>;

/** The figures in report order, with their labels. */
export const DIAGNOSTICS: readonly DiagnosticDef[] = [
  { key: 'flowReturnCorr', label: "order flow → next minute's return, correlation" },
  { key: 'varianceRatio10s', label: '10-s / 1-min variance ratio (1 = random walk)' },
  { key: 'touchFillRate', label: 'touch probe: share filled at all' },
  { key: 'touchAdverseFilledBps', label: 'touch probe: mid move against, if filled, bps' },
  { key: 'touchAdverseMissedBps', label: 'touch probe: mid move against, if not filled, bps' },
  { key: 'kurtosis1m', label: 'excess kurtosis of 1-min returns' },
  { key: 'returnAcf1', label: 'autocorrelation of 1-min returns, lag 1' },
  { key: 'returnAcf2', label: 'autocorrelation of 1-min returns, lag 2' },
  { key: 'absReturnAcf1', label: 'autocorrelation of |1-min returns|, lag 1' },
  { key: 'absReturnAcf5', label: 'autocorrelation of |1-min returns|, lag 5' },
  { key: 'spreadMeanTicks', label: 'spread, mean, ticks' },
  { key: 'spreadP10Ticks', label: 'spread, 10th percentile, ticks' },
  { key: 'spreadP90Ticks', label: 'spread, 90th percentile, ticks' },
  { key: 'depthTopMean', label: 'touch depth, mean, lots' },
  { key: 'depthTopP10', label: 'touch depth, 10th percentile, lots' },
  { key: 'depthTopP90', label: 'touch depth, 90th percentile, lots' },
  { key: 'impactExponentRuns', label: 'impact exponent, sign runs' },
  {
    key: 'impactExponentMetaorders',
    label: 'impact exponent, controlled metaorders (sim only)',
    reference: { lo: 0.4, hi: 0.7, source: 'square-root law: about 0.5 (Tóth et al. 2011), 0.6 (Almgren et al. 2005)' },
  },
];

/** A two-sided interval. */
export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

const NAN_INTERVAL: Interval = { lo: NaN, hi: NaN };

/** Returns the touch probe's three figures (NaN where the probe has none). */
export function touchFigures(touch: TouchSummary): Pick<Figures, 'touchFillRate' | 'touchAdverseFilledBps' | 'touchAdverseMissedBps'> {
  return {
    touchFillRate: touch.n > 0 ? touch.anyFill : NaN,
    touchAdverseFilledBps: touch.adverseIfFilledBps?.mean ?? NaN,
    touchAdverseMissedBps: touch.adverseIfNotBps?.mean ?? NaN,
  };
}

/** Returns a market's figures from its facts and its touch probe (the same for a simulated and a real day); the metaorder exponent is given by the caller (NaN for a real day). */
export function marketFigures(f: MarketFacts, touch: TouchSummary, metaorderExponent = NaN): Figures {
  const r = f.returns1m;
  return {
    flowReturnCorr: f.flowReturnCorr,
    varianceRatio10s: f.varianceRatio10s,
    ...touchFigures(touch),
    kurtosis1m: f.kurtosis1m,
    returnAcf1: autocorrelation(r, 1),
    returnAcf2: autocorrelation(r, 2),
    absReturnAcf1: autocorrelation(absolute(r), 1),
    absReturnAcf5: autocorrelation(absolute(r), 5),
    spreadMeanTicks: mean(f.spreads1s),
    spreadP10Ticks: quantile(f.spreads1s, 0.1),
    spreadP90Ticks: quantile(f.spreads1s, 0.9),
    depthTopMean: mean(f.depths1s),
    depthTopP10: quantile(f.depths1s, 0.1),
    depthTopP90: quantile(f.depths1s, 0.9),
    impactExponentRuns: f.runImpactExponent,
    impactExponentMetaorders: metaorderExponent,
  };
}

/** Returns the Wilson 95% interval of a share `p` of `n` trials. */
export function wilsonInterval(p: number, n: number, z = 1.959964): Interval {
  if (!(n > 0) || !Number.isFinite(p)) return NAN_INTERVAL;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { lo: centre - half, hi: centre + half };
}

/** Returns the q-quantile (0..1) of an ascending sample by linear interpolation (NaN when empty). */
function sortedQuantile(s: ArrayLike<number>, q: number): number {
  if (s.length === 0) return NaN;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/**
 * Returns percentile intervals of a series' mean and of its `quantiles` from the same moving-block
 * resamples (blocks of `block` consecutive points), each resample sorted once.
 */
export function bootstrapDistribution(xs: readonly number[], quantiles: readonly number[], options: { readonly block: number; readonly rounds?: number; readonly seed?: number }): { readonly mean: Interval; readonly quantiles: readonly Interval[] } {
  const n = xs.length;
  if (n < 2) return { mean: NAN_INTERVAL, quantiles: quantiles.map(() => NAN_INTERVAL) };
  const block = Math.max(1, Math.min(options.block, n));
  const rounds = options.rounds ?? 200;
  const rng = new Rng(options.seed ?? 12345);
  const means: number[] = [];
  const qs: number[][] = quantiles.map(() => []);
  const sample = new Float64Array(n);
  for (let r = 0; r < rounds; r++) {
    let k = 0;
    let sum = 0;
    while (k < n) {
      const start = rng.int(n - block + 1);
      for (let j = 0; j < block && k < n; j++) {
        const v = xs[start + j]!;
        sum += v;
        sample[k++] = v;
      }
    }
    means.push(sum / n);
    sample.sort();
    quantiles.forEach((q, i) => qs[i]!.push(sortedQuantile(sample, q)));
  }
  const interval = (v: number[]): Interval => ({ lo: quantile(v, 0.025), hi: quantile(v, 0.975) });
  return { mean: interval(means), quantiles: qs.map(interval) };
}

/**
 * The minutes of a series sampled each second, as the variance ratio reads them: each whole
 * minute's 1-minute log return and its six 10-second ones (a minute with a sample that is not a
 * positive number is left out).
 */
export function minuteReturns(mids1s: readonly number[]): Array<{ readonly r60: number; readonly r10: readonly number[] }> {
  const out: Array<{ r60: number; r10: number[] }> = [];
  for (let s = 0; s + 60 < mids1s.length; s += 60) {
    const points: number[] = [];
    for (let j = 0; j <= 6; j++) points.push(mids1s[s + 10 * j]!);
    if (!points.every((p) => p > 0 && Number.isFinite(p))) continue;
    const r10: number[] = [];
    for (let j = 1; j <= 6; j++) r10.push(Math.log(points[j]! / points[j - 1]!));
    out.push({ r60: Math.log(points[6]! / points[0]!), r10 });
  }
  return out;
}

const sampleVariance = (xs: readonly number[]): number => {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return s / (xs.length - 1);
};

/** Returns 6 × Var(10-s returns) / Var(1-min returns) over the given minutes. */
export function varianceRatioOfMinutes(minutes: ReadonlyArray<{ readonly r60: number; readonly r10: readonly number[] }>): number {
  const v60 = sampleVariance(minutes.map((m) => m.r60));
  const v10 = sampleVariance(minutes.flatMap((m) => m.r10));
  return v60 > 0 ? (6 * v10) / v60 : NaN;
}

/** Returns the variance ratio's 95% interval: its minutes resampled in blocks of 10. */
export function varianceRatioInterval(mids1s: readonly number[], seed = 7): Interval {
  const minutes = minuteReturns(mids1s);
  const index = minutes.map((_, i) => i);
  return blockBootstrap(index, (idx) => varianceRatioOfMinutes(idx.map((i) => minutes[i]!)), { block: 10, seed });
}

/** Returns a real day's 95% interval of each figure (see the module comment); `seed` fixes the bootstraps. */
export function dayIntervals(f: MarketFacts, runs: readonly SignRun[], touch: TouchSummary, seed = 7): Record<DiagnosticKey, Interval> {
  const r = f.returns1m;
  const returns = (stat: (x: readonly number[]) => number): Interval => blockBootstrap(r, stat, { block: 10, seed });
  // Blocks of 30 minutes of seconds, as the facts' spread and depth intervals.
  const spread = bootstrapDistribution(f.spreads1s, [0.1, 0.9], { block: 1800, seed });
  const depth = bootstrapDistribution(f.depths1s, [0.1, 0.9], { block: 1800, seed });
  const ci = (m: MeanInterval | null): Interval => (m?.ci95 ? { lo: m.ci95[0], hi: m.ci95[1] } : NAN_INTERVAL);
  return {
    flowReturnCorr: flowCorrInterval(f, seed),
    varianceRatio10s: varianceRatioInterval(f.mids1s, seed),
    touchFillRate: wilsonInterval(touch.anyFill, touch.n),
    touchAdverseFilledBps: ci(touch.adverseIfFilledBps),
    touchAdverseMissedBps: ci(touch.adverseIfNotBps),
    kurtosis1m: returns(excessKurtosis),
    returnAcf1: returns((x) => autocorrelation(x, 1)),
    returnAcf2: returns((x) => autocorrelation(x, 2)),
    absReturnAcf1: returns((x) => autocorrelation(absolute(x), 1)),
    absReturnAcf5: returns((x) => autocorrelation(absolute(x), 5)),
    spreadMeanTicks: spread.mean,
    spreadP10Ticks: spread.quantiles[0]!,
    spreadP90Ticks: spread.quantiles[1]!,
    depthTopMean: depth.mean,
    depthTopP10: depth.quantiles[0]!,
    depthTopP90: depth.quantiles[1]!,
    impactExponentRuns: bootstrapRuns(runs, seed),
    impactExponentMetaorders: NAN_INTERVAL,
  };
}

/** A real day's figures and intervals. */
export interface RealDayFigures {
  readonly day: string;
  readonly figures: Figures;
  readonly intervals: Record<DiagnosticKey, Interval>;
}

/** The simulated side: each figure's mean over seeds and its spread (pooled figures, such as the touch probe's, have one value). */
export interface SimFigures {
  readonly mean: Figures;
  readonly min: Figures;
  readonly max: Figures;
}

/** Averages per-seed figures; `pooled` replaces figures measured once over all seeds (the touch probe, the metaorder fit). */
export function summariseSimFigures(perSeed: readonly Figures[], pooled: Partial<Figures> = {}): SimFigures {
  const mean_ = {} as Figures;
  const min = {} as Figures;
  const max = {} as Figures;
  for (const key of DIAGNOSTIC_KEYS) {
    const p = pooled[key];
    if (p !== undefined) {
      mean_[key] = min[key] = max[key] = p;
      continue;
    }
    const xs = perSeed.map((f) => f[key]).filter((x) => Number.isFinite(x));
    mean_[key] = mean(xs);
    min[key] = xs.length > 0 ? Math.min(...xs) : NaN;
    max[key] = xs.length > 0 ? Math.max(...xs) : NaN;
  }
  return { mean: mean_, min, max };
}

/** One figure's comparison. */
export interface DiagnosticRow {
  readonly key: DiagnosticKey;
  readonly label: string;
  readonly sim: number;
  readonly simMin: number;
  readonly simMax: number;
  readonly real: ReadonlyArray<{ readonly day: string; readonly value: number; readonly lo: number; readonly hi: number }>;
  /** The range: the lowest lower bound to the highest upper bound of the days' intervals (or the reference). */
  readonly rangeLo: number;
  readonly rangeHi: number;
  /** The days' own values, lowest to highest (or the reference). */
  readonly pointLo: number;
  readonly pointHi: number;
  /** Where the range comes from. */
  readonly source: 'real days' | 'literature';
  /** `in (days)`: inside the days' own values; `in`: inside the interval range; `out`: outside it (or not measured). */
  readonly verdict: 'in (days)' | 'in' | 'out';
  /** How far outside the interval range and the point range, in widths of the interval range (0 inside). */
  readonly excess: number;
  readonly excessPoints: number;
}

/** The comparison of every figure and the two distances. */
export interface DiagnosticComparison {
  readonly rows: readonly DiagnosticRow[];
  /** Root sum of squares of the rows' `excess` (0: every figure inside the real range). */
  readonly distance: number;
  /** The same against the days' own values. */
  readonly distancePoints: number;
  readonly inRange: number;
  readonly figures: number;
}

const outside = (x: number, lo: number, hi: number, width: number): number => {
  if (!Number.isFinite(x)) return Number.POSITIVE_INFINITY;
  const d = x < lo ? lo - x : x > hi ? x - hi : 0;
  return d / width;
};

/** Compares the simulated figures with the real days' (see the module comment). */
export function compareFigures(sim: SimFigures, real: readonly RealDayFigures[]): DiagnosticComparison {
  const rows = DIAGNOSTICS.map((def): DiagnosticRow => {
    const key = def.key;
    const days = real.map((d) => ({ day: d.day, value: d.figures[key], lo: d.intervals[key].lo, hi: d.intervals[key].hi }));
    let rangeLo: number;
    let rangeHi: number;
    let pointLo: number;
    let pointHi: number;
    if (def.reference !== undefined) {
      rangeLo = pointLo = def.reference.lo;
      rangeHi = pointHi = def.reference.hi;
    } else {
      const values = days.map((d) => d.value).filter((x) => Number.isFinite(x));
      const bounds = days.flatMap((d) => [d.value, d.lo, d.hi]).filter((x) => Number.isFinite(x));
      pointLo = Math.min(...values);
      pointHi = Math.max(...values);
      rangeLo = Math.min(...bounds);
      rangeHi = Math.max(...bounds);
    }
    const x = sim.mean[key];
    const width = rangeHi > rangeLo ? rangeHi - rangeLo : Math.max(1e-9, Math.abs(rangeHi));
    const excess = outside(x, rangeLo, rangeHi, width);
    const excessPoints = outside(x, pointLo, pointHi, width);
    return {
      key,
      label: def.label,
      sim: x,
      simMin: sim.min[key],
      simMax: sim.max[key],
      real: days,
      rangeLo,
      rangeHi,
      pointLo,
      pointHi,
      source: def.reference !== undefined ? 'literature' : 'real days',
      verdict: excessPoints === 0 ? 'in (days)' : excess === 0 ? 'in' : 'out',
      excess,
      excessPoints,
    };
  });
  const rss = (xs: number[]): number => Math.sqrt(xs.reduce((s, v) => s + v * v, 0));
  return {
    rows,
    distance: rss(rows.map((r) => r.excess)),
    distancePoints: rss(rows.map((r) => r.excessPoints)),
    inRange: rows.filter((r) => r.verdict !== 'out').length,
    figures: rows.length,
  };
}
