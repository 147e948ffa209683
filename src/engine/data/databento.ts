/**
 * Databento's DBN binary format, version 1, MBO schema (market by order, e.g. CME Globex MDP 3.0).
 * Pure: bytes come in (decompressed on the Node side), typed records and the rebuilt order flow go out.
 *
 * Layout, as Databento's `dbn` crate (v1) reads it; every integer is little-endian:
 * - Metadata: "DBN", the version byte, a u32 length of the rest of the metadata, then dataset
 *   (16-byte C string), schema (u16, 0 = MBO, 0xFFFF = mixed), start and end (u64 ns since the
 *   Unix epoch; end u64::MAX when undefined), limit (u64), a deprecated record count (u64), stype_in
 *   and stype_out (u8), ts_out (u8), 47 reserved bytes, a schema definition length (u32, always 0),
 *   then the symbols, partial and not-found lists (u32 count, 22-byte C strings each) and the symbol
 *   mappings (u32 count; each a raw symbol, a u32 interval count, then per interval a start and end
 *   date as YYYYMMDD u32s and the mapped symbol).
 * - An MBO record (56 bytes, length 14 words): length in 4-byte words (u8), rtype (u8, 0xA0),
 *   publisher_id (u16), instrument_id (u32), ts_event (u64), order_id (u64), price (i64, units of
 *   1e-9; i64::MAX when undefined), size (u32), flags (u8), channel_id (u8), action (char), side
 *   (char), ts_recv (u64), ts_in_delta (i32), sequence (u32).
 *
 * Actions: A add, C cancel (size is the amount removed), M modify (the order's new price and size),
 * R clear the book, T trade (the aggressor's side), F fill (the resting order's side). T and F do
 * not change the book: the C or M of the filled order that follows does. Flags: 128 the last record
 * of an event, 32 a snapshot record.
 */

import { DataFormatError } from './format-error';
import type { LobsterOrderMessage } from './lobster';
import type { LevelChange, OrderBook, Side } from '../book/types';

export const DBN_MAGIC = 'DBN';
/** The DBN versions this reader decodes. */
export const DBN_SUPPORTED_VERSION = 1;
/** The MBO schema's id in the metadata. */
export const DBN_SCHEMA_MBO = 0;
/** The MBO record type. */
export const RTYPE_MBO = 0xa0;
/** Bytes in a v1 MBO record. */
export const MBO_RECORD_BYTES = 56;
export const FLAG_LAST = 128;
export const FLAG_SNAPSHOT = 32;
/** An undefined price (i64::MAX), as the clear record carries. */
export const UNDEF_PRICE = 9223372036854775807n;

const DATASET_LEN = 16;
const SYMBOL_LEN_V1 = 22;
const RESERVED_LEN_V1 = 47;
/** The fixed part of the metadata after the 8-byte prelude (dataset through reserved). */
const METADATA_FIXED_LEN = 100;
const UNDEF_TIMESTAMP = 18446744073709551615n;

const SCHEMAS = ['mbo', 'mbp-1', 'mbp-10', 'tbbo', 'trades', 'ohlcv-1s', 'ohlcv-1m', 'ohlcv-1h', 'ohlcv-1d', 'definition', 'statistics', 'status', 'imbalance'];

/** A DBN file that does not have the format: names the file, where (byte offset or record number), what came and what was expected. */
export class DbnFormatError extends DataFormatError {
  constructor(file: string, where: number, received: string, expected: string, unit: 'byte' | 'record' = 'byte') {
    super(file, where, received, expected);
    this.name = 'DbnFormatError';
    this.message = `${file}: ${unit} ${where.toLocaleString('en-US')}: expected ${expected}, received ${received}`;
  }
}

export interface DbnSymbolMapping {
  readonly rawSymbol: string;
  readonly intervals: ReadonlyArray<{ readonly startDate: number; readonly endDate: number; readonly symbol: string }>;
}

