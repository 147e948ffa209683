import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_DIR } from '../node/models/policy-files';
import { backtest, parseVenueFlag, type BacktestOptions } from './backtest';
import { evaluate } from './policy-eval';

const DATA = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data');
const CME = join(DATA, 'cme/ESM4_2024-05-08T000000-000002_mbo.dbn.zst');
const SPOT = join(DATA, 'crypto/binance_spot_btcusdt_20240808_hftbacktest.jsonl.gz');
const USDM = join(DATA, 'crypto/binance_usdm_btcusdt_20230404_0405_hftbacktest.jsonl.gz');
const S = 1_000_000_000;
const SHIPPED = join(__dirname, '..', '..', '..', DEFAULT_POLICY_DIR);
const dir = mkdtempSync(join(tmpdir(), 'cockpit-venues-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the shipped policy whose env asks for a horizon the short recorded files can hold (the network is unchanged). */
function policyWithHorizon(name: string, horizonSeconds: number, steps: number): string {
  const model = join(dir, name);
  cpSync(SHIPPED, model, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(model, 'policy.json'), 'utf8')) as { env: Record<string, unknown> };
  writeFileSync(join(model, 'policy.json'), JSON.stringify({ ...manifest, env: { ...manifest.env, horizonSeconds, steps, quantity: 20 } }));
  return model;
}

describe('--venue KIND:FILE', () => {
  it('namesEveryHistoricalVenueKind', () => {
    expect(parseVenueFlag('databento:a.dbn.zst')).toEqual({ kind: 'databento', file: 'a.dbn.zst' });
    expect(parseVenueFlag('binance:b.jsonl.gz')).toEqual({ kind: 'binance', file: 'b.jsonl.gz' });
    expect(parseVenueFlag('binance-usdm:b.jsonl.gz')).toEqual({ kind: 'binance', file: 'b.jsonl.gz', market: 'usdm' });
    expect(parseVenueFlag('lobster:m.csv')).toEqual({ kind: 'lobster', messages: 'm.csv' });
    expect(() => parseVenueFlag('kraken:x')).toThrow(/--venue must be lobster:FILE .* databento:FILE .* binance:FILE/);
  });
});

describe('backtests on the recorded venues', () => {
  const base: Omit<BacktestOptions, 'market'> = { seeds: [0, 1], strategies: ['twap', 'pov'], side: 'buy', quantity: 10, horizonNs: S / 2, intervalNs: S / 10, workers: 0 };

  it('runsOnTheCmeMboSampleInHalfSecondEpisodes', async () => {
    const r = await backtest({ ...base, market: { kind: 'databento', file: CME } });
    expect(r.venue).toBe('databento');
    expect(r.episodeStarts).toEqual([{ seed: 0, start: '00:00:00.500' }, { seed: 1, start: '00:00:01' }]);
    expect(r.strategies.map((s) => [s.name, s.episodes])).toEqual([['twap', 2], ['pov', 2]]);
    expect(r.strategies[0]?.fillRate).toBeGreaterThan(0);
    expect(r.strategies[0]?.impactBps).toBeNull();
  });

  it('refusesAnEpisodeTheTwoSecondSampleCannotHold', async () => {
    await expect(backtest({ ...base, horizonNs: 5 * S, intervalNs: S, market: { kind: 'databento', file: CME } })).rejects.toThrow(/spans 00:00:00–00:00:01\.995 \(1\.996 s\): no room for a 5 s episode from 00:00:00\.500/);
    await expect(backtest({ ...base, seeds: [2], market: { kind: 'databento', file: CME } })).rejects.toThrow(/has seeds 0\.\.1 .* received seed 2/);
  });

  it('runsOnTheBinanceSpotCaptureAfterItsBookIsRebuilt', async () => {
    const r = await backtest({ ...base, seeds: [0], quantity: 2_000, horizonNs: 10 * S, intervalNs: 2 * S, market: { kind: 'binance', file: SPOT } });
    expect(r.venue).toBe('binance');
    expect(r.scenario).toBe('binance-spot:binance_spot_btcusdt_20240808_hftbacktest.jsonl.gz');
    // The book is rebuilt at 23:54:14.2; a 60 s pre-trade window puts seed 0 at 23:55:14.3.
    expect(r.episodeStarts).toEqual([{ seed: 0, start: '23:55:14.300' }]);
    expect(r.strategies.every((s) => s.fillRate > 0)).toBe(true);
  });

  it('runsOnTheBinanceUsdmCaptureAcrossMidnight', async () => {
    const r = await backtest({ ...base, seeds: [1], quantity: 20, horizonNs: 10 * S, intervalNs: 2 * S, preTradeNs: 30 * S, market: { kind: 'binance', file: USDM } });
    expect(r.scenario).toBe('binance-usdm:binance_usdm_btcusdt_20230404_0405_hftbacktest.jsonl.gz');
    expect(r.episodeStarts[0]?.start).toMatch(/^23:5\d:\d{2}/);
    expect(r.strategies.every((s) => s.episodes === 1)).toBe(true);
  }, 20_000);
});

describe('evaluations on the recorded venues', () => {
  it('evaluatesAPolicyOnTheCmeSampleAndRefusesOneWhoseHorizonCannotFit', async () => {
    const model = policyWithHorizon('one-second', 1, 5);
    const e = await evaluate({ model, market: { kind: 'databento', file: CME }, seeds: '0', workers: 0 });
    expect(e.rows.map((r) => r.episodes)).toEqual([1, 1, 1, 1]);
    expect(e.command).toContain(`--venue databento:${CME} --pre-trade 0.5s --seeds 0`);
    await expect(evaluate({ model: SHIPPED, market: { kind: 'databento', file: CME }, seeds: '0', workers: 0 })).rejects.toThrow(/no room for a 600 s episode/);
  }, 20_000);

  it('saysARefusedEvaluationKeepsThePolicysTrainedHorizonWithoutAdvisingHorizon', async () => {
    await expect(evaluate({ model: SHIPPED, market: { kind: 'binance', file: USDM }, seeds: '0', workers: 0 })).rejects.toThrow(/\(514\.084 s\): no room for a 600 s episode from 23:59:20\.700 after a 60 s pre-trade window; the policy acts over the horizon it was trained for \(600 s, env\.horizonSeconds in policy\.json\), which evaluate does not shorten$/);
  }, 20_000);

  it('evaluatesAPolicyOnTheBinanceSpotCapture', async () => {
    const model = policyWithHorizon('thirty-seconds', 30, 6);
    const e = await evaluate({ model, market: { kind: 'binance', file: SPOT }, seeds: '0..1', workers: 0 });
    expect(e.rows.map((r) => r.episodes)).toEqual([2, 2, 2, 2]);
    expect(e.command).toContain(`--venue binance:${SPOT} --pre-trade 60s`);
  }, 20_000);
});
