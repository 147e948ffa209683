import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { almgrenChrissFraction, almgrenChrissHoldings, almgrenChrissKappa, cumulativeVolume, scaleProfileToHorizon, twapFraction, vwapSchedule } from './schedules';

describe('Almgren–Chriss trajectory', () => {
  it('matchesTheClosedFormSinhRatio', () => {
    for (const kT of [0.1, 1, 3, 10]) {
      for (const u of [0, 0.1, 0.25, 0.5, 0.9, 1]) {
        expect(almgrenChrissHoldings(u, kT)).toBeCloseTo(Math.sinh(kT * (1 - u)) / Math.sinh(kT), 12);
      }
    }
  });

  it('reducesToTwapAsRiskAversionVanishes', () => {
    const params = { sigmaBpsPerSqrtS: 0.5, etaBpsPerLotPerS: 0.01, gammaBpsPerLot: 0, quantity: 1000, intervalS: 5 };
    for (const lambda of [1e-9, 1e-12, 0]) {
      const kT = almgrenChrissKappa({ ...params, lambdaPerBps: lambda }) * 1800;
      for (const u of [0.1, 0.5, 0.8]) expect(almgrenChrissFraction(u, kT)).toBeCloseTo(twapFraction(u), 3);
    }
  });

  it('frontLoadsMoreAsRiskAversionGrows', () => {
    const params = { sigmaBpsPerSqrtS: 0.5, etaBpsPerLotPerS: 0.01, gammaBpsPerLot: 0, quantity: 1000, intervalS: 5 };
    const k1 = almgrenChrissKappa({ ...params, lambdaPerBps: 1e-3 });
    const k2 = almgrenChrissKappa({ ...params, lambdaPerBps: 1e-2 });
    expect(k2).toBeGreaterThan(k1);
    expect(almgrenChrissFraction(0.2, k2 * 1800)).toBeGreaterThan(almgrenChrissFraction(0.2, k1 * 1800));
    // κ² = (λ/X)·σ²/η.
    expect(k1).toBeCloseTo(Math.sqrt(((1e-3 / 1000) * 0.25) / 0.01), 12);
  });

  it('staysFiniteAndMonotoneForAnyUrgency', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 5000, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (kT, a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const x = almgrenChrissFraction(lo, kT);
        const y = almgrenChrissFraction(hi, kT);
        expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
        expect(y).toBeGreaterThanOrEqual(x - 1e-12);
        expect(almgrenChrissFraction(1, kT)).toBeCloseTo(1, 12);
        expect(almgrenChrissFraction(0, kT)).toBeCloseTo(0, 12);
      }),
    );
  });

  it('usesTheDiscreteTimeImpactWhenPermanentImpactIsKnown', () => {
    const p = { sigmaBpsPerSqrtS: 1, etaBpsPerLotPerS: 0.02, quantity: 100, intervalS: 2, lambdaPerBps: 0.01 };
    // η̃ = η − γτ/2 = 0.02 − 0.01 = 0.01.
    expect(almgrenChrissKappa({ ...p, gammaBpsPerLot: 0.01 })).toBeCloseTo(Math.sqrt((0.01 / 100) / 0.01), 12);
    expect(() => almgrenChrissKappa({ ...p, gammaBpsPerLot: 0, etaBpsPerLotPerS: 0 })).toThrow(/η must be a positive number, received 0/);
  });
});

describe('VWAP schedule', () => {
  it('followsTheProfileWithinTheWindow', () => {
    // Buckets of 10 ns weighing 1, 3, 0, 4: the window [5, 35) holds 0.5 + 3 + 0 + 2 = 5.5.
    const profile = { originNs: 0, bucketNs: 10, weights: [1, 3, 0, 4] };
    expect(cumulativeVolume(profile, 15)).toBeCloseTo(2.5, 12);
    const f = vwapSchedule(profile, 5, 35);
    expect(f(5)).toBe(0);
    expect(f(10)).toBeCloseTo(0.5 / 5.5, 12);
    expect(f(20)).toBeCloseTo(3.5 / 5.5, 12);
    expect(f(30)).toBeCloseTo(3.5 / 5.5, 12);
    expect(f(35)).toBe(1);
  });

  it('fallsBackToTwapWhenTheWindowHoldsNoVolume', () => {
    const f = vwapSchedule({ originNs: 0, bucketNs: 10, weights: [1] }, 100, 200);
    expect(f(150)).toBeCloseTo(0.5, 12);
  });

  it('scalesADayProfileOntoTheHorizon', () => {
    const p = scaleProfileToHorizon([2, 1, 1, 2], 1000, 400);
    const f = vwapSchedule(p, 1000, 1400);
    expect(f(1100)).toBeCloseTo(2 / 6, 12);
    expect(f(1300)).toBeCloseTo(4 / 6, 12);
  });
});
