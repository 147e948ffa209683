import { describe, expect, it } from 'vitest';
import { EwmaVolatility, Garch11, GridReturns, garchUnconditionalVariance, gridReturnsBps, halfLifeSteps, logReturnBps } from './volatility';

describe('ewma volatility', () => {
  it('followsTheRiskMetricsRecursionExactlyOnAHandExample', () => {
    // σ²₁ = 4; r = 1 → 0.9·4 + 0.1·1 = 3.7; r = 3 → 0.9·3.7 + 0.1·9 = 4.23; r = −2 → 0.9·4.23 + 0.1·4 = 4.207.
    const f = new EwmaVolatility({ lambda: 0.9 }, { kind: 'variance', varianceBps2: 4 });
    expect(f.forecastBps()).toBe(2);
    f.update(1);
    expect(f.varianceBps2()).toBeCloseTo(3.7, 12);
    f.update(3);
    expect(f.varianceBps2()).toBeCloseTo(4.23, 12);
    f.update(-2);
    expect(f.varianceBps2()).toBeCloseTo(4.207, 12);
    expect(f.forecastBps()).toBeCloseTo(Math.sqrt(4.207), 12);
  });

  it('warmsUpOnTheMeanSquareOfItsFirstReturnsAndForecastsNothingBefore', () => {
    const f = new EwmaVolatility({ lambda: 0.5 }, { kind: 'warmup', returns: 3 });
    f.update(1);
    f.update(2);
    expect(f.ready).toBe(false);
    expect(f.forecastBps()).toBeNaN();
    f.update(3);
    expect(f.ready).toBe(true);
    expect(f.varianceBps2()).toBeCloseTo(14 / 3, 12);
    f.update(4);
    expect(f.varianceBps2()).toBeCloseTo(0.5 * (14 / 3) + 0.5 * 16, 12);
  });

  it('skipsNonFiniteReturnsWithoutTouchingTheStateOrTheWarmUp', () => {
    const clean = new EwmaVolatility({ lambda: 0.8 }, { kind: 'warmup', returns: 2 });
    const gappy = new EwmaVolatility({ lambda: 0.8 }, { kind: 'warmup', returns: 2 });
    for (const r of [1, 2, 3, -1]) clean.update(r);
    for (const r of [NaN, 1, Infinity, 2, NaN, 3, -Infinity, -1, NaN]) gappy.update(r);
    expect(gappy.varianceBps2()).toBe(clean.varianceBps2());
    expect(gappy.used).toBe(4);
    expect(gappy.skipped).toBe(5);
  });
});

describe('garch(1,1) volatility', () => {
  it('followsItsRecursionOnAHandExample', () => {
    // σ²₁ = 2; r = 2 → 0.1 + 0.1·4 + 0.8·2 = 2.1; r = 0 → 0.1 + 0.8·2.1 = 1.78.
    const f = new Garch11({ omega: 0.1, alpha: 0.1, beta: 0.8 }, { kind: 'variance', varianceBps2: 2 });
    f.update(2);
    expect(f.varianceBps2()).toBeCloseTo(2.1, 12);
    f.update(NaN);
    f.update(0);
    expect(f.varianceBps2()).toBeCloseTo(1.78, 12);
    expect(garchUnconditionalVariance(f.params)).toBeCloseTo(1, 12);
  });

  it('refusesParametersOutsideTheStationaryRegion', () => {
    expect(() => new Garch11({ omega: 0, alpha: 0.1, beta: 0.8 })).toThrow(/ω must be a positive/);
    expect(() => new Garch11({ omega: 1, alpha: 0.3, beta: 0.8 })).toThrow(/α \+ β ≤ 1, received α 0.3, β 0.8/);
    expect(() => new EwmaVolatility({ lambda: 1 })).toThrow(/λ must be in \(0, 1\), received 1/);
    expect(halfLifeSteps(0.5)).toBe(1);
  });
});

describe('grid returns', () => {
  it('givesLogReturnsInBpsOnlyBetweenValidMidsOneStepApart', () => {
    const s = 1e9;
    const samples = [
      { ts: 0, mid: 100 },
      { ts: s, mid: 101 },
      { ts: s, mid: 500 }, // zero-length step: ignored
      { ts: 2 * s, mid: NaN }, // missing mid
      { ts: 3 * s, mid: 101 }, // its previous mid is missing
      { ts: 5 * s, mid: 102 }, // a skipped grid point: not bridged
      { ts: 6 * s, mid: 101 },
    ];
    const r = gridReturnsBps(samples);
    expect(r[0]).toBeNaN();
    expect(r[1]).toBeCloseTo(1e4 * Math.log(1.01), 9);
    expect(r[2]).toBeNaN();
    expect(r[3]).toBeNaN();
    expect(r[4]).toBeNaN();
    expect(r[5]).toBeNaN();
    expect(r[6]).toBeCloseTo(1e4 * Math.log(101 / 102), 9);
    expect(logReturnBps(0, 1)).toBeNaN();
    expect(new GridReturns(s).next(0, 1)).toBeNaN();
  });
});
