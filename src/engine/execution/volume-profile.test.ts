import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cumulativeVolume } from './schedules';
import { averageProfile, leaveOneOutProfile, parseMinuteVolumes } from './volume-profile';

const FILE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/volume/lobster_2012-06-21_per_minute_exec_volume.csv');
const HEADER = 'ticker,date,minute_start_et,visible_exec_shares,hidden_exec_shares,total_exec_shares,exec_messages,vwap';

describe('intraday volume profile', () => {
  it('readsTheSharedFileAsAUShapedDay', () => {
    const days = parseMinuteVolumes(readFileSync(FILE, 'utf8'));
    expect([...days.keys()].sort()).toEqual(['AAPL', 'AMZN', 'GOOG']);
    const goog = days.get('GOOG')!;
    expect(goog.originNs).toBe(34_200 * 1e9);
    expect(goog.volumes.length).toBe(390);
    expect(goog.volumes.reduce((a, b) => a + b, 0)).toBe(706_125);
    const p = averageProfile(days);
    const total = cumulativeVolume(p, 57_600 * 1e9);
    const lastHalfHour = total - cumulativeVolume(p, 55_800 * 1e9);
    expect(total).toBeCloseTo(1, 9);
    expect(lastHalfHour).toBeGreaterThan(0.2);
    expect(lastHalfHour).toBeLessThan(0.3);
  });

  it('neverUsesTheTradedTickersOwnVolume', () => {
    const text = [HEADER, 'AAA,d,09:30,0,0,10,1,1', 'AAA,d,09:31,0,0,30,1,1', 'BBB,d,09:30,0,0,1,1,1', 'BBB,d,09:31,0,0,1,1,1'].join('\n');
    const days = parseMinuteVolumes(text);
    const { profile, lookAhead } = leaveOneOutProfile(days, 'AAA');
    expect(lookAhead).toBe(false);
    expect(profile.weights).toEqual([0.5, 0.5]);
    expect(leaveOneOutProfile(new Map([['AAA', days.get('AAA')!]]), 'AAA').lookAhead).toBe(true);
  });

  it('namesTheLineOfAMalformedRow', () => {
    expect(() => parseMinuteVolumes([HEADER, 'AAA,d,9h30,0,0,10,1,1'].join('\n'), 'v.csv')).toThrow(/v\.csv:2: expected .* received "AAA,d,9h30,0,0,10,1,1"/);
    expect(() => parseMinuteVolumes([HEADER, 'AAA,d,09:30,0,0,1,1,1', 'AAA,d,09:32,0,0,1,1,1'].join('\n'), 'v.csv')).toThrow(/without gaps/);
    expect(() => parseMinuteVolumes('x,y', 'v.csv')).toThrow(/v\.csv:1: expected the header/);
  });
});
