import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createOrderBook } from '../../book/order-book';
import type { OrderBook } from '../../book/types';
import type { BinanceCapture } from '../../venue/binance-venue';
import { BTCUSDT, BinanceBookRebuild, checkLocalTimeOrder, parseBinanceLine } from '../../data/binance';
import type { BinanceInstrument, BinanceLocalTimeUnit, BinanceRebuildReport, BinanceRecord } from '../../data/binance';
import { ByteLines } from './gzip-lines';

/** A rebuild report with the file it came from and how fast it ran. */
export interface BinanceVerifyResult extends BinanceRebuildReport {
  readonly file: string;
  /** Records read (one per non-empty line). */
  readonly records: number;
  /** Wall time of the streaming read, parse and rebuild. */
  readonly seconds: number;
}

/**
 * Streams the records of an hftbacktest Binance capture (`.jsonl` or `.jsonl.gz`), one per line, in
 * file order, local times in `localTimeUnit` (µs in the USD-M capture) returned as ns. CRLF lines
 * read like LF and blank lines are skipped. Throws a `BinanceFormatError` naming the file and line
 * of a malformed one (a header row included: the format has none) or of one whose local time is
 * before the previous record's; a `FileReadError` naming the last line read when the file cannot be
 * read or gunzipped (a truncated gzip). An empty file yields no records.
 */
export async function* readBinanceRecords(path: string, instrument: BinanceInstrument = BTCUSDT, localTimeUnit: BinanceLocalTimeUnit = 'ns'): AsyncGenerator<BinanceRecord> {
  const name = basename(path);
  const lines = new ByteLines(path);
  let previousNs = -1n;
  try {
    while (await lines.nextLine()) {
      if (lines.end === lines.start) continue;
      const text = lines.bytes.toString('utf8', lines.start, lines.end);
      const record = parseBinanceLine(text, instrument, name, lines.line, localTimeUnit);
      checkLocalTimeOrder(previousNs, record, text, name, lines.line);
      previousNs = record.localNs;
      yield record;
    }
  } finally {
    lines.close();
  }
}

/**
 * Rebuilds the book of a Binance capture in `book` (an empty one) and checks it against every
 * bookTicker at a shared update id; see `BinanceBookRebuild`.
 */
export async function verifyBinanceFile(path: string, book: OrderBook, instrument: BinanceInstrument = BTCUSDT, localTimeUnit: BinanceLocalTimeUnit = 'ns'): Promise<BinanceVerifyResult> {
  const started = performance.now();
  const rebuild = new BinanceBookRebuild(book, instrument);
  let records = 0;
  for await (const record of readBinanceRecords(path, instrument, localTimeUnit)) {
    rebuild.onRecord(record);
    records++;
  }
  const seconds = (performance.now() - started) / 1000;
  return { file: path, records, ...rebuild.report(), seconds };
}

/** A capture in memory for the historical venue, with when its book is first rebuilt. */
export interface LoadedBinanceCapture extends BinanceCapture {
  readonly file: string;
  /** The UTC midnight (ns since the epoch) of the first record's day: the venue's clock counts from it. */
  readonly dayStartNs: bigint;
  /** Venue times of the first and last records. */
  readonly firstNs: number;
  readonly lastNs: number;
  /** The first venue time at which the book is in sync (snapshot bridged by a diff). */
  readonly syncNs: number;
}

const NS_PER_DAY = 86_400_000_000_000n;

/** Reads a Binance capture into memory for `BinanceVenue`; throws when its book is never rebuilt (no snapshot, or no diff bridging it). */
export async function loadBinanceCapture(path: string, instrument: BinanceInstrument = BTCUSDT, localTimeUnit: BinanceLocalTimeUnit = 'ns'): Promise<LoadedBinanceCapture> {
  const records: BinanceRecord[] = [];
  for await (const r of readBinanceRecords(path, instrument, localTimeUnit)) records.push(r);
  const first = records[0];
  if (first === undefined) throw new Error(`${basename(path)} holds no records`);
  const dayStartNs = (first.localNs / NS_PER_DAY) * NS_PER_DAY;
  const times = new Float64Array(records.length);
  for (let i = 0; i < records.length; i++) times[i] = Number((records[i] as BinanceRecord).localNs - dayStartNs);
  const rebuild = new BinanceBookRebuild(createOrderBook(), instrument);
  let syncNs: number | null = null;
  for (let i = 0; i < records.length && syncNs === null; i++) {
    rebuild.onRecord(records[i] as BinanceRecord);
    if (rebuild.inSync && rebuild.report().diffsApplied > 0) syncNs = times[i] as number;
  }
  if (syncNs === null) throw new Error(`${basename(path)}: the ${instrument.symbol} book is never rebuilt (${rebuild.report().unverifiedReason ?? 'no diff applied after the snapshot'})`);
  return { file: path, instrument, records, timeAt: (i) => times[i] as number, dayStartNs, firstNs: times[0] as number, lastNs: times[records.length - 1] as number, syncNs };
}
