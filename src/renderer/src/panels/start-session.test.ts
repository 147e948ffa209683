import { describe, expect, it } from 'vitest';
import { startFormFor, startRequest } from './StartSession';
import { host } from '../testing/fixtures';

const days = host.markets.days;

describe('the new-session form', () => {
  it('startsFromTheSessionsOwnMarketAndTurnsTheFormIntoTheRequest', () => {
    const f = startFormFor(host.markets, 5);
    expect(f).toMatchObject({ kind: 'sim', scenario: 'calm', seed: '42', speed: '5', day: days[0]!.file });
    expect(startRequest({ ...f, scenario: 'volatile', seed: '7', speed: '25' }, days)).toEqual({ market: { kind: 'sim', scenario: 'volatile', seed: 7 }, speed: 25 });
    expect(startRequest({ ...f, kind: 'lobster', start: '9:45' }, days)).toEqual({ market: { kind: 'lobster', day: days[0]!.file, start: '09:45' }, speed: 5 });
    expect(startRequest({ ...f, kind: 'lobster' }, days)).toEqual({ market: { kind: 'lobster', day: days[0]!.file }, speed: 5 });
  });

  it('saysWhatItRefuses', () => {
    const f = startFormFor(host.markets, 5);
    expect(startRequest({ ...f, speed: '0' }, days)).toEqual({ error: 'Speed: 0.1 to 1000 simulated seconds per second.' });
    expect(startRequest({ ...f, seed: '-1' }, days)).toEqual({ error: 'Seed: a whole number from 0 to 4294967295.' });
    expect(startRequest({ ...f, kind: 'lobster', day: 'nope' }, days)).toEqual({ error: 'Day: choose a recorded day of the data folder.' });
    expect(startRequest({ ...f, kind: 'lobster', start: '10h' }, days)).toMatchObject({ error: expect.stringContaining('Start: a time of day') });
    expect(startRequest({ ...f, kind: 'lobster', start: '17:00' }, days)).toEqual({ error: 'Start: the GOOG day runs from 09:30 to 16:00.' });
  });
});
