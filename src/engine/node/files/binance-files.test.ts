import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createOrderBook } from '../../book/order-book';
import { BTCUSDT_USDM, BinanceFormatError } from '../../data/binance';
import type { BinanceRecord } from '../../data/binance';
import { FileReadError } from './gzip-lines';
import { readBinanceRecords, verifyBinanceFile } from './binance-files';

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
    expect(r.unverifiedReason).toBeNull();
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

describe('binance capture files as they really come', () => {
  const dir = mkdtempSync(join(tmpdir(), 'binance-real-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** The first 2,000 lines of the real spot capture (the snapshot is line 8). */
  const lines = gunzipSync(readFileSync(FILE)).toString('utf8').split('\n').slice(0, 2_000);
  const write = (name: string, rows: readonly string[], eol = '\n'): string => {
    const path = join(dir, name);
    writeFileSync(path, gzipSync(rows.length === 0 ? '' : `${rows.join(eol)}${eol}`));
    return path;
  };
  const readAll = async (path: string): Promise<BinanceRecord[]> => {
    const out: BinanceRecord[] = [];
    for await (const r of readBinanceRecords(path)) out.push(r);
    return out;
  };
  const failure = (path: string): Promise<unknown> => readAll(path).then(
    () => new Error('expected the read to fail'),
    (e: unknown) => e,
  );

  it('readsCrlfLinesAndBlankCrlfLinesLikeLf', async () => {
    const lf = await readAll(write('lf.jsonl.gz', lines));
    const crlf = await readAll(write('crlf.jsonl.gz', [...lines.slice(0, 100), '', ...lines.slice(100)], '\r\n'));
    expect(lf).toHaveLength(2_000);
    expect(crlf).toEqual(lf);
  });

  it('refusesAHeaderRowOnLineOne', async () => {
    const err = await failure(write('header.jsonl.gz', ['local_ts raw_json', ...lines]));
    expect(err).toBeInstanceOf(BinanceFormatError);
    expect((err as BinanceFormatError).line).toBe(1);
    expect((err as BinanceFormatError).expected).toBe('"<local receive time ns> <JSON>"');
  });

  it('refusesALocalTimeThatGoesBackNamingItsLine', async () => {
    // The snapshot (line 8) moved before line 3: line 4 is then earlier than the snapshot's time.
    const moved = [...lines.slice(0, 2), lines[7] as string, ...lines.slice(2, 7), ...lines.slice(8)];
    const err = await failure(write('back.jsonl.gz', moved));
    expect(err).toBeInstanceOf(BinanceFormatError);
    expect((err as BinanceFormatError).line).toBe(4);
    expect((err as BinanceFormatError).expected).toBe("a local receive time at or after the previous record's (1723161254206652067 ns; lines are in receive order)");
  });

  it('namesTheLastLineReadWhenTheGzipIsTruncated', async () => {
    const whole = gzipSync(`${lines.join('\n')}\n`);
    const path = join(dir, 'cut.jsonl.gz');
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 2)));
    const err = await failure(path);
    expect(err).toBeInstanceOf(FileReadError);
    expect((err as FileReadError).afterLine).toBeGreaterThan(0);
    expect((err as FileReadError).message).toMatch(/cut\.jsonl\.gz: cannot read it as gzip text after line [\d,]+: unexpected end of file$/);
  });

  it('readsAnEmptyFileAsNoRecordsAndReportsItUnverified', async () => {
    const path = write('empty.jsonl.gz', []);
    expect(await readAll(path)).toEqual([]);
    const r = await verifyBinanceFile(path, createOrderBook());
    expect(r.records).toBe(0);
    expect(r.unverifiedReason).toBe('the capture holds no records');
  });
});
