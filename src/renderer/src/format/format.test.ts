import { describe, expect, it } from 'vitest';
import { SESSION_DAY_EPOCH_S, chartTime, formatBps, formatPercent, formatPrice, formatSimTime, formatSize, formatSpeed, priceDecimals, simSecond, ticksToPrice } from './format';

describe('price formatting', () => {
  it('derivesDecimalsFromTheTickSize', () => {
    expect(priceDecimals(0.01)).toBe(2);
    expect(priceDecimals(0.25)).toBe(2);
    expect(priceDecimals(0.5)).toBe(1);
    expect(priceDecimals(1)).toBe(0);
    expect(priceDecimals(5)).toBe(0);
    expect(priceDecimals(0.0001)).toBe(4);
    expect(priceDecimals(0.1)).toBe(1);
  });

  it('formatsTicksAsPricesOnTheTickGrid', () => {
    expect(formatPrice(10_012, 0.01)).toBe('100.12');
    expect(formatPrice(3, 0.25)).toBe('0.75');
    expect(formatPrice(6_500_012, 0.1)).toBe('650001.2');
    expect(formatPrice(100, 1)).toBe('100');
  });

  it('showsExtraDigitsForPricesBetweenTicks', () => {
    expect(formatPrice(10_000.5, 0.01, 1)).toBe('100.005');
  });

  it('showsADashForMissingPrices', () => {
    expect(formatPrice(null, 0.01)).toBe('—');
    expect(formatPrice(undefined, 0.01)).toBe('—');
    expect(formatPrice(Number.NaN, 0.01)).toBe('—');
  });

  it('convertsTicksWithoutFloatingPointNoise', () => {
    expect(ticksToPrice(10_007, 0.01)).toBe(100.07);
    expect(ticksToPrice(3, 0.1)).toBe(0.3);
  });
});

describe('other numbers', () => {
  it('formatsSizesWithSeparators', () => {
    expect(formatSize(1_234_567)).toBe('1,234,567');
    expect(formatSize(null)).toBe('—');
  });

  it('signsBasisPointsAndAvoidsMinusZero', () => {
    expect(formatBps(3.14)).toBe('+3.1');
    expect(formatBps(-2)).toBe('-2.0');
    expect(formatBps(-0.01)).toBe('0.0');
    expect(formatBps(null)).toBe('—');
  });

  it('formatsSharesAndSpeeds', () => {
    expect(formatPercent(0.456)).toBe('46%');
    expect(formatSpeed(1)).toBe('×1');
    expect(formatSpeed(0.5)).toBe('×0.5');
    expect(formatSpeed(1000)).toBe('×1000');
  });
});

describe('time', () => {
  it('formatsNanosecondsSinceMidnightAsAClock', () => {
    expect(formatSimTime(0)).toBe('00:00:00.000');
    expect(formatSimTime(34_200_000_000_000)).toBe('09:30:00.000');
    expect(formatSimTime(((13 * 60 + 5) * 60 + 9) * 1e9 + 42_999_999)).toBe('13:05:09.042');
  });

  it('showsAPlaceholderForInvalidTimes', () => {
    expect(formatSimTime(-1)).toBe('--:--:--.---');
    expect(formatSimTime(Number.NaN)).toBe('--:--:--.---');
  });

  it('putsSimulatedSecondsOnTheSessionDayInUtc', () => {
    expect(new Date(SESSION_DAY_EPOCH_S * 1000).toISOString()).toBe('2026-01-02T00:00:00.000Z');
    const second = simSecond(34_200_999_999_999);
    expect(second).toBe(34_200);
    expect(new Date(chartTime(second) * 1000).toISOString()).toBe('2026-01-02T09:30:00.000Z');
  });
});
