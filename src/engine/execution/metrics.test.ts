import { describe, expect, it } from 'vitest';
import { DEFAULT_UNFILLED_PENALTY_BPS, episodeMetrics } from './metrics';

const base = { quantity: 100, arrivalMid: 10_000, endMid: 10_000, counterfactualEndMid: null };

describe('episodeMetrics', () => {
  it('chargesABuyFilledAboveTheArrivalMidAsACost', () => {
    const m = episodeMetrics({ ...base, side: 'buy', fills: [{ price: 10_010, size: 100, midBefore: 10_005 }] });
    expect(m.shortfallBps).toBeCloseTo(10, 12);
    expect(m.spreadPaidBps).toBeCloseTo((5 / 10_005) * 10_000, 12);
    expect(m.fillRate).toBe(1);
    expect(m.avgPrice).toBe(10_010);
  });

  it('chargesASellFilledBelowTheArrivalMidAsACost', () => {
    const m = episodeMetrics({ ...base, side: 'sell', fills: [{ price: 9_990, size: 100, midBefore: 9_995 }] });
    expect(m.shortfallBps).toBeCloseTo(10, 12);
    expect(m.spreadPaidBps).toBeCloseTo((5 / 9_995) * 10_000, 12);
  });

  it('creditsASellFilledAboveTheArrivalMidAndAPassiveFillEarnsTheSpread', () => {
    const m = episodeMetrics({ ...base, side: 'sell', fills: [{ price: 10_005, size: 100, midBefore: 10_000 }] });
    expect(m.shortfallBps).toBeCloseTo(-5, 12);
    expect(m.spreadPaidBps).toBeCloseTo(-5, 12);
  });

  it('valuesUnfilledLotsAtTheEndMidPlusThePenalty', () => {
    // Half sold at the arrival mid, half left while the price fell 20 bps: 10 bps of move plus half the penalty.
    const m = episodeMetrics({ ...base, side: 'sell', endMid: 9_980, fills: [{ price: 10_000, size: 50, midBefore: 10_000 }] });
    expect(m.unfilled).toBe(50);
    expect(m.fillRate).toBe(0.5);
    expect(m.shortfallBps).toBeCloseTo(0.5 * 20 + 0.5 * DEFAULT_UNFILLED_PENALTY_BPS, 10);
    const buy = episodeMetrics({ ...base, side: 'buy', endMid: 9_980, unfilledPenaltyBps: 0, fills: [] });
    expect(buy.shortfallBps).toBeCloseTo(-20, 10);
    expect(buy.spreadPaidBps).toBeNull();
    expect(buy.avgPrice).toBeNull();
  });

  it('measuresImpactAgainstTheCounterfactualWithTheTradersSign', () => {
    const sell = episodeMetrics({ ...base, side: 'sell', endMid: 9_990, counterfactualEndMid: 10_000, fills: [{ price: 9_995, size: 100, midBefore: 10_000 }] });
    expect(sell.impactBps).toBeCloseTo(10, 12);
    const buy = episodeMetrics({ ...base, side: 'buy', endMid: 10_010, counterfactualEndMid: 10_000, fills: [{ price: 10_005, size: 100, midBefore: 10_000 }] });
    expect(buy.impactBps).toBeCloseTo(10, 12);
    expect(episodeMetrics({ ...base, side: 'buy', fills: [] }).impactBps).toBeNull();
  });

  it('refusesMoreFillsThanTheParentQuantity', () => {
    expect(() => episodeMetrics({ ...base, side: 'buy', fills: [{ price: 1, size: 101, midBefore: 1 }] })).toThrow(/fills total 101 lots, more than the parent quantity 100/);
  });
});
