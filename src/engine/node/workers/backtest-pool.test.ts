import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BacktestSpec } from '../../execution/backtest';
import { summarise } from '../../execution/backtest';
import { LobsterDay } from '../../data/lobster';
import { clock, findVolumeFile, lobsterMarket, lobsterPairFor, lobsterSlots, lobsterTrainingMarket } from '../files/backtest-markets';
import type { MarketSpec } from '../files/backtest-markets';
import { runBacktest } from './backtest-pool';

const S = 1_000_000_000;
const MIN = 60 * S;
const DATA = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../shared/data/lobster');

const market: MarketSpec = { kind: 'sim', scenario: 'calm', preTradeNs: MIN, horizonNs: 2 * MIN, volumeFile: findVolumeFile() };
const spec: BacktestSpec = {
  parent: { side: 'buy', quantity: 500, horizonNs: 2 * MIN },
  strategies: ['twap', 'ac'],
  decisionIntervalNs: 10 * S,
  povRate: 0.1,
  acLambdaPerBps: 0.005,
  unfilledPenaltyBps: 25,
};

describe('backtest pool', () => {
  it('givesTheSameEpisodesOnWorkerThreadsAsInProcess', async () => {
    const progress: number[] = [];
    const threaded = await runBacktest(market, spec, [4, 5, 6], { workers: 2, pilots: 1, onProgress: (done) => progress.push(done) });
    const inline = await runBacktest(market, spec, [4, 5, 6], { workers: 0, pilots: 1 });
    expect(threaded.workers).toBe(2);
    expect(threaded.results).toEqual(inline.results);
    expect(threaded.acCalibration).toEqual(inline.acCalibration);
    expect(threaded.pilotSeeds).toEqual([1_000_000_000]);
    expect(progress.at(-1)).toBe(1 + 3 * 2);
    const report = summarise(spec.strategies, threaded.results);
    expect(report.map((r) => r.episodes)).toEqual([3, 3]);
    expect(report.every((r) => r.impactBps !== null)).toBe(true);
  });

  it('reportsAWorkersErrorAsARejection', async () => {
    await expect(runBacktest({ ...market, scenario: 'no-such-scenario' }, spec, [1], { workers: 1 })).rejects.toThrow(/no scenario named "no-such-scenario"/);
  });
});

