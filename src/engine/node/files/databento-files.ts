import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { OrderBook } from '../../book/types';
import { DbnFormatError, MBO_RECORD_BYTES, MboFlow, dbnHeaderLength, decodeMboRecord, formatDbnPrice, parseDbnMetadata, requireMbo, DBN_UNITS_PER_PRICE_UNIT } from '../../data/databento';
import type { DbnMetadata, MboFlowMessage, MboFlowReport, MboRecord } from '../../data/databento';
import { FileReadError } from './gzip-lines';
import { ZstdFrames } from './zstd-frames';

/** The first four bytes of a zstd frame (0xFD2FB528, little-endian). */
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const READ_CHUNK = 1 << 16;
const NS_PER_DAY = 86_400_000_000_000n;

/** A DBN file that cannot be read or decompressed: names the file and what went wrong. */
export class DbnReadError extends FileReadError {
  constructor(file: string, cause: unknown) {
    super(file, cause);
    this.name = 'DbnReadError';
    this.message = `${file}: cannot read it as DBN (zstd-compressed or plain): ${cause instanceof Error ? cause.message : String(cause)}`;
  }
}

/**
 * Streams the decompressed bytes of a DBN file: zstd-compressed (any number of frames, each
 * decompressed with fzstd as its bytes are read and checked against its XXH64 content checksum, see
 * `ZstdFrames`) or plain when it does not start with the zstd magic. A file that cannot be read, or
 * whose zstd stream is truncated or corrupt, throws a `DbnReadError` (a `FileReadError`) naming the file and how many
 * decompressed bytes came before the failure.
 */
export async function* dbnBytes(path: string): AsyncGenerator<Uint8Array> {
  const name = basename(path);
  let produced = 0;
  let frames: ZstdFrames | null = null;
  let first = true;
  const fail = (err: unknown): never => {
    throw new DbnReadError(name, new Error(`zstd stream: ${err instanceof Error ? err.message : String(err)} after ${produced.toLocaleString('en-US')} decompressed bytes`));
  };
  let stream;
  try {
    stream = createReadStream(path, { highWaterMark: READ_CHUNK });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (first) {
        first = false;
        if (ZSTD_MAGIC.every((b, i) => chunk[i] === b)) frames = new ZstdFrames();
      }
      if (frames === null) {
        produced += chunk.length;
        yield chunk;
        continue;
      }
      let out: Uint8Array[] = [];
      try {
        out = frames.push(chunk);
      } catch (err) {
        fail(err);
      }
      for (const data of out) {
        produced += data.length;
        yield data;
      }
    }
    if (frames !== null) {
      try {
        frames.end();
      } catch (err) {
        fail(err);
      }
    }
  } catch (err) {
    if (err instanceof FileReadError) throw err;
    throw new DbnReadError(name, err);
  } finally {
    stream?.destroy();
  }
}

/**
 * Reads a DBN v1 MBO file (`.dbn.zst` or `.dbn`) record by record, never holding more than a chunk
 * and one partial record. Throws a `DbnFormatError` on a header or record that is not DBN v1 MBO
 * (wrong magic, version, schema, record type) and on a file that ends inside a record.
 */
export async function* readMboRecords(path: string, onMetadata?: (m: DbnMetadata) => void): AsyncGenerator<{ readonly record: MboRecord; readonly index: number }> {
  const name = basename(path);
  let pending: Uint8Array = new Uint8Array(0);
  let metadata: DbnMetadata | null = null;
  let index = 0;
  let offset = 0;
  for await (const chunk of dbnBytes(path)) {
    pending = concat(pending, chunk);
    if (metadata === null) {
      if (pending.length < 8) continue;
      const headerBytes = dbnHeaderLength(pending, name);
      if (pending.length < headerBytes) continue;
      metadata = parseDbnMetadata(pending, name);
      requireMbo(metadata, name);
      onMetadata?.(metadata);
      offset = metadata.headerBytes;
      pending = pending.subarray(metadata.headerBytes);
    }
    const view = new DataView(pending.buffer, pending.byteOffset, pending.byteLength);
    let pos = 0;
    while (pos + MBO_RECORD_BYTES <= pending.length) {
      index++;
      yield { record: decodeMboRecord(view, pos, name, index), index };
      pos += MBO_RECORD_BYTES;
    }
    offset += pos;
    pending = pending.subarray(pos);
  }
  if (metadata === null) throw new DbnFormatError(name, pending.length, `a file of ${pending.length} bytes`, 'a whole DBN header (a truncated or empty file)');
  if (pending.length > 0) throw new DbnFormatError(name, offset, `${pending.length} bytes after record ${index.toLocaleString('en-US')}`, `whole ${MBO_RECORD_BYTES}-byte records (the file ends inside one: truncated)`);
}

