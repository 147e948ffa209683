import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOrderBook, restoreOrderBook } from './order-book';
import type {
  BookResult,
  Fill,
  L3Snapshot,
  OrderBook,
  OrderRequest,
  RejectReason,
  RestingOrder,
  SelfTradePrevention,
  Side,
  TimeInForce,
} from './types';

// ---------------------------------------------------------------------------------------------
// Random streams. Ops are plain data; `toCalls` turns them into calls that do not depend on the
// state of the book they run on, so one stream can drive several books.
// ---------------------------------------------------------------------------------------------

type IdMode = 'new' | 'reuse' | 'bad';

type Op =
  | { t: 'limit'; side: Side; price: number; size: number; owner: number; tif: TimeInForce; postOnly: boolean; stp: SelfTradePrevention; idMode: IdMode; ref: number }
  | { t: 'market'; side: Side; size: number; owner: number; stp: SelfTradePrevention; idMode: IdMode; ref: number }
  | { t: 'cancel'; ref: number }
  | { t: 'modify'; ref: number; price: number | undefined; size: number | undefined }
  | { t: 'reduce'; ref: number; by: number }
  | { t: 'execute'; ref: number; size: number };

const sideArb = fc.constantFrom<Side>('buy', 'sell');
const stpArb = fc.constantFrom<SelfTradePrevention>('none', 'none', 'cancelNewest', 'cancelOldest', 'cancelBoth');
const tifArb = fc.constantFrom<TimeInForce>('GTC', 'GTC', 'GTC', 'IOC', 'FOK');
const idModeArb = fc.constantFrom<IdMode>('new', 'new', 'new', 'new', 'new', 'new', 'new', 'new', 'reuse', 'bad');
/** Mostly a narrow band around 100, now and then a bad price. */
const nearPriceArb = fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 95, max: 105 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 99.5, -1) });
/** Prices that jump across many orders of magnitude, like real venues' far levels. */
const sparsePriceArb = fc.oneof(
  fc.integer({ min: 5_799_990, max: 5_800_010 }),
  fc.integer({ min: 1, max: 20 }),
  fc.integer({ min: 1, max: 2 ** 40 }),
);
const sizeArb = fc.integer({ min: 0, max: 10 });

function opArb(priceArb: fc.Arbitrary<number>): fc.Arbitrary<Op> {
  const ref = fc.nat();
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ t: fc.constant('limit' as const), side: sideArb, price: priceArb, size: sizeArb, owner: fc.integer({ min: 0, max: 3 }), tif: tifArb, postOnly: fc.boolean(), stp: stpArb, idMode: idModeArb, ref }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('market' as const), side: sideArb, size: sizeArb, owner: fc.integer({ min: 0, max: 3 }), stp: stpArb, idMode: idModeArb, ref }) },
    { weight: 3, arbitrary: fc.record({ t: fc.constant('cancel' as const), ref }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('modify' as const), ref, price: fc.option(priceArb, { nil: undefined }), size: fc.option(fc.integer({ min: -1, max: 12 }), { nil: undefined }) }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('reduce' as const), ref, by: fc.integer({ min: 0, max: 12 }) }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('execute' as const), ref, size: fc.integer({ min: 0, max: 12 }) }) },
  );
}

const streamArb = (priceArb = nearPriceArb, maxLength = 120): fc.Arbitrary<Op[]> => fc.array(opArb(priceArb), { maxLength, size: 'max' });

interface Call {
  readonly op: Op;
  /** The id the call is about: the incoming, modified, reduced, executed or cancelled order. */
  readonly id: number;
  readonly run: (book: BookLike) => BookResult;
}

/** The calls a book must support; both the fast book and the reference implement it. */
type BookLike = Pick<OrderBook, 'submit' | 'cancel' | 'modify' | 'reduce' | 'execute'>;

