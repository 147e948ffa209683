/**
 * A full-depth (L3) limit order book with price-time priority, built for speed.
 *
 * Layout: orders live in typed arrays indexed by a slot (a free list recycles slots); an
 * open-addressing table maps order id → slot; each price level holds an intrusive doubly-linked
 * FIFO of slots; each side keeps its levels in a sorted array of keys with the best level at the
 * end, so the touch is O(1), a level near the touch is found by a short scan from the end, and a far
 * or jumping price by binary search. A bid's key is its price and an ask's key is minus its price,
 * so on both sides a greater key is a better level and an incoming order with key k crosses the
 * opposite best key o exactly when k + o >= 0.
 *
 * Hot calls allocate nothing: one result object, its arrays and its fill and level-change objects
 * are reused from call to call (unless `freshResults` is set), as `BookResult` allows.
 *
 * Semantics the interface leaves open:
 * - Self-trade prevention follows the incoming order's mode; the resting order's mode only matters
 *   when that order is itself modified into a cross. A FOK counts liquidity as STP would leave it.
 * - A resting order keeps its owner, STP mode and post-only flag through modifies; a modify that
 *   would make a post-only order cross is rejected and changes nothing.
 * - `reduce` by the whole remaining size or more removes the order (`cancelled` says how much).
 * - `execute` reports the aggressor as takerId -1, owner 0, on the side opposite the resting order.
 * - `cancelled` counts the incoming order's unfilled lots and the lots of resting orders removed by
 *   STP; `stpCancelled` lists the latter.
 * - A call reports a level in `l2` only when its total changed.
 */
import type {
  BookResult,
  Fill,
  L2Snapshot,
  L3Snapshot,
  LevelChange,
  OrderBook,
  OrderBookOptions,
  OrderId,
  OrderRequest,
  OwnerId,
  QueuePosition,
  RejectReason,
  RestingOrder,
  SelfTradePrevention,
  Side,
} from './types';

const BUY = 0;
const SELL = 1;
const NIL = -1;
const EMPTY_KEY = -1;

const STP_NONE = 0;
const STP_CANCEL_NEWEST = 1;
const STP_CANCEL_OLDEST = 2;
const STP_CANCEL_BOTH = 3;
const STP_MASK = 3;
const FLAG_POST_ONLY = 4;

const TIF_GTC = 0;
const TIF_IOC = 1;
const TIF_FOK = 2;

/** How many levels to scan linearly from the touch before switching to binary search. */
const LINEAR_SCAN = 8;

const SIDE_NAMES: readonly Side[] = ['buy', 'sell'];
const STP_NAMES: readonly SelfTradePrevention[] = ['none', 'cancelNewest', 'cancelOldest', 'cancelBoth'];

function isOrderId(id: unknown): id is number {
  return typeof id === 'number' && id >= 0 && id <= Number.MAX_SAFE_INTEGER && Math.floor(id) === id;
}

function isPositiveInt(n: unknown): n is number {
  return typeof n === 'number' && n > 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n;
}

function sideCode(side: unknown): number {
  return side === 'buy' ? BUY : side === 'sell' ? SELL : -1;
}

function stpCode(stp: unknown): number {
  if (stp === undefined || stp === 'none') return STP_NONE;
  if (stp === 'cancelNewest') return STP_CANCEL_NEWEST;
  if (stp === 'cancelOldest') return STP_CANCEL_OLDEST;
  if (stp === 'cancelBoth') return STP_CANCEL_BOTH;
  return -1;
}

function tifCode(tif: unknown): number {
  if (tif === undefined || tif === 'GTC') return TIF_GTC;
  if (tif === 'IOC') return TIF_IOC;
  if (tif === 'FOK') return TIF_FOK;
  return -1;
}

function invalid(field: string, received: unknown): RejectReason {
  return { code: 'INVALID_REQUEST', field, received: String(received) };
}

function pow2AtLeast(n: number, min: number): number {
  let c = min;
  while (c < n) c *= 2;
  return c;
}

/** Open-addressing id → slot table: linear probing, backward-shift deletion (no tombstones). */
class IdTable {
  keys: Float64Array;
  vals: Int32Array;
  mask: number;
  shift: number;
  size = 0;

  constructor(expected: number) {
    const cap = pow2AtLeast(expected * 2, 16);
    this.keys = new Float64Array(cap).fill(EMPTY_KEY);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
  }

