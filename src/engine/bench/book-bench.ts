/**
 * The order book benchmark: one seeded stream (see `bench-stream.ts`) through this engine's book and
 * through nodejs-order-book, each in its own child process so that each one's peak memory
 * (`process.resourceUsage().maxRSS`) belongs to it alone; plus the memory one million resting
 * orders take in each (heap + external growth after a forced GC, children run with --expose-gc).
 *
 * The parent writes the stream to a temporary file once; children read it straight into typed
 * arrays, so every child carries the same stream (about 14 bytes an operation) in its baseline.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../core/rng';
import { generateBookStream, OP_CANCEL, OP_LIMIT, OP_MARKET, STREAM_START_PRICE, type BookStream } from '../book/bench-stream';
import { createOrderBook } from '../book/order-book';
import type { LimitOrderRequest, MarketOrderRequest, Side } from '../book/types';

/** The npm package we compare against. */
export const PEER_PACKAGE = 'nodejs-order-book';
/** How our book is named in the report. */
export const OURS_NAME = 'trader-cockpit order-book';
/** The peer slows as its book grows; past this many operations it would run for minutes. */
export const DEFAULT_PEER_OPS_CAP = 1_000_000;
/** Orders rested for the memory measurement. */
export const RESTING_ORDERS = 1_000_000;
/** Operations of the untimed warm-up pass each child makes before timing. */
export const WARM_UP_OPS = 200_000;

/** One book's run over a stream, measured in its own child process. */
export interface ThroughputFigures {
  readonly name: string;
  /** Operations replayed, a prefix of the stream. */
  readonly ops: number;
  /** Median over `runs` timed runs, each on a fresh book, after one untimed warm-up pass. */
  readonly opsPerSecond: number;
  readonly runs: number;
  /** The child's peak resident set (maxRSS) in MiB: Node itself, the stream and the book. */
  readonly peakMB: number;
  /** The child's resident set once the stream is loaded, before any book exists, in MiB. */
  readonly baselineMB: number;
  /** Calls the book turned down (the stream only cancels live orders, so 0 for a correct book). */
  readonly rejected: number;
  /** Final depth, for checking that both books ended in the same state. */
  readonly finalBook: FinalBook;
}

/** A book's depth at the end of a run, compared across implementations. */
export interface FinalBook {
  readonly bidLevels: number;
  readonly askLevels: number;
  readonly bidLots: number;
  readonly askLots: number;
  readonly bestBid: number | null;
  readonly bestAsk: number | null;
}

/** The memory one book takes for `orders` resting orders. */
export interface RestingFigures {
  readonly name: string;
  readonly orders: number;
  readonly levels: number;
  /** Growth of V8 heap + external memory (typed arrays) after a forced GC, in MiB. */
  readonly mb: number;
}

/** What `cockpit bench book` prints. */
export interface BookBenchReport {
  readonly stream: { readonly seed: number; readonly ops: number; readonly limits: number; readonly cancels: number; readonly markets: number };
  readonly ours: ThroughputFigures;
  /** Our book on exactly the peer's prefix; the same object as `ours` when the peer ran it all. */
  readonly oursOnPeerOps: ThroughputFigures;
  readonly peer: ThroughputFigures;
  /** oursOnPeerOps.opsPerSecond / peer.opsPerSecond: the same operations on both sides. */
  readonly ratio: number;
  /** Whether both books ended the peer's prefix with the same depth. */
  readonly sameFinalBook: boolean;
  readonly restingMillion: { readonly orders: number; readonly levels: number; readonly mb: number; readonly peerMb: number };
  readonly node: string;
}

/** Parameters of `runBookBench`. */
export interface BookBenchOptions {
  readonly ops: number;
  readonly seed: number;
  /** Defaults to min(ops, DEFAULT_PEER_OPS_CAP). */
  readonly peerOps?: number;
  /** Timed runs of our book; the peer runs once (one run takes it about a minute). */
  readonly runs?: number;
  readonly progress?: (line: string) => void;
}

type ChildTask =
  | { readonly task: 'throughput'; readonly impl: 'ours' | 'peer'; readonly file: string; readonly ops: number; readonly runs: number }
  | { readonly task: 'resting'; readonly impl: 'ours' | 'peer'; readonly orders: number; readonly seed: number };

const RESULT_PREFIX = 'BOOK_BENCH_RESULT ';

