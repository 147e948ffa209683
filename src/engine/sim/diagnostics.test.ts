import { describe, expect, it } from 'vitest';
import { NS_PER_SECOND } from '../core/clock';
import { Rng } from '../core/rng';
import { compareFigures, dayIntervals, marketFigures, minuteReturns, summariseSimFigures, varianceRatioInterval, varianceRatioOfMinutes, wilsonInterval } from './diagnostics';
import type { Figures, RealDayFigures, TouchSummary } from './diagnostics';
import { bootstrapRuns, flowCorrInterval, summariseSim } from './facts';
import type { SeedFacts } from './facts';
import { FactsRecorder } from './facts-recorder';
import type { MarketFacts } from './facts-recorder';

const NO_TOUCH: TouchSummary = { n: 0, anyFill: NaN, adverseIfFilledBps: null, adverseIfNotBps: null };

/** A book the test moves: its mid, spread and touch depth are set before each sample. */
function movableBook() {
  const s = { mid: 100_000, spread: 2, depth: 10 };
  const top = { bid: () => s.mid - s.spread / 2, ask: () => s.mid + s.spread / 2, bidSize: () => s.depth, askSize: () => s.depth };
  return { s, top };
}

/** Records `seconds` one-second steps of a random walk whose log steps are `step()`. */
function walk(seconds: number, step: () => number, perSecond?: (k: number, r: FactsRecorder) => void): MarketFacts {
  const { s, top } = movableBook();
  const r = new FactsRecorder(top, 0, seconds * NS_PER_SECOND);
  for (let k = 0; k <= seconds; k++) {
    r.advance(k * NS_PER_SECOND + 1);
    perSecond?.(k, r);
    s.mid *= Math.exp(step());
  }
  return r.finish();
}

/** A draw from the Laplace law (excess kurtosis 3) of scale `b`. */
function laplace(rng: Rng, b: number): number {
  const u = rng.next() - 0.5;
  return -b * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}

