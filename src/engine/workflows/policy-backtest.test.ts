import { describe, expect, it } from 'vitest';
import type { BacktestSpec } from '../execution/backtest';
import { FIXED_TACTICS, splitPolicyStrategies, withPolicyEpisodes } from './policy-backtest';
import { findVolumeFile } from '../node/files/backtest-markets';
import { runBacktest } from '../node/workers/backtest-pool';
import type { MarketSpec } from '../node/files/backtest-markets';
import { DEFAULT_POLICY_NAME } from '../node/models/policy-files';
import { join } from 'node:path';

const S = 1_000_000_000;
const SHIPPED = join(__dirname, '..', '..', '..', 'resources', 'models', DEFAULT_POLICY_NAME);

describe('trained policies in the backtest', () => {
  it('splitsRlEntriesFromTheBaselines', () => {
    const { baselines, policies } = splitPolicyStrategies('twap, rl:models/a ,vwap,rl:models/a');
    expect(baselines).toBe('twap,vwap');
    expect(policies.map((p) => p.name)).toEqual(['rl:models/a']);
    expect(() => splitPolicyStrategies('twap,rl:')).toThrow(/no model directory/);
  });

  it('parsesFixedTacticsAndRefusesUnknownOnesNamingTheValidOnes', () => {
    const { baselines, policies } = splitPolicyStrategies('twap,Fixed:On-Schedule+2,fixed:patient+0,fixed:on-schedule+2');
    expect(baselines).toBe('twap');
    expect(policies).toEqual([
      { name: 'fixed:on-schedule+2', action: 5 },
      { name: 'fixed:patient+0', action: 0 },
    ]);
    expect(FIXED_TACTICS).toHaveLength(9);
    expect(() => splitPolicyStrategies('fixed:on-schedule+3')).toThrow(/no fixed tactic; expected one of fixed:patient\+0, .*fixed:ahead\+2/);
    expect(() => splitPolicyStrategies('fixed:')).toThrow(/no fixed tactic/);
  });

  it('aFixedOnScheduleTacticTradesExactlyLikeTwapAndALeadOneDiffers', async () => {
    const market: MarketSpec = { kind: 'sim', scenario: 'calm', preTradeNs: 60 * S, horizonNs: 600 * S, volumeFile: findVolumeFile() };
    const spec: BacktestSpec = { parent: { side: 'sell', quantity: 2000, horizonNs: 600 * S }, strategies: ['twap'], decisionIntervalNs: 30 * S, povRate: 0.1, acLambdaPerBps: 0.005, unfilledPenaltyBps: 25 };
    const { results } = await runBacktest(market, spec, [900_002], { workers: 0 });
    const { policies } = splitPolicyStrategies('fixed:on-schedule+0,fixed:on-schedule+2');
    const merged = await withPolicyEpisodes(market, spec, [900_002], policies, results);
    const [twap, fixedTwap, lead2] = merged[0]?.episodes ?? [];
    expect(fixedTwap?.strategy).toBe('fixed:on-schedule+0');
    expect(fixedTwap?.metrics.shortfallBps).toBe(twap?.metrics.shortfallBps);
    expect(fixedTwap?.metrics.fillRate).toBe(twap?.metrics.fillRate);
    expect(fixedTwap?.decisions).toBe(twap?.decisions);
    // Two extra slices rested from the first decision: more lots rest early, so the fills differ.
    expect(lead2?.metrics.shortfallBps).not.toBe(twap?.metrics.shortfallBps);
    expect(lead2?.metrics.fillRate).toBeGreaterThan(0.9);
  });

  it('refusesAHorizonThatIsNoWholeNumberOfIntervalsForAFixedTactic', async () => {
    const market: MarketSpec = { kind: 'sim', scenario: 'thin', preTradeNs: 60 * S, horizonNs: 600 * S, volumeFile: 'unused' };
    const spec: BacktestSpec = { parent: { side: 'sell', quantity: 2000, horizonNs: 600 * S }, strategies: ['twap'], decisionIntervalNs: 7 * S, povRate: 0.1, acLambdaPerBps: 0.005, unfilledPenaltyBps: 25 };
    await expect(withPolicyEpisodes(market, spec, [5], [{ name: 'fixed:ahead+0', action: 6 }], [])).rejects.toThrow(/whole number of decision intervals/);
  });

  it('refusesToBacktestAPolicyOnTrainingSeeds', async () => {
    const market: MarketSpec = { kind: 'sim', scenario: 'thin', preTradeNs: 60 * S, horizonNs: 600 * S, volumeFile: 'unused' };
    const spec: BacktestSpec = { parent: { side: 'sell', quantity: 2000, horizonNs: 600 * S }, strategies: ['twap'], decisionIntervalNs: 30 * S, povRate: 0.1, acLambdaPerBps: 0.005, unfilledPenaltyBps: 25 };
    await expect(withPolicyEpisodes(market, spec, [5, 1_000_001], [{ name: 'rl:x', dir: SHIPPED }], [])).rejects.toThrow(/training seeds/);
  });

  it('runsTheShippedPolicyBesideTwapOnTheSameSeeds', async () => {
    const market: MarketSpec = { kind: 'sim', scenario: 'thin', preTradeNs: 60 * S, horizonNs: 600 * S, volumeFile: findVolumeFile() };
    const spec: BacktestSpec = { parent: { side: 'sell', quantity: 2000, horizonNs: 600 * S }, strategies: ['twap'], decisionIntervalNs: 30 * S, povRate: 0.1, acLambdaPerBps: 0.005, unfilledPenaltyBps: 25 };
    const { results } = await runBacktest(market, spec, [900_001], { workers: 0 });
    const merged = await withPolicyEpisodes(market, spec, [900_001], [{ name: 'rl:shipped', dir: SHIPPED }], results);
    const names = merged[0]?.episodes.map((e) => e.strategy);
    expect(names).toEqual(['twap', 'rl:shipped']);
    const rl = merged[0]?.episodes[1];
    expect(rl?.metrics.fillRate).toBeGreaterThan(0.9);
    expect(rl?.decisions).toBeGreaterThanOrEqual(20);
  });
});
