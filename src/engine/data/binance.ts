/**
 * Binance market data as captured by hftbacktest: each line is `<local receive time> <raw JSON>`,
 * the JSON being a REST depth snapshot, a depth diff, a `bookTicker`, a `trade` or (USD-M futures) a
 * `markPrice`. The spot capture's local times are ns and its diffs `depth@100ms`; the USD-M
 * capture's local times are µs and its diffs `depth@0ms`, each carrying `pu` (the previous diff's
 * final id). Pure: lines come in as text, typed records with integer ticks and size units go out,
 * and `BinanceBookRebuild` keeps an `OrderBook` in step with the diffs under Binance's sequencing rule.
 */

import { DataFormatError } from './format-error';
import type { BookResult, OrderBook, Side } from '../book/types';

/**
 * How decimal strings become integers. Prices are ticks of 10^-priceDecimals; sizes are units of
 * 10^-sizeDecimals, `lotUnits` of which make the exchange's lot.
 */
export interface BinanceInstrument {
  readonly symbol: string;
  readonly priceDecimals: number;
  readonly sizeDecimals: number;
  readonly lotUnits: number;
}

/**
 * BTCUSDT on 2024-08-08: tick 0.01, lot 0.00001. The size unit is 0.000001, a tenth of the lot,
 * because three deep resting levels in the capture (74000, 80000 and 200000 USDT) carry sizes at
 * that finer step, left from an earlier lot size; every trade and ticker size is on the lot.
 */
export const BTCUSDT: BinanceInstrument = { symbol: 'BTCUSDT', priceDecimals: 2, sizeDecimals: 6, lotUnits: 10 };

/** The BTCUSDT USD-M perpetual in 2023: tick 0.1, lot 0.001 (the size unit is the lot). */
export const BTCUSDT_USDM: BinanceInstrument = { symbol: 'BTCUSDT-USDM', priceDecimals: 1, sizeDecimals: 3, lotUnits: 1 };

/** The unit of a capture's local receive times: ns in the spot capture, µs in the USD-M one. */
export type BinanceLocalTimeUnit = 'ns' | 'us';

/** A price level: [price ticks, size units]; size 0 in a diff removes the level. */
export type BinanceLevel = readonly [number, number];

export interface BinanceSnapshot {
  readonly kind: 'snapshot';
  /** Local receive time, ns since the Unix epoch (beyond 2^53, hence a bigint). */
  readonly localNs: bigint;
  readonly lastUpdateId: number;
  /** Best first. */
  readonly bids: readonly BinanceLevel[];
  readonly asks: readonly BinanceLevel[];
}

export interface BinanceDepthDiff {
  readonly kind: 'depth';
  readonly localNs: bigint;
  /** Exchange event time, ms since the Unix epoch. */
  readonly eventMs: number;
  /** First update id in the diff (`U`). */
  readonly firstUpdateId: number;
  /** Final update id in the diff (`u`). */
  readonly finalUpdateId: number;
  /** USD-M only: the final update id of the previous diff (`pu`); a diff follows on when it equals the last applied `u`. */
  readonly previousFinalUpdateId?: number;
  readonly bids: readonly BinanceLevel[];
  readonly asks: readonly BinanceLevel[];
}

export interface BinanceBookTicker {
  readonly kind: 'ticker';
  readonly localNs: bigint;
  /** The order book update id this best bid/ask reflects (`u`). */
  readonly updateId: number;
  readonly bidPrice: number;
  readonly bidSize: number;
  readonly askPrice: number;
  readonly askSize: number;
}

export interface BinanceTrade {
  readonly kind: 'trade';
  readonly localNs: bigint;
  readonly tradeId: number;
  /** Trade time, ms since the Unix epoch. */
  readonly tradeMs: number;
  readonly price: number;
  readonly size: number;
  /** True when the buyer was the maker, i.e. a seller took liquidity (`m`). */
  readonly buyerIsMaker: boolean;
}

/** USD-M only: the mark price, pushed once a second (`markPrice@1s`). */
export interface BinanceMarkPrice {
  readonly kind: 'mark';
  readonly localNs: bigint;
  readonly eventMs: number;
  /** The mark price in ticks, rounded to the nearest tick (it carries 8 decimals). */
  readonly markPrice: number;
}

/** One line of a capture, with prices in ticks and sizes in units of the instrument. */
export type BinanceRecord = BinanceSnapshot | BinanceDepthDiff | BinanceBookTicker | BinanceTrade | BinanceMarkPrice;

