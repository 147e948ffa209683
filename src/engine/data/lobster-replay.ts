/**
 * Rebuilds an order book from a LOBSTER message file and checks it against the orderbook file, row
 * by row. Pure: it takes parsed messages and rows and drives an `OrderBook` passed in.
 *
 * The messages are book maintenance (add, reduce, delete, execute by id), never matching. What the
 * data cannot vouch for is kept out of the book:
 * - Liquidity from before the window is seen only in the first orderbook row. It is seeded, minus
 *   the effect of message 0, as one synthetic order per level, at the front of the level (it is
 *   older than anything the window submits). Its ids start at `SYNTHETIC_ID_BASE`, above every
 *   LOBSTER order reference, and a message with an id that high is refused.
 * - A message that references an order never submitted in the window takes its size out of the
 *   synthetic order at its price.
 * - A level-N file reports only events inside the top N levels, so a level that falls below level N
 *   stops being tracked: the book is trimmed to N levels a side after every message. A level that
 *   then enters the top N from deeper (with no message) is seeded from the row that shows it, as a
 *   synthetic order, and counted in `levelsEnteredFromDeeper`; only a price the previous row could
 *   not show (its side held N levels, and the price is worse than its level N) may enter that way,
 *   so a level the book lost by mistake is still a mismatch. Every other level of every row is
 *   compared with what the messages built.
 * - Hidden executions (type 5), cross trades (type 6) and halts (type 7) leave the book alone.
 */

import type { BookResult, L2Snapshot, LevelChange, OrderBook, Side } from '../book/types';
import type { LobsterMessage, LobsterOrderMessage } from './lobster';

/** The first id handed to synthetic orders; LOBSTER order references stay far below it. */
export const SYNTHETIC_ID_BASE = 2 ** 52;

/** Owner of every replayed order: anonymous, so nothing self-trades. */
const REPLAY_OWNER = 0;

export interface LobsterReplayOptions {
  /** Called with every level total the book reports changed (copied, the caller may keep it). */
  readonly onLevelChange?: (change: LevelChange) => void;
}

export interface LobsterLevelView {
  readonly price: number;
  readonly size: number;
}

/** The first row whose top N levels differ from the rebuilt book. */
export interface LobsterMismatch {
  /** 1-based row (line) number in both files. */
  readonly row: number;
  readonly timeNs: number;
  readonly message: LobsterMessage;
  readonly side: Side;
  /** 1-based level. */
  readonly level: number;
  /** What the orderbook file shows (null: no level). */
  readonly expected: LobsterLevelView | null;
  /** What the rebuilt book holds (null: no level). */
  readonly actual: LobsterLevelView | null;
}

/** Messages the book could not take as the file says, counted rather than thrown. */
export interface LobsterReplayAnomalies {
  /** Submissions the book refused (duplicate id, would cross the rebuilt book, bad size). */
  readonly rejectedSubmits: number;
  /** References to unknown orders at a price with no synthetic liquidity left to take from. */
  readonly unmatchedReferences: number;
  /** Reductions larger than what rests (known or synthetic); the rest was removed. */
  readonly oversizedReductions: number;
  /** Deletions whose size differs from the known order's remaining size. */
  readonly deleteSizeDisagreements: number;
}

/** How often a visible execution took the order at the front of its queue in the rebuilt book. */
export interface LobsterPriorityReport {
  /** Visible executions (type 4). */
  readonly executions: number;
  /** Executions of a known order at a level holding only known orders. */
  readonly checked: number;
  /** Of those, the executed order was first in the rebuilt queue. */
  readonly atFront: number;
  /** atFront / checked (0 when nothing was checked). */
  readonly share: number;
}

/** What a replay found: row checks, how the book was kept honest, trades and the priority check. */
export interface LobsterReplayReport {
  readonly levels: number;
  readonly rows: number;
  readonly matchedRows: number;
  readonly mismatchedRows: number;
  readonly firstMismatch: LobsterMismatch | null;
  /** Levels seeded from the first row. */
  readonly seededLevels: number;
  /** Levels seeded because they entered the top N from deeper with no message. */
  readonly levelsEnteredFromDeeper: number;
  /** Levels dropped because they fell below level N. */
  readonly levelsTrimmed: number;
  /** Messages referencing an order never submitted in the window (types 2–4). */
  readonly unknownOrderReferences: number;
  readonly anomalies: LobsterReplayAnomalies;
  readonly visibleExecutions: { readonly count: number; readonly volume: number };
  readonly hiddenExecutions: { readonly count: number; readonly volume: number };
  readonly crossTrades: { readonly count: number; readonly volume: number };
  readonly halts: number;
  readonly priority: LobsterPriorityReport;
}

