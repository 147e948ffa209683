import { describe, expect, it } from 'vitest';
import { generateBookStream, OP_CANCEL, OP_LIMIT, OP_MARKET } from './bench-stream';
import { createOrderBook, restoreOrderBook } from './order-book';
import type { BookResult, LimitOrderRequest, OrderBook, OrderRequest, SelfTradePrevention, Side } from './types';

/** Copies a result, which the book reuses on its next call. */
function copy(r: BookResult): BookResult {
  return structuredClone(r);
}

function limit(id: number, side: Side, price: number, size: number, extra: Partial<LimitOrderRequest> = {}): LimitOrderRequest {
  return { kind: 'limit', id, owner: 0, side, price, size, ...extra };
}

function market(id: number, side: Side, size: number, owner = 0, stp?: SelfTradePrevention): OrderRequest {
  return { kind: 'market', id, owner, side, size, stp };
}

function bookWith(...orders: OrderRequest[]): OrderBook {
  const book = createOrderBook();
  for (const o of orders) {
    const r = book.submit(o);
    if (!r.accepted) throw new Error(`setup order ${o.id} rejected: ${JSON.stringify(r.reject)}`);
  }
  return book;
}

describe('limit orders', () => {
  it('restsLimitOrderWhenNothingCrosses', () => {
    const book = createOrderBook();
    const r = copy(book.submit(limit(1, 'buy', 100, 5)));
    expect(r).toEqual({ accepted: true, reject: undefined, fills: [], resting: 5, cancelled: 0, stpCancelled: [], l2: [{ side: 'buy', price: 100, size: 5 }] });
    expect(book.bestBid()).toBe(100);
    expect(book.bestAsk()).toBeUndefined();
    expect(book.orderCount).toBe(1);
    expect(book.order(1)).toEqual({ id: 1, owner: 0, side: 'buy', price: 100, size: 5 });
  });

  it('matchesAtTheMakersPriceAndRestsTheRemainder', () => {
    const book = bookWith(limit(1, 'sell', 100, 3));
    const r = copy(book.submit(limit(2, 'buy', 105, 5, { owner: 7 })));
    expect(r.fills).toEqual([{ makerId: 1, makerOwner: 0, takerId: 2, takerOwner: 7, takerSide: 'buy', price: 100, size: 3, makerRemaining: 0 }]);
    expect(r.resting).toBe(2);
    expect(r.l2).toEqual([
      { side: 'sell', price: 100, size: 0 },
      { side: 'buy', price: 105, size: 2 },
    ]);
    expect(book.bestBid()).toBe(105);
    expect(book.bestAsk()).toBeUndefined();
  });

  it('fillsByPriceThenTimePriority', () => {
    const book = bookWith(limit(1, 'sell', 101, 2), limit(2, 'sell', 100, 2), limit(3, 'sell', 100, 2), limit(4, 'sell', 99, 1));
    const r = copy(book.submit(limit(5, 'buy', 101, 6)));
    expect(r.fills.map((f) => [f.makerId, f.price, f.size, f.makerRemaining])).toEqual([
      [4, 99, 1, 0],
      [2, 100, 2, 0],
      [3, 100, 2, 0],
      [1, 101, 1, 1],
    ]);
    expect(r.resting).toBe(0);
    expect(r.l2).toEqual([
      { side: 'sell', price: 99, size: 0 },
      { side: 'sell', price: 100, size: 0 },
      { side: 'sell', price: 101, size: 1 },
    ]);
  });

  it('neverTradesBeyondTheLimitPrice', () => {
    const book = bookWith(limit(1, 'buy', 100, 2), limit(2, 'buy', 98, 2));
    const r = copy(book.submit(limit(3, 'sell', 99, 5)));
    expect(r.fills.map((f) => f.price)).toEqual([100]);
    expect(r.resting).toBe(3);
    expect(book.bestAsk()).toBe(99);
    expect(book.bestBid()).toBe(98);
  });

  it('cancelsTheIocRemainderInsteadOfResting', () => {
    const book = bookWith(limit(1, 'sell', 100, 3));
    const r = copy(book.submit(limit(2, 'buy', 100, 5, { tif: 'IOC' })));
    expect(r.fills).toHaveLength(1);
    expect(r.resting).toBe(0);
    expect(r.cancelled).toBe(2);
    expect(book.orderCount).toBe(0);
  });

  it('cancelsAnIocThatCannotTradeAtAll', () => {
    const book = bookWith(limit(1, 'sell', 101, 3));
    const r = copy(book.submit(limit(2, 'buy', 100, 5, { tif: 'IOC' })));
    expect(r).toMatchObject({ accepted: true, fills: [], resting: 0, cancelled: 5, l2: [] });
  });

  it('fillsFokCompletelyWhenTheBookHoldsEnough', () => {
    const book = bookWith(limit(1, 'sell', 100, 3), limit(2, 'sell', 101, 3));
    const r = copy(book.submit(limit(3, 'buy', 101, 5, { tif: 'FOK' })));
    expect(r.accepted).toBe(true);
    expect(r.fills.map((f) => f.size)).toEqual([3, 2]);
    expect(r.resting).toBe(0);
    expect(r.cancelled).toBe(0);
  });

  it('rejectsFokThatCannotFillCompletelyAndLeavesTheBookAlone', () => {
    const book = bookWith(limit(1, 'sell', 100, 3), limit(2, 'sell', 102, 3));
    const before = book.l3();
    const r = copy(book.submit(limit(3, 'buy', 101, 5, { tif: 'FOK' })));
    expect(r).toMatchObject({ accepted: false, reject: { code: 'FOK_NOT_FILLABLE', size: 5, available: 3 }, fills: [], l2: [] });
    expect(book.l3()).toEqual(before);
  });

  it('restsPostOnlyThatDoesNotCross', () => {
    const book = bookWith(limit(1, 'sell', 101, 3));
    const r = copy(book.submit(limit(2, 'buy', 100, 5, { postOnly: true })));
    expect(r).toMatchObject({ accepted: true, resting: 5 });
    expect(book.order(2)).toEqual({ id: 2, owner: 0, side: 'buy', price: 100, size: 5, postOnly: true });
  });

  it('rejectsPostOnlyThatWouldCross', () => {
    const book = bookWith(limit(1, 'sell', 101, 3));
    const r = copy(book.submit(limit(2, 'buy', 101, 5, { postOnly: true })));
    expect(r).toMatchObject({ accepted: false, reject: { code: 'POST_ONLY_WOULD_CROSS', price: 101, bestOpposite: 101 }, fills: [] });
    expect(book.orderCount).toBe(1);
  });
});

