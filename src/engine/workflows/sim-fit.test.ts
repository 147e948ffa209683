import { describe, expect, it } from 'vitest';
import { NS_PER_SECOND } from '../core/clock';
import type { ScenarioInput } from '../sim/scenario';
import { parseScenario } from '../sim/scenario';
import { DIAGNOSTIC_KEYS } from '../sim/diagnostics';
import type { Figures, RealDayFigures } from '../sim/diagnostics';
import { fitScenario, parseFitParameter, readPath, toCoordinate, toParameter, withPath } from './sim-fit';
import type { FitParameter } from './sim-fit';
import { realDaysFromReport } from './sim-diagnostics';

/** A 20-minute market with one maker and a little flow: a few simulated seconds of work a run. */
const tiny: ScenarioInput = {
  name: 'tiny',
  description: 'a test scenario',
  instrument: { symbol: 'T', tickSize: 0.01, lotSize: 1, startPriceTicks: 10_000 },
  session: { openSeconds: 34_200, durationSeconds: 1200 },
  fundamental: { volatilityBpsPerMinute: 5, volOfVol: 0.3, volMeanReversionMinutes: 30, jumpRatePerHour: 0, jumpSizeBps: 0, stepMs: 1000 },
  zeroIntelligence: {
    limitRate: 1,
    marketRate: 0.1,
    cancelRate: 0.1,
    placement: { law: 'lognormal', median: 5, sigma: 0.5 },
    limitSize: { law: 'fixed', value: 10 },
    marketSize: { law: 'fixed', value: 5 },
  },
  marketMakers: { count: 1, requoteMs: 500, spreadTicks: 4, levels: 1, levelSpacingTicks: 1, size: { law: 'fixed', value: 10 }, inventorySkewTicksPerLot: 0.01, maxInventory: 100, volatilityWidening: 0 },
  informed: { count: 1, rate: 0.2, thresholdTicks: 2, size: { law: 'fixed', value: 5 } },
  momentum: { count: 0, rate: 0, fastSeconds: 1, slowSeconds: 2, thresholdTicks: 1, size: { law: 'fixed', value: 1 } },
  meanReversion: { count: 0, rate: 0, fastSeconds: 1, slowSeconds: 2, thresholdTicks: 1, size: { law: 'fixed', value: 1 } },
  hawkes: { baseRate: 0.1, alpha: 0.5, beta: 1, sidePersistence: 0.5, size: { law: 'fixed', value: 5 } },
  backstop: { distanceTicks: 50, size: 10 },
};

/** A made-up real day whose every figure is `v` with an interval of ± `half`. */
function day(name: string, v: number, half: number): RealDayFigures {
  const figures = Object.fromEntries(DIAGNOSTIC_KEYS.map((k) => [k, v])) as Figures;
  return { day: name, figures, intervals: Object.fromEntries(DIAGNOSTIC_KEYS.map((k) => [k, { lo: v - half, hi: v + half }])) as RealDayFigures['intervals'] };
}

describe('fit parameters', () => {
  it('keepsEveryCoordinateInsideTheBoundsAndRoundsWholeNumbers', () => {
    const p: FitParameter = { path: 'marketMakers.spreadTicks', lo: 2, hi: 10, integer: true };
    for (const u of [-50, -1, 0, 1, 50]) {
      const x = toParameter(p, u);
      expect(x).toBeGreaterThanOrEqual(2);
      expect(x).toBeLessThanOrEqual(10);
      expect(Number.isInteger(x)).toBe(true);
    }
    expect(toParameter(p, toCoordinate(p, 6))).toBe(6);
    expect(toParameter({ path: 'x', lo: 0, hi: 1 }, toCoordinate({ path: 'x', lo: 0, hi: 1 }, 0.3))).toBeCloseTo(0.3, 3);
  });

  it('parsesASearchedParameterAndRefusesABadOne', () => {
    expect(parseFitParameter('marketMakers.flowImpact.ticks=0.01..3')).toEqual({ path: 'marketMakers.flowImpact.ticks', lo: 0.01, hi: 3 });
    expect(parseFitParameter('marketMakers.spreadTicks=6..40:int')).toEqual({ path: 'marketMakers.spreadTicks', lo: 6, hi: 40, integer: true });
    expect(() => parseFitParameter('marketMakers.spreadTicks=6-40')).toThrow(/path=lo\.\.hi.*received "marketMakers\.spreadTicks=6-40"/);
    expect(() => parseFitParameter('x=3..1')).toThrow(/lo below hi, received 3 and 1/);
  });

  it('setsADottedPathOnACopyAndRefusesAPathThroughANumber', () => {
    const s = withPath(tiny, 'zeroIntelligence.placement.median', 9);
    expect(readPath(s, 'zeroIntelligence.placement.median')).toBe(9);
    expect(readPath(tiny, 'zeroIntelligence.placement.median')).toBe(5);
    expect(() => withPath(tiny, 'zeroIntelligence.cancelRate.x', 1)).toThrow(/no object at "cancelRate"/);
  });
});

