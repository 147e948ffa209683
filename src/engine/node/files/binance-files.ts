import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { OrderBook } from '../../book/types';
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
