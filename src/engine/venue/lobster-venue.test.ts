import { describe, expect, it } from 'vitest';
import { createOrderBook } from '../book/order-book';
import { LOBSTER_EMPTY_ASK_PRICE, LOBSTER_EMPTY_BID_PRICE, LobsterDay } from '../data/lobster';
import { LobsterVenue } from './lobster-venue';
import type { VenueEvent } from './types';

const S = 1_000_000_000;
type Lv = Array<[number, number]>;

/** Builds a two-level day from [message row, asks, bids] steps. */
function day(steps: Array<[string, Lv, Lv]>, levels = 2): LobsterDay {
  const rows = steps.map(([, asks, bids]) => {
    const cells: number[] = [];
    for (let k = 0; k < levels; k++) {
      const a = asks[k];
      const b = bids[k];
      cells.push(a ? a[0] : LOBSTER_EMPTY_ASK_PRICE, a ? a[1] : 0, b ? b[0] : LOBSTER_EMPTY_BID_PRICE, b ? b[1] : 0);
    }
    return cells.join(',');
  });
  return LobsterDay.fromLines(
    levels,
    steps.map(([m]) => m),
    rows,
  );
}

const ASKS: Lv = [
  [1010, 50],
  [1020, 30],
];

/**
 * Order 1 (100 lots) rests at 1000 when the venue opens at 1 s. Order 2 (40 lots) joins at 2 s;
 * order 1 then trades 60 (3 s) and is deleted (4 s); order 2 trades 25 (5 s) and 15 (6 s).
 */
function queueDay(): LobsterDay {
  return day([
    ['1,1,1,100,1000,1', ASKS, [[1000, 100], [990, 500]]],
    ['2,1,2,40,1000,1', ASKS, [[1000, 140], [990, 500]]],
    ['3,4,1,60,1000,1', ASKS, [[1000, 80], [990, 500]]],
    ['4,3,1,40,1000,1', ASKS, [[1000, 40], [990, 500]]],
    ['5,4,2,25,1000,1', ASKS, [[1000, 15], [990, 500]]],
    ['6,4,2,15,1000,1', ASKS, [[990, 500]]],
  ]);
}

function fills(events: readonly VenueEvent[]): Array<{ orderId: number; price: number; size: number; remaining: number; ts: number }> {
  return events.flatMap((e) => (e.kind === 'OrderFilled' ? [{ orderId: e.orderId, price: e.price, size: e.size, remaining: e.remaining, ts: e.ts }] : []));
}