/** A line that does not have the capture's format; names the file, the line, what came and what was expected. */
export class BinanceFormatError extends DataFormatError {
  constructor(file: string, line: number, received: string, expected: string) {
    super(file, line, received, expected);
    this.name = 'BinanceFormatError';
  }
}

/**
 * Converts a non-negative decimal string ("61837.63000000") to an integer count of 10^-decimals
 * without going through a float. Returns NaN when the text is not a plain decimal, has non-zero
 * digits beyond `decimals`, or the result is not a safe integer.
 */
export function decimalToUnits(text: string, decimals: number): number {
  const n = text.length;
  let value = 0;
  let i = 0;
  let intDigits = 0;
  for (; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
    intDigits++;
  }
  if (intDigits === 0) return NaN;
  let fracDigits = 0;
  if (i < n) {
    if (text.charCodeAt(i) !== 46) return NaN;
    i++;
    if (i === n) return NaN;
    for (; i < n; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return NaN;
      if (fracDigits < decimals) {
        value = value * 10 + d;
        fracDigits++;
      } else if (d !== 0) {
        return NaN;
      }
    }
  }
  for (; fracDigits < decimals; fracDigits++) value *= 10;
  return Number.isSafeInteger(value) ? value : NaN;
}

/** Formats integer units as a decimal string with `decimals` places (the inverse of `decimalToUnits`). */
export function unitsToDecimal(units: number, decimals: number): string {
  const negative = units < 0;
  const digits = String(Math.abs(units)).padStart(decimals + 1, '0');
  const int = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals);
  return `${negative ? '-' : ''}${int}${decimals > 0 ? `.${frac}` : ''}`;
}

const MAX_QUOTE = 160;
const MAX_REMEMBERED_TOPS = 4096;

/**
 * Parses one capture line (local time in `localTimeUnit`, returned as ns); throws a
 * `BinanceFormatError` naming `file` and `line` when it is malformed.
 */
export function parseBinanceLine(text: string, instrument: BinanceInstrument, file: string, line: number, localTimeUnit: BinanceLocalTimeUnit = 'ns'): BinanceRecord {
  const quoted = quoteLine(text);
  const bad = (expected: string): never => {
    throw new BinanceFormatError(file, line, quoted, expected);
  };
  const space = text.indexOf(' ');
  if (space <= 0 || !/^\d+$/.test(text.slice(0, space))) bad(`"<local receive time ${localTimeUnit}> <JSON>"`);
  const localNs = BigInt(text.slice(0, space)) * (localTimeUnit === 'us' ? 1000n : 1n);
  let json: unknown;
  try {
    json = JSON.parse(text.slice(space + 1));
  } catch {
    bad('JSON after the local time');
  }
  if (!isObject(json)) return bad('a JSON object');

  const price = (v: unknown, what: string): number => {
    const ticks = typeof v === 'string' ? decimalToUnits(v, instrument.priceDecimals) : NaN;
    return Number.isNaN(ticks) ? bad(`${what} as a decimal string on the ${instrument.symbol} tick (${instrument.priceDecimals} decimals)`) : ticks;
  };
  const size = (v: unknown, what: string): number => {
    const units = typeof v === 'string' ? decimalToUnits(v, instrument.sizeDecimals) : NaN;
    return Number.isNaN(units) ? bad(`${what} as a decimal string with at most ${instrument.sizeDecimals} significant decimals`) : units;
  };
  const int = (v: unknown, what: string): number => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : bad(`${what} as a non-negative integer`));
  const levels = (v: unknown, what: string): BinanceLevel[] => {
    if (!Array.isArray(v)) return bad(`${what} as an array of [price, size] pairs`);
    const out: BinanceLevel[] = [];
    for (const pair of v) {
      if (!Array.isArray(pair) || pair.length < 2) return bad(`${what} as an array of [price, size] pairs`);
      out.push([price(pair[0], `${what} price`), size(pair[1], `${what} size`)]);
    }
    return out;
  };

  if ('lastUpdateId' in json) {
    return {
      kind: 'snapshot',
      localNs,
      lastUpdateId: int(json.lastUpdateId, 'lastUpdateId'),
      bids: levels(json.bids, 'snapshot bids'),
      asks: levels(json.asks, 'snapshot asks'),
    };
  }
  const stream = json.stream;
  const data = json.data;
  if (typeof stream !== 'string' || !isObject(data)) return bad('a depth snapshot or a {"stream", "data"} message');
  if (/@depth(@\d+ms)?$/.test(stream)) {
    const first = int(data.U, 'depth U');
    const final = int(data.u, 'depth u');
    if (final < first) bad('depth U <= u');
    return {
      kind: 'depth',
      localNs,
      eventMs: int(data.E, 'depth E'),
      firstUpdateId: first,
      finalUpdateId: final,
      ...(data.pu === undefined ? {} : { previousFinalUpdateId: int(data.pu, 'depth pu') }),
      bids: levels(data.b, 'depth bids'),
      asks: levels(data.a, 'depth asks'),
    };
  }
  if (/@markPrice(@1s)?$/.test(stream)) {
    const digits = typeof data.p === 'string' ? /^(\d+)(?:\.(\d+))?$/.exec(data.p) : null;
    if (digits === null) return bad('markPrice p as a decimal string');
    // Round half up to the tick from the text: the whole ticks, plus one when the first dropped digit is 5 or more.
    const d = instrument.priceDecimals;
    const frac = digits[2] ?? '';
    const whole = decimalToUnits(d > 0 ? `${digits[1]}.${frac.slice(0, d).padEnd(d, '0')}` : (digits[1] ?? ''), d);
    if (Number.isNaN(whole)) return bad('markPrice p as a decimal string');
    return { kind: 'mark', localNs, eventMs: int(data.E, 'markPrice E'), markPrice: whole + (frac.charCodeAt(d) >= 53 ? 1 : 0) };
  }
  if (stream.endsWith('@bookTicker')) {
    return {
      kind: 'ticker',
      localNs,
      updateId: int(data.u, 'bookTicker u'),
      bidPrice: price(data.b, 'bookTicker b'),
      bidSize: size(data.B, 'bookTicker B'),
      askPrice: price(data.a, 'bookTicker a'),
      askSize: size(data.A, 'bookTicker A'),
    };
  }
  if (stream.endsWith('@trade')) {
    if (typeof data.m !== 'boolean') bad('trade m as a boolean');
    return {
      kind: 'trade',
      localNs,
      tradeId: int(data.t, 'trade t'),
      tradeMs: int(data.T, 'trade T'),
      price: price(data.p, 'trade p'),
      size: size(data.q, 'trade q'),
      buyerIsMaker: data.m === true,
    };
  }
  return bad('a stream ending in @depth@100ms, @depth@0ms, @bookTicker, @trade or @markPrice@1s');
}