function toCalls(ops: readonly Op[]): Call[] {
  const used: number[] = [];
  let next = 1;
  // Half the picks go to the eight newest ids, which are the likeliest to be live.
  const pick = (ref: number): number => {
    if (used.length === 0) return 424242;
    const half = ref >>> 1;
    return ref % 2 === 0 ? used[half % used.length]! : used[used.length - 1 - (half % Math.min(8, used.length))]!;
  };
  const newId = (mode: IdMode, ref: number, canRest: boolean): number => {
    if (mode === 'bad') return ref % 2 === 0 ? -1 : 0.5;
    if (mode === 'reuse' && used.length > 0) return pick(ref);
    const id = next++;
    if (canRest) used.push(id);
    return id;
  };
  return ops.map((op): Call => {
    switch (op.t) {
      case 'limit': {
        const id = newId(op.idMode, op.ref, op.tif === 'GTC');
        const req: OrderRequest = { kind: 'limit', id, owner: op.owner, side: op.side, price: op.price, size: op.size, tif: op.tif, postOnly: op.postOnly, stp: op.stp };
        return { op, id, run: (b) => b.submit(req) };
      }
      case 'market': {
        const id = newId(op.idMode, op.ref, false);
        const req: OrderRequest = { kind: 'market', id, owner: op.owner, side: op.side, size: op.size, stp: op.stp };
        return { op, id, run: (b) => b.submit(req) };
      }
      case 'cancel': {
        const id = pick(op.ref);
        return { op, id, run: (b) => b.cancel(id) };
      }
      case 'modify': {
        const id = pick(op.ref);
        const change = { ...(op.price !== undefined ? { price: op.price } : {}), ...(op.size !== undefined ? { size: op.size } : {}) };
        return { op, id, run: (b) => b.modify(id, change) };
      }
      case 'reduce': {
        const id = pick(op.ref);
        return { op, id, run: (b) => b.reduce(id, op.by) };
      }
      case 'execute': {
        const id = pick(op.ref);
        return { op, id, run: (b) => b.execute(id, op.size) };
      }
    }
  });
}

function copy(r: BookResult): BookResult {
  return structuredClone(r);
}

function withoutL2(r: BookResult): Omit<BookResult, 'l2'> {
  const { l2: _l2, ...rest } = copy(r);
  return rest;
}

// ---------------------------------------------------------------------------------------------
// The reference: a deliberately plain book. One array per side in priority order; every search is
// a linear scan; nothing is cached.
// ---------------------------------------------------------------------------------------------

interface RefOrder {
  id: number;
  owner: number;
  side: Side;
  price: number;
  size: number;
  stp: SelfTradePrevention;
  postOnly: boolean;
}

const STP_MODES: readonly unknown[] = [undefined, 'none', 'cancelNewest', 'cancelOldest', 'cancelBoth'];
const TIFS: readonly unknown[] = [undefined, 'GTC', 'IOC', 'FOK'];

function isId(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}
function isLots(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x > 0;
}

class ReferenceBook implements BookLike {
  bids: RefOrder[] = [];
  asks: RefOrder[] = [];

  private queue(side: Side): RefOrder[] {
    return side === 'buy' ? this.bids : this.asks;
  }

  private find(id: number): RefOrder | undefined {
    return this.bids.find((o) => o.id === id) ?? this.asks.find((o) => o.id === id);
  }

  private remove(o: RefOrder): void {
    const q = this.queue(o.side);
    q.splice(q.indexOf(o), 1);
  }

  /** Puts an order behind every order at its price or better. */
  private insert(o: RefOrder): void {
    const q = this.queue(o.side);
    let i = 0;
    while (i < q.length && (o.side === 'buy' ? q[i]!.price >= o.price : q[i]!.price <= o.price)) i++;
    q.splice(i, 0, o);
  }

  private acceptable(side: Side, limit: number | undefined, makerPrice: number): boolean {
    if (limit === undefined) return true;
    return side === 'buy' ? makerPrice <= limit : makerPrice >= limit;
  }

  private result(accepted: boolean, reject: RejectReason | undefined, fills: Fill[] = [], resting = 0, cancelled = 0, stpCancelled: number[] = []): BookResult {
    return { accepted, reject, fills, resting, cancelled, stpCancelled, l2: [] };
  }

  private no(reject: RejectReason): BookResult {
    return this.result(false, reject);
  }