describe('lobster venue', () => {
  it('fillsAPassiveOrderOnlyOnceTheQueueAheadHasTraded', () => {
    const venue = new LobsterVenue(queueDay(), { book: createOrderBook() });
    expect(venue.now()).toBe(1 * S);
    const r = venue.submit({ kind: 'limit', id: 7, side: 'buy', price: 1000, size: 30 });
    expect(r).toEqual({ accepted: true, id: 7, fills: [], resting: 30, cancelled: 0 });
    expect(venue.order(7)?.sizeAhead).toBe(100);

    // Order 2 queues behind the agent; 60 of order 1 trades; the rest of order 1 is deleted.
    const quiet = venue.elapse(3 * S);
    expect(fills(quiet.events)).toEqual([]);
    expect(venue.order(7)).toMatchObject({ sizeAhead: 0, filled: 0, remaining: 30 });

    // Order 2 trades 25: nothing is ahead of the agent any more, so the aggressor reached it first.
    const partial = venue.elapse(1 * S);
    expect(fills(partial.events)).toEqual([{ orderId: 7, price: 1000, size: 25, remaining: 5, ts: 5 * S }]);
    const rest = venue.elapse(1 * S);
    expect(fills(rest.events)).toEqual([{ orderId: 7, price: 1000, size: 5, remaining: 0, ts: 6 * S }]);
    expect(venue.openOrders()).toEqual([]);
    expect(rest.exhausted).toBe(true);
    expect(venue.replayReport().mismatchedRows).toBe(0);
  });

  it('publishesTradesAndLevelChangesInOrder', () => {
    const venue = new LobsterVenue(queueDay(), { book: createOrderBook() });
    const { events } = venue.elapse(2 * S);
    expect(events).toEqual([
      { kind: 'LevelChanged', ts: 2 * S, side: 'buy', price: 1000, size: 140 },
      { kind: 'LevelChanged', ts: 3 * S, side: 'buy', price: 1000, size: 80 },
      { kind: 'TradePrinted', ts: 3 * S, price: 1000, size: 60, aggressor: 'sell', hidden: false },
    ]);
  });

  it('queuesBehindEverythingAtThePriceIncludingOlderUnseenOrders', () => {
    // The bid at 1000 predates the file: cancels of such orders always count as ahead.
    const d = day([
      ['1,1,1,10,1010,-1', [[1010, 10]], [[1000, 300]]],
      ['2,2,55,100,1000,1', [[1010, 10]], [[1000, 200]]],
      ['3,1,9,50,1000,1', [[1010, 10]], [[1000, 250]]],
      ['4,3,9,50,1000,1', [[1010, 10]], [[1000, 200]]],
    ]);
    const venue = new LobsterVenue(d, { book: createOrderBook() });
    venue.submit({ kind: 'limit', id: 1, side: 'buy', price: 1000, size: 5 });
    venue.elapse(1 * S);
    expect(venue.order(1)?.sizeAhead).toBe(200);
    // Order 9 arrived after the agent: deleting it does not move the agent up.
    venue.elapse(2 * S);
    expect(venue.order(1)?.sizeAhead).toBe(200);
  });

  it('takesVisibleLiquidityAtTheVisiblePricesAndNotTwice', () => {
    const venue = new LobsterVenue(queueDay(), { book: createOrderBook() });
    const r = venue.submit({ kind: 'limit', id: 1, side: 'buy', price: 1020, size: 70, tif: 'IOC' });
    expect(r).toEqual({
      accepted: true,
      id: 1,
      fills: [
        { orderId: 1, side: 'buy', price: 1010, size: 50, liquidity: 'taker', remaining: 20, ts: 1 * S },
        { orderId: 1, side: 'buy', price: 1020, size: 20, liquidity: 'taker', remaining: 0, ts: 1 * S },
      ],
      resting: 0,
      cancelled: 0,
    });
    expect(venue.l2(2).asks).toEqual([[1020, 10]]);
    expect(venue.bestAsk()).toBe(1020);
    const again = venue.submit({ kind: 'limit', id: 2, side: 'buy', price: 1010, size: 10, tif: 'IOC' });
    expect(again).toEqual({ accepted: true, id: 2, fills: [], resting: 0, cancelled: 10 });
  });

  it('cutsAMarketOrderAtTheVisibleDepth', () => {
    const venue = new LobsterVenue(queueDay(), { book: createOrderBook() });
    const r = venue.submit({ kind: 'market', id: 3, side: 'buy', size: 100 });
    expect(r.accepted && r.fills.map((f) => [f.price, f.size])).toEqual([
      [1010, 50],
      [1020, 30],
    ]);
    expect(r.accepted && r.cancelled).toBe(20);
    expect(venue.bestAsk()).toBeUndefined();
  });

  it('restsTheRemainderOfAMarketableLimitAndFillsItAsMakerWhenASellerArrives', () => {
    const d = day([
      ['1,1,1,10,1010,-1', [[1010, 10]], [[1000, 100]]],
      ['2,1,2,30,1008,-1', [[1008, 30], [1010, 10]], [[1000, 100]]],
    ]);
    const venue = new LobsterVenue(d, { book: createOrderBook() });
    const r = venue.submit({ kind: 'limit', id: 4, side: 'buy', price: 1010, size: 25 });
    expect(r).toMatchObject({ accepted: true, resting: 15 });
    // A real seller posts at 1008, under the agent's bid: it would have traded at the agent's price.
    const { events } = venue.elapse(1 * S);
    expect(fills(events)).toEqual([{ orderId: 4, price: 1010, size: 15, remaining: 0, ts: 2 * S }]);
    expect(venue.l2(2).asks).toEqual([[1008, 15]]);
  });

  it('fillsAnOrderInsideTheSpreadWhenTheAggressorTradesThroughItsPrice', () => {
    const d = day([
      ['1,1,1,10,1010,-1', [[1010, 10]], [[1000, 100]]],
      ['2,4,77,40,1000,1', [[1010, 10]], [[1000, 60]]],
    ]);
    const venue = new LobsterVenue(d, { book: createOrderBook() });
    venue.submit({ kind: 'limit', id: 5, side: 'buy', price: 1005, size: 30 });
    expect(venue.order(5)?.sizeAhead).toBe(0);
    const { events } = venue.elapse(1 * S);
    expect(fills(events)).toEqual([{ orderId: 5, price: 1005, size: 30, remaining: 0, ts: 2 * S }]);
  });

  it('sharesOneExecutionAmongAgentOrdersInPriceTimeOrder', () => {
    // 100 lots from before the file rest at 1000; order 5 joins behind the agent; a seller then
    // takes 120 lots: 100 of the old order (id 77) and 20 of order 5.
    const d = day([
      ['1,1,1,10,1010,-1', [[1010, 10]], [[1000, 100]]],
      ['2,1,5,50,1000,1', [[1010, 10]], [[1000, 150]]],
      ['3,4,77,100,1000,1', [[1010, 10]], [[1000, 50]]],
      ['3,4,5,20,1000,1', [[1010, 10]], [[1000, 30]]],
    ]);
    const venue = new LobsterVenue(d, { book: createOrderBook() });
    venue.submit({ kind: 'limit', id: 1, side: 'buy', price: 1000, size: 15 });
    venue.submit({ kind: 'limit', id: 2, side: 'buy', price: 1005, size: 10 });
    venue.submit({ kind: 'limit', id: 3, side: 'buy', price: 1000, size: 15 });
    expect(venue.openOrders().map((o) => o.sizeAhead)).toEqual([100, 0, 100]);
    const { events } = venue.elapse(2 * S);
    // The bid at 1005 is better, so the first execution reaches it; at 1000 the agent's older order
    // comes first and the younger one gets what is left of the second execution.
    expect(fills(events).map((f) => [f.orderId, f.price, f.size])).toEqual([
      [2, 1005, 10],
      [1, 1000, 15],
      [3, 1000, 5],
    ]);
    expect(venue.replayReport().mismatchedRows).toBe(0);
  });

  it('cancelsAWorkingOrderSoItNeverFills', () => {
    const venue = new LobsterVenue(queueDay(), { book: createOrderBook() });
    venue.submit({ kind: 'limit', id: 7, side: 'buy', price: 1000, size: 30 });
    expect(venue.cancel(7)).toEqual({ accepted: true, id: 7, cancelled: 30 });
    expect(venue.cancel(7)).toEqual({ accepted: false, id: 7, reject: { code: 'UNKNOWN_ORDER', id: 7 } });
    expect(fills(venue.elapse(10 * S).events)).toEqual([]);
    expect(venue.openOrders()).toEqual([]);
  });

  it('refusesBadOrdersWithACodeAndTheNumbers', () => {
    const venue = new LobsterVenue(queueDay(), { book: createOrderBook() });
    venue.submit({ kind: 'limit', id: 1, side: 'sell', price: 1015, size: 5 });
    expect(venue.submit({ kind: 'limit', id: 1, side: 'sell', price: 1015, size: 5 })).toMatchObject({ accepted: false, reject: { code: 'DUPLICATE_ORDER_ID', id: 1 } });
    expect(venue.submit({ kind: 'limit', id: 2, side: 'buy', price: 1010, size: 5, postOnly: true })).toMatchObject({
      accepted: false,
      reject: { code: 'POST_ONLY_WOULD_CROSS', price: 1010, bestOpposite: 1010 },
    });
    expect(venue.submit({ kind: 'limit', id: 3, side: 'buy', price: 1015, size: 5 })).toMatchObject({ accepted: false, reject: { code: 'WOULD_SELF_TRADE', restingId: 1 } });
    expect(venue.submit({ kind: 'limit', id: 4, side: 'buy', price: 1000, size: 0 })).toMatchObject({ accepted: false, reject: { code: 'INVALID_SIZE' } });
    expect(venue.submit({ kind: 'limit', id: 5, side: 'buy', price: 10.5, size: 1 })).toMatchObject({ accepted: false, reject: { code: 'INVALID_PRICE' } });
    expect(venue.submit({ kind: 'market', id: -1, side: 'buy', size: 1 })).toMatchObject({ accepted: false, reject: { code: 'INVALID_ORDER_ID' } });
  });

  it('refusesOrdersDuringAHaltAndAcceptsThemOnceTradingResumes', () => {
    const d = day([
      ['1,1,1,10,1010,-1', [[1010, 10]], [[1000, 100]]],
      ['2,7,0,0,-1,-1', [[1010, 10]], [[1000, 100]]],
      ['3,7,0,0,1,-1', [[1010, 10]], [[1000, 100]]],
    ]);
    const venue = new LobsterVenue(d, { book: createOrderBook() });
    expect(venue.elapse(1 * S).events).toEqual([{ kind: 'TradingStatusChanged', ts: 2 * S, status: 'halted' }]);
    expect(venue.submit({ kind: 'limit', id: 1, side: 'buy', price: 1000, size: 5 })).toMatchObject({ accepted: false, reject: { code: 'TRADING_HALTED' } });
    venue.elapse(1 * S);
    expect(venue.submit({ kind: 'limit', id: 1, side: 'buy', price: 1000, size: 5 })).toMatchObject({ accepted: true });
  });

  it('leavesTheQueueUnknownBeyondTheVisibleLevels', () => {
    const venue = new LobsterVenue(queueDay(), { book: createOrderBook() });
    venue.submit({ kind: 'limit', id: 1, side: 'buy', price: 980, size: 5 });
    expect(venue.order(1)?.sizeAhead).toBeNull();
  });

  it('givesTheSameFillsForTheSameDataAndOrders', () => {
    const script = (): unknown[] => {
      const venue = new LobsterVenue(queueDay(), { book: createOrderBook() });
      const log: unknown[] = [venue.submit({ kind: 'limit', id: 1, side: 'buy', price: 1000, size: 30 })];
      log.push(venue.elapse(2 * S));
      log.push(venue.submit({ kind: 'limit', id: 2, side: 'sell', price: 1020, size: 5 }));
      log.push(venue.elapse(5 * S));
      log.push(venue.openOrders());
      return log;
    };
    expect(script()).toEqual(script());
  });
});