describe('fitScenario', () => {
  const touch = { size: 5, waitNs: 10 * NS_PER_SECOND, simSeeds: [1, 2], realSeeds: [0], simStartNs: (34_200 + 600) * NS_PER_SECOND, simSpreadMinutes: 5 };
  const plan = { fractions: [], participation: 0.1, startSeconds: 60, childSeconds: 10 };

  it('spendsAtMostItsBudgetAndReturnsTheBestPointItEvaluated', () => {
    const params: FitParameter[] = [
      { path: 'zeroIntelligence.cancelRate', lo: 0.02, hi: 1 },
      { path: 'marketMakers.spreadTicks', lo: 2, hi: 12, integer: true },
    ];
    const seen: number[] = [];
    const r = fitScenario({ start: tiny, name: 'tiny-fit', params, seeds: [1], touch, real: [day('A', 0.5, 0.2), day('B', 0.6, 0.2)], evaluations: 5, metaorders: plan, onEvaluation: (e) => seen.push(e.objective) });
    expect(r.evaluations.length).toBe(5);
    expect(seen.length).toBe(5);
    expect(r.best.objective).toBe(Math.min(...seen));
    expect(parseScenario(r.scenario, 'fit').name).toBe('tiny-fit');
    expect(r.scenario.marketMakers.spreadTicks).toBe(r.best.parameters['marketMakers.spreadTicks']);
    for (const e of r.evaluations) {
      expect(e.parameters['zeroIntelligence.cancelRate']).toBeGreaterThanOrEqual(0.02);
      expect(e.parameters['zeroIntelligence.cancelRate']).toBeLessThanOrEqual(1);
    }
  });

  it('refusesAParameterTheScenarioDoesNotHave', () => {
    expect(() => fitScenario({ start: tiny, name: 't', params: [{ path: 'hawkes.gamma', lo: 0, hi: 1 }], seeds: [1], touch, real: [day('A', 0, 1)], evaluations: 1, metaorders: plan })).toThrow(/no number at "hawkes.gamma"/);
  });
});

describe('realDaysFromReport', () => {
  it('readsTheRealDaysBackWithNullAsNaN', () => {
    const d = day('GOOG', 1, 0.5);
    const json = JSON.parse(JSON.stringify({ real: [{ ...d, figures: { ...d.figures, impactExponentMetaorders: NaN } }] })) as unknown;
    const [back] = realDaysFromReport(json, 'r.json', ['GOOG']);
    expect(back!.figures.kurtosis1m).toBe(1);
    expect(back!.figures.impactExponentMetaorders).toBeNaN();
    expect(back!.intervals.kurtosis1m).toEqual({ lo: 0.5, hi: 1.5 });
  });

  it('namesTheFileAndTheMissingDay', () => {
    expect(() => realDaysFromReport({ rows: [] }, 'r.json', ['GOOG'])).toThrow(/r\.json: expected a diagnostics report/);
    expect(() => realDaysFromReport({ real: [day('AAPL', 1, 1)] }, 'r.json', ['GOOG'])).toThrow(/r\.json: the report has no figures for GOOG \(it has AAPL\)/);
    expect(() => realDaysFromReport({ real: [{ day: 'GOOG', figures: { kurtosis1m: 'x' }, intervals: {} }] }, 'r.json', ['GOOG'])).toThrow(/GOOG\.figures\.flowReturnCorr must be a number or null|kurtosis1m/);
  });
});