  /** Fibonacci hashing of the id's two 32-bit halves; the top bits pick the bucket. */
  home(id: number): number {
    const hi = id > 0xffffffff ? (id / 4294967296) >>> 0 : 0;
    return Math.imul((id >>> 0) ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  get(id: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let i = this.home(id);
    for (;;) {
      const k = keys[i]!;
      if (k === id) return this.vals[i]!;
      if (k === EMPTY_KEY) return NIL;
      i = (i + 1) & mask;
    }
  }

  /** Adds an id known to be absent. */
  add(id: number, slot: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = this.mask;
    let i = this.home(id);
    while (keys[i] !== EMPTY_KEY) i = (i + 1) & mask;
    keys[i] = id;
    this.vals[i] = slot;
    this.size++;
  }

  /** Removes an id and returns its slot, or NIL when absent. */
  take(id: number): number {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = this.home(id);
    for (;;) {
      const k = keys[i]!;
      if (k === id) break;
      if (k === EMPTY_KEY) return NIL;
      i = (i + 1) & mask;
    }
    const slot = vals[i]!;
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const k = keys[j]!;
      if (k === EMPTY_KEY) break;
      // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
      if (((j - this.home(k)) & mask) >= ((j - hole) & mask)) {
        keys[hole] = k;
        vals[hole] = vals[j]!;
        hole = j;
      }
    }
    keys[hole] = EMPTY_KEY;
    this.size--;
    return slot;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = oldKeys.length * 2;
    this.keys = new Float64Array(cap).fill(EMPTY_KEY);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
    const keys = this.keys;
    const mask = this.mask;
    for (let o = 0; o < oldKeys.length; o++) {
      const k = oldKeys[o]!;
      if (k === EMPTY_KEY) continue;
      let i = this.home(k);
      while (keys[i] !== EMPTY_KEY) i = (i + 1) & mask;
      keys[i] = k;
      this.vals[i] = oldVals[o]!;
    }
  }
}

/** One side's levels as sorted keys (ascending, best last) with their level indices. */
class Ladder {
  keys: Float64Array;
  lvls: Int32Array;
  n = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.lvls = new Int32Array(capacity);
  }

  /** Returns the highest index whose key is <= key, or -1. */
  floor(key: number): number {
    const keys = this.keys;
    let i = this.n - 1;
    const stop = i - LINEAR_SCAN;
    for (; i >= 0 && i > stop; i--) {
      if (keys[i]! <= key) return i;
    }
    let lo = 0;
    let hi = i;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! <= key) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Returns the index of `key`, or -1. */
  indexOf(key: number): number {
    const i = this.floor(key);
    return i >= 0 && this.keys[i] === key ? i : -1;
  }

  insertAt(pos: number, key: number, lvl: number): void {
    if (this.n === this.keys.length) this.grow();
    const keys = this.keys;
    const lvls = this.lvls;
    const n = this.n;
    if (n - pos > 16) {
      keys.copyWithin(pos + 1, pos, n);
      lvls.copyWithin(pos + 1, pos, n);
    } else {
      for (let i = n; i > pos; i--) {
        keys[i] = keys[i - 1]!;
        lvls[i] = lvls[i - 1]!;
      }
    }
    keys[pos] = key;
    lvls[pos] = lvl;
    this.n = n + 1;
  }

  removeAt(pos: number): void {
    const n = this.n - 1;
    if (pos !== n) {
      const keys = this.keys;
      const lvls = this.lvls;
      if (n - pos > 16) {
        keys.copyWithin(pos, pos + 1, n + 1);
        lvls.copyWithin(pos, pos + 1, n + 1);
      } else {
        for (let i = pos; i < n; i++) {
          keys[i] = keys[i + 1]!;
          lvls[i] = lvls[i + 1]!;
        }
      }
    }
    this.n = n;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    const lvls = new Int32Array(this.keys.length * 2);
    keys.set(this.keys);
    lvls.set(this.lvls);
    this.keys = keys;
    this.lvls = lvls;
  }
}

class MutableFill implements Fill {
  makerId = 0;
  makerOwner = 0;
  takerId = 0;
  takerOwner = 0;
  takerSide: Side = 'buy';
  price = 0;
  size = 0;
  makerRemaining = 0;
}

class MutableLevelChange implements LevelChange {
  side: Side = 'buy';
  price = 0;
  size = 0;
}

// Calls with nothing to list hand out these instead of truncating the pooled arrays: V8 frees an
// array's backing store when its length drops to 0, and the next push would allocate it again.
const NO_FILLS: readonly Fill[] = Object.freeze([]);
const NO_CHANGES: readonly LevelChange[] = Object.freeze([]);
const NO_IDS: readonly OrderId[] = Object.freeze([]);

class MutableResult implements BookResult {
  accepted = false;
  reject: RejectReason | undefined = undefined;
  fills: readonly Fill[] = NO_FILLS;
  resting = 0;
  cancelled = 0;
  stpCancelled: readonly OrderId[] = NO_IDS;
  l2: readonly LevelChange[] = NO_CHANGES;
}

/**
 * Creates an empty order book. Every call validates before it changes anything and the first failed
 * check is the reject reason. `submit` checks request fields (kind, side, owner, stp, tif,
 * postOnly), then id, price, size, duplicate id, post-only and FOK; the other calls check the id,
 * that the order rests, then their numbers.
 */
export function createOrderBook(options?: OrderBookOptions): OrderBook {
  return new FastOrderBook(options);
}

/**
 * Rebuilds a book from an L3 snapshot: the same orders in the same queues, so every later call
 * behaves as it would on the book the snapshot came from. Throws on a snapshot that no book could
 * have produced (crossed, unsorted, duplicate ids, bad numbers), naming what it received.
 */
