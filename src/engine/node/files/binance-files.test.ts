import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createOrderBook } from '../../book/order-book';
import { BTCUSDT_USDM } from '../../data/binance';
import { verifyBinanceFile } from './binance-files';

const FILE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../shared/data/crypto/binance_spot_btcusdt_20240808_hftbacktest.jsonl.gz');

describe('binance capture rebuild', () => {
  it('matchesEveryBookTickerAtASharedUpdateIdAndNeverCrosses', async () => {
    const r = await verifyBinanceFile(FILE, createOrderBook());
    expect(r.snapshots).toBe(1);
    expect(r.gaps).toBe(0);
    expect(r.diffsApplied).toBeGreaterThan(3_000);
    expect(r.tickerChecks).toBeGreaterThan(0);
    expect(r.firstTickerMismatch).toBeNull();
    expect(r.tickerMismatches).toBe(0);
    expect(r.crossedBooks).toBe(0);
    expect(r.trades).toBe(9_757);
    // Three deep levels carry sizes finer than the 0.00001 lot (see BTCUSDT).
    expect(r.offLotSizes).toBe(3);
  });
});

const USDM_FILE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../shared/data/crypto/binance_usdm_btcusdt_20230404_0405_hftbacktest.jsonl.gz');

describe('binance usd-m capture rebuild', () => {
  it('followsEachDiffByItsPreviousFinalIdWithNoGapAndMatchesEveryBookTicker', async () => {
    const r = await verifyBinanceFile(USDM_FILE, createOrderBook(), BTCUSDT_USDM, 'us');
    expect(r.snapshots).toBe(1);
    expect(r.gaps).toBe(0);
    expect(r.diffsUnapplied).toBe(0);
    expect(r.diffsApplied).toBeGreaterThan(15_000);
    expect(r.tickerChecks).toBeGreaterThan(1_000);
    expect(r.tickerMismatches).toBe(0);
    expect(r.crossedBooks).toBe(0);
    expect(r.trades).toBe(12_935);
    expect(r.offLotSizes).toBe(0);
    // 23:58:20 → 00:06:54 read as µs: about 514 s, not 514,000.
    expect(r.spanNs / 1e9).toBeGreaterThan(500);
    expect(r.spanNs / 1e9).toBeLessThan(530);
  });
});