/** Returns the UTC midnight (ns since the epoch) of the day `ns` falls in: the venue's clock reads ns after it. */
export function utcMidnight(ns: bigint): bigint {
  return (ns / NS_PER_DAY) * NS_PER_DAY;
}

/** What `cockpit databento verify` prints. */
export interface DatabentoVerifyResult extends MboFlowReport {
  readonly file: string;
  readonly dataset: string;
  readonly schema: string;
  readonly symbols: readonly string[];
  /** The metadata's start and end (ISO 8601, UTC). */
  readonly start: string;
  readonly end: string | null;
  /** The rebuilt book's best bid and ask at the end, as decimal prices (null when a side is empty). */
  readonly finalBestBid: string | null;
  readonly finalBestAsk: string | null;
  readonly seconds: number;
}

/** Rebuilds the book of a DBN MBO file in `book` (an empty one) and reports it; see `MboFlow`. */
export async function verifyDatabentoFile(path: string, book: OrderBook, instrumentId?: number): Promise<DatabentoVerifyResult> {
  const started = performance.now();
  let meta: DbnMetadata | null = null;
  let flow: MboFlow | null = null;
  for await (const { record, index } of readMboRecords(path, (m) => (meta = m))) {
    const m = meta as DbnMetadata | null;
    if (m === null) throw new Error('unreachable: records before the metadata');
    flow ??= new MboFlow(book, basename(path), utcMidnight(m.startNs), instrumentId);
    flow.onRecord(record, index);
  }
  const m = meta as DbnMetadata | null;
  if (m === null) throw new DbnFormatError(basename(path), 0, 'no metadata', 'a DBN header');
  const report = flow?.report() ?? { instrumentId: instrumentId ?? 0, records: 0, adds: 0, cancels: 0, modifies: 0, fills: 0, trades: 0, clears: 0, snapshotRecords: 0, filledSize: 0, unmatchedFills: 0, crossedEvents: 0, otherInstruments: 0, tickUnits: 0 };
  const price = (p: number | undefined): string | null => (p === undefined ? null : formatDbnPrice(BigInt(p) * DBN_UNITS_PER_PRICE_UNIT));
  return {
    file: path,
    dataset: m.dataset,
    schema: m.schemaName,
    symbols: m.symbols,
    start: isoNs(m.startNs),
    end: m.endNs === null ? null : isoNs(m.endNs),
    ...report,
    finalBestBid: price(book.bestBid()),
    finalBestAsk: price(book.bestAsk()),
    seconds: (performance.now() - started) / 1000,
  };
}

/** A DBN MBO file held in memory as the historical venue's order flow (times in ns after the UTC midnight of the file's start). */
export interface MboDay {
  readonly file: string;
  readonly metadata: DbnMetadata;
  /** The UTC midnight the venue's clock counts from, ns since the epoch. */
  readonly dayStartNs: bigint;
  readonly messages: readonly MboFlowMessage[];
  readonly report: MboFlowReport;
  /** Ns after midnight of the first and last records of the instrument. */
  readonly firstNs: number;
  readonly lastNs: number;
}

/** Reads a DBN MBO file into memory as its rebuilt order flow, checking it against `book` (an empty one) on the way. */
export async function loadMboDay(path: string, book: OrderBook, instrumentId?: number): Promise<MboDay> {
  let meta: DbnMetadata | null = null;
  let flow: MboFlow | null = null;
  const messages: MboFlowMessage[] = [];
  let firstNs: number | null = null;
  let lastNs = 0;
  let dayStart = 0n;
  for await (const { record, index } of readMboRecords(path, (m) => (meta = m))) {
    const m = meta as DbnMetadata | null;
    if (m === null) throw new Error('unreachable: records before the metadata');
    if (flow === null) {
      dayStart = utcMidnight(m.startNs);
      flow = new MboFlow(book, basename(path), dayStart, instrumentId);
    }
    const out = flow.onRecord(record, index);
    const t = Number(record.tsRecv - dayStart);
    if (t < lastNs) throw new DbnFormatError(basename(path), index, `ts_recv ${record.tsRecv}`, 'receive times in file order (not decreasing)', 'record');
    firstNs ??= t;
    lastNs = t;
    for (const msg of out) messages.push(msg);
  }
  const m = meta as DbnMetadata | null;
  if (m === null || flow === null || firstNs === null) throw new DbnFormatError(basename(path), 0, 'no MBO records', 'a DBN MBO file with records');
  return { file: path, metadata: m, dayStartNs: dayStart, messages, report: flow.report(), firstNs, lastNs };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function isoNs(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const rest = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(ms)).toISOString().slice(0, 19)}.${rest}Z`;
}