export function restoreOrderBook(snapshot: L3Snapshot, options?: OrderBookOptions): OrderBook {
  let total = 0;
  for (const l of snapshot.bids) total += l.orders.length;
  for (const l of snapshot.asks) total += l.orders.length;
  const book = new FastOrderBook({
    ...options,
    initialOrders: Math.max(options?.initialOrders ?? 0, total),
    initialLevels: Math.max(options?.initialLevels ?? 0, snapshot.bids.length + snapshot.asks.length),
  });
  book.load(snapshot);
  return book;
}

class FastOrderBook implements OrderBook {
  // Orders, by slot.
  private oId: Float64Array;
  private oOwner: Float64Array;
  private oSize: Float64Array;
  private oNext: Int32Array;
  private oPrev: Int32Array;
  private oLevel: Int32Array;
  private oFlags: Uint8Array;
  private freeSlot = NIL;
  private count = 0;

  // Levels, by level index.
  private lHead: Int32Array;
  private lTail: Int32Array;
  private lCount: Int32Array;
  private lSize: Float64Array;
  private lPrice: Float64Array;
  private lSide: Uint8Array;
  private freeLevel = NIL;

  private readonly ids: IdTable;
  private readonly ladders: readonly [Ladder, Ladder];

  // The reused result and its pools.
  private readonly fresh: boolean;
  private result = new MutableResult();
  private fillPool: MutableFill[] = [];
  private l2Pool: MutableLevelChange[] = [];
  private fills: MutableFill[] = [];
  private changes: MutableLevelChange[] = [];
  private stpIds: OrderId[] = [];
  private nFills = 0;
  private nL2 = 0;
  private nStp = 0;

  // Side outputs of `match`.
  private takerKilled = false;
  private stpSize = 0;

  constructor(options?: OrderBookOptions) {
    const orders = pow2AtLeast(Math.max(1, options?.initialOrders ?? 1024), 16);
    const levels = pow2AtLeast(Math.max(1, options?.initialLevels ?? 256), 16);
    this.fresh = options?.freshResults === true;
    this.oId = new Float64Array(orders);
    this.oOwner = new Float64Array(orders);
    this.oSize = new Float64Array(orders);
    this.oNext = new Int32Array(orders);
    this.oPrev = new Int32Array(orders);
    this.oLevel = new Int32Array(orders);
    this.oFlags = new Uint8Array(orders);
    this.linkFreeSlots(0, orders);
    this.lHead = new Int32Array(levels);
    this.lTail = new Int32Array(levels);
    this.lCount = new Int32Array(levels);
    this.lSize = new Float64Array(levels);
    this.lPrice = new Float64Array(levels);
    this.lSide = new Uint8Array(levels);
    this.linkFreeLevels(0, levels);
    this.ids = new IdTable(orders);
    this.ladders = [new Ladder(levels), new Ladder(levels)];
  }

  get orderCount(): number {
    return this.count;
  }

  submit(order: OrderRequest): BookResult {
    this.begin();
    const kind = order.kind;
    const isLimit = kind === 'limit';
    if (!isLimit && kind !== 'market') return this.reject(invalid('kind', kind));
    const side = sideCode(order.side);
    if (side < 0) return this.reject(invalid('side', order.side));
    const owner = order.owner;
    if (typeof owner !== 'number' || !Number.isFinite(owner)) return this.reject(invalid('owner', owner));
    const stp = stpCode(order.stp);
    if (stp < 0) return this.reject(invalid('stp', order.stp));
    let tif = TIF_IOC;
    let postOnly = false;
    let price = 0;
    if (order.kind === 'limit') {
      tif = tifCode(order.tif);
      if (tif < 0) return this.reject(invalid('tif', order.tif));
      const po = order.postOnly;
      if (po !== undefined && typeof po !== 'boolean') return this.reject(invalid('postOnly', po));
      postOnly = po === true;
      price = order.price;
    }
    const id = order.id;
    if (!isOrderId(id)) return this.reject({ code: 'INVALID_ORDER_ID', id });
    if (isLimit && !isPositiveInt(price)) return this.reject({ code: 'OFF_TICK_PRICE', price });
    const size = order.size;
    if (!isPositiveInt(size)) return this.reject({ code: 'INVALID_SIZE', size });
    if (this.ids.get(id) !== NIL) return this.reject({ code: 'DUPLICATE_ORDER_ID', id });

    const key = isLimit ? (side === BUY ? price : -price) : Infinity;
    const opp = this.ladders[side ^ 1]!;
    const crosses = opp.n > 0 && key + opp.keys[opp.n - 1]! >= 0;
    if (crosses && postOnly) {
      return this.reject({ code: 'POST_ONLY_WOULD_CROSS', price, bestOpposite: this.lPrice[opp.lvls[opp.n - 1]!]! });
    }
    if (tif === TIF_FOK) {
      const available = crosses ? this.available(side, key, size, owner, stp) : 0;
      if (available < size) return this.reject({ code: 'FOK_NOT_FILLABLE', size, available });
    }

    let remaining = size;
    let cancelled = 0;
    if (crosses) {
      remaining = this.match(side, key, size, id, owner, stp);
      cancelled = this.stpSize;
      if (this.takerKilled) {
        cancelled += remaining;
        remaining = 0;
      }
    }
    if (remaining > 0) {
      if (tif !== TIF_GTC) {
        cancelled += remaining;
        remaining = 0;
      } else {
        const slot = this.allocSlot();
        this.oId[slot] = id;
        this.oOwner[slot] = owner;
        this.oSize[slot] = remaining;
        this.oFlags[slot] = stp | (postOnly ? FLAG_POST_ONLY : 0);
        this.ids.add(id, slot);
        this.rest(slot, side, price);
      }
    }
    return this.finish(remaining, cancelled);
  }

