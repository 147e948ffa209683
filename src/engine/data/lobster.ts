/**
 * Parsers for LOBSTER message and orderbook files (lobsterdata.com sample files, reconstructed from
 * NASDAQ TotalView-ITCH). Pure: lines come in as bytes or text, typed values go out. Prices stay in
 * LOBSTER's integer units (dollars × 10000), sizes in shares, times in integer nanoseconds after
 * midnight, parsed from the text without ever going through a float.
 */

import { DataFormatError } from './format-error';
import type { Side } from '../book/types';

/** What a message row did, from LOBSTER's type column 1–7. */
export type LobsterMessageKind =
  | 'submit' // 1: a new limit order
  | 'cancel' // 2: a partial cancellation
  | 'delete' // 3: a total deletion
  | 'execute' // 4: an execution of a visible order
  | 'executeHidden' // 5: an execution of a hidden order (never changes the visible book)
  | 'cross' // 6: a cross trade (auction)
  | 'halt'; // 7: a trading halt indicator

/** The phase a type-7 row announces, from its price column (−1, 0, 1). */
export type LobsterHaltPhase = 'halted' | 'quoting' | 'resumed';

/** A message row of types 1–6. */
export interface LobsterOrderMessage {
  readonly kind: Exclude<LobsterMessageKind, 'halt'>;
  /** Nanoseconds after midnight. */
  readonly timeNs: number;
  /** LOBSTER's order reference; 0 for hidden executions. */
  readonly orderId: number;
  /** Shares. */
  readonly size: number;
  /** Dollars × 10000. */
  readonly price: number;
  /** The resting order's side (for executions the aggressor is the other side). */
  readonly side: Side;
}

/** A trading halt row (type 7); it leaves the book as it is. */
export interface LobsterHaltMessage {
  readonly kind: 'halt';
  readonly timeNs: number;
  readonly phase: LobsterHaltPhase;
}

export type LobsterMessage = LobsterOrderMessage | LobsterHaltMessage;

/** One side's level in a parsed orderbook row. */
export interface LobsterLevel {
  readonly price: number;
  readonly size: number;
}

/** An orderbook row with the empty-level placeholders removed, best level first. */
export interface LobsterBookRow {
  readonly asks: readonly LobsterLevel[];
  readonly bids: readonly LobsterLevel[];
}

/** LOBSTER writes prices in dollars × 10,000: one price unit is $0.0001. */
export const LOBSTER_PRICE_UNIT = 0.0001;
/** Price units per $0.01 tick, the step NASDAQ stocks trade in. */
export const LOBSTER_UNITS_PER_TICK = 100;

/** The ask price LOBSTER writes for an empty level (bids use its negative), always with size 0. */
export const LOBSTER_EMPTY_ASK_PRICE = 9_999_999_999;
export const LOBSTER_EMPTY_BID_PRICE = -9_999_999_999;

/** A row that does not have the LOBSTER format; names the file, the line, what came and what was expected. */
export class LobsterFormatError extends DataFormatError {
  constructor(file: string, line: number, received: string, expected: string) {
    super(file, line, received, expected);
    this.name = 'LobsterFormatError';
  }
}

const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const CR = 13;

/** Longest row text quoted back in an error. */
const MAX_QUOTE = 200;

function quote(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  const stop = Math.min(end, start + MAX_QUOTE);
  for (let i = start; i < stop; i++) s += String.fromCharCode(bytes[i] as number);
  return end - start > MAX_QUOTE ? `${s}…` : s;
}

function fail(bytes: Uint8Array, start: number, end: number, file: string, line: number, expected: string): never {
  throw new LobsterFormatError(file, line, quote(bytes, start, end), startsWithLetter(bytes, start, end) ? `${expected}; LOBSTER files have no header row` : expected);
}

/**
 * Whether a row starts with a letter, as a header row ("time,type,…") would. LOBSTER's ReadMe
 * defines no header, so one is refused like any malformed row (skipping it would drop whatever
 * line 1 holds without a word), but the error says why.
 */
function startsWithLetter(bytes: Uint8Array, start: number, end: number): boolean {
  const c = start < end ? (bytes[start] as number) | 0x20 : 0;
  return c >= 97 && c <= 122;
}

function trimEnd(bytes: Uint8Array, start: number, end: number): number {
  return end > start && bytes[end - 1] === CR ? end - 1 : end;
}