  /** Matches an incoming order of `size`; returns fills, what is left, lots cancelled and whether STP ended it. */
  private match(side: Side, limit: number | undefined, size: number, id: number, owner: number, stp: SelfTradePrevention) {
    const opp = this.queue(side === 'buy' ? 'sell' : 'buy');
    const fills: Fill[] = [];
    const stpCancelled: number[] = [];
    let left = size;
    let cancelled = 0;
    let killed = false;
    while (left > 0 && opp.length > 0 && this.acceptable(side, limit, opp[0]!.price)) {
      const m = opp[0]!;
      if (owner !== 0 && stp !== 'none' && m.owner === owner) {
        if (stp === 'cancelNewest') {
          killed = true;
          break;
        }
        opp.shift();
        cancelled += m.size;
        stpCancelled.push(m.id);
        if (stp === 'cancelBoth') {
          killed = true;
          break;
        }
        continue;
      }
      const t = Math.min(left, m.size);
      m.size -= t;
      left -= t;
      fills.push({ makerId: m.id, makerOwner: m.owner, takerId: id, takerOwner: owner, takerSide: side, price: m.price, size: t, makerRemaining: m.size });
      if (m.size === 0) opp.shift();
    }
    if (killed) {
      cancelled += left;
      left = 0;
    }
    return { fills, left, cancelled, stpCancelled };
  }

  private fokAvailable(side: Side, limit: number, owner: number, stp: SelfTradePrevention): number {
    let sum = 0;
    for (const m of this.queue(side === 'buy' ? 'sell' : 'buy')) {
      if (!this.acceptable(side, limit, m.price)) break;
      if (owner !== 0 && stp !== 'none' && m.owner === owner) {
        if (stp === 'cancelOldest') continue;
        break;
      }
      sum += m.size;
    }
    return sum;
  }

  submit(o: OrderRequest): BookResult {
    if (o.kind !== 'limit' && o.kind !== 'market') return this.no({ code: 'INVALID_REQUEST', field: 'kind', received: String((o as { kind: unknown }).kind) });
    if (o.side !== 'buy' && o.side !== 'sell') return this.no({ code: 'INVALID_REQUEST', field: 'side', received: String(o.side) });
    if (typeof o.owner !== 'number' || !Number.isFinite(o.owner)) return this.no({ code: 'INVALID_REQUEST', field: 'owner', received: String(o.owner) });
    if (!STP_MODES.includes(o.stp)) return this.no({ code: 'INVALID_REQUEST', field: 'stp', received: String(o.stp) });
    const stp = o.stp ?? 'none';
    if (o.kind === 'limit' && !TIFS.includes(o.tif)) return this.no({ code: 'INVALID_REQUEST', field: 'tif', received: String(o.tif) });
    if (!isId(o.id)) return this.no({ code: 'INVALID_ORDER_ID', id: o.id });
    if (o.kind === 'limit' && !isLots(o.price)) return this.no({ code: 'OFF_TICK_PRICE', price: o.price });
    if (!isLots(o.size)) return this.no({ code: 'INVALID_SIZE', size: o.size });
    if (this.find(o.id)) return this.no({ code: 'DUPLICATE_ORDER_ID', id: o.id });
    const limit = o.kind === 'limit' ? o.price : undefined;
    const opp = this.queue(o.side === 'buy' ? 'sell' : 'buy');
    const crosses = opp.length > 0 && this.acceptable(o.side, limit, opp[0]!.price);
    if (o.kind === 'limit' && o.postOnly === true && crosses) return this.no({ code: 'POST_ONLY_WOULD_CROSS', price: o.price, bestOpposite: opp[0]!.price });
    if (o.kind === 'limit' && o.tif === 'FOK') {
      const available = this.fokAvailable(o.side, o.price, o.owner, stp);
      if (available < o.size) return this.no({ code: 'FOK_NOT_FILLABLE', size: o.size, available });
    }
    const m = this.match(o.side, limit, o.size, o.id, o.owner, stp);
    let resting = m.left;
    let cancelled = m.cancelled;
    if (resting > 0 && (o.kind === 'market' || (o.tif ?? 'GTC') !== 'GTC')) {
      cancelled += resting;
      resting = 0;
    }
    if (resting > 0 && o.kind === 'limit') {
      this.insert({ id: o.id, owner: o.owner, side: o.side, price: o.price, size: resting, stp, postOnly: o.postOnly === true });
    }
    return this.result(true, undefined, m.fills, resting, cancelled, m.stpCancelled);
  }