  cancel(id: OrderId): BookResult {
    this.begin();
    if (!isOrderId(id)) return this.reject({ code: 'INVALID_ORDER_ID', id });
    const slot = this.ids.take(id);
    if (slot === NIL) return this.reject({ code: 'UNKNOWN_ORDER', id });
    const size = this.oSize[slot]!;
    this.unlink(slot);
    this.releaseSlot(slot);
    return this.finish(0, size);
  }

  modify(id: OrderId, change: { readonly price?: number; readonly size?: number }): BookResult {
    this.begin();
    if (!isOrderId(id)) return this.reject({ code: 'INVALID_ORDER_ID', id });
    const slot = this.ids.get(id);
    if (slot === NIL) return this.reject({ code: 'UNKNOWN_ORDER', id });
    if (typeof change !== 'object' || change === null) return this.reject(invalid('change', change));
    const lv = this.oLevel[slot]!;
    const side = this.lSide[lv]!;
    const curPrice = this.lPrice[lv]!;
    const curSize = this.oSize[slot]!;
    let price = curPrice;
    if (change.price !== undefined) {
      if (!isPositiveInt(change.price)) return this.reject({ code: 'OFF_TICK_PRICE', price: change.price });
      price = change.price;
    }
    let size = curSize;
    if (change.size !== undefined) {
      const s = change.size;
      if (typeof s === 'number' && s <= 0) return this.reject({ code: 'MODIFY_SIZE_NOT_POSITIVE', size: s });
      if (!isPositiveInt(s)) return this.reject({ code: 'INVALID_SIZE', size: s });
      size = s;
    }

    if (price === curPrice) {
      if (size <= curSize) {
        if (size < curSize) {
          this.oSize[slot] = size;
          this.lSize[lv] = this.lSize[lv]! - (curSize - size);
          this.pushL2(side, price, this.lSize[lv]!);
        }
        return this.finish(size, curSize - size);
      }
      this.moveToBack(slot, lv);
      this.oSize[slot] = size;
      this.lSize[lv] = this.lSize[lv]! + size - curSize;
      this.pushL2(side, price, this.lSize[lv]!);
      return this.finish(size, 0);
    }

    const key = side === BUY ? price : -price;
    const opp = this.ladders[side ^ 1]!;
    const crosses = opp.n > 0 && key + opp.keys[opp.n - 1]! >= 0;
    const flags = this.oFlags[slot]!;
    if (crosses && (flags & FLAG_POST_ONLY) !== 0) {
      return this.reject({ code: 'POST_ONLY_WOULD_CROSS', price, bestOpposite: this.lPrice[opp.lvls[opp.n - 1]!]! });
    }
    this.unlink(slot);
    let remaining = size;
    let cancelled = curSize > size ? curSize - size : 0;
    if (crosses) {
      remaining = this.match(side, key, size, id, this.oOwner[slot]!, flags & STP_MASK);
      cancelled += this.stpSize;
      if (this.takerKilled) {
        cancelled += remaining;
        remaining = 0;
      }
    }
    if (remaining > 0) {
      this.oSize[slot] = remaining;
      this.rest(slot, side, price);
    } else {
      this.ids.take(id);
      this.releaseSlot(slot);
    }
    return this.finish(remaining, cancelled);
  }

  reduce(id: OrderId, by: number): BookResult {
    this.begin();
    if (!isOrderId(id)) return this.reject({ code: 'INVALID_ORDER_ID', id });
    const slot = this.ids.get(id);
    if (slot === NIL) return this.reject({ code: 'UNKNOWN_ORDER', id });
    if (!isPositiveInt(by)) return this.reject({ code: 'INVALID_SIZE', size: by });
    const size = this.oSize[slot]!;
    if (by >= size) {
      this.ids.take(id);
      this.unlink(slot);
      this.releaseSlot(slot);
      return this.finish(0, size);
    }
    const lv = this.oLevel[slot]!;
    this.oSize[slot] = size - by;
    this.lSize[lv] = this.lSize[lv]! - by;
    this.pushL2(this.lSide[lv]!, this.lPrice[lv]!, this.lSize[lv]!);
    return this.finish(size - by, by);
  }