/**
 * The scanner's position after the last field read. The parsers are synchronous and never
 * re-entered, so one module-level cursor saves an allocation per field.
 */
let cursor = 0;

/**
 * Reads an optionally negative decimal integer from `cursor` up to the next comma or `end`,
 * leaving `cursor` after the comma. Returns NaN when the field is not an integer of at most 15 digits.
 */
function readInt(bytes: Uint8Array, end: number): number {
  let i = cursor;
  let negative = false;
  if (i < end && bytes[i] === MINUS) {
    negative = true;
    i++;
  }
  const digitsStart = i;
  let value = 0;
  while (i < end) {
    const c = bytes[i] as number;
    if (c === COMMA) break;
    if (c < ZERO || c > NINE) return NaN;
    value = value * 10 + (c - ZERO);
    i++;
  }
  const digits = i - digitsStart;
  if (digits === 0 || digits > 15) return NaN;
  cursor = i < end ? i + 1 : i;
  return negative ? -value : value;
}

/**
 * Reads LOBSTER's time field, seconds after midnight as "seconds" or "seconds.fraction", as integer
 * nanoseconds, leaving `cursor` after the comma. Returns NaN when the field is malformed: no seconds
 * digits or more than 7 (7 keep seconds × 1e9 below 2^53), a point with no digit after it, a sign,
 * an exponent or any other character. The fraction may have any number of digits (LOBSTER writes
 * up to nanoseconds, but files with more exist, e.g. "43002.632812672004"). Rounding to the
 * nanosecond is done on the digits, never through a float: the first nine fraction digits are the
 * nanoseconds and the tenth rounds half up (5–9 adds one nanosecond, carrying into the seconds;
 * digits after the tenth cannot change the result, since below ...5 is below half and ...5 or more
 * is at least half).
 */
function readTimeNs(bytes: Uint8Array, end: number): number {
  let i = cursor;
  let seconds = 0;
  const secondsStart = i;
  while (i < end) {
    const c = bytes[i] as number;
    if (c < ZERO || c > NINE) break;
    seconds = seconds * 10 + (c - ZERO);
    i++;
  }
  if (i === secondsStart || i - secondsStart > 7) return NaN;
  let fraction = 0;
  let fractionDigits = 0;
  let roundUp = 0;
  if (i < end && bytes[i] === DOT) {
    i++;
    while (i < end) {
      const c = bytes[i] as number;
      if (c < ZERO || c > NINE) break;
      if (fractionDigits < 9) fraction = fraction * 10 + (c - ZERO);
      else if (fractionDigits === 9) roundUp = c >= ZERO + 5 ? 1 : 0;
      fractionDigits++;
      i++;
    }
    if (fractionDigits === 0) return NaN;
  }
  if (i < end) {
    if (bytes[i] !== COMMA) return NaN;
    i++;
  }
  cursor = i;
  return seconds * 1_000_000_000 + fraction * POW10[9 - Math.min(fractionDigits, 9)]! + roundUp;
}

const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

const KINDS: readonly LobsterMessageKind[] = ['submit', 'cancel', 'delete', 'execute', 'executeHidden', 'cross', 'halt'];

const MESSAGE_EXPECTED = 'a message row "time,type,orderId,size,price,direction" (time as seconds after midnight with or without decimals, type 1-7, integers, direction 1 or -1)';

/**
 * Parses one message row held in `bytes[start, end)` (a trailing CR is ignored).
 * Throws a `LobsterFormatError` naming `file` and `line` when the row is malformed.
 */