/** The metadata header of a DBN file. */
export interface DbnMetadata {
  readonly version: number;
  readonly dataset: string;
  /** The schema id (0 MBO) or null when mixed. */
  readonly schema: number | null;
  readonly schemaName: string;
  /** ns since the Unix epoch. */
  readonly startNs: bigint;
  /** ns since the Unix epoch, or null when undefined. */
  readonly endNs: bigint | null;
  readonly limit: bigint;
  readonly stypeIn: number | null;
  readonly stypeOut: number;
  readonly tsOut: boolean;
  readonly symbols: readonly string[];
  readonly partial: readonly string[];
  readonly notFound: readonly string[];
  readonly mappings: readonly DbnSymbolMapping[];
  /** Bytes of the whole header (prelude and metadata): records start here. */
  readonly headerBytes: number;
}

/** Returns the header's total length from its first 8 bytes, or throws when they are not a DBN prelude this reader decodes. */
export function dbnHeaderLength(prelude: Uint8Array, file: string): number {
  if (prelude.length < 8) throw new DbnFormatError(file, 0, `${prelude.length} bytes`, 'a DBN file of at least 8 bytes ("DBN", a version byte and the metadata length)');
  const magic = String.fromCharCode(prelude[0] ?? 0, prelude[1] ?? 0, prelude[2] ?? 0);
  if (magic !== DBN_MAGIC) throw new DbnFormatError(file, 0, JSON.stringify(magic), `the magic "${DBN_MAGIC}" (is it a DBN file, decompressed?)`);
  const version = prelude[3] ?? 0;
  if (version !== DBN_SUPPORTED_VERSION) {
    throw new DbnFormatError(file, 3, `version ${version}`, `DBN version ${DBN_SUPPORTED_VERSION} (versions 2 and 3 change the metadata and record layouts; convert with \`dbn --upgrade\`-compatible tools or ask for v1)`);
  }
  const length = new DataView(prelude.buffer, prelude.byteOffset, prelude.byteLength).getUint32(4, true);
  if (length < METADATA_FIXED_LEN) throw new DbnFormatError(file, 4, `metadata length ${length}`, `a metadata length of at least ${METADATA_FIXED_LEN} bytes`);
  return 8 + length;
}