/**
 * Replays LOBSTER rows through an order book. Call `step(message, row)` for every row in file order
 * (row i is the book after message i, in the orderbook file's flat layout, see `parseOrderbookBytes`);
 * the first call seeds the book. `report()` returns the figures so far.
 */
export class LobsterReplay {
  readonly levels: number;
  private readonly book: OrderBook;
  private readonly onLevelChange: ((change: LevelChange) => void) | undefined;
  private readonly synthBids = new Map<number, number>();
  private readonly synthAsks = new Map<number, number>();
  private nextSyntheticId = SYNTHETIC_ID_BASE;
  private rowNumber = 0;
  /** Whether the previous row showed N levels a side, and its level-N prices (see `checkEntering`). */
  private askWindowFull = false;
  private askWindowEnd = 0;
  private bidWindowFull = false;
  private bidWindowEnd = 0;

  private matchedRows = 0;
  private mismatchedRows = 0;
  private firstMismatch: LobsterMismatch | null = null;
  private seededLevels = 0;
  private levelsEnteredFromDeeper = 0;
  private levelsTrimmed = 0;
  private unknownOrderReferences = 0;
  private rejectedSubmits = 0;
  private unmatchedReferences = 0;
  private oversizedReductions = 0;
  private deleteSizeDisagreements = 0;
  private visibleCount = 0;
  private visibleVolume = 0;
  private hiddenCount = 0;
  private hiddenVolume = 0;
  private crossCount = 0;
  private crossVolume = 0;
  private halts = 0;
  private priorityChecked = 0;
  private priorityAtFront = 0;

  /** Takes an empty book and the number of levels a side the orderbook file carries. */
  constructor(book: OrderBook, levels: number, options: LobsterReplayOptions = {}) {
    if (!Number.isSafeInteger(levels) || levels <= 0) throw new Error(`levels must be a positive integer, received ${levels}`);
    if (book.orderCount !== 0) throw new Error(`the replay needs an empty book, received one with ${book.orderCount} orders`);
    this.book = book;
    this.levels = levels;
    this.onLevelChange = options.onLevelChange;
  }

  /** Forwards the level changes of a book call to the listener, if there is one; returns the result. */
  private tell(r: BookResult): BookResult {
    const listener = this.onLevelChange;
    if (listener !== undefined && r.accepted) {
      for (const c of r.l2) listener({ side: c.side, price: c.price, size: c.size });
    }
    return r;
  }

  /** Returns the book being rebuilt (read it, do not change it). */
  get orderBook(): OrderBook {
    return this.book;
  }

  /** Returns whether an id belongs to a synthetic order (liquidity from outside the messages). */
  isSynthetic(id: number): boolean {
    return id >= SYNTHETIC_ID_BASE;
  }

  /** Returns the synthetic order's id at a level, if the level holds one. */
  syntheticAt(side: Side, price: number): number | undefined {
    return (side === 'buy' ? this.synthBids : this.synthAsks).get(price);
  }

  /**
   * Applies message i and compares the top N levels with row i. Returns true when they match.
   * The row may be reused by the caller after the call.
   */
  step(message: LobsterMessage, row: ArrayLike<number>): boolean {
    this.rowNumber++;
    if (this.rowNumber === 1) this.seed(message, row);
    this.apply(message);
    return this.compare(message, row);
  }

  private apply(message: LobsterMessage): void {
    switch (message.kind) {
      case 'submit':
        this.submit(message);
        break;
      case 'cancel':
      case 'delete':
      case 'execute':
        this.remove(message);
        break;
      case 'executeHidden':
        this.hiddenCount++;
        this.hiddenVolume += message.size;
        break;
      case 'cross':
        this.crossCount++;
        this.crossVolume += message.size;
        break;
      case 'halt':
        this.halts++;
        break;
    }
  }

  /** Returns the figures so far. */
  report(): LobsterReplayReport {
    return {
      levels: this.levels,
      rows: this.rowNumber,
      matchedRows: this.matchedRows,
      mismatchedRows: this.mismatchedRows,
      firstMismatch: this.firstMismatch,
      seededLevels: this.seededLevels,
      levelsEnteredFromDeeper: this.levelsEnteredFromDeeper,
      levelsTrimmed: this.levelsTrimmed,
      unknownOrderReferences: this.unknownOrderReferences,
      anomalies: {
        rejectedSubmits: this.rejectedSubmits,
        unmatchedReferences: this.unmatchedReferences,
        oversizedReductions: this.oversizedReductions,
        deleteSizeDisagreements: this.deleteSizeDisagreements,
      },
      visibleExecutions: { count: this.visibleCount, volume: this.visibleVolume },
      hiddenExecutions: { count: this.hiddenCount, volume: this.hiddenVolume },
      crossTrades: { count: this.crossCount, volume: this.crossVolume },
      halts: this.halts,
      priority: {
        executions: this.visibleCount,
        checked: this.priorityChecked,
        atFront: this.priorityAtFront,
        share: this.priorityChecked > 0 ? this.priorityAtFront / this.priorityChecked : 0,
      },
    };
  }

