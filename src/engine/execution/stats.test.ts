import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logGamma, mean, meanCi, pairedDifference, regularizedIncompleteBeta, sampleSd, studentTCdf, studentTQuantile } from './stats';

describe('studentTQuantile', () => {
  it('matchesTabulatedTwoSided95PercentCriticalValues', () => {
    const table: Array<[number, number]> = [
      [1, 12.7062],
      [2, 4.3027],
      [3, 3.1824],
      [5, 2.5706],
      [10, 2.2281],
      [30, 2.0423],
      [100, 1.984],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
  });

  it('approachesTheNormalQuantileForLargeDegreesOfFreedom', () => {
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 4);
  });

  it('isSymmetricAndInvertsTheCdf', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.integer({ min: 1, max: 200 }), (p, df) => {
        const t = studentTQuantile(p, df);
        expect(studentTCdf(t, df)).toBeCloseTo(p, 8);
        expect(studentTQuantile(1 - p, df)).toBeCloseTo(-t, 6);
      }),
    );
  });

  it('rejectsProbabilitiesOutsideTheOpenUnitInterval', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(/p must be in \(0, 1\), received 1/);
    expect(() => studentTQuantile(0.5, 0)).toThrow(/degrees of freedom must be positive, received 0/);
  });
});

describe('special functions', () => {
  it('logGammaMatchesFactorials', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('incompleteBetaMatchesClosedForms', () => {
    // I_x(1, 1) = x; I_x(2, 1) = x²; I_x(1, 2) = 1 − (1 − x)².
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedIncompleteBeta(0.3, 2, 1)).toBeCloseTo(0.09, 12);
    expect(regularizedIncompleteBeta(0.3, 1, 2)).toBeCloseTo(1 - 0.49, 12);
  });
});

describe('meanCi', () => {
  it('computesTheStudentIntervalOfAKnownSample', () => {
    // mean 3, sd √2.5, n 5: half width = 2.776445 · √2.5 / √5.
    const r = meanCi([1, 2, 3, 4, 5]);
    expect(r.mean).toBe(3);
    expect(r.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    const half = 2.7764451 * Math.sqrt(2.5 / 5);
    expect(r.ci95?.[0]).toBeCloseTo(3 - half, 5);
    expect(r.ci95?.[1]).toBeCloseTo(3 + half, 5);
  });

  it('givesNoIntervalForASingleObservation', () => {
    expect(meanCi([7])).toEqual({ n: 1, mean: 7, sd: 0, ci95: null });
  });

  it('isCentredOnTheMeanAndShiftsWithTheData', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 40 }), fc.double({ min: -100, max: 100, noNaN: true }), (xs, c) => {
        const a = meanCi(xs);
        const b = meanCi(xs.map((x) => x + c));
        const [lo, hi] = a.ci95 as readonly [number, number];
        expect(lo).toBeLessThanOrEqual(a.mean + 1e-9);
        expect(hi).toBeGreaterThanOrEqual(a.mean - 1e-9);
        expect((lo + hi) / 2).toBeCloseTo(a.mean, 6);
        expect(b.mean).toBeCloseTo(a.mean + c, 6);
        expect((b.ci95 as readonly [number, number])[1] - (b.ci95 as readonly [number, number])[0]).toBeCloseTo(hi - lo, 5);
      }),
    );
  });

  it('rejectsNonFiniteValues', () => {
    expect(() => meanCi([1, Number.NaN])).toThrow(/finite numbers, received NaN/);
  });
});

describe('pairedDifference', () => {
  it('pairsBySeedNotByPosition', () => {
    const a = new Map([
      [1, 10],
      [2, 20],
      [3, 33],
    ]);
    const b = new Map([
      [3, 30],
      [1, 9],
      [2, 18],
    ]);
    const d = pairedDifference(a, b);
    expect(d.mean).toBeCloseTo(2, 12);
    expect(d.sd).toBeCloseTo(1, 12);
    expect(d.n).toBe(3);
  });

  it('isExactlyZeroForIdenticalSamples', () => {
    const a = new Map([
      [1, 3],
      [2, -4],
    ]);
    expect(pairedDifference(a, a)).toEqual({ n: 2, mean: 0, sd: 0, ci95: [0, 0] });
  });

  it('refusesSamplesOnDifferentSeeds', () => {
    expect(() => pairedDifference(new Map([[1, 1]]), new Map([[2, 1]]))).toThrow(/seed 1 has no partner/);
    expect(() => pairedDifference(new Map([[1, 1]]), new Map())).toThrow(/same seeds, received 1 and 0/);
  });

  it('isNarrowerThanTheUnpairedIntervalWhenSeedsShareTheirNoise', () => {
    const noise = [5, -3, 8, -6, 2, 9, -1, -7];
    const a = new Map(noise.map((x, i) => [i, x + 1 + (i % 2) * 0.1]));
    const b = new Map(noise.map((x, i) => [i, x]));
    const paired = pairedDifference(a, b);
    const width = (c: readonly [number, number] | null): number => (c ? c[1] - c[0] : Infinity);
    expect(width(paired.ci95)).toBeLessThan(width(meanCi([...a.values()]).ci95) / 10);
    expect(mean([...a.values()]) - mean([...b.values()])).toBeCloseTo(paired.mean, 12);
    expect(sampleSd([1, 1, 1])).toBe(0);
  });
});
