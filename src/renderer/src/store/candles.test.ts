import { describe, expect, it } from 'vitest';
import { candleSeconds, candles, candleStart } from './candles';
import type { Bar } from './types';

const bar = (second: number, open: number, high: number, low: number, close: number, volume = 1, fromTrades = true): Bar => ({ second, open, high, low, close, volume, fromTrades });

describe('candles', () => {
  it('picksOneSecondCandlesUpToSixtyTimesAndLongerOnesFaster', () => {
    expect(candleSeconds(1)).toBe(1);
    expect(candleSeconds(5)).toBe(1);
    expect(candleSeconds(60)).toBe(1);
    expect(candleSeconds(61)).toBe(2);
    expect(candleSeconds(100)).toBe(2);
    expect(candleSeconds(250)).toBe(5);
    expect(candleSeconds(1000)).toBe(30);
  });

  it('comesAtMostOnceAFrameAtEverySpeedUpToTheFastest', () => {
    for (const speed of [0.1, 1, 10, 59, 61, 120, 300, 600, 900, 1000]) expect(speed / candleSeconds(speed)).toBeLessThanOrEqual(60);
  });

  it('refusesASpeedThatIsNotPositive', () => {
    expect(() => candleSeconds(0)).toThrow('speed must be a positive number, received 0');
    expect(() => candleSeconds(Number.NaN)).toThrow(RangeError);
  });

  it('startsACandleOnAMultipleOfItsLength', () => {
    expect(candleStart(34_229, 30)).toBe(34_200);
    expect(candleStart(34_230, 30)).toBe(34_230);
    expect(candleStart(7, 1)).toBe(7);
  });

  it('mergesSecondsIntoCandlesWithOpenCloseExtremesAndVolume', () => {
    const bars = [bar(28, 100, 101, 99, 100, 2), bar(29, 100, 104, 100, 103, 3), bar(30, 103, 103, 97, 98, 1, false), bar(31, 98, 99, 96, 99, 4), bar(61, 99, 99, 99, 99, 1)];
    expect(candles(bars, 30)).toEqual([
      { second: 0, open: 100, high: 104, low: 99, close: 103, volume: 5, fromTrades: true },
      { second: 30, open: 103, high: 103, low: 96, close: 99, volume: 5, fromTrades: true },
      { second: 60, open: 99, high: 99, low: 99, close: 99, volume: 1, fromTrades: true },
    ]);
  });

  it('mergesFromTheBarGivenOnward', () => {
    const bars = [bar(10, 1, 1, 1, 1), bar(20, 2, 2, 2, 2), bar(21, 3, 5, 3, 4)];
    expect(candles(bars, 10, 1)).toEqual([{ second: 20, open: 2, high: 5, low: 2, close: 4, volume: 2, fromTrades: true }]);
    expect(candles(bars, 1, 2)).toEqual([bars[2]]);
  });
});