  /** Seeds the liquidity that predates the window: row 0 with message 0 undone. */
  private seed(message: LobsterMessage, row: ArrayLike<number>): void {
    const asks = new Map<number, number>();
    const bids = new Map<number, number>();
    for (let k = 0; k < this.levels; k++) {
      const askSize = row[4 * k + 1] as number;
      const bidSize = row[4 * k + 3] as number;
      if (askSize > 0) asks.set(row[4 * k] as number, askSize);
      if (bidSize > 0) bids.set(row[4 * k + 2] as number, bidSize);
    }
    if (message.kind === 'submit' || message.kind === 'cancel' || message.kind === 'delete' || message.kind === 'execute') {
      const levels = message.side === 'buy' ? bids : asks;
      const shown = levels.get(message.price) ?? 0;
      const before = message.kind === 'submit' ? shown - message.size : shown + message.size;
      if (before > 0) levels.set(message.price, before);
      else levels.delete(message.price);
    }
    for (const [price, size] of asks) this.seedLevel('sell', price, size);
    for (const [price, size] of bids) this.seedLevel('buy', price, size);
    this.seededLevels = asks.size + bids.size;
  }

  private seedLevel(side: Side, price: number, size: number): void {
    const id = this.nextSyntheticId++;
    const r = this.tell(this.book.submit({ kind: 'limit', id, owner: REPLAY_OWNER, side, price, size, postOnly: true }));
    if (!r.accepted) {
      throw new Error(`the book refused synthetic liquidity ${side} ${size} @ ${price}: ${describeReject(r)}`);
    }
    (side === 'buy' ? this.synthBids : this.synthAsks).set(price, id);
  }

  private submit(m: LobsterOrderMessage): void {
    if (m.orderId >= SYNTHETIC_ID_BASE) {
      throw new Error(`row ${this.rowNumber}: order id ${m.orderId} is in the synthetic range, expected ids below ${SYNTHETIC_ID_BASE}`);
    }
    const r = this.tell(this.book.submit({ kind: 'limit', id: m.orderId, owner: REPLAY_OWNER, side: m.side, price: m.price, size: m.size, postOnly: true }));
    if (!r.accepted) this.rejectedSubmits++;
  }

  /** Handles types 2, 3 and 4: take size out of a known order, or out of the synthetic liquidity. */
  private remove(m: LobsterOrderMessage): void {
    const book = this.book;
    if (m.kind === 'execute') {
      this.visibleCount++;
      this.visibleVolume += m.size;
    }
    const position = book.queuePosition(m.orderId);
    if (position === undefined) {
      this.unknownOrderReferences++;
      this.takeFromSynthetic(m);
      return;
    }
    if (m.kind === 'execute') {
      if (this.syntheticAt(m.side, m.price) === undefined) {
        this.priorityChecked++;
        if (position.ordersAhead === 0) this.priorityAtFront++;
      }
      const r = this.tell(book.execute(m.orderId, m.size));
      if (!r.accepted) this.removeAll(m.orderId);
    } else if (m.kind === 'cancel') {
      const r = this.tell(book.reduce(m.orderId, m.size));
      if (!r.accepted) this.removeAll(m.orderId);
    } else {
      const r = this.tell(book.cancel(m.orderId));
      if (r.cancelled !== m.size) this.deleteSizeDisagreements++;
    }
  }

  /** Removes an order a message over-reduced (LOBSTER says more went than rests). */
  private removeAll(id: number): void {
    this.oversizedReductions++;
    this.tell(this.book.cancel(id));
  }

  private takeFromSynthetic(m: LobsterOrderMessage): void {
    const synths = m.side === 'buy' ? this.synthBids : this.synthAsks;
    const id = synths.get(m.price);
    if (id === undefined) {
      this.unmatchedReferences++;
      return;
    }
    const rest = this.book.order(id)?.size ?? 0;
    if (m.size >= rest) {
      if (m.size > rest) this.oversizedReductions++;
      this.tell(this.book.cancel(id));
      synths.delete(m.price);
    } else {
      this.tell(this.book.reduce(id, m.size));
    }
  }

  /** Trims the book to N levels a side, seeds levels entering from deeper, then compares. */
  private compare(message: LobsterMessage, row: ArrayLike<number>): boolean {
    const n = this.levels;
    let l2 = this.book.l2(n + 1);
    while (l2.bids.length > n || l2.asks.length > n) {
      this.trim(l2);
      l2 = this.book.l2(n + 1);
    }
    const askEnter = this.compareSide(message, row, l2.asks, 'sell');
    const bidEnter = askEnter === -2 ? -2 : this.compareSide(message, row, l2.bids, 'buy');
    // The snapshot may be reused by the book: seed only after both sides have been read.
    if (askEnter >= 0) this.enterFromDeeper(row, askEnter, 'sell');
    if (bidEnter >= 0) this.enterFromDeeper(row, bidEnter, 'buy');
    this.rememberWindow(row);
    if (askEnter === -2 || bidEnter === -2) return this.mismatch();
    this.matchedRows++;
    return true;
  }