  execute(id: OrderId, size: number): BookResult {
    this.begin();
    if (!isOrderId(id)) return this.reject({ code: 'INVALID_ORDER_ID', id });
    const slot = this.ids.get(id);
    if (slot === NIL) return this.reject({ code: 'UNKNOWN_ORDER', id });
    if (!isPositiveInt(size)) return this.reject({ code: 'INVALID_SIZE', size });
    const available = this.oSize[slot]!;
    if (size > available) return this.reject({ code: 'EXECUTE_EXCEEDS_SIZE', size, available });
    const lv = this.oLevel[slot]!;
    const side = this.lSide[lv]!;
    const price = this.lPrice[lv]!;
    const left = available - size;
    this.pushFill(id, this.oOwner[slot]!, -1, 0, SIDE_NAMES[side ^ 1]!, price, size, left);
    if (left === 0) {
      this.ids.take(id);
      this.unlink(slot);
      this.releaseSlot(slot);
    } else {
      this.oSize[slot] = left;
      this.lSize[lv] = this.lSize[lv]! - size;
      this.pushL2(side, price, this.lSize[lv]!);
    }
    return this.finish(left, 0);
  }

  bestBid(): number | undefined {
    const l = this.ladders[BUY];
    return l.n > 0 ? l.keys[l.n - 1] : undefined;
  }

  bestAsk(): number | undefined {
    const l = this.ladders[SELL];
    return l.n > 0 ? -l.keys[l.n - 1]! : undefined;
  }

  depthAt(side: Side, price: number): number {
    const lv = this.levelOf(side, price);
    return lv === NIL ? 0 : this.lSize[lv]!;
  }

  l2(levels: number): L2Snapshot {
    return { bids: this.l2Side(BUY, levels), asks: this.l2Side(SELL, levels) };
  }

  l3(): L3Snapshot {
    return { bids: this.l3Side(BUY), asks: this.l3Side(SELL) };
  }

  order(id: OrderId): RestingOrder | undefined {
    if (!isOrderId(id)) return undefined;
    const slot = this.ids.get(id);
    return slot === NIL ? undefined : this.restingOrder(slot);
  }

  queuePosition(id: OrderId): QueuePosition | undefined {
    if (!isOrderId(id)) return undefined;
    const slot = this.ids.get(id);
    if (slot === NIL) return undefined;
    const lv = this.oLevel[slot]!;
    let ordersAhead = 0;
    let sizeAhead = 0;
    for (let s = this.lHead[lv]!; s !== slot; s = this.oNext[s]!) {
      ordersAhead++;
      sizeAhead += this.oSize[s]!;
    }
    return { ordersAhead, sizeAhead, levelSize: this.lSize[lv]! };
  }

  levelOrders(side: Side, price: number): OrderId[] {
    const out: OrderId[] = [];
    const lv = this.levelOf(side, price);
    if (lv === NIL) return out;
    for (let s = this.lHead[lv]!; s !== NIL; s = this.oNext[s]!) out.push(this.oId[s]!);
    return out;
  }

  /** Loads a snapshot into this empty book; see `restoreOrderBook`. */
  load(snapshot: L3Snapshot): void {
    const sections = [snapshot.bids, snapshot.asks] as const;
    for (let side = BUY; side <= SELL; side++) {
      const name = SIDE_NAMES[side]!;
      const levels = sections[side]!;
      // Worst level first, so each new level lands at the ladder's end.
      for (let li = levels.length - 1; li >= 0; li--) {
        const level = levels[li]!;
        const price = level.price;
        if (!isPositiveInt(price)) throw new Error(`snapshot ${name} level ${li}: price must be a positive integer, received ${price}`);
        const ladder = this.ladders[side]!;
        const key = side === BUY ? price : -price;
        if (ladder.n > 0 && ladder.keys[ladder.n - 1]! >= key) {
          throw new Error(`snapshot ${name} levels must be strictly best first with no repeats, received ${price} before a worse or equal level`);
        }
        if (level.orders.length === 0) throw new Error(`snapshot ${name} level ${price} has no orders`);
        for (const o of level.orders) {
          const stp = stpCode(o.stp);
          if (o.side !== name) throw new Error(`snapshot order ${o.id} sits among ${name}s but has side ${String(o.side)}`);
          if (o.price !== price) throw new Error(`snapshot order ${o.id} sits at level ${price} but has price ${o.price}`);
          if (!isOrderId(o.id)) throw new Error(`snapshot order id must be a non-negative safe integer, received ${o.id}`);
          if (!isPositiveInt(o.size)) throw new Error(`snapshot order ${o.id}: size must be a positive integer, received ${o.size}`);
          if (typeof o.owner !== 'number' || !Number.isFinite(o.owner)) throw new Error(`snapshot order ${o.id}: owner must be a finite number, received ${o.owner}`);
          if (stp < 0) throw new Error(`snapshot order ${o.id}: unknown stp mode ${String(o.stp)}`);
          if (this.ids.get(o.id) !== NIL) throw new Error(`snapshot holds order id ${o.id} twice`);
          const slot = this.allocSlot();
          this.oId[slot] = o.id;
          this.oOwner[slot] = o.owner;
          this.oSize[slot] = o.size;
          this.oFlags[slot] = stp | (o.postOnly === true ? FLAG_POST_ONLY : 0);
          this.ids.add(o.id, slot);
          this.appendToLevel(slot, side, price);
        }
      }
    }
    const bid = this.bestBid();
    const ask = this.bestAsk();
    if (bid !== undefined && ask !== undefined && bid >= ask) {
      throw new Error(`snapshot is crossed: best bid ${bid} >= best ask ${ask}`);
    }
  }

