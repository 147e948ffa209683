import { describe, expect, it } from 'vitest';
import { createOrderBook } from '../book/order-book';
import type { LevelChange } from '../book/types';
import { flatFromBookRow, parseMessageLine } from './lobster';
import { LobsterReplay, SYNTHETIC_ID_BASE } from './lobster-replay';

type Lv = Array<[number, number]>;

/** One step: a message row and the orderbook row after it (asks, bids as [price, size] best first). */
interface Step {
  readonly msg: string;
  readonly asks: Lv;
  readonly bids: Lv;
}

function run(levels: number, steps: readonly Step[], onLevelChange?: (c: LevelChange) => void): { replay: LobsterReplay; matched: boolean[] } {
  const replay = new LobsterReplay(createOrderBook(), levels, { onLevelChange });
  const matched = steps.map((s, i) => {
    const row = flatFromBookRow({ asks: s.asks.map(([price, size]) => ({ price, size })), bids: s.bids.map(([price, size]) => ({ price, size })) }, levels);
    return replay.step(parseMessageLine(s.msg, 'm.csv', i + 1), row);
  });
  return { replay, matched };
}

describe('lobster replay', () => {
  it('seedsPreWindowLiquidityFromTheFirstRowWithMessageZeroUndone', () => {
    const { replay, matched } = run(2, [
      // An order from before the window executes 4 of 500: the file's first row shows 496.
      { msg: '34200.01,4,777,4,1000,1', asks: [[1010, 100], [1020, 50]], bids: [[1000, 496], [990, 300]] },
      // It executes again, by the same unknown id.
      { msg: '34200.02,4,777,296,1000,1', asks: [[1010, 100], [1020, 50]], bids: [[1000, 200], [990, 300]] },
    ]);
    expect(matched).toEqual([true, true]);
    const r = replay.report();
    expect(r.seededLevels).toBe(4);
    expect(r.unknownOrderReferences).toBe(2);
    expect(replay.orderBook.order(SYNTHETIC_ID_BASE)).toBeDefined();
    expect(replay.orderBook.depthAt('buy', 1000)).toBe(200);
  });

  it('leavesAFirstSubmissionOutOfTheSeed', () => {
    const { replay, matched } = run(1, [
      { msg: '34200.01,1,5,30,1000,1', asks: [[1010, 100]], bids: [[1000, 130]] },
      { msg: '34200.02,3,5,30,1000,1', asks: [[1010, 100]], bids: [[1000, 100]] },
    ]);
    expect(matched).toEqual([true, true]);
    expect(replay.orderBook.levelOrders('buy', 1000)).toEqual([replay.syntheticAt('buy', 1000)]);
    expect(replay.report().unknownOrderReferences).toBe(0);
  });

  it('takesReferencesToUnsubmittedOrdersOutOfTheSyntheticLevel', () => {
    const { replay, matched } = run(1, [
      { msg: '34200.01,1,5,30,1000,1', asks: [[1010, 100]], bids: [[1000, 130]] },
      // Order 99 was never submitted in the window: it is part of the seeded 100.
      { msg: '34200.02,2,99,40,1000,1', asks: [[1010, 100]], bids: [[1000, 90]] },
      { msg: '34200.03,3,98,60,1000,1', asks: [[1010, 100]], bids: [[1000, 30]] },
    ]);
    expect(matched).toEqual([true, true, true]);
    expect(replay.syntheticAt('buy', 1000)).toBeUndefined();
    expect(replay.orderBook.levelOrders('buy', 1000)).toEqual([5]);
  });

  it('seedsALevelEnteringFromDeeperWithNoMessage', () => {
    const { replay, matched } = run(1, [
      { msg: '34200.01,1,5,30,1000,1', asks: [[1010, 100]], bids: [[1000, 30]] },
      // The only bid goes; the next one up from level 2, unseen so far, shows in the row.
      { msg: '34200.02,3,5,30,1000,1', asks: [[1010, 100]], bids: [[990, 700]] },
      { msg: '34200.03,2,12,200,990,1', asks: [[1010, 100]], bids: [[990, 500]] },
    ]);
    expect(matched).toEqual([true, true, true]);
    expect(replay.report().levelsEnteredFromDeeper).toBe(1);
    expect(replay.report().unknownOrderReferences).toBe(1);
  });

  it('refusesToSeedALevelTheBookLostWhileItWasVisible', () => {
    const { replay, matched } = run(1, [
      { msg: '34200.01,1,5,30,1000,1', asks: [[1010, 100]], bids: [[1000, 30]] },
      // The file still shows 1000: it cannot have come from deeper, since it was level 1 already.
      { msg: '34200.02,3,5,30,1000,1', asks: [[1010, 100]], bids: [[1000, 30]] },
    ]);
    expect(matched).toEqual([true, false]);
    expect(replay.report().firstMismatch).toMatchObject({ row: 2, side: 'buy', level: 1, expected: { price: 1000, size: 30 }, actual: null });
    expect(replay.report().levelsEnteredFromDeeper).toBe(0);
  });

  it('refusesALevelFromDeeperWhenTheSideWasShownInFull', () => {
    const { replay, matched } = run(2, [
      // Two levels requested, one bid shown: nothing is hidden below it.
      { msg: '34200.01,1,5,30,1000,1', asks: [[1010, 100]], bids: [[1000, 30]] },
      { msg: '34200.02,3,5,30,1000,1', asks: [[1010, 100]], bids: [[990, 20]] },
    ]);
    expect(matched).toEqual([true, false]);
    expect(replay.report().firstMismatch).toMatchObject({ side: 'buy', level: 1, expected: { price: 990, size: 20 }, actual: null });
  });

  it('stopsTrackingALevelPushedBelowLevelNAndReseedsItOnReturn', () => {
    const { replay, matched } = run(1, [
      { msg: '34200.01,1,5,30,1000,1', asks: [[1010, 100]], bids: [[1000, 130]] },
      // A better bid pushes 1000 out of a level-1 file; what happens there is no longer reported.
      { msg: '34200.02,1,6,10,1005,1', asks: [[1010, 100]], bids: [[1005, 10]] },
      // When 1005 goes, 1000 comes back with a size the messages never explained.
      { msg: '34200.03,3,6,10,1005,1', asks: [[1010, 100]], bids: [[1000, 75]] },
    ]);
    expect(matched).toEqual([true, true, true]);
    const r = replay.report();
    expect(r.levelsTrimmed).toBe(1);
    expect(r.levelsEnteredFromDeeper).toBe(1);
    expect(replay.orderBook.order(5)).toBeUndefined();
  });

  it('reportsTheFirstMismatchWithRowSideLevelAndBothViews', () => {
    const { replay, matched } = run(2, [
      { msg: '34200.01,1,5,30,1000,1', asks: [[1010, 100]], bids: [[1000, 30], [990, 20]] },
      { msg: '34200.02,2,5,10,1000,1', asks: [[1010, 100]], bids: [[1000, 25], [990, 20]] },
      { msg: '34200.03,1,7,5,1010,-1', asks: [[1010, 105]], bids: [[1000, 20], [990, 20]] },
    ]);
    // Row 3 agrees with the book again: rows are compared one by one, never resynchronised.
    expect(matched).toEqual([true, false, true]);
    const r = replay.report();
    expect(r.mismatchedRows).toBe(1);
    expect(r.firstMismatch).toEqual({
      row: 2,
      timeNs: 34_200_020_000_000,
      message: { kind: 'cancel', timeNs: 34_200_020_000_000, orderId: 5, size: 10, price: 1000, side: 'buy' },
      side: 'buy',
      level: 1,
      expected: { price: 1000, size: 25 },
      actual: { price: 1000, size: 20 },
    });
  });

  it('flagsAnExtraLevelTheFileDoesNotShow', () => {
    const { replay, matched } = run(2, [
      { msg: '34200.01,1,5,30,1000,1', asks: [[1010, 100]], bids: [[1000, 30]] },
      { msg: '34200.02,1,6,30,995,1', asks: [[1010, 100]], bids: [[1000, 30]] },
    ]);
    expect(matched).toEqual([true, false]);
    expect(replay.report().firstMismatch).toMatchObject({ side: 'buy', level: 2, expected: null, actual: { price: 995, size: 30 } });
  });

  it('leavesTheBookAloneOnHiddenExecutionsCrossTradesAndHalts', () => {
    const book: Lv = [[1000, 30]];
    const asks: Lv = [[1010, 100]];
    const { replay, matched } = run(1, [
      { msg: '34200.01,1,5,30,1000,1', asks, bids: book },
      { msg: '34200.02,5,0,50,1005,1', asks, bids: book },
      { msg: '34200.03,6,0,70,1004,1', asks, bids: book },
      { msg: '34200.04,7,0,0,-1,-1', asks, bids: book },
      { msg: '34200.05,7,0,0,1,-1', asks, bids: book },
    ]);
    expect(matched.every(Boolean)).toBe(true);
    const r = replay.report();
    expect(r.hiddenExecutions).toEqual({ count: 1, volume: 50 });
    expect(r.crossTrades).toEqual({ count: 1, volume: 70 });
    expect(r.halts).toBe(2);
  });

  it('checksPriorityOnlyAtLevelsHoldingKnownOrdersAlone', () => {
    const { replay, matched } = run(1, [
      { msg: '34200.01,1,5,30,1000,1', asks: [[1010, 100]], bids: [[1000, 30]] },
      { msg: '34200.02,1,6,20,1000,1', asks: [[1010, 100]], bids: [[1000, 50]] },
      // Order 6 executes while 5 is still ahead of it: a priority miss.
      { msg: '34200.03,4,6,5,1000,1', asks: [[1010, 100]], bids: [[1000, 45]] },
      { msg: '34200.04,4,5,30,1000,1', asks: [[1010, 100]], bids: [[1000, 15]] },
      // The ask level is synthetic: its execution is not checked.
      { msg: '34200.05,4,8,10,1010,-1', asks: [[1010, 90]], bids: [[1000, 15]] },
    ]);
    expect(matched.every(Boolean)).toBe(true);
    expect(replay.report().priority).toEqual({ executions: 3, checked: 2, atFront: 1, share: 0.5 });
  });

  it('forwardsEveryLevelChangeToTheListener', () => {
    const changes: LevelChange[] = [];
    run(1, [
      { msg: '34200.01,1,5,30,1000,1', asks: [[1010, 100]], bids: [[1000, 30]] },
      { msg: '34200.02,3,5,30,1000,1', asks: [[1010, 100]], bids: [[990, 7]] },
    ], (c) => changes.push(c));
    expect(changes).toEqual([
      { side: 'sell', price: 1010, size: 100 },
      { side: 'buy', price: 1000, size: 30 },
      { side: 'buy', price: 1000, size: 0 },
      { side: 'buy', price: 990, size: 7 },
    ]);
  });

  it('refusesOrderIdsInTheSyntheticRange', () => {
    // The parser already refuses ids of 16 digits or more; the replay guards its own range anyway.
    const replay = new LobsterReplay(createOrderBook(), 1);
    const row = flatFromBookRow({ asks: [], bids: [{ price: 1000, size: 30 }] }, 1);
    const message = { kind: 'submit', timeNs: 1, orderId: SYNTHETIC_ID_BASE, size: 30, price: 1000, side: 'buy' } as const;
    expect(() => replay.step(message, row)).toThrow(/synthetic range/);
  });
});