  cancel(id: number): BookResult {
    if (!isId(id)) return this.no({ code: 'INVALID_ORDER_ID', id });
    const o = this.find(id);
    if (!o) return this.no({ code: 'UNKNOWN_ORDER', id });
    this.remove(o);
    return this.result(true, undefined, [], 0, o.size);
  }

  modify(id: number, change: { readonly price?: number; readonly size?: number }): BookResult {
    if (!isId(id)) return this.no({ code: 'INVALID_ORDER_ID', id });
    const o = this.find(id);
    if (!o) return this.no({ code: 'UNKNOWN_ORDER', id });
    if (change.price !== undefined && !isLots(change.price)) return this.no({ code: 'OFF_TICK_PRICE', price: change.price });
    if (change.size !== undefined && change.size <= 0) return this.no({ code: 'MODIFY_SIZE_NOT_POSITIVE', size: change.size });
    if (change.size !== undefined && !isLots(change.size)) return this.no({ code: 'INVALID_SIZE', size: change.size });
    const price = change.price ?? o.price;
    const size = change.size ?? o.size;
    const before = o.size;
    if (price === o.price && size <= o.size) {
      o.size = size;
      return this.result(true, undefined, [], size, before - size);
    }
    if (price === o.price) {
      this.remove(o);
      o.size = size;
      this.insert(o);
      return this.result(true, undefined, [], size, 0);
    }
    const opp = this.queue(o.side === 'buy' ? 'sell' : 'buy');
    if (o.postOnly && opp.length > 0 && this.acceptable(o.side, price, opp[0]!.price)) return this.no({ code: 'POST_ONLY_WOULD_CROSS', price, bestOpposite: opp[0]!.price });
    this.remove(o);
    const m = this.match(o.side, price, size, o.id, o.owner, o.stp);
    if (m.left > 0) this.insert({ ...o, price, size: m.left });
    return this.result(true, undefined, m.fills, m.left, Math.max(0, before - size) + m.cancelled, m.stpCancelled);
  }

  reduce(id: number, by: number): BookResult {
    if (!isId(id)) return this.no({ code: 'INVALID_ORDER_ID', id });
    const o = this.find(id);
    if (!o) return this.no({ code: 'UNKNOWN_ORDER', id });
    if (!isLots(by)) return this.no({ code: 'INVALID_SIZE', size: by });
    const cut = Math.min(by, o.size);
    o.size -= cut;
    if (o.size === 0) this.remove(o);
    return this.result(true, undefined, [], o.size, cut);
  }

  execute(id: number, size: number): BookResult {
    if (!isId(id)) return this.no({ code: 'INVALID_ORDER_ID', id });
    const o = this.find(id);
    if (!o) return this.no({ code: 'UNKNOWN_ORDER', id });
    if (!isLots(size)) return this.no({ code: 'INVALID_SIZE', size });
    if (size > o.size) return this.no({ code: 'EXECUTE_EXCEEDS_SIZE', size, available: o.size });
    o.size -= size;
    if (o.size === 0) this.remove(o);
    const fill: Fill = { makerId: o.id, makerOwner: o.owner, takerId: -1, takerOwner: 0, takerSide: o.side === 'buy' ? 'sell' : 'buy', price: o.price, size, makerRemaining: o.size };
    return this.result(true, undefined, [fill], o.size, 0);
  }

  l3(): L3Snapshot {
    const side = (q: RefOrder[]) => {
      const levels: Array<{ price: number; orders: RestingOrder[] }> = [];
      for (const o of q) {
        if (levels.at(-1)?.price !== o.price) levels.push({ price: o.price, orders: [] });
        const r: RestingOrder = { id: o.id, owner: o.owner, side: o.side, price: o.price, size: o.size, ...(o.stp !== 'none' ? { stp: o.stp } : {}), ...(o.postOnly ? { postOnly: true } : {}) };
        levels.at(-1)!.orders.push(r);
      }
      return levels;
    };
    return { bids: side(this.bids), asks: side(this.asks) };
  }
}

