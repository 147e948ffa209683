import { describe, expect, it } from 'vitest';
import { NS_PER_SECOND } from '../core/clock';
import { FlowImpact, kernelExponentials } from './flow-impact';
import { AGENT_ID_BASE, AGENT_OWNER, BUY, SELL, SimMarket } from './market';
import { parseScenario } from './scenario';
import type { ScenarioInput } from './scenario';

const S = NS_PER_SECOND;
const none = { law: 'fixed', value: 1 } as const;

/** One maker quoting 10 ticks wide around a fundamental that never moves, and no other flow. */
function quietMarket(flowImpact?: NonNullable<ScenarioInput['marketMakers']['flowImpact']>): ScenarioInput {
  return {
    name: 'one-maker',
    description: 'one maker on a fixed fundamental',
    instrument: { symbol: 'T', tickSize: 0.01, lotSize: 1, startPriceTicks: 10_000 },
    session: { openSeconds: 34_200, durationSeconds: 600 },
    fundamental: { volatilityBpsPerMinute: 0, volOfVol: 0, volMeanReversionMinutes: 30, jumpRatePerHour: 0, jumpSizeBps: 0, stepMs: 1000 },
    zeroIntelligence: { limitRate: 0, marketRate: 0, cancelRate: 0, placement: none, limitSize: none, marketSize: none, initialOrdersPerSide: 0 },
    marketMakers: {
      count: 1,
      requoteMs: 100,
      spreadTicks: 10,
      levels: 1,
      levelSpacingTicks: 1,
      size: { law: 'fixed', value: 1000 },
      inventorySkewTicksPerLot: 0,
      maxInventory: 1e6,
      volatilityWidening: 0,
      fundamentalWeight: 1,
      ...(flowImpact === undefined ? {} : { flowImpact }),
    },
    informed: { count: 0, rate: 0, thresholdTicks: 1, size: none },
    momentum: { count: 0, rate: 0, fastSeconds: 1, slowSeconds: 2, thresholdTicks: 1, size: none },
    meanReversion: { count: 0, rate: 0, fastSeconds: 1, slowSeconds: 2, thresholdTicks: 1, size: none },
    hawkes: { baseRate: 0, alpha: 0, beta: 1, sidePersistence: 0.5, size: none },
    backstop: { distanceTicks: 500, size: 1 },
  };
}

/** Returns the touch one second after a 100-lot market order of `side` sent 1 s after the open, and 60 s later. */
function touchAfterOrder(input: ScenarioInput, side: number): { before: [number, number]; after: [number, number]; later: [number, number] } {
  const m = new SimMarket(parseScenario(input, 'test'), 1);
  m.runUntil(m.openNs + S);
  const before: [number, number] = [m.bid(), m.ask()];
  m.submitMarket(AGENT_OWNER, AGENT_ID_BASE, side, 100);
  m.runUntil(m.openNs + 2 * S);
  const after: [number, number] = [m.bid(), m.ask()];
  m.runUntil(m.openNs + 62 * S);
  return { before, after, later: [m.bid(), m.ask()] };
}

describe('flow impact', () => {
  it('leavesTheMakersQuotesWhereTheyWereWithoutTheChannel', () => {
    const t = touchAfterOrder(quietMarket(), BUY);
    expect(t.before).toEqual([9995, 10_005]);
    expect(t.after).toEqual(t.before);
  });

  it('movesTheMakersQuotesByLambdaTimesTheSignedVolumeForGood', () => {
    // Kyle's permanent lambda: 0.1 tick a lot, so a 100-lot buy lifts the centre 10 ticks.
    const up = touchAfterOrder(quietMarket({ ticks: 0.1 }), BUY);
    expect(up.before).toEqual([9995, 10_005]);
    expect(up.after).toEqual([10_005, 10_015]);
    expect(up.later).toEqual(up.after);
    const down = touchAfterOrder(quietMarket({ ticks: 0.1 }), SELL);
    expect(down.after).toEqual([9985, 9995]);
  });

  it('letsTheImpactDecayAsThePowerLawKernel', () => {
    // λ = 2, δ = 0.5: a 100-lot order moves the centre 20 ticks at once.
    const t = touchAfterOrder(quietMarket({ ticks: 2, sizeExponent: 0.5, decayExponent: 1, decaySeconds: 1 }), BUY);
    // One second later the kernel is (1 + 1)^−1: about 10 ticks; 61 s later about 20 / 62.
    expect(t.after[0] - t.before[0]).toBeGreaterThanOrEqual(9);
    expect(t.after[0] - t.before[0]).toBeLessThanOrEqual(11);
    expect(t.later[0] - t.before[0]).toBeLessThanOrEqual(1);
  });

  it('approximatesThePowerLawKernelWithinOnePercent', () => {
    for (const beta of [0.1, 0.2, 0.5, 1, 1.5]) {
      for (const tau0 of [0.5, 10]) {
        const f = new FlowImpact({ ticks: 1, sizeExponent: 1, decayExponent: beta, decaySeconds: tau0 }, 0);
        f.trade(0, 1, 1);
        for (const t of [0, 0.1, 1, 10, 100, 1000, 10_000]) {
          const exact = (1 + t) ** -beta;
          expect(Math.abs(f.shift(t * tau0 * S) / exact - 1)).toBeLessThan(0.01);
        }
      }
    }
  });

  it('addsOrdersConcaveInSizeAndSignedAndKeepsThemWithoutDecay', () => {
    const f = new FlowImpact({ ticks: 0.5, sizeExponent: 0.5, decayExponent: 0, decaySeconds: 1 }, 0);
    f.trade(S, 1, 16);
    f.trade(2 * S, -1, 4);
    expect(f.shift(3600 * S)).toBeCloseTo(0.5 * 4 - 0.5 * 2, 12);
    expect(kernelExponentials(0, 1).weights).toEqual(Float64Array.of(1));
  });
});