/** Runs the whole benchmark; every measurement happens in a fresh child process. */
export async function runBookBench(options: BookBenchOptions): Promise<BookBenchReport> {
  const { ops, seed } = options;
  const peerOps = Math.min(ops, options.peerOps ?? DEFAULT_PEER_OPS_CAP);
  const runs = options.runs ?? 5;
  const say = options.progress ?? (() => undefined);

  say(`generating the stream: seed ${seed}, ${ops.toLocaleString('en-US')} operations`);
  const stream = generateBookStream(seed, ops);
  const mix = { limits: 0, cancels: 0, markets: 0 };
  for (let i = 0; i < ops; i++) {
    const op = stream.op[i];
    if (op === OP_LIMIT) mix.limits++;
    else if (op === OP_CANCEL) mix.cancels++;
    else mix.markets++;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cockpit-book-bench-'));
  const file = join(dir, 'stream.bin');
  try {
    writeStream(file, stream);
    say(`${OURS_NAME}: ${ops.toLocaleString('en-US')} operations, ${runs} timed runs`);
    const ours = await runChild<ThroughputFigures>({ task: 'throughput', impl: 'ours', file, ops, runs });
    let oursOnPeerOps = ours;
    if (peerOps < ops) {
      say(`${OURS_NAME}: the peer's prefix of ${peerOps.toLocaleString('en-US')} operations`);
      oursOnPeerOps = await runChild<ThroughputFigures>({ task: 'throughput', impl: 'ours', file, ops: peerOps, runs });
    }
    say(`${PEER_PACKAGE}: ${peerOps.toLocaleString('en-US')} operations, one timed run (about a minute for a million)`);
    const peer = await runChild<ThroughputFigures>({ task: 'throughput', impl: 'peer', file, ops: peerOps, runs: 1 });
    say(`resting ${RESTING_ORDERS.toLocaleString('en-US')} orders in each book`);
    const restingOurs = await runChild<RestingFigures>({ task: 'resting', impl: 'ours', orders: RESTING_ORDERS, seed });
    const restingPeer = await runChild<RestingFigures>({ task: 'resting', impl: 'peer', orders: RESTING_ORDERS, seed });
    return {
      stream: { seed, ops, ...mix },
      ours,
      oursOnPeerOps,
      peer,
      ratio: round1(oursOnPeerOps.opsPerSecond / peer.opsPerSecond),
      sameFinalBook: JSON.stringify(oursOnPeerOps.finalBook) === JSON.stringify(peer.finalBook),
      restingMillion: { orders: restingOurs.orders, levels: restingOurs.levels, mb: restingOurs.mb, peerMb: restingPeer.mb },
      node: process.version,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts this same program again (`process.execPath`, `process.execArgv`, `process.argv[1]`) with
 * the hidden `--child` flag of `cockpit bench book`, so it works from the built CLI and under tsx.
 */
function runChild<T>(task: ChildTask): Promise<T> {
  const script = process.argv[1];
  if (script === undefined) return Promise.reject(new Error('cannot start a benchmark child: process.argv[1] is empty'));
  const args = [...process.execArgv, '--expose-gc', script, 'bench', 'book', '--child', JSON.stringify(task)];
  return new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || line === undefined) {
        reject(new Error(`benchmark child (${task.task}, ${task.impl}) exited with code ${code}: ${err.trim().split('\n').slice(-5).join(' | ') || 'no output'}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
    });
  });
}

/** The child side: runs one task from its JSON description and prints the result line. */
export async function runBookBenchChild(taskJson: string): Promise<void> {
  const task = JSON.parse(taskJson) as ChildTask;
  let result: ThroughputFigures | RestingFigures;
  if (task.task === 'throughput') {
    const stream = readStream(task.file, task.ops);
    const baselineMB = round1(mib(process.memoryUsage().rss));
    const driver = task.impl === 'ours' ? oursDriver() : await peerDriver();
    const rates: number[] = [];
    // One untimed warm-up pass (both books alike) on a throwaway book, so the JIT has settled.
    driver.run(stream, Math.min(task.ops, WARM_UP_OPS));
    // Timed runs follow back to back: a forced GC just before timing slows the next run in V8 for
    // reasons unrelated to the book (runs right after one are about 40% slower), so none is forced.
    let last: RunOutcome | undefined;
    for (let r = 0; r < task.runs; r++) {
      last = driver.run(stream, task.ops);
      rates.push(task.ops / last.seconds);
    }
    rates.sort((a, b) => a - b);
    result = {
      name: driver.name,
      ops: task.ops,
      opsPerSecond: Math.round(rates[Math.floor(rates.length / 2)]!),
      runs: task.runs,
      peakMB: round1(process.resourceUsage().maxRSS / 1024),
      baselineMB,
      rejected: last?.rejected ?? 0,
      finalBook: last?.finalBook ?? emptyFinalBook(),
    };
  } else {
    const driver = task.impl === 'ours' ? oursDriver() : await peerDriver();
    result = await driver.rest(task.orders, task.seed);
  }
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

interface RunOutcome {
  readonly seconds: number;
  readonly rejected: number;
  readonly finalBook: FinalBook;
}

interface Driver {
  readonly name: string;
  /** Replays the first `ops` operations on a fresh book. */
  run(stream: BookStream, ops: number): RunOutcome;
  /** Rests `orders` non-crossing limit orders and measures the memory they take. */
  rest(orders: number, seed: number): Promise<RestingFigures>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const SIDES: readonly Side[] = ['buy', 'sell'];

function oursDriver(): Driver {
  return {
    name: OURS_NAME,
    run(stream, ops) {
      const book = createOrderBook();
      // Requests are reused: the book reads them during the call and keeps nothing.
      const limit: Mutable<LimitOrderRequest> = { kind: 'limit', id: 0, owner: 0, side: 'buy', price: 0, size: 0 };
      const market: Mutable<MarketOrderRequest> = { kind: 'market', id: 0, owner: 0, side: 'buy', size: 0 };
      const { op, side, id, price, size } = stream;
      let rejected = 0;
      const t0 = performance.now();
      for (let i = 0; i < ops; i++) {
        const kind = op[i];
        let accepted: boolean;
        if (kind === OP_LIMIT) {
          limit.id = id[i]!;
          limit.side = SIDES[side[i]!]!;
          limit.price = price[i]!;
          limit.size = size[i]!;
          accepted = book.submit(limit).accepted;
        } else if (kind === OP_CANCEL) {
          accepted = book.cancel(id[i]!).accepted;
        } else {
          market.id = id[i]!;
          market.side = SIDES[side[i]!]!;
          market.size = size[i]!;
          accepted = book.submit(market).accepted;
        }
        if (!accepted) rejected++;
      }
      const seconds = (performance.now() - t0) / 1000;
      const { bids, asks } = book.l2(Number.POSITIVE_INFINITY);
      return { seconds, rejected, finalBook: finalBook(bids, asks) };
    },
    async rest(orders, seed) {
      await settleMemory();
      const before = process.memoryUsage();
      const book = createOrderBook();
      const limit: Mutable<LimitOrderRequest> = { kind: 'limit', id: 0, owner: 0, side: 'buy', price: 0, size: 0 };
      eachRestingOrder(orders, seed, (id, s, p, q) => {
        limit.id = id;
        limit.side = s;
        limit.price = p;
        limit.size = q;
        book.submit(limit);
      });
      await settleMemory();
      const after = process.memoryUsage();
      const { bids, asks } = book.l2(Number.POSITIVE_INFINITY);
      return { name: OURS_NAME, orders: book.orderCount, levels: bids.length + asks.length, mb: heapAndExternalGrowth(before, after) };
    },
  };
}

/** The slice of nodejs-order-book's API the benchmark drives (see its dist/types/orderbook.d.ts). */
interface PeerModule {
  readonly OrderBook: new () => PeerBook;
}
interface PeerBook {
  limit(options: { id: string; side: Side; size: number; price: number }): { err: unknown };
  market(options: { side: Side; size: number }): { err: unknown };
  cancel(orderID: string): unknown;
  depth(): [Array<[number, number]>, Array<[number, number]>];
}

async function peerDriver(): Promise<Driver> {
  let mod: PeerModule;
  try {
    // A variable specifier keeps the devDependency out of the bundle and out of type checking.
    const specifier: string = PEER_PACKAGE;
    mod = (await import(specifier)) as PeerModule;
  } catch (err) {
    throw new Error(`${PEER_PACKAGE} is not installed (a devDependency of this project): ${String(err)}`);
  }
  const name = `${PEER_PACKAGE} ${peerVersion()}`;
  return {
    name,
    run(stream, ops) {
      const book = new mod.OrderBook();
      const { op, side, id, price, size } = stream;
      let rejected = 0;
      const t0 = performance.now();
      for (let i = 0; i < ops; i++) {
        const kind = op[i];
        if (kind === OP_LIMIT) {
          if (book.limit({ id: String(id[i]), side: SIDES[side[i]!]!, price: price[i]!, size: size[i]! }).err) rejected++;
        } else if (kind === OP_CANCEL) {
          if (book.cancel(String(id[i])) === undefined) rejected++;
        } else if (kind === OP_MARKET) {
          if (book.market({ side: SIDES[side[i]!]!, size: size[i]! }).err) rejected++;
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      const [asks, bids] = book.depth();
      return { seconds, rejected, finalBook: finalBook(bids, asks) };
    },
    async rest(orders, seed) {
      await settleMemory();
      const before = process.memoryUsage();
      const book = new mod.OrderBook();
      eachRestingOrder(orders, seed, (id, s, p, q) => book.limit({ id: String(id), side: s, price: p, size: q }));
      await settleMemory();
      const after = process.memoryUsage();
      const [asks, bids] = book.depth();
      return { name, orders, levels: bids.length + asks.length, mb: heapAndExternalGrowth(before, after) };
    },
  };
}

function peerVersion(): string {
  try {
    const require = createRequire(process.argv[1] ?? join(process.cwd(), 'index.js'));
    return (require(`${PEER_PACKAGE}/package.json`) as { version: string }).version;
  } catch {
    return '(version unknown)';
  }
}

/** Resting orders that never cross: bids below the start price, asks above, 5,000 levels a side. */
function eachRestingOrder(orders: number, seed: number, rest: (id: number, side: Side, price: number, size: number) => void): void {
  const rng = new Rng(seed ^ 0x5eed);
  for (let i = 0; i < orders; i++) {
    const buy = (i & 1) === 0;
    const offset = 1 + rng.int(5000);
    rest(i + 1, buy ? 'buy' : 'sell', buy ? STREAM_START_PRICE - offset : STREAM_START_PRICE + offset, 1 + rng.int(100));
  }
}

function finalBook(bids: ReadonlyArray<readonly [number, number]>, asks: ReadonlyArray<readonly [number, number]>): FinalBook {
  const lots = (levels: ReadonlyArray<readonly [number, number]>): number => levels.reduce((s, l) => s + l[1], 0);
  return {
    bidLevels: bids.length,
    askLevels: asks.length,
    bidLots: lots(bids),
    askLots: lots(asks),
    bestBid: bids[0]?.[0] ?? null,
    bestAsk: asks[0]?.[0] ?? null,
  };
}

function emptyFinalBook(): FinalBook {
  return { bidLevels: 0, askLevels: 0, bidLots: 0, askLots: 0, bestBid: null, bestAsk: null };
}

/**
 * Forces full collections until heap + external memory stops shrinking. V8 frees array buffers'
 * memory on a concurrent sweeper, so one collection can leave a grown-out-of array counted.
 */
async function settleMemory(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the memory measurement needs --expose-gc');
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const m = process.memoryUsage();
    const now = m.heapUsed + m.external;
    if (now >= last) return;
    last = now;
  }
}

function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}

function heapAndExternalGrowth(before: NodeJS.MemoryUsage, after: NodeJS.MemoryUsage): number {
  return round1(mib(after.heapUsed + after.external - before.heapUsed - before.external));
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Layout: count (int32), then op, side (bytes, each padded to 4), then id, price, size (int32). */
function writeStream(file: string, s: BookStream): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, new Int32Array([s.count]));
    const pad = new Uint8Array(padding(s.count));
    for (const bytes of [s.op, s.side]) {
      writeSync(fd, bytes);
      writeSync(fd, pad);
    }
    for (const ints of [s.id, s.price, s.size]) writeSync(fd, ints);
  } finally {
    closeSync(fd);
  }
}

/** Reads the first `ops` operations of a stream file straight into typed arrays. */
function readStream(file: string, ops: number): BookStream {
  const fd = openSync(file, 'r');
  try {
    const header = new Int32Array(1);
    readSync(fd, header, 0, 4, 0);
    const total = header[0]!;
    if (ops > total) throw new Error(`stream file holds ${total} operations, ${ops} requested`);
    const bytesSection = total + padding(total);
    let pos = 4;
    const readBytes = (): Uint8Array => {
      const a = new Uint8Array(ops);
      readSync(fd, a, 0, ops, pos);
      pos += bytesSection;
      return a;
    };
    const readInts = (): Int32Array => {
      const a = new Int32Array(ops);
      readSync(fd, a, 0, ops * 4, pos);
      pos += total * 4;
      return a;
    };
    const op = readBytes();
    const side = readBytes();
    const id = readInts();
    const price = readInts();
    const size = readInts();
    return { count: ops, op, side, id, price, size };
  } finally {
    closeSync(fd);
  }
}

function padding(n: number): number {
  return (4 - (n % 4)) % 4;
}