  /** Notes how far down the row shows each side: only prices beyond that can enter from deeper later. */
  private rememberWindow(row: ArrayLike<number>): void {
    const last = 4 * (this.levels - 1);
    this.askWindowFull = (row[last + 1] as number) > 0;
    this.askWindowEnd = row[last] as number;
    this.bidWindowFull = (row[last + 3] as number) > 0;
    this.bidWindowEnd = row[last + 2] as number;
  }

  private mismatch(): boolean {
    this.mismatchedRows++;
    return false;
  }

  /**
   * Compares one side. Returns -1 when it matches, the index of the first level entering from
   * deeper when the row shows more levels below everything the book holds, and -2 on a mismatch
   * (recorded as the first mismatch if it is).
   */
  private compareSide(message: LobsterMessage, row: ArrayLike<number>, ours: L2Snapshot['asks'], side: Side): number {
    const offset = side === 'sell' ? 0 : 2;
    const n = this.levels;
    for (let k = 0; k < n; k++) {
      const price = row[4 * k + offset] as number;
      const size = row[4 * k + offset + 1] as number;
      const level = ours[k];
      if (size === 0) {
        if (level === undefined) return -1;
        this.noteMismatch(message, side, k, null, level);
        return -2;
      }
      if (level === undefined) return this.checkEntering(message, row, side, k);
      if (level[0] !== price || level[1] !== size) {
        this.noteMismatch(message, side, k, { price, size }, level);
        return -2;
      }
    }
    return -1;
  }

  /**
   * Levels k.. of the row lie below everything the book holds. They can only have come from
   * deeper: the previous row showed N levels on this side and they are all worse than its level N.
   * A level the book lost by mistake fails that test. Returns k, or -2 on a mismatch.
   */
  private checkEntering(message: LobsterMessage, row: ArrayLike<number>, side: Side, from: number): number {
    const offset = side === 'sell' ? 0 : 2;
    const full = side === 'sell' ? this.askWindowFull : this.bidWindowFull;
    let bound = side === 'sell' ? this.askWindowEnd : this.bidWindowEnd;
    for (let k = from; k < this.levels; k++) {
      const price = row[4 * k + offset] as number;
      const size = row[4 * k + offset + 1] as number;
      if (size === 0) break;
      if (!full || (side === 'sell' ? price <= bound : price >= bound)) {
        this.noteMismatch(message, side, k, { price, size }, undefined);
        return -2;
      }
      bound = price;
    }
    return from;
  }

  private enterFromDeeper(row: ArrayLike<number>, from: number, side: Side): void {
    const offset = side === 'sell' ? 0 : 2;
    for (let k = from; k < this.levels; k++) {
      const size = row[4 * k + offset + 1] as number;
      if (size === 0) break;
      this.seedLevel(side, row[4 * k + offset] as number, size);
      this.levelsEnteredFromDeeper++;
    }
  }

  /** Drops every level below level N: the file stops reporting what happens there. */
  private trim(l2: L2Snapshot): void {
    const n = this.levels;
    const drop: Array<[Side, number]> = [];
    if (l2.asks.length > n) drop.push(['sell', (l2.asks[n] as readonly [number, number])[0]]);
    if (l2.bids.length > n) drop.push(['buy', (l2.bids[n] as readonly [number, number])[0]]);
    for (const [side, price] of drop) {
      for (const id of this.book.levelOrders(side, price)) this.tell(this.book.cancel(id));
      if (this.book.depthAt(side, price) !== 0) {
        throw new Error(`the book still holds ${this.book.depthAt(side, price)} lots at ${side} ${price} after cancelling every order levelOrders listed there, expected none`);
      }
      (side === 'buy' ? this.synthBids : this.synthAsks).delete(price);
      this.levelsTrimmed++;
    }
  }

  private noteMismatch(
    message: LobsterMessage,
    side: Side,
    k: number,
    expected: LobsterLevelView | null,
    actual: readonly [number, number] | undefined | null,
  ): void {
    if (this.firstMismatch !== null) return;
    this.firstMismatch = {
      row: this.rowNumber,
      timeNs: message.timeNs,
      message,
      side,
      level: k + 1,
      expected,
      actual: actual ? { price: actual[0], size: actual[1] } : null,
    };
  }
}

function describeReject(r: BookResult): string {
  return r.reject ? JSON.stringify(r.reject) : 'no reason given';
}
