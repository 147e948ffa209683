import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import type { RegimePoint } from './regime';
import { fitRegimeModel, kMeans, nameRegimes, parseRegimeModel, RegimeDetector, RegimeTracker } from './regime';

const MINUTE = 60_000_000_000;

/** Points around four made-up regimes: [logVol, logSpread, logTrades, |imbalance|]. */
function constructed(): RegimePoint[] {
  const rng = new Rng(5);
  const centres = [
    [1.0, 0.5, 3.0, 0.3], // calm: low volatility, tight, normal trading
    [3.5, 1.0, 3.5, 0.3], // volatile
    [1.5, 2.5, 1.0, 0.5], // thin: wide spread, few trades
    [1.8, 0.6, 5.0, 0.3], // busy: many trades
  ];
  const points: RegimePoint[] = [];
  for (let i = 0; i < 400; i++) {
    const c = centres[i % 4]!;
    points.push({ startNs: i * MINUTE, values: c.map((v) => v + 0.15 * (rng.next() - 0.5)) });
  }
  return points;
}

describe('regime detector', () => {
  it('namesConstructedRegimesForWhatTheyAre', () => {
    const model = fitRegimeModel(constructed(), 4, 1);
    expect([...model.names].sort()).toEqual(['busy', 'calm', 'thin', 'volatile']);
    const points = constructed();
    const expected = ['calm', 'volatile', 'thin', 'busy'];
    // Each constructed point is classified into the regime named for its centre.
    points.slice(0, 40).forEach((p, i) => {
      const k = model.centroids.map((_, j) => j).find((j) => model.names[j] === expected[i % 4]);
      const z = p.values.map((v, j) => (v - model.mean[j]!) / model.std[j]!);
      const d = model.centroids.map((c) => c.reduce((s, cv, j) => s + (cv - z[j]!) ** 2, 0));
      expect(d.indexOf(Math.min(...d))).toBe(k);
    });
  });

  it('readsBackTheModelItWritesAndRefusesAnother', () => {
    const model = fitRegimeModel(constructed(), 4, 1);
    expect(parseRegimeModel(JSON.parse(JSON.stringify(model)), 'r.json')).toEqual(model);
    expect(() => parseRegimeModel({ ...model, names: ['a'] }, 'r.json')).toThrow(/r\.json is not a regime model: .*one name per centroid/);
    expect(() => parseRegimeModel({ ...model, features: ['x'] }, 'r.json')).toThrow(/expected the features logVolBps/);
  });

  it('givesDistinctNamesWhateverTheCentroids', () => {
    const names = nameRegimes([
      [0, 0, 1, 0],
      [0, 0, 2, 0],
      [0, 0, 3, 0],
      [1, 0, 1, 0],
      [-1, 0, 1, 0],
    ]);
    expect(new Set(names).size).toBe(5);
    expect(names[3]).toBe('volatile');
    expect(names[4]).toBe('calm');
    expect(names.slice(0, 3)).toEqual(['busy', 'busy-2', 'busy-3']);
    expect(nameRegimes([[0, 0, 0, 0], [1, 0, 0, 0], [-1, 0, 0, 0], [0, 0.2, -0.1, 2], [0, -1.5, 0, 0.3]]).slice(3)).toEqual(['one-sided', 'tight']);
  });

  it('findsSeparatedClusters', () => {
    const xs = [
      [0, 0],
      [0.1, 0],
      [10, 10],
      [10.1, 10],
    ];
    const c = kMeans(xs, 2, 3).map((p) => Math.round(p[0]!)).sort((a, b) => a - b);
    expect(c).toEqual([0, 10]);
    expect(() => kMeans(xs, 5, 1)).toThrow(/at least k = 5 points/);
  });

  it('readsTheRegimeFromEventsMinuteByMinute', () => {
    const tracker = new RegimeTracker({ minEvents: 5 });
    // A quiet minute: 10 events at a 2-tick spread on a 100-tick stock, one trade, imbalance 0.5.
    for (let i = 0; i < 10; i++) tracker.onEvent(i * 1e9, [101, 5, 99, 15], i === 3 ? { size: 1, aggressor: 'buy' } : undefined);
    const point: RegimePoint | undefined = tracker.onEvent(MINUTE + 1, [101, 5, 99, 15]);
    expect(point).toBeDefined();
    expect(point!.startNs).toBe(0);
    expect(point!.values[0]).toBe(0); // the mid never moved
    expect(point!.values[1]).toBeCloseTo(Math.log(200), 9); // 2 / 100 = 200 bps
    expect(point!.values[2]).toBeCloseTo(Math.log1p(1), 9);
    expect(point!.values[3]).toBeCloseTo(0.5, 12);
    const detector = new RegimeDetector(fitRegimeModel(constructed(), 4, 1));
    expect(detector.regime()).toBeUndefined();
    for (let i = 0; i < 30; i++) detector.onEvent(i * 1e9, [101 + (i % 2) * 50, 5, 99, 15]);
    const r = detector.onEvent(MINUTE + 1, [101, 5, 99, 15]);
    expect(r).toEqual(detector.regime());
    expect(['volatile', 'thin', 'calm', 'busy']).toContain(r!.name);
  });
});