describe('LOBSTER episode start times', () => {
  it('mapsSeedsToNonOverlappingStartsAfterThePreTradeWindow', () => {
    // The GOOG day: 09:30:00.015 to 15:59:59.872; 30-minute episodes after a 30-minute window.
    const slots = lobsterSlots(34_200_015_000_000, 57_599_872_000_000, 30 * MIN, 30 * MIN);
    expect(clock(slots.firstStart)).toBe('10:00:00');
    expect(slots.stride).toBe(30 * MIN);
    expect(slots.slots).toBe(11);
    expect(clock(slots.firstStart + 10 * slots.stride)).toBe('15:00:00');
    expect(lobsterSlots(34_200_015_000_000, 57_599_872_000_000, 30 * MIN, 7.5 * MIN).stride).toBe(8 * MIN);
  });

  it('startsSeedZeroAtAChosenTimeOfDayWithLaterSeedsEveryStride', () => {
    // A one-level day from 09:30:00.5 to 09:45:00; 5-minute episodes after a 1-minute window.
    const row = '10100,5,10000,5';
    const day = LobsterDay.fromLines(1, ['34200.5,1,1,5,10000,1', '35100,1,2,5,10000,1'], [row, row]);
    const spec = { kind: 'lobster' as const, messages: 'm', orderbook: 'o', levels: 1, preTradeNs: MIN, horizonNs: 5 * MIN, volumeFile: 'v' };
    const at = (hhmm: string): number => (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * MIN;
    expect(clock(lobsterMarket(day, 'X', spec, new Map()).startFor(0))).toBe('09:31:00');
    const from = lobsterMarket(day, 'X', { ...spec, firstStartNs: at('09:33') }, new Map());
    expect([0, 1].map((k) => clock(from.startFor(k)))).toEqual(['09:33:00', '09:38:00']);
    expect(() => from.startFor(2)).toThrow(/seeds 0\.\.1 \(start 09:33:00 \+ seed × 5 min\)/);
    expect(() => lobsterMarket(day, 'X', { ...spec, firstStartNs: at('09:30') }, new Map())).toThrow(/start at 09:30:00 leaves no room for the 1-minute pre-trade window after the LOBSTER day's first message at 09:30:00/);
    expect(() => lobsterMarket(day, 'X', { ...spec, firstStartNs: at('09:42') }, new Map())).toThrow(/5-minute episode from 09:42:00 runs past the LOBSTER day's last message at 09:45:00/);
  });

  it('drawsTrainingStartsAtWholeSecondsAnywhereInTheDayFromTheSeed', () => {
    // A one-level day with a message at 09:30:00.5 and one at 09:45:00: a 5-minute episode after a
    // 1-minute window may start from 09:31:00 to 09:40:00.
    const row = '10100,5,10000,5';
    const day = LobsterDay.fromLines(1, ['34200.5,1,1,5,10000,1', '35100,1,2,5,10000,1'], [row, row]);
    const m = lobsterTrainingMarket(day, MIN, 5 * MIN);
    expect(m.starts).toBe(9 * 60 + 1);
    const starts = Array.from({ length: 400 }, (_, k) => m.startFor(1_000_000 + k));
    for (const t of starts) {
      expect(t % S).toBe(0);
      expect(t).toBeGreaterThanOrEqual(34_260 * S);
      expect(t).toBeLessThanOrEqual(34_800 * S);
    }
    expect(new Set(starts).size).toBeGreaterThan(250);
    expect(Math.min(...starts)).toBeLessThan(34_320 * S);
    expect(Math.max(...starts)).toBeGreaterThan(34_740 * S);
    expect(m.startFor(1_000_007)).toBe(starts[7]);
    const { venue, startNs } = m.open(1_000_007);
    expect(startNs).toBe(starts[7]);
    expect(venue.now()).toBe(startNs - MIN);
    expect(() => lobsterTrainingMarket(day, MIN, 20 * MIN)).toThrow(/no room for a 1200-second episode/);
  });

  it('findsTheOrderbookFileBesideTheMessageFile', () => {
    const pair = lobsterPairFor(`${DATA}/GOOG_2012-06-21_34200000_57600000_message_10.csv.gz`);
    expect(pair).toEqual({ orderbook: `${DATA}/GOOG_2012-06-21_34200000_57600000_orderbook_10.csv.gz`, levels: 10 });
    expect(() => lobsterPairFor(`${DATA}/GOOG_2012-06-21_34200000_57600000_orderbook_10.csv.gz`)).toThrow(/expected a LOBSTER message file/);
  });
});

describe('cancelling a backtest', () => {
  it('terminatesItsWorkersAndRejectsWithTheAbortReason', async () => {
    const controller = new AbortController();
    const long: BacktestSpec = { ...spec, parent: { ...spec.parent, horizonNs: 20 * MIN }, strategies: ['twap'] };
    const seeds = Array.from({ length: 30 }, (_, i) => i + 1);
    let done = 0;
    const run = runBacktest({ ...market, horizonNs: 20 * MIN }, long, seeds, {
      workers: 2,
      signal: controller.signal,
      onProgress: (d) => {
        done = d;
        if (d === 2) controller.abort(new Error('stop now'));
      },
    });
    await expect(run).rejects.toThrow('stop now');
    expect(done).toBeLessThan(seeds.length);
    const aborted = new AbortController();
    aborted.abort('never started');
    await expect(runBacktest(market, spec, [1], { workers: 0, signal: aborted.signal })).rejects.toThrow('never started');
  }, 30_000);
});
