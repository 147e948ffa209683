import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { OrderBook } from '../../book/types';
import { BTCUSDT, BinanceBookRebuild, parseBinanceLine } from '../../data/binance';
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
 * file order, local times in `localTimeUnit` (µs in the USD-M capture) returned as ns. Throws a
 * `BinanceFormatError` naming the file and line of a malformed one.
 */
export async function* readBinanceRecords(path: string, instrument: BinanceInstrument = BTCUSDT, localTimeUnit: BinanceLocalTimeUnit = 'ns'): AsyncGenerator<BinanceRecord> {
  const name = basename(path);
  const lines = new ByteLines(path);
  try {
    while (await lines.nextLine()) {
      if (lines.end === lines.start) continue;
      yield parseBinanceLine(lines.bytes.toString('utf8', lines.start, lines.end), instrument, name, lines.line, localTimeUnit);
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
