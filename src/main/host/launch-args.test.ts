import { describe, expect, it } from 'vitest';
import { policyArg, scenarioArg, startArg, venueArg } from './launch-args';

describe('the window command line', () => {
  it('readsThePolicyDirectoryInEitherSpelling', () => {
    expect(policyArg(['/usr/bin/electron', '/app'])).toBeUndefined();
    expect(policyArg(['/usr/bin/electron', '/app', '--policy', 'models/mine'])).toBe('models/mine');
    expect(policyArg(['/usr/bin/electron', '/app', '--policy=models/mine'])).toBe('models/mine');
    expect(() => policyArg(['/app', '--policy'])).toThrow(/--policy needs a model directory/);
    expect(() => policyArg(['/app', '--policy', '--other'])).toThrow(/--policy needs a model directory/);
    expect(() => policyArg(['/app', '--policy='])).toThrow(/--policy needs a model directory/);
  });

  it('readsARecordedDayToRunOn', () => {
    expect(venueArg(['/app'])).toBeUndefined();
    expect(venueArg(['/app', '--venue', 'lobster:/data/GOOG_message_10.csv.gz'])).toBe('lobster:/data/GOOG_message_10.csv.gz');
    expect(venueArg(['/app', '--venue=lobster:x_message_1.csv'])).toBe('lobster:x_message_1.csv');
    expect(() => venueArg(['/app', '--venue'])).toThrow('--venue needs lobster:FILE');
    expect(() => venueArg(['/app', '--venue', 'binance:x'])).toThrow('--venue must be lobster:FILE');
    expect(startArg(['/app', '--venue', 'lobster:x', '--start', '11:00'])).toBe(11 * 3600 * 1e9);
    expect(startArg(['/app'])).toBeUndefined();
    expect(() => startArg(['/app', '--start', 'noon'])).toThrow('--start must be a time of day HH:MM[:SS], received "noon"');
  });

  it('readsASimulatedScenarioAndWhereInItsDayToStart', () => {
    expect(scenarioArg(['/app'])).toBeUndefined();
    expect(scenarioArg(['/app', '--scenario', 'flash-crash', '--start', '11:20'])).toBe('flash-crash');
    expect(startArg(['/app', '--scenario', 'flash-crash', '--start', '11:20'])).toBe((11 * 3600 + 20 * 60) * 1e9);
    expect(() => scenarioArg(['/app', '--scenario'])).toThrow(/--scenario needs a shipped scenario name/);
  });
});
