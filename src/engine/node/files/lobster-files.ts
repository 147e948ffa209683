import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import type { RecordedDay } from '../../kernel/session.contract';
import { performance } from 'node:perf_hooks';
import type { OrderBook } from '../../book/types';
import { LobsterDay, LobsterFormatError, checkMessageTimeOrder, parseMessageBytes, parseOrderbookBytes } from '../../data/lobster';
import type { LobsterMessage } from '../../data/lobster';
import { LobsterReplay } from '../../data/lobster-replay';
import type { LobsterReplayReport } from '../../data/lobster-replay';
import { ByteLines } from './gzip-lines';

export interface LobsterFilePair {
  /** Path of the message file (`.csv` or `.csv.gz`). */
  readonly messages: string;
  /** Path of the orderbook file (`.csv` or `.csv.gz`). */
  readonly orderbook: string;
  /** Levels a side in the orderbook file. */
  readonly levels: number;
}

/** A replay report with the files it came from and how fast it ran. */
export interface LobsterVerifyResult extends LobsterReplayReport {
  readonly messagesFile: string;
  readonly orderbookFile: string;
  /** Wall time of the streaming read, parse, replay and comparison. */
  readonly seconds: number;
  readonly messagesPerSecond: number;
}

/**
 * Streams a LOBSTER message file and its orderbook file in lockstep, rebuilds the book in `book`
 * (an empty one) and compares every row. Throws a `LobsterFormatError` naming the file and line of
 * the first malformed row, or of the file that ends before the other.
 */
export async function verifyLobsterFiles(pair: LobsterFilePair, book: OrderBook): Promise<LobsterVerifyResult> {
  const started = performance.now();
  const replay = new LobsterReplay(book, pair.levels);
  await streamLobsterPair(pair, (message, row) => {
    replay.step(message, row);
  });
  const seconds = (performance.now() - started) / 1000;
  const report = replay.report();
  return {
    messagesFile: pair.messages,
    orderbookFile: pair.orderbook,
    ...report,
    seconds,
    messagesPerSecond: seconds > 0 ? Math.round(report.rows / seconds) : 0,
  };
}

/** Reads a LOBSTER file pair into memory as a `LobsterDay` (for the historical venue). */
export async function loadLobsterDay(pair: LobsterFilePair): Promise<LobsterDay> {
  const day = new LobsterDay(pair.levels);
  await streamLobsterPair(pair, (message, row) => day.push(message, row));
  return day;
}

/**
 * Calls `onPair` with every message and its orderbook row, message i with row i (the book after
 * message i; the row array is reused: copy what you keep), and returns the number of pairs. Throws a
 * `LobsterFormatError` naming the file and line of a malformed row (a header row included: LOBSTER
 * files have none), of a message whose time is before the previous one's, of the file that ends
 * before the other, or of an empty message file; a `FileReadError` naming the last line read when a
 * file cannot be read or gunzipped (a truncated gzip). CRLF line endings read like LF.
 */
export async function streamLobsterPair(pair: LobsterFilePair, onPair: (message: LobsterMessage, row: Float64Array) => void): Promise<number> {
  const { levels } = pair;
  if (!Number.isSafeInteger(levels) || levels <= 0) throw new Error(`levels must be a positive integer, received ${levels}`);
  const messageName = basename(pair.messages);
  const bookName = basename(pair.orderbook);
  const messages = new ByteLines(pair.messages);
  const rows = new ByteLines(pair.orderbook);
  const row = new Float64Array(levels * 4);
  let previousNs = -1;
  try {
    for (;;) {
      const hasMessage = messages.next() || (await messages.nextLine());
      const hasRow = rows.next() || (await rows.nextLine());
      if (!hasMessage || !hasRow) {
        if (hasMessage) {
          throw new LobsterFormatError(bookName, rows.line + 1, '<end of file>', `an orderbook row for message row ${messages.line} of ${messageName}`);
        }
        if (hasRow) {
          throw new LobsterFormatError(messageName, messages.line + 1, '<end of file>', `a message row for orderbook row ${rows.line} of ${bookName}`);
        }
        if (messages.line === 0) throw new LobsterFormatError(messageName, 1, '<end of file>', 'at least one message row');
        return messages.line;
      }
      const message = parseMessageBytes(messages.bytes, messages.start, messages.end, messageName, messages.line);
      checkMessageTimeOrder(previousNs, message.timeNs, messages.bytes, messages.start, messages.end, messageName, messages.line);
      previousNs = message.timeNs;
      parseOrderbookBytes(rows.bytes, rows.start, rows.end, levels, row, bookName, rows.line);
      onPair(message, row);
    }
  } finally {
    messages.close();
    rows.close();
  }
}

/** A LOBSTER message file's name: TICKER_YYYY-MM-DD_FROMMS_TOMS_message_LEVELS.csv[.gz] (the format's own naming). */
const DAY_NAME = /^([A-Za-z0-9.]+)_(\d{4}-\d{2}-\d{2})_(\d+)_(\d+)_message_(\d+)\.csv(\.gz)?$/;

/** Returns what a LOBSTER message file's name says of its day, or null when the name is not one. */
export function recordedDayOf(file: string): RecordedDay | null {
  const m = DAY_NAME.exec(file);
  if (!m) return null;
  return { file, ticker: m[1]!, date: m[2]!, levels: Number(m[5]), fromNs: Number(m[3]) * 1_000_000, toNs: Number(m[4]) * 1_000_000 };
}

/** The recorded days of a LOBSTER folder whose orderbook file is beside the message file, by ticker; none when the folder cannot be read. */
export function recordedDays(dir: string): RecordedDay[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const present = new Set(names);
  return names
    .map(recordedDayOf)
    .filter((d): d is RecordedDay => d !== null && present.has(d.file.replace('_message_', '_orderbook_')))
    .sort((a, b) => a.ticker.localeCompare(b.ticker) || a.date.localeCompare(b.date));
}