/** Parses the whole DBN v1 header (`bytes` holds at least `dbnHeaderLength` bytes). */
export function parseDbnMetadata(bytes: Uint8Array, file: string): DbnMetadata {
  const headerBytes = dbnHeaderLength(bytes, file);
  if (bytes.length < headerBytes) throw new DbnFormatError(file, bytes.length, `a file ending at byte ${bytes.length}`, `the ${headerBytes}-byte header its prelude announces (a truncated file)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  let pos = 8;
  const need = (n: number, what: string): void => {
    if (pos + n > headerBytes) throw new DbnFormatError(file, pos, `the metadata ending at byte ${headerBytes}`, `${n} more bytes for ${what}`);
  };
  const cstr = (n: number): string => {
    const slice = bytes.subarray(pos, pos + n);
    const zero = slice.indexOf(0);
    pos += n;
    // DBN's strings are ASCII C strings.
    return String.fromCharCode(...(zero < 0 ? slice : slice.subarray(0, zero)));
  };
  const dataset = cstr(DATASET_LEN);
  const rawSchema = view.getUint16(pos, true);
  pos += 2;
  const startNs = view.getBigUint64(pos, true);
  const end = view.getBigUint64(pos + 8, true);
  const limit = view.getBigUint64(pos + 16, true);
  pos += 32; // start, end, limit and the deprecated record count
  const stypeIn = bytes[pos] ?? 0;
  const stypeOut = bytes[pos + 1] ?? 0;
  const tsOut = (bytes[pos + 2] ?? 0) !== 0;
  pos += 3 + RESERVED_LEN_V1;
  const schemaDefinition = view.getUint32(pos, true);
  pos += 4;
  if (schemaDefinition !== 0) throw new DbnFormatError(file, pos - 4, `a schema definition of ${schemaDefinition} bytes`, 'none (DBN v1 files carry no schema definition)');
  const list = (what: string): string[] => {
    need(4, `the ${what} count`);
    const count = view.getUint32(pos, true);
    pos += 4;
    need(count * SYMBOL_LEN_V1, `${count} ${what}`);
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(cstr(SYMBOL_LEN_V1));
    return out;
  };
  const symbols = list('symbols');
  const partial = list('partial symbols');
  const notFound = list('not-found symbols');
  need(4, 'the symbol mapping count');
  const mappingCount = view.getUint32(pos, true);
  pos += 4;
  const mappings: DbnSymbolMapping[] = [];
  for (let m = 0; m < mappingCount; m++) {
    need(SYMBOL_LEN_V1 + 4, `symbol mapping ${m}`);
    const rawSymbol = cstr(SYMBOL_LEN_V1);
    const n = view.getUint32(pos, true);
    pos += 4;
    need(n * (8 + SYMBOL_LEN_V1), `the ${n} intervals of symbol mapping ${m}`);
    const intervals = [];
    for (let k = 0; k < n; k++) {
      const startDate = view.getUint32(pos, true);
      const endDate = view.getUint32(pos + 4, true);
      pos += 8;
      intervals.push({ startDate, endDate, symbol: cstr(SYMBOL_LEN_V1) });
    }
    mappings.push({ rawSymbol, intervals });
  }
  return {
    version: bytes[3] ?? 0,
    dataset,
    schema: rawSchema === 0xffff ? null : rawSchema,
    schemaName: rawSchema === 0xffff ? 'mixed' : (SCHEMAS[rawSchema] ?? `unknown (${rawSchema})`),
    startNs,
    endNs: end === UNDEF_TIMESTAMP ? null : end,
    limit,
    stypeIn: stypeIn === 0xff ? null : stypeIn,
    stypeOut,
    tsOut,
    symbols,
    partial,
    notFound,
    mappings,
    headerBytes,
  };
}

/** Throws unless the metadata announces the MBO schema without ts_out (the only layout this reader decodes). */
export function requireMbo(meta: DbnMetadata, file: string): void {
  if (meta.schema !== DBN_SCHEMA_MBO) throw new DbnFormatError(file, 24, `schema ${meta.schemaName}`, 'the mbo schema (market by order); other schemas are not read here');
  if (meta.tsOut) throw new DbnFormatError(file, 60, 'ts_out set (records carry a send time)', 'ts_out 0');
}

export type MboAction = 'A' | 'C' | 'M' | 'R' | 'T' | 'F' | 'N';

/** One MBO record; prices stay in units of 1e-9 (bigint), times in ns since the Unix epoch (bigint). */
export interface MboRecord {
  readonly publisherId: number;
  readonly instrumentId: number;
  readonly tsEvent: bigint;
  readonly orderId: bigint;
  /** Units of 1e-9; `UNDEF_PRICE` when undefined. */
  readonly price: bigint;
  readonly size: number;
  readonly flags: number;
  readonly channelId: number;
  readonly action: MboAction;
  /** 'A' ask, 'B' bid, 'N' none. */
  readonly side: 'A' | 'B' | 'N';
  readonly tsRecv: bigint;
  readonly tsInDelta: number;
  readonly sequence: number;
}

const ACTIONS = new Set(['A', 'C', 'M', 'R', 'T', 'F', 'N']);
const SIDES = new Set(['A', 'B', 'N']);

/**
 * Decodes the MBO record at `offset` of `view` (which holds at least 56 bytes from there); `index`
 * (1-based) names it in errors. Throws a `DbnFormatError` when its header or fields are not MBO's.
 */
export function decodeMboRecord(view: DataView, offset: number, file: string, index: number): MboRecord {
  const bad = (received: string, expected: string): never => {
    throw new DbnFormatError(file, index, received, expected, 'record');
  };
  const length = view.getUint8(offset) * 4;
  const rtype = view.getUint8(offset + 1);
  if (rtype !== RTYPE_MBO) bad(`rtype 0x${rtype.toString(16)}`, `an MBO record (rtype 0x${RTYPE_MBO.toString(16)}); the file may be corrupt`);
  if (length !== MBO_RECORD_BYTES) bad(`a record of ${length} bytes`, `${MBO_RECORD_BYTES}-byte MBO records (DBN v1)`);
  const action = String.fromCharCode(view.getUint8(offset + 38));
  const side = String.fromCharCode(view.getUint8(offset + 39));
  if (!ACTIONS.has(action)) bad(`action ${JSON.stringify(action)}`, 'an action of A, C, M, R, T, F or N');
  if (!SIDES.has(side)) bad(`side ${JSON.stringify(side)}`, 'a side of A, B or N');
  return {
    publisherId: view.getUint16(offset + 2, true),
    instrumentId: view.getUint32(offset + 4, true),
    tsEvent: view.getBigUint64(offset + 8, true),
    orderId: view.getBigUint64(offset + 16, true),
    price: view.getBigInt64(offset + 24, true),
    size: view.getUint32(offset + 32, true),
    flags: view.getUint8(offset + 36),
    channelId: view.getUint8(offset + 37),
    action: action as MboAction,
    side: side as 'A' | 'B' | 'N',
    tsRecv: view.getBigUint64(offset + 40, true),
    tsInDelta: view.getInt32(offset + 48, true),
    sequence: view.getUint32(offset + 52, true),
  };
}

/** Formats a price in units of 1e-9 as a decimal with at least `minDecimals` places ("5214.00"). */
export function formatDbnPrice(price: bigint, minDecimals = 2): string {
  const negative = price < 0n;
  const abs = negative ? -price : price;
  const whole = abs / 1_000_000_000n;
  let frac = (abs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  if (frac.length < minDecimals) frac = frac.padEnd(minDecimals, '0');
  return `${negative ? '-' : ''}${whole}${frac.length > 0 ? `.${frac}` : ''}`;
}

/** DBN prices are units of 1e-9; the engine's price unit for DBN data is 1e-9 × this (0.01, a cent). */
export const DBN_UNITS_PER_PRICE_UNIT = 10_000_000n;

/** What the order-flow rebuild found. */
export interface MboFlowReport {
  readonly instrumentId: number;
  readonly records: number;
  readonly adds: number;
  readonly cancels: number;
  readonly modifies: number;
  readonly fills: number;
  readonly trades: number;
  readonly clears: number;
  readonly snapshotRecords: number;
  /** Filled lots matched by the C or M of the filled order that followed. */
  readonly filledSize: number;
  /** Fills never followed by their C or M by the end (the book kept the size). */
  readonly unmatchedFills: number;
  /** Events (ending in a record with flag 128) after which the book was crossed. */
  readonly crossedEvents: number;
  /** Records of other instruments, skipped. */
  readonly otherInstruments: number;
  /** The greatest price step dividing every price seen, in engine price units (0 when none). */
  readonly tickUnits: number;
}

/** One message of the rebuilt flow with its time on the venue's clock (ns after the UTC midnight of the file's start). */
export type MboFlowMessage = LobsterOrderMessage;

/**
 * Rebuilds an instrument's order book from MBO records, in file order, in an `OrderBook`, and turns
 * them into the LOBSTER-style messages the historical venue replays (submit, cancel, delete,
 * execute, all by order id, so the agent's order keeps its true place in the queue):
 * - A is a submit; C removes its size (a cancel, or a delete when nothing is left).
 * - M at the same price with a smaller size keeps the order's place (a cancel of the difference,
 *   as the exchange treats a size decrease, and as a partial fill's M shows); any other M loses it
 *   (a delete, then a submit at the new price and size, behind the level's orders).
 * - F (the resting order's side) is remembered; the C or M of that order that follows removes the
 *   filled size as an execution (the front of the queue traded), any more as a cancel. T (the
 *   aggressor's side) is counted as a trade and changes nothing: its fills say who traded.
 * - R clears the book (deletes every order).
 * Prices become engine units of 0.01 (`DBN_UNITS_PER_PRICE_UNIT`); a price off that grid is an error.
 */
export class MboFlow {
  private readonly book: OrderBook;
  private readonly file: string;
  private readonly dayStartNs: bigint;
  private instrumentId: number | null;
  private readonly pendingFills = new Map<number, number>();
  private tickGcd = 0;
  private counts = { records: 0, adds: 0, cancels: 0, modifies: 0, fills: 0, trades: 0, clears: 0, snapshotRecords: 0, filledSize: 0, crossedEvents: 0, otherInstruments: 0 };

  /**
   * Takes an empty book; `dayStartNs` (ns since the epoch) is where the venue's clock reads 0;
   * `instrumentId` picks the instrument (default: the first record's).
   */
  constructor(book: OrderBook, file: string, dayStartNs: bigint, instrumentId?: number) {
    if (book.orderCount !== 0) throw new Error(`the MBO rebuild needs an empty book, received one with ${book.orderCount} orders`);
    this.book = book;
    this.file = file;
    this.dayStartNs = dayStartNs;
    this.instrumentId = instrumentId ?? null;
  }

  get orderBook(): OrderBook {
    return this.book;
  }

  /** Applies record `index` (1-based) to the book and returns the messages it makes (possibly none). */
  onRecord(r: MboRecord, index: number): MboFlowMessage[] {
    this.counts.records++;
    if (this.instrumentId === null) this.instrumentId = r.instrumentId;
    if (r.instrumentId !== this.instrumentId) {
      this.counts.otherInstruments++;
      return [];
    }
    if ((r.flags & FLAG_SNAPSHOT) !== 0) this.counts.snapshotRecords++;
    const timeNs = Number(r.tsRecv - this.dayStartNs);
    if (!Number.isSafeInteger(timeNs) || timeNs < 0) this.bad(index, `ts_recv ${r.tsRecv}`, `a receive time at or after the file's start ${this.dayStartNs}`);
    const out: MboFlowMessage[] = [];
    const bad = (received: string, expected: string): never => this.bad(index, received, expected);
    switch (r.action) {
      case 'R': {
        this.counts.clears++;
        const l3 = this.book.l3();
        for (const level of [...l3.bids, ...l3.asks]) {
          for (const o of level.orders) out.push(this.apply({ kind: 'delete', timeNs, orderId: o.id, size: o.size, price: o.price, side: o.side }, index));
        }
        this.pendingFills.clear();
        break;
      }
      case 'A': {
        this.counts.adds++;
        const m: MboFlowMessage = { kind: 'submit', timeNs, orderId: this.id(r, index), size: this.size(r, index), price: this.price(r, index), side: this.side(r, index) };
        if (this.book.order(m.orderId) !== undefined) bad(`an add of order ${r.orderId}, already resting`, 'an add of a new order id');
        out.push(this.apply(m, index));
        break;
      }
      case 'C': {
        this.counts.cancels++;
        const id = this.id(r, index);
        const o = this.book.order(id);
        if (o === undefined) bad(`a cancel of order ${r.orderId}, not in the book`, 'a cancel of a resting order');
        const resting = o as NonNullable<typeof o>;
        if (r.size > resting.size) bad(`a cancel of ${r.size} from order ${r.orderId} of ${resting.size}`, 'a cancel no larger than the order');
        this.removeSize(out, resting.id, resting.side, resting.price, r.size, resting.size, timeNs, index);
        break;
      }
      case 'M': {
        this.counts.modifies++;
        const id = this.id(r, index);
        const o = this.book.order(id);
        if (o === undefined) bad(`a modify of order ${r.orderId}, not in the book`, 'a modify of a resting order');
        const resting = o as NonNullable<typeof o>;
        const price = this.price(r, index);
        const size = this.size(r, index);
        const side = this.side(r, index);
        if (side !== resting.side) bad(`a modify of order ${r.orderId} to the other side`, 'a modify on the order\'s side');
        if (price === resting.price && size < resting.size) {
          this.removeSize(out, id, side, price, resting.size - size, resting.size, timeNs, index);
        } else if (price !== resting.price || size !== resting.size) {
          // The order loses its place: whatever was filled went first, then it leaves and re-enters.
          const filled = Math.min(this.pendingFills.get(id) ?? 0, resting.size);
          if (filled > 0) this.removeSize(out, id, side, resting.price, filled, resting.size, timeNs, index);
          const left = resting.size - filled;
          if (left > 0) out.push(this.apply({ kind: 'delete', timeNs, orderId: id, size: left, price: resting.price, side }, index));
          out.push(this.apply({ kind: 'submit', timeNs, orderId: id, size, price, side }, index));
        }
        break;
      }
      case 'F': {
        this.counts.fills++;
        const id = this.id(r, index);
        if (this.book.order(id) === undefined) bad(`a fill of order ${r.orderId}, not in the book`, 'a fill of a resting order');
        this.pendingFills.set(id, (this.pendingFills.get(id) ?? 0) + r.size);
        break;
      }
      case 'T':
        this.counts.trades++;
        break;
      case 'N':
        break;
    }
    if ((r.flags & FLAG_LAST) !== 0) {
      const bid = this.book.bestBid();
      const ask = this.book.bestAsk();
      if (bid !== undefined && ask !== undefined && bid >= ask) this.counts.crossedEvents++;
    }
    return out;
  }

  /** Returns the figures so far. */
  report(): MboFlowReport {
    let unmatched = 0;
    for (const n of this.pendingFills.values()) if (n > 0) unmatched++;
    return { instrumentId: this.instrumentId ?? 0, ...this.counts, unmatchedFills: unmatched, tickUnits: this.tickGcd };
  }

  /** Removes `size` of a resting order: the part a pending fill explains as an execution, the rest as a cancel (or a delete when none is left). */
  private removeSize(out: MboFlowMessage[], id: number, side: Side, price: number, size: number, resting: number, timeNs: number, index: number): void {
    const pending = this.pendingFills.get(id) ?? 0;
    const executed = Math.min(pending, size);
    if (executed > 0) {
      out.push(this.apply({ kind: 'execute', timeNs, orderId: id, size: executed, price, side }, index));
      this.counts.filledSize += executed;
      if (pending - executed > 0) this.pendingFills.set(id, pending - executed);
      else this.pendingFills.delete(id);
    }
    const cancelled = size - executed;
    if (cancelled > 0) out.push(this.apply({ kind: cancelled === resting - executed ? 'delete' : 'cancel', timeNs, orderId: id, size: cancelled, price, side }, index));
    if (this.book.order(id) === undefined) this.pendingFills.delete(id);
  }

  private apply(m: MboFlowMessage, index: number): MboFlowMessage {
    applyFlowMessage(this.book, m, (reason) => this.bad(index, JSON.stringify(m), `a message the book accepts (${reason})`));
    return m;
  }

  private id(r: MboRecord, index: number): number {
    const id = Number(r.orderId);
    if (!Number.isSafeInteger(id)) this.bad(index, `order id ${r.orderId}`, 'an order id below 2^53');
    return id;
  }

  private size(r: MboRecord, index: number): number {
    if (r.size <= 0) this.bad(index, `size ${r.size}`, 'a positive size');
    return r.size;
  }

  private side(r: MboRecord, index: number): Side {
    if (r.side === 'N') this.bad(index, `side N on action ${r.action}`, 'side A or B');
    return r.side === 'B' ? 'buy' : 'sell';
  }

  private price(r: MboRecord, index: number): number {
    if (r.price === UNDEF_PRICE || r.price <= 0n) this.bad(index, `price ${r.price}`, 'a positive defined price');
    if (r.price % DBN_UNITS_PER_PRICE_UNIT !== 0n) this.bad(index, `price ${formatDbnPrice(r.price)}`, 'a price on a 0.01 grid');
    const units = Number(r.price / DBN_UNITS_PER_PRICE_UNIT);
    this.tickGcd = gcd(this.tickGcd, units);
    return units;
  }

  private bad(index: number, received: string, expected: string): never {
    throw new DbnFormatError(this.file, index, received, expected, 'record');
  }
}

/** Applies one flow message to a book by order id, reporting the book's level changes; `refuse` is called with the reason when the book refuses it. */
export function applyFlowMessage(book: OrderBook, m: MboFlowMessage, refuse: (reason: string) => void, onLevelChange?: (c: LevelChange) => void): void {
  let r;
  switch (m.kind) {
    case 'submit':
      r = book.submit({ kind: 'limit', id: m.orderId, owner: 0, side: m.side, price: m.price, size: m.size, postOnly: true });
      break;
    case 'cancel':
      r = book.reduce(m.orderId, m.size);
      break;
    case 'delete':
      r = book.cancel(m.orderId);
      break;
    case 'execute':
      r = book.execute(m.orderId, m.size);
      break;
    default:
      return;
  }
  if (!r.accepted) {
    refuse(JSON.stringify(r.reject));
    return;
  }
  if (onLevelChange) for (const c of r.l2) onLevelChange(c);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