// ---------------------------------------------------------------------------------------------
// Invariant checks on one call, given the book's state just before it.
// ---------------------------------------------------------------------------------------------

function priceById(l3: L3Snapshot): Map<number, number> {
  const m = new Map<number, number>();
  for (const l of [...l3.bids, ...l3.asks]) for (const o of l.orders) m.set(o.id, l.price);
  return m;
}

function queueAt(l3: L3Snapshot, side: Side, price: number): number[] {
  return ((side === 'buy' ? l3.bids : l3.asks).find((l) => l.price === price)?.orders ?? []).map((o) => o.id);
}

function totalResting(book: OrderBook): number {
  const { bids, asks } = book.l2(Number.POSITIVE_INFINITY);
  return [...bids, ...asks].reduce((s, [, size]) => s + size, 0);
}

function expectNotCrossed(book: OrderBook): void {
  const bid = book.bestBid();
  const ask = book.bestAsk();
  if (bid !== undefined && ask !== undefined) expect(bid).toBeLessThan(ask);
}

/** Fills of one call come in queue order within each level, and skip nobody who stays behind. */
function expectFifo(before: L3Snapshot, r: BookResult): void {
  const consumed = new Set<number>(r.stpCancelled);
  for (const f of r.fills) if (f.makerRemaining === 0) consumed.add(f.makerId);
  const lastIndex = new Map<number, number>();
  for (const f of r.fills) {
    const makerSide: Side = f.takerSide === 'buy' ? 'sell' : 'buy';
    const queue = queueAt(before, makerSide, f.price);
    const at = queue.indexOf(f.makerId);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(at).toBeGreaterThan(lastIndex.get(f.price) ?? -1);
    lastIndex.set(f.price, at);
    for (const ahead of queue.slice(0, at)) expect(consumed.has(ahead)).toBe(true);
  }
}

/** Per-order accounting: lots in (submitted, modify increases) = filled + cancelled + resting. */
class Ledger {
  private readonly inLots = new Map<number, number>();
  private readonly outLots = new Map<number, number>();
  totalIn = 0;
  totalOut = 0;

  remaining(id: number): number {
    return (this.inLots.get(id) ?? 0) - (this.outLots.get(id) ?? 0);
  }

  private add(map: Map<number, number>, id: number, n: number): void {
    map.set(id, (map.get(id) ?? 0) + n);
  }

  private put(id: number, n: number): void {
    this.add(this.inLots, id, n);
    this.totalIn += n;
  }

  private take(id: number, n: number): void {
    this.add(this.outLots, id, n);
    this.totalOut += n;
  }

  /** Books one accepted call; returns the ids whose remaining size it changed. */
  record(call: Call, r: BookResult): number[] {
    const touched = [call.id];
    const id = call.id;
    const wasLive = this.remaining(id);
    if (call.op.t === 'limit' || call.op.t === 'market') {
      expect(wasLive).toBe(0);
      this.put(id, call.op.size);
    }
    if (call.op.t === 'modify') {
      const newSize = call.op.size ?? wasLive;
      if (newSize > wasLive) this.put(id, newSize - wasLive);
    }
    let stpLots = 0;
    for (const m of r.stpCancelled) {
      const left = this.remaining(m);
      stpLots += left;
      this.take(m, left);
      touched.push(m);
    }
    for (const f of r.fills) {
      this.take(f.makerId, f.size);
      touched.push(f.makerId);
      if (f.takerId !== -1) this.take(f.takerId, f.size);
    }
    this.take(id, r.cancelled - stpLots);
    return touched;
  }
}