  // ---- Matching ----

  /**
   * Trades up to `qty` lots against the opposite side at prices no worse than `key`; returns what
   * is left. Sets `stpSize` (resting lots cancelled by STP) and `takerKilled` (STP cancelled the
   * taker's remainder).
   */
  private match(side: number, key: number, qty: number, takerId: number, takerOwner: number, stp: number): number {
    const opp = this.ladders[side ^ 1]!;
    const oppSide = side ^ 1;
    const stpOn = stp !== STP_NONE && takerOwner !== 0;
    const takerSide = SIDE_NAMES[side]!;
    const oOwner = this.oOwner;
    const oSize = this.oSize;
    const oNext = this.oNext;
    const oId = this.oId;
    this.takerKilled = false;
    this.stpSize = 0;
    while (qty > 0 && opp.n > 0) {
      const top = opp.n - 1;
      if (key + opp.keys[top]! < 0) break;
      const lv = opp.lvls[top]!;
      const price = this.lPrice[lv]!;
      const levelBefore = this.lSize[lv]!;
      let levelSize = levelBefore;
      let levelCount = this.lCount[lv]!;
      let slot = this.lHead[lv]!;
      while (slot !== NIL) {
        const makerOwner = oOwner[slot]!;
        const makerSize = oSize[slot]!;
        const next = oNext[slot]!;
        if (stpOn && makerOwner === takerOwner) {
          if (stp === STP_CANCEL_NEWEST) {
            this.takerKilled = true;
            break;
          }
          this.stpSize += makerSize;
          levelSize -= makerSize;
          levelCount--;
          this.pushStp(oId[slot]!);
          this.ids.take(oId[slot]!);
          this.releaseSlot(slot);
          slot = next;
          if (stp === STP_CANCEL_BOTH) {
            this.takerKilled = true;
            break;
          }
          continue;
        }
        if (qty >= makerSize) {
          qty -= makerSize;
          levelSize -= makerSize;
          levelCount--;
          this.pushFill(oId[slot]!, makerOwner, takerId, takerOwner, takerSide, price, makerSize, 0);
          this.ids.take(oId[slot]!);
          this.releaseSlot(slot);
          slot = next;
          if (qty === 0) break;
        } else {
          const left = makerSize - qty;
          oSize[slot] = left;
          levelSize -= qty;
          this.pushFill(oId[slot]!, makerOwner, takerId, takerOwner, takerSide, price, qty, left);
          qty = 0;
          break;
        }
      }
      this.lSize[lv] = levelSize;
      this.lCount[lv] = levelCount;
      if (levelSize !== levelBefore) this.pushL2(oppSide, price, levelSize);
      if (slot === NIL) {
        opp.n = top;
        this.releaseLevel(lv);
      } else {
        this.lHead[lv] = slot;
        this.oPrev[slot] = NIL;
      }
      if (this.takerKilled) break;
    }
    return qty;
  }

  /** Returns the lots a FOK order could take (stopping once `size` is reached), honouring STP. */
  private available(side: number, key: number, size: number, owner: number, stp: number): number {
    const opp = this.ladders[side ^ 1]!;
    const stpOn = stp !== STP_NONE && owner !== 0;
    let sum = 0;
    for (let i = opp.n - 1; i >= 0 && key + opp.keys[i]! >= 0; i--) {
      const lv = opp.lvls[i]!;
      if (!stpOn) {
        sum += this.lSize[lv]!;
      } else {
        for (let s = this.lHead[lv]!; s !== NIL; s = this.oNext[s]!) {
          if (this.oOwner[s] === owner) {
            if (stp === STP_CANCEL_OLDEST) continue;
            return sum;
          }
          sum += this.oSize[s]!;
          if (sum >= size) return sum;
        }
      }
      if (sum >= size) return sum;
    }
    return sum;
  }

  // ---- Levels and queues ----

  /** Appends a filled-in slot to the back of its price level and reports the level's new total. */
  private rest(slot: number, side: number, price: number): void {
    const lv = this.appendToLevel(slot, side, price);
    this.pushL2(side, price, this.lSize[lv]!);
  }

