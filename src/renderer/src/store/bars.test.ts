import { describe, expect, it } from 'vitest';
import { BAR_TRIM_SLACK, BarBuilder, MAX_BARS } from './bars';
import type { ChartData } from './types';

const empty: ChartData = { epoch: 0, bars: [] };

describe('BarBuilder', () => {
  it('buildsOneOhlcBarPerSecondFromTrades', () => {
    const b = new BarBuilder(empty);
    b.trade(10, 100, 1);
    b.trade(10, 103, 2);
    b.trade(10, 98, 3);
    b.trade(10, 101, 4);
    b.trade(11, 102, 5);
    const data = b.result();
    expect(data.bars).toEqual([
      { second: 10, open: 100, high: 103, low: 98, close: 101, volume: 10, fromTrades: true },
      { second: 11, open: 102, high: 102, low: 102, close: 102, volume: 5, fromTrades: true },
    ]);
    expect(data.epoch).toBe(0);
  });

  it('usesTheMidForSecondsWithoutTrades', () => {
    const b = new BarBuilder(empty);
    b.mid(5, 100.5);
    b.mid(5, 101);
    b.mid(5, 99.5);
    expect(b.result().bars).toEqual([{ second: 5, open: 100.5, high: 101, low: 99.5, close: 99.5, volume: 0, fromTrades: false }]);
  });

  it('letsTheFirstTradeOfASecondReplaceItsMidBar', () => {
    const b = new BarBuilder(empty);
    b.mid(5, 100.5);
    b.trade(5, 102, 7);
    b.mid(5, 90);
    expect(b.result().bars).toEqual([{ second: 5, open: 102, high: 102, low: 102, close: 102, volume: 7, fromTrades: true }]);
  });

  it('returnsTheSameDataWhenNothingChanged', () => {
    const data: ChartData = { epoch: 3, bars: [{ second: 1, open: 1, high: 1, low: 1, close: 1, volume: 1, fromTrades: true }] };
    const b = new BarBuilder(data);
    b.mid(1, 5);
    expect(b.result()).toBe(data);
  });

  it('neverMutatesTheBarsItWasGiven', () => {
    const bars = [{ second: 1, open: 1, high: 1, low: 1, close: 1, volume: 1, fromTrades: true }];
    const data: ChartData = { epoch: 0, bars };
    const b = new BarBuilder(data);
    b.trade(1, 4, 1);
    b.trade(2, 5, 1);
    const out = b.result();
    expect(bars).toEqual([{ second: 1, open: 1, high: 1, low: 1, close: 1, volume: 1, fromTrades: true }]);
    expect(out.bars).toHaveLength(2);
    expect(out.epoch).toBe(0);
  });

  it('placesALatePriceInItsSecondAndAsksForARedraw', () => {
    const b = new BarBuilder(empty);
    b.trade(10, 100, 1);
    b.trade(12, 100, 1);
    b.trade(11, 105, 1);
    const data = b.result();
    expect(data.bars.map((x) => x.second)).toEqual([10, 11, 12]);
    expect(data.epoch).toBe(1);
  });

  it('keepsEpochWhenOnlyTheLastBarChanges', () => {
    const first = new BarBuilder(empty);
    first.trade(10, 100, 1);
    const data = first.result();
    const second = new BarBuilder(data);
    second.trade(10, 101, 1);
    second.trade(11, 102, 1);
    expect(second.result().epoch).toBe(data.epoch);
  });

  it('trimsToTheCapInChunksAndRedraws', () => {
    const bars = Array.from({ length: MAX_BARS + BAR_TRIM_SLACK }, (_, i) => ({ second: i, open: 1, high: 1, low: 1, close: 1, volume: 0, fromTrades: false }));
    const b = new BarBuilder({ epoch: 4, bars });
    b.trade(MAX_BARS + BAR_TRIM_SLACK, 2, 1);
    const data = b.result();
    expect(data.bars).toHaveLength(MAX_BARS);
    expect(data.bars[data.bars.length - 1]?.second).toBe(MAX_BARS + BAR_TRIM_SLACK);
    expect(data.epoch).toBe(5);
  });
});
