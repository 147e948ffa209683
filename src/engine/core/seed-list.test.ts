import { describe, expect, it } from 'vitest';
import { describeSeeds, parseSeedList, seedRange } from './seed-list';

describe('seed lists', () => {
  it('readsRangesSinglesAndLists', () => {
    expect(parseSeedList('3..6')).toEqual([3, 4, 5, 6]);
    expect(parseSeedList(' 7 ')).toEqual([7]);
    expect(parseSeedList('9,2,5')).toEqual([9, 2, 5]);
    expect(parseSeedList('0..0')).toEqual([0]);
  });

  it('refusesWhatIsNotASeedListNamingTheFlag', () => {
    expect(() => parseSeedList('6..3')).toThrow('--seeds must run upwards, received "6..3"');
    expect(() => parseSeedList('1..5', { flag: '--eval-seeds', maxSeeds: 3 })).toThrow('--eval-seeds may span at most 3 seeds');
    expect(() => parseSeedList('1,2,3,4', { maxSeeds: 3 })).toThrow('may list at most 3 seeds, received 4');
    expect(() => parseSeedList('1,1')).toThrow('must not repeat a seed');
    expect(() => parseSeedList('-1')).toThrow('"A..B", "A" or "A,B,C"');
    expect(() => parseSeedList('1..')).toThrow('"A..B", "A" or "A,B,C"');
    expect(() => parseSeedList('')).toThrow('"A..B", "A" or "A,B,C"');
    expect(() => parseSeedList('4294967296')).toThrow('from 0 to 4294967295');
  });

  it('describesAFewSeedsInFullAndManyAsARange', () => {
    expect(describeSeeds([1, 2, 3])).toBe('1, 2, 3');
    expect(describeSeeds(seedRange(1, 20))).toBe('1..20 (20)');
    expect(seedRange(5, 4)).toEqual([]);
  });
});
