import { describe, expect, it } from 'vitest';
import type { BacktestMarket, BacktestSpec, SeedResult } from './backtest';
import { acModelFromPilots, pairedShortfallDifference, pilotSeeds, runPilot, runSeed, summarise } from './backtest';
import { meanCi } from './stats';
import { counterfactualEndMid } from './runner';
import { scaleProfileToHorizon } from './schedules';
import { FakeVenue } from './testing/fake-venue';

const S = 1_000_000_000;

const market: BacktestMarket = {
  tickSize: 1,
  venuePrintsAgentFills: false,
  counterfactual: true,
  acCalibration: 'pilot',
  preTradeNs: 20 * S,
  open: (seed) => ({ venue: new FakeVenue(seed), startNs: 20 * S }),
  volumeProfile: (start, horizon) => scaleProfileToHorizon([2, 1, 1, 2], start, horizon),
};

const spec: BacktestSpec = {
  parent: { side: 'sell', quantity: 400, horizonNs: 120 * S },
  strategies: ['twap', 'vwap', 'pov', 'ac'],
  decisionIntervalNs: 5 * S,
  povRate: 0.1,
  acLambdaPerBps: 0.01,
  unfilledPenaltyBps: 25,
};

const pilots = [1_000, 1_001].map((s) => runPilot(market, spec, s));
const ac = acModelFromPilots(pilots, spec.decisionIntervalNs);

