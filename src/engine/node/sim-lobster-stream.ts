/**
 * Streams a LOBSTER message file and its orderbook file in lockstep for the simulator's calibration
 * and stylized facts: message i with orderbook row i (the book after message i).
 */

import { basename } from 'node:path';
import { LobsterFormatError, parseMessageBytes, parseOrderbookBytes } from '../data/lobster';
import type { LobsterMessage } from '../data/lobster';
import { ByteLines } from './gzip-lines';

/** A LOBSTER message file, its orderbook file and the orderbook's levels a side. */
export interface LobsterPairFiles {
  readonly messages: string;
  readonly orderbook: string;
  readonly levels: number;
}

/**
 * Calls `onPair` with every message and its orderbook row (the row array is reused: copy what you
 * keep). Throws a `LobsterFormatError` naming the file and line of a malformed row or of the file
 * that ends before the other.
 */
export async function streamLobsterPair(pair: LobsterPairFiles, onPair: (message: LobsterMessage, row: Float64Array) => void): Promise<number> {
  const { levels } = pair;
  if (!Number.isSafeInteger(levels) || levels <= 0) throw new Error(`levels must be a positive integer, received ${levels}`);
  const messageName = basename(pair.messages);
  const bookName = basename(pair.orderbook);
  const messages = new ByteLines(pair.messages);
  const rows = new ByteLines(pair.orderbook);
  const row = new Float64Array(levels * 4);
  let n = 0;
  try {
    for (;;) {
      const hasMessage = messages.next() || (await messages.nextLine());
      const hasRow = rows.next() || (await rows.nextLine());
      if (!hasMessage || !hasRow) {
        if (hasMessage) throw new LobsterFormatError(bookName, rows.line + 1, '<end of file>', `an orderbook row for message row ${messages.line} of ${messageName}`);
        if (hasRow) throw new LobsterFormatError(messageName, messages.line + 1, '<end of file>', `a message row for orderbook row ${rows.line} of ${bookName}`);
        return n;
      }
      const message = parseMessageBytes(messages.bytes, messages.start, messages.end, messageName, messages.line);
      parseOrderbookBytes(rows.bytes, rows.start, rows.end, levels, row, bookName, rows.line);
      onPair(message, row);
      n++;
    }
  } finally {
    messages.close();
    rows.close();
  }
}

/** Returns the message and orderbook paths of a LOBSTER sample pair in `dir` for a ticker. */
export function lobsterSamplePair(dir: string, ticker: string, levels: number, endMs = 57_600_000, startMs = 34_200_000): LobsterPairFiles {
  const base = `${dir}/${ticker}_2012-06-21_${startMs}_${endMs}`;
  return { messages: `${base}_message_${levels}.csv.gz`, orderbook: `${base}_orderbook_${levels}.csv.gz`, levels };
}