export function parseMessageBytes(bytes: Uint8Array, start: number, end: number, file: string, line: number): LobsterMessage {
  end = trimEnd(bytes, start, end);
  cursor = start;
  const timeNs = readTimeNs(bytes, end);
  if (Number.isNaN(timeNs) || cursor === end) fail(bytes, start, end, file, line, MESSAGE_EXPECTED);
  const type = readInt(bytes, end);
  const orderId = cursor < end ? readInt(bytes, end) : NaN;
  const size = cursor < end ? readInt(bytes, end) : NaN;
  const price = cursor < end ? readInt(bytes, end) : NaN;
  const direction = cursor < end ? readInt(bytes, end) : NaN;
  if (
    Number.isNaN(type) ||
    Number.isNaN(orderId) ||
    Number.isNaN(size) ||
    Number.isNaN(price) ||
    Number.isNaN(direction) ||
    cursor !== end ||
    bytes[end - 1] === COMMA
  ) {
    fail(bytes, start, end, file, line, MESSAGE_EXPECTED);
  }
  if (type < 1 || type > 7) fail(bytes, start, end, file, line, 'a message type from 1 to 7');
  if (type === 7) {
    if (price !== -1 && price !== 0 && price !== 1) {
      fail(bytes, start, end, file, line, 'a trading halt (type 7) with price -1 (halted), 0 (quoting) or 1 (resumed)');
    }
    return { kind: 'halt', timeNs, phase: price === -1 ? 'halted' : price === 0 ? 'quoting' : 'resumed' };
  }
  if (direction !== 1 && direction !== -1) fail(bytes, start, end, file, line, 'direction 1 (buy) or -1 (sell)');
  if (type <= 5 && (size <= 0 || price <= 0)) {
    fail(bytes, start, end, file, line, `a positive size and price for a type-${type} message`);
  }
  if (type <= 4 && orderId <= 0) fail(bytes, start, end, file, line, `a positive order id for a type-${type} message`);
  return {
    kind: KINDS[type - 1] as Exclude<LobsterMessageKind, 'halt'>,
    timeNs,
    orderId,
    size,
    price,
    side: direction === 1 ? 'buy' : 'sell',
  };
}

/** Formats nanoseconds after midnight the way LOBSTER writes them, with nine decimals ("34200.190226476"). */
export function formatLobsterTime(timeNs: number): string {
  return `${Math.floor(timeNs / 1_000_000_000)}.${String(timeNs % 1_000_000_000).padStart(9, '0')}`;
}

/**
 * Throws a `LobsterFormatError` for the message row in `bytes[start, end)` when its time
 * `timeNs` is before `previousNs`, the previous row's: LOBSTER rows are in time order, and equal
 * times (which repeat) keep their file order. Pass -1 as `previousNs` for the first row.
 */
export function checkMessageTimeOrder(previousNs: number, timeNs: number, bytes: Uint8Array, start: number, end: number, file: string, line: number): void {
  if (timeNs < previousNs) {
    fail(bytes, start, trimEnd(bytes, start, end), file, line, `a time at or after the previous row's ${formatLobsterTime(previousNs)} (rows are in time order)`);
  }
}

/** Parses one message row given as text; see `parseMessageBytes`. */
export function parseMessageLine(text: string, file: string, line: number): LobsterMessage {
  const bytes = latin1(text);
  return parseMessageBytes(bytes, 0, bytes.length, file, line);
}

/**
 * Parses one orderbook row held in `bytes[start, end)` into `out` in the file's layout
 * (askPrice1, askSize1, bidPrice1, bidSize1, askPrice2, …), 4 × `levels` numbers. Empty levels
 * keep LOBSTER's ±9999999999 price and size 0; a placeholder with a size, a real level after a
 * placeholder, or a wrong field count throws a `LobsterFormatError`.
 */
export function parseOrderbookBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  levels: number,
  out: Float64Array,
  file: string,
  line: number,
): void {
  end = trimEnd(bytes, start, end);
  const fields = levels * 4;
  if (out.length < fields) throw new RangeError(`output holds ${out.length} numbers, expected at least ${fields}`);
  // The hot loop of a replay: one pass over the bytes with everything in locals.
  let n = 0;
  let i = start;
  let ok = true;
  while (i < end && n < fields) {
    let negative = false;
    if (bytes[i] === MINUS) {
      negative = true;
      i++;
    }
    const digitsStart = i;
    let value = 0;
    let c = 0;
    while (i < end && (c = bytes[i] as number) !== COMMA) {
      const d = c - ZERO;
      if (d < 0 || d > 9) {
        ok = false;
        break;
      }
      value = value * 10 + d;
      i++;
    }
    const digits = i - digitsStart;
    if (!ok || digits === 0 || digits > 15) {
      ok = false;
      break;
    }
    out[n++] = negative ? -value : value;
    if (i < end) i++;
  }
  if (!ok || n !== fields || i !== end || bytes[end - 1] === COMMA) {
    fail(bytes, start, end, file, line, `${fields} integer fields (a ${levels}-level orderbook row)`);
  }
  let askEmpty = false;
  let bidEmpty = false;
  for (let k = 0; k < levels; k++) {
    const askPrice = out[4 * k] as number;
    const askSize = out[4 * k + 1] as number;
    const bidPrice = out[4 * k + 2] as number;
    const bidSize = out[4 * k + 3] as number;
    if (askPrice === LOBSTER_EMPTY_ASK_PRICE) {
      if (askSize !== 0) fail(bytes, start, end, file, line, `size 0 beside the empty ask placeholder at level ${k + 1}`);
      askEmpty = true;
    } else if (askEmpty || askSize <= 0 || askPrice <= 0) {
      fail(bytes, start, end, file, line, `a positive ask price and size at level ${k + 1}, or the empty placeholder ${LOBSTER_EMPTY_ASK_PRICE},0 below which only placeholders follow`);
    }
    if (bidPrice === LOBSTER_EMPTY_BID_PRICE) {
      if (bidSize !== 0) fail(bytes, start, end, file, line, `size 0 beside the empty bid placeholder at level ${k + 1}`);
      bidEmpty = true;
    } else if (bidEmpty || bidSize <= 0 || bidPrice <= 0) {
      fail(bytes, start, end, file, line, `a positive bid price and size at level ${k + 1}, or the empty placeholder ${LOBSTER_EMPTY_BID_PRICE},0 below which only placeholders follow`);
    }
  }
}