describe('backtest pairing', () => {
  it('runsEveryStrategyOnTheSameSeedAndMarket', () => {
    const r = runSeed(market, spec, 5, ac);
    expect(r.episodes.map((e) => e.strategy)).toEqual(['twap', 'vwap', 'pov', 'ac']);
    expect(new Set(r.episodes.map((e) => e.seed))).toEqual(new Set([5]));
    // Each strategy met the same market at its start: the same arrival mid.
    expect(new Set(r.episodes.map((e) => e.metrics.arrivalMid)).size).toBe(1);
    // The counterfactual is the agent-free run of the same seed.
    const v = new FakeVenue(5);
    v.elapse(20 * S);
    expect(r.counterfactualEndMid).toBe(counterfactualEndMid(v, 120 * S, 5 * S));
    for (const e of r.episodes) expect(e.metrics.impactBps).toBeCloseTo(((r.counterfactualEndMid as number) - e.metrics.endMid) / e.metrics.arrivalMid * 1e4, 9);
  });

  it('isDeterministicPerSeed', () => {
    expect(runSeed(market, spec, 9, ac)).toEqual(runSeed(market, spec, 9, ac));
  });

  it('comparesToTwapSeedBySeed', () => {
    const results: SeedResult[] = [3, 4, 5, 6].map((s) => runSeed(market, spec, s, ac));
    const report = summarise(spec.strategies, results);
    const twap = report.find((r) => r.name === 'twap');
    expect(twap?.vsTwapBps).toEqual({ mean: 0, ci95: [0, 0] });
    for (const r of report) {
      expect(r.episodes).toBe(4);
      const own = results.map((x) => x.episodes.find((e) => e.strategy === r.name)!.metrics.shortfallBps);
      const base = results.map((x) => x.episodes.find((e) => e.strategy === 'twap')!.metrics.shortfallBps);
      const diff = own.map((x, i) => x - base[i]!);
      expect(r.vsTwapBps?.mean).toBeCloseTo(diff.reduce((a, b) => a + b, 0) / 4, 9);
      expect(r.impactBps).not.toBeNull();
      expect(r.fillRate).toBe(1);
    }
    expect(report.find((r) => r.name === 'ac')?.kappaT).toBeGreaterThan(0);
  });

  it('keepsEachSeedsShortfallAndComparesTwoStrategiesOnThem', () => {
    // Seeds given out of order come back in ascending order, one per episode.
    const results: SeedResult[] = [6, 3, 5, 4].map((s) => runSeed(market, spec, s, ac));
    const report = summarise(spec.strategies, results);
    const row = (name: string) => report.find((r) => r.name === name)!;
    for (const r of report) {
      expect(r.seedShortfallsBps.map((x) => x.seed)).toEqual([3, 4, 5, 6]);
      for (const { seed, shortfallBps } of r.seedShortfallsBps) {
        const episode = results.find((x) => x.seed === seed)!.episodes.find((e) => e.strategy === r.name)!;
        expect(shortfallBps).toBe(episode.metrics.shortfallBps);
      }
    }
    // Against TWAP it is the report's own vsTwap figure.
    const vsTwap = pairedShortfallDifference(row('vwap'), row('twap'));
    expect(vsTwap.n).toBe(4);
    expect(vsTwap.mean).toBeCloseTo(row('vwap').vsTwapBps!.mean, 12);
    expect(vsTwap.ci95![0]).toBeCloseTo(row('vwap').vsTwapBps!.ci95![0], 12);
    expect(vsTwap.ci95![1]).toBeCloseTo(row('vwap').vsTwapBps!.ci95![1], 12);
    // Between two strategies, the interval of the seed-by-seed differences (not of the two means apart).
    const d = pairedShortfallDifference(row('pov'), row('vwap'));
    const diffs = row('pov').seedShortfallsBps.map((x, i) => x.shortfallBps - row('vwap').seedShortfallsBps[i]!.shortfallBps);
    expect(d).toEqual({ n: 4, mean: meanCi(diffs).mean, ci95: meanCi(diffs).ci95 });
    // Pairs are made by seed, not by position.
    expect(pairedShortfallDifference({ ...row('pov'), seedShortfallsBps: [...row('pov').seedShortfallsBps].reverse() }, row('vwap')).mean).toBeCloseTo(d.mean, 12);
  });

  it('refusesToCompareStrategiesWithoutTheSameSeeds', () => {
    const a = { name: 'a', seedShortfallsBps: [{ seed: 1, shortfallBps: 2 }, { seed: 2, shortfallBps: 3 }] };
    expect(() => pairedShortfallDifference(a, { name: 'b', seedShortfallsBps: [{ seed: 1, shortfallBps: 2 }, { seed: 3, shortfallBps: 1 }] })).toThrow(/seed 2 has no partner/);
    expect(() => pairedShortfallDifference(a, { name: 'b', seedShortfallsBps: [{ seed: 1, shortfallBps: 2 }] })).toThrow(/same seeds, received 2 and 1/);
    // A report written before the seeds were kept has none: it says to rerun, never compares nothing.
    expect(() => pairedShortfallDifference(a, { name: 'old' } as unknown as typeof a)).toThrow(/"old" has no per-seed shortfalls .*rerun/);
    expect(() => pairedShortfallDifference({ name: 'a', seedShortfallsBps: [{ seed: 1, shortfallBps: 2 }, { seed: 1, shortfallBps: 3 }] }, a)).toThrow(/seed 1 twice/);
  });

  it('refusesResultsWhereAStrategyMissedASeed', () => {
    const a = runSeed(market, spec, 3, ac);
    const b = runSeed(market, { ...spec, strategies: ['twap'] }, 4, ac);
    expect(() => summarise(spec.strategies, [a, b])).toThrow(/"vwap" has no episode for seed\(s\) 4: strategies must run on the same seeds/);
  });

  it('reportsNoImpactWhereTheMarketHasNoCounterfactual', () => {
    const historical: BacktestMarket = { ...market, counterfactual: false, acCalibration: 'pre-trade' };
    const r = runSeed(historical, spec, 3);
    expect(r.counterfactualEndMid).toBeNull();
    expect(r.calibration?.bookSamples).toBeGreaterThan(0);
    expect(summarise(spec.strategies, [r]).every((s) => s.impactBps === null)).toBe(true);
  });
});

describe('AC calibration from pilots', () => {
  it('estimatesPositiveVolatilityAndImpactOnPilotSeedsDisjointFromTheEvaluation', () => {
    expect(ac.sigmaBpsPerSqrtS).toBeGreaterThan(0);
    expect(ac.etaBpsPerLotPerS).toBeGreaterThan(0);
    expect(ac.estimate.bookSamples).toBe(240);
    const seeds = pilotSeeds([1_000_000_000, 1_000_000_002, 5], 3);
    expect(seeds).toEqual([1_000_000_001, 1_000_000_003, 1_000_000_004]);
  });

  it('needsThePilotModelForAcOnAPilotMarket', () => {
    expect(() => runSeed(market, spec, 3)).toThrow(/needs the pilot model/);
  });
});
