import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decompress } from 'fzstd';
import { afterAll, describe, expect, it } from 'vitest';
import { createOrderBook } from '../../book/order-book';
import { DbnFormatError, decodeMboRecord, parseDbnMetadata } from '../../data/databento';
import { FileReadError } from './gzip-lines';
import { loadMboDay, verifyDatabentoFile } from './databento-files';
import { Xxh64 } from './zstd-frames';

const FILE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../shared/data/cme/ESM4_2024-05-08T000000-000002_mbo.dbn.zst');
const tmp = mkdtempSync(join(tmpdir(), 'dbn-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const compressed = readFileSync(FILE);
const raw = decompress(compressed);

function write(name: string, bytes: Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}

describe('DBN v1 header and records', () => {
  it('readsTheSampleMetadataFromItsHeader', () => {
    const m = parseDbnMetadata(raw, 'sample');
    expect(m.version).toBe(1);
    expect(m.dataset).toBe('GLBX.MDP3');
    expect(m.schemaName).toBe('mbo');
    expect(m.startNs).toBe(1_715_126_400_000_000_000n);
    expect(m.endNs).toBe(1_715_126_402_000_000_000n);
    expect(m.symbols).toEqual(['ESM4']);
    expect(m.mappings).toEqual([{ rawSymbol: 'ESM4', intervals: [{ startDate: 20240508, endDate: 20240509, symbol: '5602' }] }]);
    expect(m.headerBytes).toBe(206);
  });

  it('decodesTheClearAndTheFirstSnapshotAdd', () => {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const clear = decodeMboRecord(view, 206, 'sample', 1);
    expect(clear).toMatchObject({ action: 'R', side: 'N', instrumentId: 5602, publisherId: 1 });
    const add = decodeMboRecord(view, 206 + 56, 'sample', 2);
    expect(add).toMatchObject({ action: 'A', side: 'B', price: 5_155_500_000_000n, size: 5, flags: 40, tsRecv: 1_715_126_400_000_000_000n });
  });
});

describe('XXH64 (the zstd content checksum)', () => {
  it('givesTheReferenceDigestsFedWholeOrInPieces', () => {
    expect(new Xxh64().digest()).toBe(0xef46db3751d8e999n);
    const a = new Xxh64();
    a.update(Uint8Array.of(0x61));
    expect(a.digest()).toBe(0xd24ec4f1a98c6e5bn);
    const whole = new Xxh64();
    whole.update(raw.subarray(0, 1000));
    const pieces = new Xxh64();
    for (const [from, to] of [[0, 7], [7, 40], [40, 41], [41, 1000]] as const) pieces.update(raw.subarray(from, to));
    expect(pieces.digest()).toBe(whole.digest());
  });
});

describe('cockpit databento verify', () => {
  it('rebuildsTheEsSampleToItsPublishedFinalQuote', async () => {
    const r = await verifyDatabentoFile(FILE, createOrderBook());
    expect(r.records).toBe(13_796);
    expect(r.finalBestBid).toBe('5214.00');
    expect(r.finalBestAsk).toBe('5214.25');
    expect(r).toMatchObject({ instrumentId: 5602, clears: 1, snapshotRecords: 13_601, fills: 5, trades: 5, filledSize: 6, unmatchedFills: 0, crossedEvents: 0, tickUnits: 25 });
  });

  it('readsTheSameFileUncompressed', async () => {
    const r = await verifyDatabentoFile(write('plain.dbn', raw), createOrderBook());
    expect([r.records, r.finalBestBid, r.finalBestAsk]).toEqual([13_796, '5214.00', '5214.25']);
  });

  it('readsPastTheFirstOfTheSamplesTwoZstdFrames', () => {
    const second = compressed.indexOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), 4);
    expect(second).toBeGreaterThan(0);
    // The first frame alone holds only part of the records the verify above counted.
    expect(decompress(compressed.subarray(0, second)).length).toBeLessThan(raw.length);
  });

  it('refusesATruncatedZstdStreamNamingTheFile', async () => {
    await expect(verifyDatabentoFile(write('cut.dbn.zst', compressed.subarray(0, 100_000)), createOrderBook())).rejects.toThrow(FileReadError);
    await expect(verifyDatabentoFile(write('cut.dbn.zst', compressed.subarray(0, 100_000)), createOrderBook())).rejects.toThrow(/cut\.dbn\.zst: .*ends inside frame 2 \(truncated\)/);
  });

  it('refusesCorruptCompressedBytesAtTheFirstBadRecord', async () => {
    const bad = Buffer.from(compressed);
    bad.fill(0xff, 50_000, 50_004);
    await expect(verifyDatabentoFile(write('corrupt.dbn.zst', bad), createOrderBook())).rejects.toThrow(/corrupt\.dbn\.zst: (record [\d,]+: expected|.*content checksum)/);
  });

  it('refusesAFrameWhoseContentDoesNotMatchItsChecksum', async () => {
    // The first frame's XXH64 checksum is the 4 bytes before the second frame's magic.
    const second = compressed.indexOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), 4);
    const bad = Buffer.from(compressed);
    bad[second - 1] = (bad[second - 1] as number) ^ 0x01;
    await expect(verifyDatabentoFile(write('checksum.dbn.zst', bad), createOrderBook())).rejects.toThrow(/checksum\.dbn\.zst: .*frame 1's content checksum is 0x[0-9a-f]+, the frame says 0x[0-9a-f]+ \(corrupt\)/);
  });

  it('refusesAFileEndingInsideARecord', async () => {
    await expect(verifyDatabentoFile(write('short.dbn', raw.subarray(0, raw.length - 10)), createOrderBook())).rejects.toThrow(/ends inside one: truncated/);
  });

  it('refusesAWrongMagicAVersion2AndANonMboSchema', async () => {
    const magic = Uint8Array.from(raw);
    magic[0] = 0x58;
    await expect(verifyDatabentoFile(write('magic.dbn', magic), createOrderBook())).rejects.toThrow(/the magic "DBN"/);
    const v2 = Uint8Array.from(raw);
    v2[3] = 2;
    await expect(verifyDatabentoFile(write('v2.dbn', v2), createOrderBook())).rejects.toThrow(/DBN version 1.*received version 2/);
    const trades = Uint8Array.from(raw);
    trades[8 + 16] = 4;
    await expect(verifyDatabentoFile(write('trades.dbn', trades), createOrderBook())).rejects.toThrow(DbnFormatError);
    await expect(verifyDatabentoFile(write('trades.dbn', trades), createOrderBook())).rejects.toThrow(/the mbo schema.*received schema trades/);
  });

  it('loadsTheFlowWithPartialFillsAsExecutionsThatKeepTheOrdersPlace', async () => {
    const day = await loadMboDay(FILE, createOrderBook());
    expect([day.firstNs, day.lastNs < 2e9]).toEqual([0, true]);
    const executions = day.messages.filter((m) => m.kind === 'execute');
    expect(executions.reduce((s, m) => s + m.size, 0)).toBe(6);
    // Order 6413245567872 (ask 5214.25, 10 lots) is filled 1, 1 and 2 and shown by M 9, 8, 6: it never leaves the queue.
    const of = day.messages.filter((m) => m.orderId === 6_413_245_567_872);
    expect(of.filter((m) => m.kind === 'submit')).toHaveLength(1);
    expect(of.filter((m) => m.kind === 'execute').map((m) => m.size)).toEqual([1, 1, 2]);
  });
});