/** Parses one orderbook row given as text into its non-empty levels; see `parseOrderbookBytes`. */
export function parseOrderbookLine(text: string, levels: number, file: string, line: number): LobsterBookRow {
  const bytes = latin1(text);
  const flat = new Float64Array(levels * 4);
  parseOrderbookBytes(bytes, 0, bytes.length, levels, flat, file, line);
  return bookRowFromFlat(flat, levels);
}

/** Returns the non-empty levels of a row in the file's flat layout. */
export function bookRowFromFlat(flat: ArrayLike<number>, levels: number): LobsterBookRow {
  const asks: LobsterLevel[] = [];
  const bids: LobsterLevel[] = [];
  for (let k = 0; k < levels; k++) {
    const askSize = flat[4 * k + 1] as number;
    const bidSize = flat[4 * k + 3] as number;
    if (askSize > 0) asks.push({ price: flat[4 * k] as number, size: askSize });
    if (bidSize > 0) bids.push({ price: flat[4 * k + 2] as number, size: bidSize });
  }
  return { asks, bids };
}

/** Returns the levels of a row in the file's flat layout, empty levels as placeholders. */
export function flatFromBookRow(row: LobsterBookRow, levels: number): Float64Array {
  const flat = new Float64Array(levels * 4);
  for (let k = 0; k < levels; k++) {
    const ask = row.asks[k];
    const bid = row.bids[k];
    flat[4 * k] = ask ? ask.price : LOBSTER_EMPTY_ASK_PRICE;
    flat[4 * k + 1] = ask ? ask.size : 0;
    flat[4 * k + 2] = bid ? bid.price : LOBSTER_EMPTY_BID_PRICE;
    flat[4 * k + 3] = bid ? bid.size : 0;
  }
  return flat;
}

/**
 * Parses LOBSTER's time text ("34200.004241176", "43002.632812672004", "36023") into integer
 * nanoseconds after midnight, rounded as `readTimeNs` says, or throws a `LobsterFormatError`.
 */
export function parseLobsterTime(text: string, file = '<time>', line = 0): number {
  const bytes = latin1(text);
  cursor = 0;
  const ns = readTimeNs(bytes, bytes.length);
  if (Number.isNaN(ns) || cursor !== bytes.length || bytes.length === 0 || bytes[bytes.length - 1] === COMMA) {
    fail(bytes, 0, bytes.length, file, line, 'seconds after midnight as digits with an optional decimal fraction, e.g. "34200.004241176"');
  }
  return ns;
}

/** Returns the number of levels in a LOBSTER file name ("…_orderbook_10.csv.gz" → 10), or undefined. */
export function levelsFromFileName(name: string): number | undefined {
  const m = /_(?:orderbook|message)_(\d+)\.csv(?:\.gz)?$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

function latin1(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Anything outside Latin-1 cannot belong to a row; map it to a byte the scanner rejects.
    bytes[i] = c < 256 ? c : 0x3f;
  }
  return bytes;
}

const KIND_CODES: Record<LobsterMessageKind, number> = {
  submit: 1,
  cancel: 2,
  delete: 3,
  execute: 4,
  executeHidden: 5,
  cross: 6,
  halt: 7,
};
const HALT_PHASES: readonly LobsterHaltPhase[] = ['halted', 'quoting', 'resumed'];