  private appendToLevel(slot: number, side: number, price: number): number {
    const ladder = this.ladders[side]!;
    const key = side === BUY ? price : -price;
    const pos = ladder.floor(key);
    let lv: number;
    if (pos >= 0 && ladder.keys[pos] === key) {
      lv = ladder.lvls[pos]!;
    } else {
      lv = this.allocLevel(side, price);
      ladder.insertAt(pos + 1, key, lv);
    }
    const tail = this.lTail[lv]!;
    this.oPrev[slot] = tail;
    this.oNext[slot] = NIL;
    if (tail === NIL) this.lHead[lv] = slot;
    else this.oNext[tail] = slot;
    this.lTail[lv] = slot;
    this.lCount[lv] = this.lCount[lv]! + 1;
    this.lSize[lv] = this.lSize[lv]! + this.oSize[slot]!;
    this.oLevel[slot] = lv;
    return lv;
  }

  /** Takes a slot out of its level (removing the level when it empties) and reports the level. */
  private unlink(slot: number): void {
    const lv = this.oLevel[slot]!;
    const prev = this.oPrev[slot]!;
    const next = this.oNext[slot]!;
    if (prev === NIL) this.lHead[lv] = next;
    else this.oNext[prev] = next;
    if (next === NIL) this.lTail[lv] = prev;
    else this.oPrev[next] = prev;
    const left = this.lSize[lv]! - this.oSize[slot]!;
    this.lSize[lv] = left;
    const side = this.lSide[lv]!;
    const price = this.lPrice[lv]!;
    this.pushL2(side, price, left);
    const orders = this.lCount[lv]! - 1;
    this.lCount[lv] = orders;
    if (orders === 0) {
      const ladder = this.ladders[side]!;
      const key = side === BUY ? price : -price;
      const top = ladder.n - 1;
      ladder.removeAt(ladder.keys[top] === key ? top : ladder.indexOf(key));
      this.releaseLevel(lv);
    }
  }

  private moveToBack(slot: number, lv: number): void {
    const tail = this.lTail[lv]!;
    if (tail === slot) return;
    const prev = this.oPrev[slot]!;
    const next = this.oNext[slot]!;
    if (prev === NIL) this.lHead[lv] = next;
    else this.oNext[prev] = next;
    this.oPrev[next] = prev;
    this.oPrev[slot] = tail;
    this.oNext[slot] = NIL;
    this.oNext[tail] = slot;
    this.lTail[lv] = slot;
  }

  private levelOf(side: Side, price: number): number {
    const s = sideCode(side);
    if (s < 0 || typeof price !== 'number') return NIL;
    const ladder = this.ladders[s]!;
    const i = ladder.indexOf(s === BUY ? price : -price);
    return i < 0 ? NIL : ladder.lvls[i]!;
  }

  // ---- Slots and levels allocation ----

  private allocSlot(): number {
    if (this.freeSlot === NIL) this.growOrders();
    const slot = this.freeSlot;
    this.freeSlot = this.oNext[slot]!;
    this.count++;
    return slot;
  }

  private releaseSlot(slot: number): void {
    this.oNext[slot] = this.freeSlot;
    this.freeSlot = slot;
    this.count--;
  }

  private linkFreeSlots(from: number, to: number): void {
    for (let s = from; s < to - 1; s++) this.oNext[s] = s + 1;
    this.oNext[to - 1] = this.freeSlot;
    this.freeSlot = from;
  }

  private growOrders(): void {
    const cap = this.oId.length;
    const next = cap * 2;
    this.oId = growF64(this.oId, next);
    this.oOwner = growF64(this.oOwner, next);
    this.oSize = growF64(this.oSize, next);
    this.oNext = growI32(this.oNext, next);
    this.oPrev = growI32(this.oPrev, next);
    this.oLevel = growI32(this.oLevel, next);
    const flags = new Uint8Array(next);
    flags.set(this.oFlags);
    this.oFlags = flags;
    this.linkFreeSlots(cap, next);
  }

  private allocLevel(side: number, price: number): number {
    if (this.freeLevel === NIL) this.growLevels();
    const lv = this.freeLevel;
    this.freeLevel = this.lHead[lv]!;
    this.lHead[lv] = NIL;
    this.lTail[lv] = NIL;
    this.lCount[lv] = 0;
    this.lSize[lv] = 0;
    this.lPrice[lv] = price;
    this.lSide[lv] = side;
    return lv;
  }

  private releaseLevel(lv: number): void {
    this.lHead[lv] = this.freeLevel;
    this.freeLevel = lv;
  }

  private linkFreeLevels(from: number, to: number): void {
    for (let l = from; l < to - 1; l++) this.lHead[l] = l + 1;
    this.lHead[to - 1] = this.freeLevel;
    this.freeLevel = from;
  }

  private growLevels(): void {
    const cap = this.lHead.length;
    const next = cap * 2;
    this.lHead = growI32(this.lHead, next);
    this.lTail = growI32(this.lTail, next);
    this.lCount = growI32(this.lCount, next);
    this.lSize = growF64(this.lSize, next);
    this.lPrice = growF64(this.lPrice, next);
    const sides = new Uint8Array(next);
    sides.set(this.lSide);
    this.lSide = sides;
    this.linkFreeLevels(cap, next);
  }