/**
 * Throws a `BinanceFormatError` for the line `text` when its record's local receive time is before
 * `previousNs`, the previous record's: a capture is written in receive order, so a time that goes
 * back means lines were reordered or two captures joined wrongly. Equal times are fine.
 */
export function checkLocalTimeOrder(previousNs: bigint, record: BinanceRecord, text: string, file: string, line: number): void {
  if (record.localNs < previousNs) {
    throw new BinanceFormatError(file, line, quoteLine(text), `a local receive time at or after the previous record's (${previousNs} ns; lines are in receive order)`);
  }
}

/** The start of a line as quoted back in an error. */
function quoteLine(text: string): string {
  return text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE)}…` : text;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A ticker whose best bid/ask differed from the rebuilt book at the same update id. */
export interface BinanceTickerMismatch {
  readonly updateId: number;
  readonly ticker: { readonly bid: number; readonly bidSize: number; readonly ask: number; readonly askSize: number };
  readonly book: { readonly bid: number | null; readonly bidSize: number; readonly ask: number | null; readonly askSize: number };
}

/** What a rebuild found: sequencing, ticker checks and crossings. */
export interface BinanceRebuildReport {
  readonly symbol: string;
  readonly snapshots: number;
  readonly snapshotLastUpdateId: number | null;
  /** Diffs that arrived before a snapshot and were held back. */
  readonly diffsBuffered: number;
  /** Diffs dropped because the snapshot already contained them (u <= lastUpdateId). */
  readonly diffsDropped: number;
  readonly diffsApplied: number;
  /** Breaks in the update id sequence (U not previous u + 1, or no diff straddling the snapshot). */
  readonly gaps: number;
  /** Diffs still held at the end, waiting for a snapshot they could follow (after a gap). */
  readonly diffsUnapplied: number;
  /** Level updates in applied diffs. */
  readonly levelUpdates: number;
  /** Tickers compared with the book right after the diff with the same final update id. */
  readonly tickerChecks: number;
  /** Of those, how many differed in a best price or a best size. */
  readonly tickerMismatches: number;
  readonly firstTickerMismatch: BinanceTickerMismatch | null;
  readonly tickers: number;
  /** Applied diffs after which the book would be crossed (a level refused as crossing, or best bid >= best ask). */
  readonly crossedBooks: number;
  readonly trades: number;
  /** Traded quantity in size units. */
  readonly tradedSize: number;
  /** Sizes seen that are not whole exchange lots (see the instrument). */
  readonly offLotSizes: number;
  /** Span of the capture, from the first to the last local receive time, in ns. */
  readonly spanNs: number;
  /**
   * Why the capture could not be checked, or null when it was: no records, no snapshot, no diff
   * applied after it, or no ticker compared. A report with a reason proves nothing, whatever its
   * zero mismatches and gaps say.
   */
  readonly unverifiedReason: string | null;
}

interface Top {
  readonly bid: number | null;
  readonly bidSize: number;
  readonly ask: number | null;
  readonly askSize: number;
}

/**
 * Rebuilds a Binance order book in an `OrderBook` from a capture, record by record in file order.
 *
 * Each price level is one aggregate order whose id is derived from its price (2 × ticks for a bid,
 * 2 × ticks + 1 for an ask), so no map from level to order is needed. A diff sets absolute level
 * sizes: 0 cancels the level's order, a smaller size reduces it, a larger one modifies it, a new
 * level submits one (post-only: the rebuild never trades). Within a diff, removals and reductions
 * on both sides go first, then increases and new levels: a diff may move the price through the
 * other side's old levels, and applying it in that order means every intermediate book holds only
 * levels the final book holds, so a correct diff never meets a crossing level.
 *
 * Sequencing (Binance's rule for a local book): diffs are buffered until the snapshot; those with
 * u <= lastUpdateId are dropped; the first applied must have U <= lastUpdateId + 1 <= u (or, on
 * USD-M, pu = lastUpdateId: the previous diff ended exactly at the snapshot); each later one must
 * have U = previous u + 1 (spot) or pu = previous u (USD-M, whose ids skip between diffs). A break
 * counts as a gap and stops the rebuild until a new snapshot arrives.
 *
 * Ticker checks: a diff's final id u means the book after the diff is the exchange's book after
 * update u exactly; a bookTicker with the same u shows the best bid/ask after that same update. So
 * those two, and only those, can be compared exactly; a ticker whose u falls inside a diff's
 * [U, u) shows a state the 100 ms diffs never expose. The ticker may arrive before or after its
 * diff (different streams), so the book's top after every applied diff is remembered by u, and
 * tickers that arrive first wait for their diff.
 */
export class BinanceBookRebuild {
  private readonly book: OrderBook;
  private readonly instrument: BinanceInstrument;
  private synced = false;
  private lastUpdateId = -1;
  private buffer: BinanceDepthDiff[] = [];
  private readonly topsByUpdateId = new Map<number, Top>();
  private readonly waitingTickers = new Map<number, BinanceBookTicker>();

  private snapshots = 0;
  private snapshotLastUpdateId: number | null = null;
  private diffsBuffered = 0;
  private diffsDropped = 0;
  private diffsApplied = 0;
  private gaps = 0;
  private levelUpdates = 0;
  private tickerChecks = 0;
  private tickerMismatches = 0;
  private firstTickerMismatch: BinanceTickerMismatch | null = null;
  private tickers = 0;
  private crossedBooks = 0;
  private crossingRefused = false;
  private trades = 0;
  private tradedSize = 0;
  private offLotSizes = 0;
  private firstNs: bigint | null = null;
  private lastNs: bigint | null = null;

  /** Takes an empty book. */
  constructor(book: OrderBook, instrument: BinanceInstrument = BTCUSDT) {
    if (book.orderCount !== 0) throw new Error(`the rebuild needs an empty book, received one with ${book.orderCount} orders`);
    this.book = book;
    this.instrument = instrument;
  }

  /** Returns the book being rebuilt (read it, do not change it). */
  get orderBook(): OrderBook {
    return this.book;
  }

  /** Returns whether the book is in step with the exchange (snapshot applied, no gap since). */
  get inSync(): boolean {
    return this.synced;
  }

  /** Takes the next record of the capture. */
  onRecord(record: BinanceRecord): void {
    if (this.firstNs === null) this.firstNs = record.localNs;
    this.lastNs = record.localNs;
    switch (record.kind) {
      case 'snapshot':
        this.onSnapshot(record);
        break;
      case 'depth':
        this.countLots(record.bids);
        this.countLots(record.asks);
        if (this.synced) this.applyInSequence(record);
        else this.hold(record);
        break;
      case 'ticker':
        this.tickers++;
        this.offLot(record.bidSize);
        this.offLot(record.askSize);
        this.onTicker(record);
        break;
      case 'trade':
        this.trades++;
        this.tradedSize += record.size;
        this.offLot(record.size);
        break;
      case 'mark':
        break;
    }
  }

  /** Returns the figures so far. */
  report(): BinanceRebuildReport {
    return {
      symbol: this.instrument.symbol,
      snapshots: this.snapshots,
      snapshotLastUpdateId: this.snapshotLastUpdateId,
      diffsBuffered: this.diffsBuffered,
      diffsDropped: this.diffsDropped,
      diffsApplied: this.diffsApplied,
      gaps: this.gaps,
      diffsUnapplied: this.buffer.length,
      levelUpdates: this.levelUpdates,
      tickerChecks: this.tickerChecks,
      tickerMismatches: this.tickerMismatches,
      firstTickerMismatch: this.firstTickerMismatch,
      tickers: this.tickers,
      crossedBooks: this.crossedBooks,
      trades: this.trades,
      tradedSize: this.tradedSize,
      offLotSizes: this.offLotSizes,
      spanNs: this.firstNs === null || this.lastNs === null ? 0 : Number(this.lastNs - this.firstNs),
      unverifiedReason: this.unverifiedReason(),
    };
  }

  /** Returns why nothing could be checked so far (see `BinanceRebuildReport.unverifiedReason`), or null. */
  private unverifiedReason(): string | null {
    if (this.firstNs === null) return 'the capture holds no records';
    if (this.snapshots === 0) {
      return `the capture holds no REST depth snapshot (a line with "lastUpdateId"): ${this.buffer.length.toLocaleString('en-US')} depth diffs were held and none applied`;
    }
    if (this.diffsApplied === 0) return 'no depth diff could be applied after the snapshot';
    if (this.tickerChecks === 0) return 'no bookTicker shared an update id with an applied diff, so the book was never compared';
    return null;
  }

  private onSnapshot(s: BinanceSnapshot): void {
    this.snapshots++;
    this.snapshotLastUpdateId = s.lastUpdateId;
    this.countLots(s.bids);
    this.countLots(s.asks);
    this.clear();
    for (const [price, size] of s.bids) this.setLevel('buy', price, size);
    for (const [price, size] of s.asks) this.setLevel('sell', price, size);
    this.crossingRefused = false;
    this.lastUpdateId = s.lastUpdateId;
    this.synced = false;
    const buffered = this.buffer.filter((d) => d.finalUpdateId > s.lastUpdateId);
    this.diffsDropped += this.buffer.length - buffered.length;
    this.buffer = [];
    const first = buffered[0];
    if (first !== undefined && !bridges(first, s.lastUpdateId)) {
      // Every diff kept starts after the snapshot: it cannot be brought up to date; wait for a newer one.
      this.gaps++;
      this.buffer = buffered;
      return;
    }
    // With nothing buffered past the snapshot, the next diff must straddle it (see applyInSequence).
    this.synced = true;
    for (const d of buffered) {
      if (this.synced) this.applyInSequence(d);
      else this.buffer.push(d);
    }
  }

  /** Keeps a diff until a snapshot it can follow arrives. */
  private hold(d: BinanceDepthDiff): void {
    this.buffer.push(d);
    this.diffsBuffered++;
  }

  private applyInSequence(d: BinanceDepthDiff): void {
    if (d.finalUpdateId <= this.lastUpdateId) {
      this.diffsDropped++;
      return;
    }
    // The first diff after a snapshot straddles it; later ones follow on (see bridges and followsOn).
    const justSnapshotted = this.lastUpdateId === this.snapshotLastUpdateId;
    const inSequence = justSnapshotted ? bridges(d, this.lastUpdateId) : followsOn(d, this.lastUpdateId);
    if (!inSequence) {
      this.gaps++;
      this.synced = false;
      this.hold(d);
      return;
    }
    this.apply(d);
  }

  private apply(d: BinanceDepthDiff): void {
    this.crossingRefused = false;
    // Removals and reductions first, then increases and new levels (see the class comment).
    for (let pass = 0; pass < 2; pass++) {
      const reducing = pass === 0;
      for (const [price, size] of d.bids) if (this.isReduction('buy', price, size) === reducing) this.setLevel('buy', price, size);
      for (const [price, size] of d.asks) if (this.isReduction('sell', price, size) === reducing) this.setLevel('sell', price, size);
    }
    this.levelUpdates += d.bids.length + d.asks.length;
    this.diffsApplied++;
    this.lastUpdateId = d.finalUpdateId;
    const top = this.top();
    if (this.crossingRefused || (top.bid !== null && top.ask !== null && top.bid >= top.ask)) this.crossedBooks++;
    this.topsByUpdateId.set(d.finalUpdateId, top);
    // A ticker arrives within moments of its diff; a few thousand diffs back is plenty to remember.
    if (this.topsByUpdateId.size > MAX_REMEMBERED_TOPS) {
      for (const u of this.topsByUpdateId.keys()) {
        this.topsByUpdateId.delete(u);
        break;
      }
    }
    const waiting = this.waitingTickers.get(d.finalUpdateId);
    if (waiting) {
      this.waitingTickers.delete(d.finalUpdateId);
      this.check(waiting, top);
    }
    // Tickers older than this diff that matched no diff's final id can never be checked.
    for (const u of this.waitingTickers.keys()) if (u < d.finalUpdateId) this.waitingTickers.delete(u);
  }

  private onTicker(t: BinanceBookTicker): void {
    const top = this.topsByUpdateId.get(t.updateId);
    if (top) {
      this.check(t, top);
    } else if (t.updateId > this.lastUpdateId) {
      this.waitingTickers.set(t.updateId, t);
    }
  }

  private check(t: BinanceBookTicker, top: Top): void {
    this.tickerChecks++;
    if (t.bidPrice === top.bid && t.askPrice === top.ask && t.bidSize === top.bidSize && t.askSize === top.askSize) return;
    this.tickerMismatches++;
    this.firstTickerMismatch ??= {
      updateId: t.updateId,
      ticker: { bid: t.bidPrice, bidSize: t.bidSize, ask: t.askPrice, askSize: t.askSize },
      book: top,
    };
  }

  private top(): Top {
    const bid = this.book.bestBid();
    const ask = this.book.bestAsk();
    return {
      bid: bid ?? null,
      bidSize: bid === undefined ? 0 : this.book.depthAt('buy', bid),
      ask: ask ?? null,
      askSize: ask === undefined ? 0 : this.book.depthAt('sell', ask),
    };
  }

  private isReduction(side: Side, price: number, size: number): boolean {
    return size < this.book.depthAt(side, price);
  }

  /** Sets a level's absolute size through its one aggregate order. */
  private setLevel(side: Side, price: number, size: number): void {
    const id = levelOrderId(side, price);
    const book = this.book;
    const current = book.depthAt(side, price);
    if (size === current) return;
    let r: BookResult;
    if (size === 0) r = book.cancel(id);
    else if (current === 0) r = book.submit({ kind: 'limit', id, owner: 0, side, price, size, postOnly: true });
    else if (size < current) r = book.reduce(id, current - size);
    else r = book.modify(id, { size });
    if (!r.accepted) {
      if (r.reject?.code === 'POST_ONLY_WOULD_CROSS') this.crossingRefused = true;
      else throw new Error(`the book refused ${side} level ${price} → ${size}: ${JSON.stringify(r.reject)}`);
    }
  }

  private clear(): void {
    const l3 = this.book.l3();
    for (const level of [...l3.bids, ...l3.asks]) for (const o of level.orders) this.book.cancel(o.id);
  }

  private countLots(levels: readonly BinanceLevel[]): void {
    for (const level of levels) this.offLot(level[1]);
  }

  private offLot(size: number): void {
    if (size % this.instrument.lotUnits !== 0) this.offLotSizes++;
  }
}

/** Returns whether a diff with u > lastUpdateId brings a snapshot at `lastUpdateId` up to date (U <= lastUpdateId + 1, or pu = lastUpdateId). */
function bridges(d: BinanceDepthDiff, lastUpdateId: number): boolean {
  return d.firstUpdateId <= lastUpdateId + 1 || d.previousFinalUpdateId === lastUpdateId;
}

/** Returns whether a diff follows on from the last applied final id: pu = u on USD-M, U = u + 1 on spot. */
function followsOn(d: BinanceDepthDiff, lastUpdateId: number): boolean {
  return d.previousFinalUpdateId !== undefined ? d.previousFinalUpdateId === lastUpdateId : d.firstUpdateId === lastUpdateId + 1;
}

/** Returns the id of the aggregate order that holds a level. */
export function levelOrderId(side: Side, price: number): number {
  return side === 'buy' ? price * 2 : price * 2 + 1;
}