/** Runs calls on a book and checks every per-call invariant; returns the book. */
function runChecked(calls: readonly Call[]): OrderBook {
  const book = createOrderBook({ initialOrders: 1, initialLevels: 1 });
  const ledger = new Ledger();
  const mirror = new Map<string, number>();
  for (const call of calls) {
    const before = book.l3();
    const prices = priceById(before);
    const r = call.run(book);
    expectNotCrossed(book);
    if (!r.accepted) {
      expect(r.reject).toBeDefined();
      expect(r.fills).toHaveLength(0);
      expect(r.l2).toHaveLength(0);
      expect(book.l3()).toEqual(before);
      continue;
    }
    // Fills at the maker's price, never through the taker's limit.
    for (const f of r.fills) {
      expect(f.price).toBe(prices.get(f.makerId));
      expect(f.size).toBeGreaterThan(0);
      if (call.op.t === 'limit') expect(f.takerSide === 'buy' ? f.price <= call.op.price : f.price >= call.op.price).toBe(true);
    }
    if (call.op.t !== 'execute') expectFifo(before, r);
    // Quantity conserved for every order the call touched.
    for (const id of ledger.record(call, r)) expect(ledger.remaining(id)).toBe(book.order(id)?.size ?? 0);
    expect(r.resting).toBe(call.op.t === 'cancel' ? 0 : (book.order(call.id)?.size ?? 0));
    // Reported level changes reproduce the book's depth.
    for (const c of r.l2) {
      if (c.size === 0) mirror.delete(`${c.side}:${c.price}`);
      else mirror.set(`${c.side}:${c.price}`, c.size);
    }
    const actual = new Map<string, number>();
    const { bids, asks } = book.l2(Number.POSITIVE_INFINITY);
    for (const [p, s] of bids) actual.set(`buy:${p}`, s);
    for (const [p, s] of asks) actual.set(`sell:${p}`, s);
    expect(mirror).toEqual(actual);
  }
  // Quantity conserved overall; each fill between two orders takes lots out of both of them.
  expect(ledger.totalIn).toBe(ledger.totalOut + totalResting(book));
  return book;
}

describe('order book properties', () => {
  it('holdsEveryInvariantAfterEveryCall', () => {
    fc.assert(
      fc.property(streamArb(), (ops) => {
        runChecked(toCalls(ops));
      }),
      { numRuns: 600 },
    );
  });

  it('holdsEveryInvariantWithSparseJumpingPrices', () => {
    fc.assert(
      fc.property(streamArb(sparsePriceArb), (ops) => {
        runChecked(toCalls(ops));
      }),
      { numRuns: 250 },
    );
  });

  it('givesTheReferenceBooksResultsOnRandomStreams', () => {
    fc.assert(
      fc.property(fc.oneof(streamArb(nearPriceArb, 200), streamArb(sparsePriceArb, 200)), (ops) => {
        const fast = createOrderBook();
        const ref = new ReferenceBook();
        for (const call of toCalls(ops)) {
          const a = withoutL2(call.run(fast));
          const b = withoutL2(call.run(ref));
          expect(a).toEqual(b);
        }
        expect(fast.l3()).toEqual(ref.l3());
      }),
      { numRuns: 600 },
    );
  });

  it('behavesTheSameAfterSnapshotAndRestore', () => {
    fc.assert(
      fc.property(streamArb(), streamArb(), (prefix, suffix) => {
        const calls = toCalls([...prefix, ...suffix]);
        const original = createOrderBook();
        for (const call of calls.slice(0, prefix.length)) call.run(original);
        const restored = restoreOrderBook(JSON.parse(JSON.stringify(original.l3())) as L3Snapshot);
        expect(restored.l3()).toEqual(original.l3());
        for (const call of calls.slice(prefix.length)) {
          expect(copy(call.run(restored))).toEqual(copy(call.run(original)));
        }
        expect(restored.l3()).toEqual(original.l3());
        expect(restored.orderCount).toBe(original.orderCount);
      }),
      { numRuns: 300 },
    );
  });

  it('agreesWithTheReferenceOnDeepBooksAndLongStreams', () => {
    // A few long runs with many resting orders, to exercise growth and deep queues.
    fc.assert(
      fc.property(fc.array(opArb(fc.integer({ min: 90, max: 110 })), { minLength: 1500, maxLength: 2500, size: 'max' }), (ops) => {
        const fast = createOrderBook({ initialOrders: 4, initialLevels: 2 });
        const ref = new ReferenceBook();
        for (const call of toCalls(ops)) expect(withoutL2(call.run(fast))).toEqual(withoutL2(call.run(ref)));
        expect(fast.l3()).toEqual(ref.l3());
      }),
      { numRuns: 10 },
    );
  });
});