  // ---- Results ----

  private begin(): void {
    if (this.fresh) {
      this.result = new MutableResult();
      this.fillPool = [];
      this.l2Pool = [];
      this.fills = [];
      this.changes = [];
      this.stpIds = [];
    }
    this.nFills = 0;
    this.nL2 = 0;
    this.nStp = 0;
  }

  private finish(resting: number, cancelled: number): BookResult {
    const r = this.result;
    r.accepted = true;
    r.reject = undefined;
    r.resting = resting;
    r.cancelled = cancelled;
    const nFills = this.nFills;
    if (nFills === 0) {
      r.fills = NO_FILLS;
    } else {
      if (this.fills.length !== nFills) this.fills.length = nFills;
      r.fills = this.fills;
    }
    const nL2 = this.nL2;
    if (nL2 === 0) {
      r.l2 = NO_CHANGES;
    } else {
      if (this.changes.length !== nL2) this.changes.length = nL2;
      r.l2 = this.changes;
    }
    const nStp = this.nStp;
    if (nStp === 0) {
      r.stpCancelled = NO_IDS;
    } else {
      if (this.stpIds.length !== nStp) this.stpIds.length = nStp;
      r.stpCancelled = this.stpIds;
    }
    return r;
  }

  private reject(reason: RejectReason): BookResult {
    const r = this.result;
    r.accepted = false;
    r.reject = reason;
    r.resting = 0;
    r.cancelled = 0;
    r.fills = NO_FILLS;
    r.l2 = NO_CHANGES;
    r.stpCancelled = NO_IDS;
    return r;
  }

  private pushFill(
    makerId: number,
    makerOwner: number,
    takerId: number,
    takerOwner: number,
    takerSide: Side,
    price: number,
    size: number,
    makerRemaining: number,
  ): void {
    const i = this.nFills++;
    let f = this.fillPool[i];
    if (f === undefined) {
      f = new MutableFill();
      this.fillPool.push(f);
    }
    f.makerId = makerId;
    f.makerOwner = makerOwner;
    f.takerId = takerId;
    f.takerOwner = takerOwner;
    f.takerSide = takerSide;
    f.price = price;
    f.size = size;
    f.makerRemaining = makerRemaining;
    // `fills` always holds a prefix of the pool: slot i is either f already or missing.
    if (i >= this.fills.length) this.fills.push(f);
  }

  private pushL2(side: number, price: number, size: number): void {
    const i = this.nL2++;
    let c = this.l2Pool[i];
    if (c === undefined) {
      c = new MutableLevelChange();
      this.l2Pool.push(c);
    }
    c.side = SIDE_NAMES[side]!;
    c.price = price;
    c.size = size;
    if (i >= this.changes.length) this.changes.push(c);
  }

  private pushStp(id: number): void {
    const i = this.nStp++;
    const list = this.stpIds;
    if (i < list.length) list[i] = id;
    else list.push(id);
  }

  // ---- Snapshots ----

  private l2Side(side: number, levels: number): Array<[number, number]> {
    const ladder = this.ladders[side]!;
    const out: Array<[number, number]> = [];
    const max = Math.max(0, Math.min(ladder.n, Math.floor(levels)));
    for (let i = ladder.n - 1; i >= ladder.n - max; i--) {
      const lv = ladder.lvls[i]!;
      out.push([this.lPrice[lv]!, this.lSize[lv]!]);
    }
    return out;
  }

  private l3Side(side: number): Array<{ price: number; orders: RestingOrder[] }> {
    const ladder = this.ladders[side]!;
    const out: Array<{ price: number; orders: RestingOrder[] }> = [];
    for (let i = ladder.n - 1; i >= 0; i--) {
      const lv = ladder.lvls[i]!;
      const orders: RestingOrder[] = [];
      for (let s = this.lHead[lv]!; s !== NIL; s = this.oNext[s]!) orders.push(this.restingOrder(s));
      out.push({ price: this.lPrice[lv]!, orders });
    }
    return out;
  }

  private restingOrder(slot: number): RestingOrder {
    const lv = this.oLevel[slot]!;
    const flags = this.oFlags[slot]!;
    const o: { id: OrderId; owner: OwnerId; side: Side; price: number; size: number; stp?: SelfTradePrevention; postOnly?: boolean } = {
      id: this.oId[slot]!,
      owner: this.oOwner[slot]!,
      side: SIDE_NAMES[this.lSide[lv]!]!,
      price: this.lPrice[lv]!,
      size: this.oSize[slot]!,
    };
    if ((flags & STP_MASK) !== STP_NONE) o.stp = STP_NAMES[flags & STP_MASK]!;
    if ((flags & FLAG_POST_ONLY) !== 0) o.postOnly = true;
    return o;
  }
}

function growF64(a: Float64Array, length: number): Float64Array {
  const b = new Float64Array(length);
  b.set(a);
  return b;
}

function growI32(a: Int32Array, length: number): Int32Array {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}
