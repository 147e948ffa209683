import { describe, expect, it } from 'vitest';
import { formatTimeOfDay, NS_PER_SECOND as S, parseTimeOfDay, TIME_OF_DAY } from './clock';

describe('times of day', () => {
  it('readsHoursMinutesAndSecondsAsNsSinceMidnight', () => {
    expect(parseTimeOfDay('9:45')).toBe((9 * 3600 + 45 * 60) * S);
    expect(parseTimeOfDay(' 14:00:30 ')).toBe((14 * 3600 + 30) * S);
    expect(parseTimeOfDay('00:00')).toBe(0);
    for (const bad of ['24:00', '12:60', '12:00:60', '12', 'noon', '12:0', '']) expect(() => parseTimeOfDay(bad)).toThrow(`a time of day HH:MM[:SS] is expected, received "${bad}"`);
  });

  it('writesWhatTheContractCarriesAndReadsItBack', () => {
    for (const text of ['09:45', '14:00:30', '23:59:59', '00:00']) {
      expect(formatTimeOfDay(parseTimeOfDay(text))).toBe(text);
      expect(TIME_OF_DAY.test(text)).toBe(true);
    }
    expect(formatTimeOfDay(parseTimeOfDay('9:05'))).toBe('09:05');
    for (const loose of ['9:00', '24:00', ' 12:00']) expect(TIME_OF_DAY.test(loose)).toBe(false);
  });
});