/**
 * A LOBSTER file pair held in memory, column by column: message i and orderbook row i (the book
 * after message i, in the file's flat layout). Grows as rows are pushed.
 */
export class LobsterDay {
  readonly levels: number;
  private n = 0;
  private time = new Float64Array(1024);
  private kind = new Uint8Array(1024);
  private id = new Float64Array(1024);
  private size = new Float64Array(1024);
  private price = new Float64Array(1024);
  private buy = new Uint8Array(1024);
  private rows: Float64Array;

  constructor(levels: number) {
    if (!Number.isSafeInteger(levels) || levels <= 0) throw new Error(`levels must be a positive integer, received ${levels}`);
    this.levels = levels;
    this.rows = new Float64Array(1024 * levels * 4);
  }

  /** Builds a day from text rows, e.g. in tests; throws `LobsterFormatError` on a malformed row or a time that goes back. */
  static fromLines(levels: number, messageLines: readonly string[], orderbookLines: readonly string[], file = '<memory>'): LobsterDay {
    if (messageLines.length !== orderbookLines.length) {
      throw new Error(`expected one orderbook row per message, received ${messageLines.length} messages and ${orderbookLines.length} rows`);
    }
    const day = new LobsterDay(levels);
    const row = new Float64Array(levels * 4);
    let previousNs = -1;
    for (let i = 0; i < messageLines.length; i++) {
      const bytes = latin1(orderbookLines[i] as string);
      parseOrderbookBytes(bytes, 0, bytes.length, levels, row, file, i + 1);
      const text = latin1(messageLines[i] as string);
      const message = parseMessageBytes(text, 0, text.length, file, i + 1);
      checkMessageTimeOrder(previousNs, message.timeNs, text, 0, text.length, file, i + 1);
      previousNs = message.timeNs;
      day.push(message, row);
    }
    return day;
  }

  /** Number of rows. */
  get length(): number {
    return this.n;
  }

  /** Appends message i and row i (the row is copied). */
  push(message: LobsterMessage, row: ArrayLike<number>): void {
    const width = this.levels * 4;
    if (row.length < width) throw new RangeError(`row holds ${row.length} numbers, expected ${width}`);
    if (this.n === this.time.length) this.grow();
    const i = this.n++;
    this.time[i] = message.timeNs;
    this.kind[i] = KIND_CODES[message.kind];
    if (message.kind === 'halt') {
      this.price[i] = HALT_PHASES.indexOf(message.phase) - 1;
    } else {
      this.id[i] = message.orderId;
      this.size[i] = message.size;
      this.price[i] = message.price;
      this.buy[i] = message.side === 'buy' ? 1 : 0;
    }
    for (let k = 0; k < width; k++) this.rows[i * width + k] = row[k] as number;
  }

  /** Returns message i as a new object. */
  message(i: number): LobsterMessage {
    this.check(i);
    const kind = KINDS[(this.kind[i] as number) - 1] as LobsterMessageKind;
    const timeNs = this.time[i] as number;
    if (kind === 'halt') return { kind, timeNs, phase: HALT_PHASES[(this.price[i] as number) + 1] as LobsterHaltPhase };
    return {
      kind,
      timeNs,
      orderId: this.id[i] as number,
      size: this.size[i] as number,
      price: this.price[i] as number,
      side: this.buy[i] === 1 ? 'buy' : 'sell',
    };
  }

  /** Returns the time of message i in nanoseconds after midnight. */
  timeAt(i: number): number {
    this.check(i);
    return this.time[i] as number;
  }

  /** Returns row i in the file's flat layout (a view: do not change it). */
  row(i: number): Float64Array {
    this.check(i);
    const width = this.levels * 4;
    return this.rows.subarray(i * width, (i + 1) * width);
  }

  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.n) throw new RangeError(`row index must be in [0, ${this.n}), received ${i}`);
  }

  private grow(): void {
    const cap = this.time.length * 2;
    const f = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const u = (a: Uint8Array) => {
      const b = new Uint8Array(cap);
      b.set(a);
      return b;
    };
    this.time = f(this.time);
    this.kind = u(this.kind);
    this.id = f(this.id);
    this.size = f(this.size);
    this.price = f(this.price);
    this.buy = u(this.buy);
    const rows = new Float64Array(cap * this.levels * 4);
    rows.set(this.rows);
    this.rows = rows;
  }
}