describe('diagnostics on constructed series', () => {
  it('findsAVarianceRatioNearOneForARandomWalkAndItsIntervalCoversOne', () => {
    const rng = new Rng(1);
    // 1,440 minutes: the ratio's sampling sd is about √(2/1440) ≈ 0.04.
    const f = walk(24 * 3600, () => rng.normal() * 1e-4);
    const fig = marketFigures(f, NO_TOUCH);
    expect(fig.varianceRatio10s).toBeGreaterThan(0.88);
    expect(fig.varianceRatio10s).toBeLessThan(1.12);
    const minutes = minuteReturns(f.mids1s);
    expect(minutes.length).toBe(1440);
    expect(varianceRatioOfMinutes(minutes)).toBeCloseTo(fig.varianceRatio10s, 1);
    const ci = varianceRatioInterval(f.mids1s);
    expect(ci.lo).toBeLessThan(1);
    expect(ci.hi).toBeGreaterThan(1);
  });

  it('findsAVarianceRatioBelowOneWhenThePriceTrendsWithinTheMinute', () => {
    const rng = new Rng(2);
    let x = 0;
    const f = walk(6 * 3600, () => (x = 0.9 * x + rng.normal() * 1e-4));
    expect(marketFigures(f, NO_TOUCH).varianceRatio10s).toBeLessThan(0.6);
  });

  it('measuresTheExcessKurtosisOfLaplaceMinutesAsAboutThreeAndOfNormalOnesAsAboutZero', () => {
    // One-minute returns drawn whole (the price jumps once a minute): Laplace has excess kurtosis 3.
    const rngL = new Rng(3);
    const seconds = 4000 * 60;
    const heavy = walk(seconds, (() => {
      let k = 0;
      return () => (++k % 60 === 0 ? laplace(rngL, 1e-3) : 0);
    })());
    const kh = marketFigures(heavy, NO_TOUCH).kurtosis1m;
    expect(kh).toBeGreaterThan(2.2);
    expect(kh).toBeLessThan(3.8);
    const rngN = new Rng(4);
    const normal = walk(seconds, () => rngN.normal() * 1e-4);
    expect(Math.abs(marketFigures(normal, NO_TOUCH).kurtosis1m)).toBeLessThan(0.3);
  });

  it('recoversAKnownFlowToNextMinuteCorrelation', () => {
    // Minute k's flow φ_k is uniform in [−1, 1]; minute k + 1 returns a·φ_k + noise, so the
    // correlation is a·sd(φ) / sqrt(a²·var(φ) + σ²) = 0.5 with a = σ (var(φ) = 1/3).
    const rng = new Rng(5);
    const minutes = 2000;
    const sigma = 1e-4;
    const a = sigma;
    const flows: number[] = [];
    const f = walk(minutes * 60, (() => {
      let k = 0;
      return () => {
        k++;
        if (k % 60 !== 0) return 0;
        const m = k / 60;
        // The step at the end of minute m − 1 is minute m's return (from minute m's opening sample).
        const prev = flows[m - 2];
        return (prev === undefined ? 0 : a * prev) + sigma * rng.normal();
      };
    })(), (k, r) => {
      if (k % 60 === 30) {
        const phi = 2 * rng.next() - 1;
        flows.push(phi);
        // Buy volume (1 + φ)/2 and sell volume (1 − φ)/2 of 1000 lots: the flow (buy − sell) / total is φ.
        r.trade(k * NS_PER_SECOND + 2, 1, Math.max(1e-9, 500 * (1 + phi)), 1, 1);
        r.trade(k * NS_PER_SECOND + 3, -1, Math.max(1e-9, 500 * (1 - phi)), 1, 1);
      }
    });
    const corr = marketFigures(f, NO_TOUCH).flowReturnCorr;
    expect(corr).toBeGreaterThan(0.42);
    expect(corr).toBeLessThan(0.58);
    const ci = flowCorrInterval(f, 7);
    expect(ci.lo).toBeLessThan(0.5);
    expect(ci.hi).toBeGreaterThan(0.5);
  });

  it('fitsTheExponentOfASyntheticSquareRootImpact', () => {
    // Sign runs of sizes 10..5000 moving the mid by 0.3·√size ticks (plus noise): exponent 0.5.
    const rng = new Rng(6);
    const { s, top } = movableBook();
    const r = new FactsRecorder(top, 0, 10_000 * NS_PER_SECOND);
    let sign: 1 | -1 = 1;
    for (let i = 0; i < 4000; i++) {
      const size = Math.round(10 * Math.exp(rng.next() * Math.log(500)));
      const before = s.mid;
      s.mid += sign * (0.3 * Math.sqrt(size) + rng.normal());
      r.trade(i * NS_PER_SECOND + 1, sign, size, before, s.mid);
      sign = sign === 1 ? -1 : 1;
    }
    const f = r.finish();
    expect(marketFigures(f, NO_TOUCH).impactExponentRuns).toBeCloseTo(0.5, 1);
    const ci = bootstrapRuns(r.signRuns(), 7);
    expect(ci.lo).toBeLessThan(0.5);
    expect(ci.hi).toBeGreaterThan(0.5);
    // Controlled metaorders whose impact grows as the square root of their size: exponent 0.5.
    const seed = (k: number): SeedFacts => ({
      seed: k,
      facts: f,
      events: 0,
      messages: 0,
      metaorders: [0.001, 0.002, 0.005, 0.01, 0.02].map((fraction) => ({ fraction, size: fraction * 1e6, durationSeconds: 60, impactBps: 40 * Math.sqrt(fraction) * (1 + 0.05 * rng.normal()) })),
    });
    expect(summariseSim([seed(1), seed(2), seed(3)]).impactExponent).toBeCloseTo(0.5, 1);
  });

  it('readsTheSpreadAndDepthDistributionsFromTheSecondSamples', () => {
    const { s, top } = movableBook();
    const r = new FactsRecorder(top, 0, 999 * NS_PER_SECOND);
    for (let k = 0; k < 1000; k++) {
      s.spread = 1 + (k % 10);
      s.depth = 100 + (k % 100);
      r.advance(k * NS_PER_SECOND + 1);
    }
    const fig = marketFigures(r.finish(), NO_TOUCH);
    expect(fig.spreadMeanTicks).toBeCloseTo(5.5, 6);
    expect(fig.spreadP10Ticks).toBeCloseTo(1.9, 6);
    expect(fig.spreadP90Ticks).toBeCloseTo(9.1, 6);
    expect(fig.depthTopMean).toBeCloseTo(149.5, 6);
  });

  it('takesTheTouchFiguresFromTheProbeAndGivesTheFillRateAWilsonInterval', () => {
    const touch: TouchSummary = { n: 100, anyFill: 0.5, adverseIfFilledBps: { mean: 2, ci95: [1.5, 2.5] }, adverseIfNotBps: { mean: -1, ci95: [-1.4, -0.6] } };
    const f = walk(120, () => 0);
    const fig = marketFigures(f, touch);
    expect([fig.touchFillRate, fig.touchAdverseFilledBps, fig.touchAdverseMissedBps]).toEqual([0.5, 2, -1]);
    const w = wilsonInterval(0.5, 100);
    expect(w.lo).toBeCloseTo(0.4038, 3);
    expect(w.hi).toBeCloseTo(0.5962, 3);
    expect(dayIntervals(f, [], touch).touchAdverseFilledBps).toEqual({ lo: 1.5, hi: 2.5 });
    expect(marketFigures(f, NO_TOUCH).touchFillRate).toBeNaN();
  });
});