describe('market orders', () => {
  it('sweepsTheBookAndCancelsWhatItCannotFill', () => {
    const book = bookWith(limit(1, 'buy', 100, 2), limit(2, 'buy', 99, 2));
    const r = copy(book.submit(market(3, 'sell', 7)));
    expect(r.fills.map((f) => [f.makerId, f.price, f.size, f.takerSide])).toEqual([
      [1, 100, 2, 'sell'],
      [2, 99, 2, 'sell'],
    ]);
    expect(r).toMatchObject({ accepted: true, resting: 0, cancelled: 3 });
    expect(book.bestBid()).toBeUndefined();
  });

  it('cancelsAMarketOrderOnAnEmptySide', () => {
    const book = createOrderBook();
    expect(copy(book.submit(market(1, 'buy', 4)))).toMatchObject({ accepted: true, fills: [], resting: 0, cancelled: 4, l2: [] });
  });

  it('neverRestsAMarketOrder', () => {
    const book = bookWith(limit(1, 'sell', 100, 1));
    book.submit(market(2, 'buy', 5));
    expect(book.order(2)).toBeUndefined();
    expect(book.orderCount).toBe(0);
  });
});

describe('rejections', () => {
  it('rejectsOffTickPrices', () => {
    const book = createOrderBook();
    for (const price of [100.5, 0, -3, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(book.submit(limit(1, 'buy', price, 1)).reject).toEqual({ code: 'OFF_TICK_PRICE', price });
    }
    expect(book.orderCount).toBe(0);
  });

  it('rejectsInvalidSizes', () => {
    const book = createOrderBook();
    for (const size of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(book.submit(limit(1, 'buy', 100, size)).reject).toEqual({ code: 'INVALID_SIZE', size });
      expect(book.submit(market(2, 'buy', size)).reject).toEqual({ code: 'INVALID_SIZE', size });
    }
  });

  it('rejectsInvalidOrderIds', () => {
    const book = createOrderBook();
    for (const id of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(book.submit(limit(id, 'buy', 100, 1)).reject).toEqual({ code: 'INVALID_ORDER_ID', id });
      expect(book.cancel(id).reject).toEqual({ code: 'INVALID_ORDER_ID', id });
      expect(book.modify(id, { size: 1 }).reject).toEqual({ code: 'INVALID_ORDER_ID', id });
      expect(book.reduce(id, 1).reject).toEqual({ code: 'INVALID_ORDER_ID', id });
      expect(book.execute(id, 1).reject).toEqual({ code: 'INVALID_ORDER_ID', id });
    }
  });

  it('rejectsADuplicateIdOfALiveOrder', () => {
    const book = bookWith(limit(1, 'buy', 100, 1));
    expect(book.submit(limit(1, 'sell', 105, 1)).reject).toEqual({ code: 'DUPLICATE_ORDER_ID', id: 1 });
    expect(book.submit(market(1, 'sell', 1)).reject).toEqual({ code: 'DUPLICATE_ORDER_ID', id: 1 });
    expect(book.depthAt('buy', 100)).toBe(1);
  });

  it('acceptsAnIdAgainOnceItsOrderIsGone', () => {
    const book = bookWith(limit(1, 'buy', 100, 1));
    book.cancel(1);
    expect(book.submit(limit(1, 'buy', 100, 2)).accepted).toBe(true);
  });

  it('rejectsUnknownOrders', () => {
    const book = bookWith(limit(1, 'sell', 100, 1));
    book.submit(limit(2, 'buy', 100, 1));
    for (const r of [book.cancel(1), book.modify(1, { size: 1 }), book.reduce(1, 1), book.execute(1, 1), book.cancel(99)]) {
      expect(r.accepted).toBe(false);
      expect(r.reject?.code).toBe('UNKNOWN_ORDER');
    }
  });

  it('rejectsFieldsOutsideTheirClosedSets', () => {
    const book = createOrderBook();
    const bad = (o: Record<string, unknown>): BookResult => book.submit({ kind: 'limit', id: 1, owner: 0, side: 'buy', price: 100, size: 1, ...o } as unknown as OrderRequest);
    expect(bad({ kind: 'stop' }).reject).toEqual({ code: 'INVALID_REQUEST', field: 'kind', received: 'stop' });
    expect(bad({ side: 'long' }).reject).toEqual({ code: 'INVALID_REQUEST', field: 'side', received: 'long' });
    expect(bad({ owner: Number.NaN }).reject).toEqual({ code: 'INVALID_REQUEST', field: 'owner', received: 'NaN' });
    expect(bad({ stp: 'maybe' }).reject).toEqual({ code: 'INVALID_REQUEST', field: 'stp', received: 'maybe' });
    expect(bad({ tif: 'GTD' }).reject).toEqual({ code: 'INVALID_REQUEST', field: 'tif', received: 'GTD' });
    expect(bad({ postOnly: 'yes' }).reject).toEqual({ code: 'INVALID_REQUEST', field: 'postOnly', received: 'yes' });
    expect(book.orderCount).toBe(0);
  });

  it('rejectsAModifyToANonPositiveSize', () => {
    const book = bookWith(limit(1, 'buy', 100, 5));
    expect(book.modify(1, { size: 0 }).reject).toEqual({ code: 'MODIFY_SIZE_NOT_POSITIVE', size: 0 });
    expect(book.modify(1, { size: -2 }).reject).toEqual({ code: 'MODIFY_SIZE_NOT_POSITIVE', size: -2 });
    expect(book.modify(1, { size: 2.5 }).reject).toEqual({ code: 'INVALID_SIZE', size: 2.5 });
    expect(book.modify(1, { price: 99.5 }).reject).toEqual({ code: 'OFF_TICK_PRICE', price: 99.5 });
    expect(book.order(1)?.size).toBe(5);
  });

  it('rejectsAnExecutionLargerThanTheOrder', () => {
    const book = bookWith(limit(1, 'buy', 100, 5));
    expect(book.execute(1, 6).reject).toEqual({ code: 'EXECUTE_EXCEEDS_SIZE', size: 6, available: 5 });
    expect(book.execute(1, 0).reject).toEqual({ code: 'INVALID_SIZE', size: 0 });
    expect(book.reduce(1, 0).reject).toEqual({ code: 'INVALID_SIZE', size: 0 });
    expect(book.order(1)?.size).toBe(5);
  });

  it('neverThrowsForGarbageInput', () => {
    const book = bookWith(limit(1, 'buy', 100, 5));
    const garbage = [null, undefined, '7', {}, [], Number.MAX_VALUE, -0] as unknown[];
    for (const g of garbage) {
      expect(() => book.cancel(g as number)).not.toThrow();
      expect(() => book.modify(1, g as { size: number })).not.toThrow();
      expect(() => book.reduce(1, g as number)).not.toThrow();
      expect(() => book.submit({ kind: 'limit', id: 2, owner: 0, side: 'sell', price: g, size: g } as unknown as OrderRequest)).not.toThrow();
    }
    expect(book.l3()).toEqual({ bids: [{ price: 100, orders: [{ id: 1, owner: 0, side: 'buy', price: 100, size: 5 }] }], asks: [] });
  });
});

describe('cancel, modify, reduce, execute', () => {
  it('cancelRemovesTheOrderAndReportsItsLevel', () => {
    const book = bookWith(limit(1, 'buy', 100, 5), limit(2, 'buy', 100, 3));
    expect(copy(book.cancel(1))).toMatchObject({ accepted: true, resting: 0, cancelled: 5, l2: [{ side: 'buy', price: 100, size: 3 }] });
    expect(copy(book.cancel(2)).l2).toEqual([{ side: 'buy', price: 100, size: 0 }]);
    expect(book.bestBid()).toBeUndefined();
  });

  it('keepsQueuePositionOnSizeReduction', () => {
    const book = bookWith(limit(1, 'buy', 100, 5), limit(2, 'buy', 100, 3));
    const r = copy(book.modify(1, { size: 2 }));
    expect(r).toMatchObject({ accepted: true, resting: 2, cancelled: 3, l2: [{ side: 'buy', price: 100, size: 5 }] });
    expect(book.levelOrders('buy', 100)).toEqual([1, 2]);
    expect(book.queuePosition(2)).toEqual({ ordersAhead: 1, sizeAhead: 2, levelSize: 5 });
  });

  it('losesQueuePositionOnSizeIncrease', () => {
    const book = bookWith(limit(1, 'buy', 100, 5), limit(2, 'buy', 100, 3));
    const r = copy(book.modify(1, { size: 6 }));
    expect(r).toMatchObject({ accepted: true, resting: 6, cancelled: 0, l2: [{ side: 'buy', price: 100, size: 9 }] });
    expect(book.levelOrders('buy', 100)).toEqual([2, 1]);
  });

  it('losesQueuePositionOnPriceChange', () => {
    const book = bookWith(limit(1, 'buy', 100, 5), limit(2, 'buy', 99, 3));
    const r = copy(book.modify(1, { price: 99 }));
    expect(r.l2).toEqual([
      { side: 'buy', price: 100, size: 0 },
      { side: 'buy', price: 99, size: 8 },
    ]);
    expect(book.levelOrders('buy', 99)).toEqual([2, 1]);
    expect(book.bestBid()).toBe(99);
  });

  it('matchesWhenAModifyMakesTheOrderCross', () => {
    const book = bookWith(limit(1, 'sell', 101, 2), limit(2, 'buy', 99, 5, { owner: 4 }));
    const r = copy(book.modify(2, { price: 101, size: 4 }));
    expect(r.fills).toEqual([{ makerId: 1, makerOwner: 0, takerId: 2, takerOwner: 4, takerSide: 'buy', price: 101, size: 2, makerRemaining: 0 }]);
    expect(r).toMatchObject({ resting: 2, cancelled: 1 });
    expect(book.order(2)).toEqual({ id: 2, owner: 4, side: 'buy', price: 101, size: 2 });
  });

  it('removesAnOrderThatAModifyFillsCompletely', () => {
    const book = bookWith(limit(1, 'sell', 101, 9), limit(2, 'buy', 99, 5));
    expect(copy(book.modify(2, { price: 102 }))).toMatchObject({ resting: 0, cancelled: 0 });
    expect(book.order(2)).toBeUndefined();
    expect(book.depthAt('sell', 101)).toBe(4);
  });

  it('treatsAModifyWithNoChangeAsANoOp', () => {
    const book = bookWith(limit(1, 'buy', 100, 5), limit(2, 'buy', 100, 3));
    expect(copy(book.modify(1, {}))).toMatchObject({ accepted: true, resting: 5, cancelled: 0, l2: [] });
    expect(copy(book.modify(1, { price: 100, size: 5 }))).toMatchObject({ accepted: true, l2: [] });
    expect(book.levelOrders('buy', 100)).toEqual([1, 2]);
  });

  it('rejectsAModifyThatWouldMakeAPostOnlyOrderCross', () => {
    const book = bookWith(limit(1, 'sell', 101, 2), limit(2, 'buy', 99, 5, { postOnly: true }));
    expect(book.modify(2, { price: 101 }).reject).toEqual({ code: 'POST_ONLY_WOULD_CROSS', price: 101, bestOpposite: 101 });
    expect(book.order(2)?.price).toBe(99);
    expect(book.modify(2, { price: 100 }).accepted).toBe(true);
  });

  it('reduceKeepsQueuePosition', () => {
    const book = bookWith(limit(1, 'sell', 100, 5), limit(2, 'sell', 100, 3));
    expect(copy(book.reduce(1, 2))).toMatchObject({ accepted: true, resting: 3, cancelled: 2, l2: [{ side: 'sell', price: 100, size: 6 }] });
    expect(book.levelOrders('sell', 100)).toEqual([1, 2]);
  });

  it('reduceToZeroOrBeyondRemovesTheOrder', () => {
    const book = bookWith(limit(1, 'sell', 100, 5), limit(2, 'sell', 101, 3));
    expect(copy(book.reduce(1, 5))).toMatchObject({ resting: 0, cancelled: 5, l2: [{ side: 'sell', price: 100, size: 0 }] });
    expect(copy(book.reduce(2, 10))).toMatchObject({ resting: 0, cancelled: 3 });
    expect(book.orderCount).toBe(0);
  });

  it('executeFillsARestingOrderAgainstAnUnknownTaker', () => {
    const book = bookWith(limit(1, 'sell', 100, 5, { owner: 3 }), limit(2, 'sell', 100, 1));
    const r = copy(book.execute(1, 2));
    expect(r.fills).toEqual([{ makerId: 1, makerOwner: 3, takerId: -1, takerOwner: 0, takerSide: 'buy', price: 100, size: 2, makerRemaining: 3 }]);
    expect(r).toMatchObject({ accepted: true, resting: 3, cancelled: 0, l2: [{ side: 'sell', price: 100, size: 4 }] });
    expect(book.levelOrders('sell', 100)).toEqual([1, 2]);
    expect(copy(book.execute(1, 3))).toMatchObject({ resting: 0, l2: [{ side: 'sell', price: 100, size: 1 }] });
    expect(book.order(1)).toBeUndefined();
  });
});

describe('self-trade prevention', () => {
  const resting = (): OrderBook => bookWith(limit(1, 'sell', 100, 2, { owner: 9 }), limit(2, 'sell', 100, 2, { owner: 5 }), limit(3, 'sell', 100, 2, { owner: 9 }));

  it('cancelNewestCancelsTheIncomingOrderAndKeepsTheResting', () => {
    const book = resting();
    const r = copy(book.submit(limit(4, 'buy', 100, 5, { owner: 5, stp: 'cancelNewest' })));
    expect(r.fills.map((f) => f.makerId)).toEqual([1]);
    expect(r).toMatchObject({ accepted: true, resting: 0, cancelled: 3, stpCancelled: [] });
    expect(book.levelOrders('sell', 100)).toEqual([2, 3]);
    expect(r.l2).toEqual([{ side: 'sell', price: 100, size: 4 }]);
  });

  it('cancelOldestCancelsTheRestingOrderAndKeepsMatching', () => {
    const book = resting();
    const r = copy(book.submit(limit(4, 'buy', 100, 5, { owner: 5, stp: 'cancelOldest' })));
    expect(r.fills.map((f) => [f.makerId, f.size])).toEqual([
      [1, 2],
      [3, 2],
    ]);
    expect(r).toMatchObject({ resting: 1, cancelled: 2, stpCancelled: [2] });
    expect(book.order(2)).toBeUndefined();
    expect(book.bestBid()).toBe(100);
  });

  it('cancelBothRemovesRestingAndIncoming', () => {
    const book = resting();
    const r = copy(book.submit(limit(4, 'buy', 100, 5, { owner: 5, stp: 'cancelBoth' })));
    expect(r.fills.map((f) => f.makerId)).toEqual([1]);
    expect(r).toMatchObject({ resting: 0, cancelled: 2 + 3, stpCancelled: [2] });
    expect(book.levelOrders('sell', 100)).toEqual([3]);
    expect(book.bestBid()).toBeUndefined();
  });

  it('ownerZeroNeverSelfTrades', () => {
    const book = bookWith(limit(1, 'sell', 100, 2));
    const r = copy(book.submit(limit(2, 'buy', 100, 2, { stp: 'cancelBoth' })));
    expect(r.fills).toHaveLength(1);
    expect(r.stpCancelled).toEqual([]);
  });

  it('tradesWithItselfWhenStpIsNone', () => {
    const book = resting();
    const r = copy(book.submit(market(4, 'buy', 6, 9)));
    expect(r.fills.map((f) => f.makerId)).toEqual([1, 2, 3]);
  });

  it('marketOrdersHonourStpToo', () => {
    const book = resting();
    const r = copy(book.submit(market(4, 'buy', 6, 9, 'cancelOldest')));
    expect(r.fills.map((f) => f.makerId)).toEqual([2]);
    expect(r).toMatchObject({ stpCancelled: [1, 3], cancelled: 4 + 4 });
  });

  it('keepsTheStpModeOfARestingOrderForItsModifies', () => {
    const book = bookWith(limit(1, 'sell', 101, 2, { owner: 5 }), limit(2, 'buy', 99, 4, { owner: 5, stp: 'cancelNewest' }));
    expect(book.order(2)?.stp).toBe('cancelNewest');
    const r = copy(book.modify(2, { price: 101 }));
    expect(r).toMatchObject({ accepted: true, fills: [], resting: 0, cancelled: 4 });
    expect(book.order(2)).toBeUndefined();
    expect(book.order(1)?.size).toBe(2);
  });

  it('countsStpWhenCheckingWhetherAFokCanFill', () => {
    const newest = resting();
    expect(newest.submit(limit(4, 'buy', 100, 3, { owner: 5, stp: 'cancelNewest', tif: 'FOK' })).reject).toEqual({ code: 'FOK_NOT_FILLABLE', size: 3, available: 2 });
    expect(newest.orderCount).toBe(3);
    const oldest = resting();
    expect(oldest.submit(limit(4, 'buy', 100, 4, { owner: 5, stp: 'cancelOldest', tif: 'FOK' })).accepted).toBe(true);
    expect(oldest.orderCount).toBe(0);
    expect(resting().submit(limit(4, 'buy', 100, 5, { owner: 5, stp: 'cancelOldest', tif: 'FOK' })).reject).toEqual({ code: 'FOK_NOT_FILLABLE', size: 5, available: 4 });
  });
});

describe('queries', () => {
  it('reportsQueuePositionAsOrdersAndLotsAhead', () => {
    const book = bookWith(limit(1, 'buy', 100, 5), limit(2, 'buy', 100, 3), limit(3, 'buy', 100, 4));
    expect(book.queuePosition(1)).toEqual({ ordersAhead: 0, sizeAhead: 0, levelSize: 12 });
    expect(book.queuePosition(3)).toEqual({ ordersAhead: 2, sizeAhead: 8, levelSize: 12 });
    expect(book.queuePosition(4)).toBeUndefined();
  });

  it('listsLevelOrdersFrontFirstAndDepthBestFirst', () => {
    const book = bookWith(limit(1, 'buy', 99, 5), limit(2, 'buy', 100, 3), limit(3, 'buy', 99, 4), limit(4, 'sell', 103, 1), limit(5, 'sell', 102, 2));
    expect(book.levelOrders('buy', 99)).toEqual([1, 3]);
    expect(book.levelOrders('sell', 99)).toEqual([]);
    expect(book.depthAt('buy', 99)).toBe(9);
    expect(book.depthAt('sell', 100)).toBe(0);
    expect(book.l2(10)).toEqual({ bids: [[100, 3], [99, 9]], asks: [[102, 2], [103, 1]] });
    expect(book.l2(1)).toEqual({ bids: [[100, 3]], asks: [[102, 2]] });
    expect(book.l2(0)).toEqual({ bids: [], asks: [] });
  });

  it('handlesFarAndJumpingPrices', () => {
    const book = createOrderBook();
    const prices = [5_800_000, 1, 5_799_900, 9_999_999_999, 3, 5_800_100, 42_000_000_000];
    prices.forEach((p, i) => book.submit(limit(i + 1, p >= 5_800_100 ? 'sell' : 'buy', p, i + 1)));
    expect(book.l2(100)).toEqual({
      bids: [[5_800_000, 1], [5_799_900, 3], [3, 5], [1, 2]],
      asks: [[5_800_100, 6], [9_999_999_999, 4], [42_000_000_000, 7]],
    });
    const r = copy(book.submit(market(100, 'buy', 100)));
    expect(r.fills.map((f) => f.price)).toEqual([5_800_100, 9_999_999_999, 42_000_000_000]);
  });

  it('keepsAThousandLevelsASideSortedWhateverTheArrivalOrder', () => {
    const book = createOrderBook({ initialLevels: 4 });
    const n = 1000;
    let x = 12345;
    const seen = new Set<number>();
    for (let i = 0; i < 4000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const offset = 1 + (x % n);
      seen.add(offset);
      book.submit(limit(2 * i, 'buy', 1_000_000 - offset, 1));
      book.submit(limit(2 * i + 1, 'sell', 1_000_000 + offset, 1));
    }
    const { bids, asks } = book.l2(10_000);
    expect(bids).toHaveLength(seen.size);
    expect(asks).toHaveLength(seen.size);
    for (let i = 1; i < bids.length; i++) expect(bids[i]![0]).toBeLessThan(bids[i - 1]![0]);
    for (let i = 1; i < asks.length; i++) expect(asks[i]![0]).toBeGreaterThan(asks[i - 1]![0]);
    expect(bids.reduce((s, l) => s + l[1], 0)).toBe(4000);
  });

  it('growsPastItsInitialCapacityAndHandlesLargeIds', () => {
    const book = createOrderBook({ initialOrders: 1, initialLevels: 1 });
    const base = 2 ** 40;
    for (let i = 0; i < 20_000; i++) book.submit(limit(base + i * 7919, i % 2 === 0 ? 'buy' : 'sell', i % 2 === 0 ? 1000 - (i % 300) : 1001 + (i % 300), 1 + (i % 5)));
    expect(book.orderCount).toBe(20_000);
    for (let i = 0; i < 20_000; i += 2) expect(book.cancel(base + i * 7919).accepted).toBe(true);
    expect(book.orderCount).toBe(10_000);
    expect(book.order(base + 7919)).toMatchObject({ side: 'sell', price: 1002, size: 2 });
    expect(book.bestBid()).toBeUndefined();
  });
});

describe('results', () => {
  it('reusesOneResultObjectBetweenCalls', () => {
    const book = bookWith(limit(1, 'sell', 100, 5));
    const a = book.submit(limit(2, 'buy', 100, 1));
    const fill = a.fills[0];
    const b = book.submit(limit(3, 'buy', 100, 2));
    expect(b).toBe(a);
    expect(b.fills[0]).toBe(fill);
    expect(fill?.takerId).toBe(3);
  });

  it('returnsNewResultsWhenAskedForFreshResults', () => {
    const book = createOrderBook({ freshResults: true });
    book.submit(limit(1, 'sell', 100, 5));
    const a = book.submit(limit(2, 'buy', 100, 1));
    const b = book.submit(limit(3, 'buy', 100, 2));
    expect(b).not.toBe(a);
    expect(a.fills[0]?.takerId).toBe(2);
    expect(b.fills[0]?.takerId).toBe(3);
  });
});

describe('snapshots', () => {
  function busyBook(): OrderBook {
    return bookWith(
      limit(1, 'buy', 99, 5, { owner: 1, stp: 'cancelOldest' }),
      limit(2, 'buy', 99, 3, { owner: 2 }),
      limit(3, 'buy', 97, 4, { postOnly: true }),
      limit(4, 'sell', 101, 2, { owner: 1 }),
      limit(5, 'sell', 101, 6, { owner: 3, stp: 'cancelBoth', postOnly: true }),
      limit(6, 'sell', 104, 1),
    );
  }

  it('writesPlainJsonWithStpAndPostOnlyOnlyWhenSet', () => {
    const l3 = busyBook().l3();
    expect(JSON.parse(JSON.stringify(l3))).toEqual(l3);
    expect(l3.bids[0]).toEqual({
      price: 99,
      orders: [
        { id: 1, owner: 1, side: 'buy', price: 99, size: 5, stp: 'cancelOldest' },
        { id: 2, owner: 2, side: 'buy', price: 99, size: 3 },
      ],
    });
    expect(l3.asks[0]?.orders[1]).toEqual({ id: 5, owner: 3, side: 'sell', price: 101, size: 6, stp: 'cancelBoth', postOnly: true });
  });

  it('restoresTheSameOrdersInTheSameQueues', () => {
    const book = busyBook();
    const restored = restoreOrderBook(JSON.parse(JSON.stringify(book.l3())));
    expect(restored.l3()).toEqual(book.l3());
    expect(restored.orderCount).toBe(6);
    expect(restored.queuePosition(2)).toEqual(book.queuePosition(2));
    expect(restored.levelOrders('sell', 101)).toEqual([4, 5]);
  });

  it('behavesIdenticallyAfterRestore', () => {
    const book = busyBook();
    const restored = restoreOrderBook(book.l3());
    const script: Array<(b: OrderBook) => BookResult> = [
      (b) => b.submit(limit(7, 'buy', 101, 3, { owner: 3, stp: 'cancelOldest' })),
      (b) => b.modify(5, { price: 99 }),
      (b) => b.modify(1, { price: 104, size: 9 }),
      (b) => b.submit(market(8, 'sell', 4, 2, 'cancelNewest')),
      (b) => b.reduce(2, 1),
      (b) => b.execute(3, 2),
      (b) => b.cancel(6),
    ];
    for (const step of script) expect(copy(step(restored))).toEqual(copy(step(book)));
    expect(restored.l3()).toEqual(book.l3());
  });

  it('restoresAnEmptyBook', () => {
    const restored = restoreOrderBook({ bids: [], asks: [] });
    expect(restored.orderCount).toBe(0);
    expect(restored.submit(limit(1, 'buy', 10, 1)).accepted).toBe(true);
  });

  it('refusesASnapshotNoBookCouldHaveWritten', () => {
    const o = (id: number, side: Side, price: number) => ({ id, owner: 0, side, price, size: 1 });
    expect(() => restoreOrderBook({ bids: [{ price: 101, orders: [o(1, 'buy', 101)] }], asks: [{ price: 100, orders: [o(2, 'sell', 100)] }] })).toThrow(/crossed/);
    expect(() => restoreOrderBook({ bids: [{ price: 100, orders: [o(1, 'buy', 100)] }, { price: 99, orders: [o(1, 'buy', 99)] }], asks: [] })).toThrow(/twice/);
    expect(() => restoreOrderBook({ bids: [{ price: 99, orders: [o(1, 'buy', 99)] }, { price: 100, orders: [o(2, 'buy', 100)] }], asks: [] })).toThrow(/best first/);
    expect(() => restoreOrderBook({ bids: [{ price: 100, orders: [o(1, 'sell', 100)] }], asks: [] })).toThrow(/side sell/);
    expect(() => restoreOrderBook({ bids: [{ price: 100, orders: [o(1, 'buy', 99)] }], asks: [] })).toThrow(/price 99/);
    expect(() => restoreOrderBook({ bids: [{ price: 100, orders: [] }], asks: [] })).toThrow(/no orders/);
    expect(() => restoreOrderBook({ bids: [{ price: 100, orders: [{ ...o(1, 'buy', 100), size: 0 }] }], asks: [] })).toThrow(/size/);
  });
});

describe('benchmark stream', () => {
  it('isFixedBySeedMixesSixtyThirtyTenAndCancelsOnlyLiveOrders', () => {
    const a = generateBookStream(7, 20_000);
    const b = generateBookStream(7, 20_000);
    expect(b).toEqual(a);
    expect(generateBookStream(8, 20_000).price).not.toEqual(a.price);
    const count = (op: number): number => a.op.filter((o) => o === op).length / a.count;
    expect(count(OP_LIMIT)).toBeCloseTo(0.6, 1);
    expect(count(OP_CANCEL)).toBeCloseTo(0.3, 1);
    expect(count(OP_MARKET)).toBeCloseTo(0.1, 1);
    const book = createOrderBook();
    for (let i = 0; i < a.count; i++) {
      const side: Side = a.side[i] === 0 ? 'buy' : 'sell';
      const r =
        a.op[i] === OP_LIMIT
          ? book.submit(limit(a.id[i]!, side, a.price[i]!, a.size[i]!))
          : a.op[i] === OP_CANCEL
            ? book.cancel(a.id[i]!)
            : book.submit(market(a.id[i]!, side, a.size[i]!));
      expect(r.accepted).toBe(true);
    }
  });
});