describe('compareFigures', () => {
  const figures = (v: number): Figures => Object.fromEntries(Object.keys(marketFigures(walk(120, () => 0), NO_TOUCH)).map((k) => [k, v])) as Figures;
  const day = (name: string, v: number, half: number): RealDayFigures => {
    const f = figures(v);
    return { day: name, figures: f, intervals: Object.fromEntries(Object.keys(f).map((k) => [k, { lo: v - half, hi: v + half }])) as RealDayFigures['intervals'] };
  };

  it('givesDistanceZeroInsideTheDaysAndCountsWidthsOutside', () => {
    const real = [day('A', 1, 0.5), day('B', 2, 0.5)];
    // Range 0.5..2.5 (width 2); the days' own values 1..2.
    const inside = compareFigures(summariseSimFigures([figures(1.5)], { impactExponentMetaorders: 0.5 }), real);
    expect(inside.distance).toBe(0);
    expect(inside.distancePoints).toBe(0);
    expect(inside.inRange).toBe(inside.figures);
    const row = inside.rows.find((r) => r.key === 'kurtosis1m')!;
    expect([row.rangeLo, row.rangeHi, row.pointLo, row.pointHi, row.verdict]).toEqual([0.5, 2.5, 1, 2, 'in (days)']);

    const near = compareFigures(summariseSimFigures([figures(0.7)], { impactExponentMetaorders: 0.5 }), real);
    expect(near.rows.find((r) => r.key === 'kurtosis1m')!.verdict).toBe('in');
    expect(near.distance).toBe(0);
    // 17 figures from the days, each 0.3 below the days' values: 0.15 widths.
    expect(near.distancePoints).toBeCloseTo(Math.sqrt(17) * 0.15, 9);

    const far = compareFigures(summariseSimFigures([figures(3.5)], { impactExponentMetaorders: 0.9 }), real);
    const k = far.rows.find((r) => r.key === 'kurtosis1m')!;
    expect(k.verdict).toBe('out');
    expect(k.excess).toBeCloseTo(0.5, 9);
    const meta = far.rows.find((r) => r.key === 'impactExponentMetaorders')!;
    expect([meta.source, meta.rangeLo, meta.rangeHi, meta.verdict]).toEqual(['literature', 0.4, 0.7, 'out']);
    expect(meta.excess).toBeCloseTo(0.2 / 0.3, 9);
    expect(far.inRange).toBe(0);
  });

  it('countsAFigureTheSimulatorCouldNotMeasureAsOutside', () => {
    const real = [day('A', 1, 0.5)];
    const r = compareFigures(summariseSimFigures([figures(1)], { impactExponentMetaorders: NaN }), real);
    expect(r.rows.find((x) => x.key === 'impactExponentMetaorders')!.verdict).toBe('out');
    expect(r.distance).toBe(Infinity);
  });

  it('averagesSeedsAndKeepsTheirSpread', () => {
    const s = summariseSimFigures([figures(1), figures(3)], { touchFillRate: 0.4 });
    expect([s.mean.kurtosis1m, s.min.kurtosis1m, s.max.kurtosis1m]).toEqual([2, 1, 3]);
    expect([s.mean.touchFillRate, s.min.touchFillRate, s.max.touchFillRate]).toEqual([0.4, 0.4, 0.4]);
  });
});
