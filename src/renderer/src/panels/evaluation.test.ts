import { describe, expect, it } from 'vitest';
import { rankAttributions, formatInput } from './decision-detail';
import { defaultForm, requestFromForm, trainingLabel, vsTwapTone } from './EvaluationView';

describe('requestFromForm', () => {
  it('buildsTheRunBacktestRequestFromTheDefaults', () => {
    expect(requestFromForm(defaultForm)).toEqual({
      request: { scenario: 'calm', seedFrom: 1, seedTo: 20, strategies: ['twap', 'vwap', 'pov', 'ac'], side: 'buy', quantity: 20_000, horizonSeconds: 1_800, intervalSeconds: 5 },
    });
  });

  it('addsLearnedPoliciesFromTheFreeTextField', () => {
    const out = requestFromForm({ ...defaultForm, baselines: ['twap'], learned: 'rl:resources/models/dqn-a, rl:resources/models/ppo-b' });
    expect('request' in out && out.request.strategies).toEqual(['twap', 'rl:resources/models/dqn-a', 'rl:resources/models/ppo-b']);
  });

  it('acceptsSlotZeroOnAHistoricalVenueButNotOnTheSimulator', () => {
    const historical = requestFromForm({ ...defaultForm, scenario: 'lobster:GOOG', seedFrom: '0', seedTo: '3' });
    expect('request' in historical && historical.request).toMatchObject({ scenario: 'lobster:GOOG', seedFrom: 0, seedTo: 3 });
    expect(requestFromForm({ ...defaultForm, seedFrom: '0' })).toHaveProperty('error');
  });

  it('takesAnOptionalStartTimeOfDayAndRefusesANonTime', () => {
    const from = requestFromForm({ ...defaultForm, scenario: 'lobster:GOOG', seedFrom: '0', seedTo: '11', startTime: ' 9:45 ' });
    expect('request' in from && from.request.startTime).toBe('09:45');
    expect(requestFromForm({ ...defaultForm, startTime: '' })).not.toHaveProperty('request.startTime');
    const seconds = requestFromForm({ ...defaultForm, startTime: '12:00:30' });
    expect('request' in seconds && seconds.request.startTime).toBe('12:00:30');
    for (const bad of ['12', '24:00', '12:60', 'noon', '12:00:60', '12:0']) expect(requestFromForm({ ...defaultForm, startTime: bad })).toHaveProperty('error', 'Start must be a time of day HH:MM[:SS], or empty.');
  });

  it('takesADecisionIntervalThatDividesTheHorizon', () => {
    const policy = requestFromForm({ ...defaultForm, horizonMinutes: '10', intervalSeconds: '30' });
    expect('request' in policy && policy.request).toMatchObject({ horizonSeconds: 600, intervalSeconds: 30 });
    for (const bad of ['0', '7', '600', '2.5', '']) expect(requestFromForm({ ...defaultForm, horizonMinutes: '10', intervalSeconds: bad })).toHaveProperty('error', 'Decisions every whole number of seconds that divides the horizon (600 s).');
  });

  it('refusesSeedsThatRunBackwardsOrTooMany', () => {
    expect(requestFromForm({ ...defaultForm, seedFrom: '5', seedTo: '4' })).toHaveProperty('error');
    expect(requestFromForm({ ...defaultForm, seedFrom: '1', seedTo: '201' })).toHaveProperty('error');
    expect(requestFromForm({ ...defaultForm, seedFrom: 'x' })).toHaveProperty('error');
  });

  it('refusesAnEmptyStrategyListAndABadQuantityOrHorizon', () => {
    expect(requestFromForm({ ...defaultForm, baselines: [] })).toHaveProperty('error');
    expect(requestFromForm({ ...defaultForm, quantity: '0' })).toHaveProperty('error');
    expect(requestFromForm({ ...defaultForm, horizonMinutes: '0.5' })).toHaveProperty('error');
  });
});

describe('vsTwapTone', () => {
  it('marksAnIntervalWhollyBelowZeroCheaperAndWhollyAboveCostlier', () => {
    expect(vsTwapTone({ mean: -2, ci95: [-3, -1] })).toBe('cheaper');
    expect(vsTwapTone({ mean: 2, ci95: [1, 3] })).toBe('costlier');
    expect(vsTwapTone({ mean: 0.5, ci95: [-1, 2] })).toBe('');
    expect(vsTwapTone({ mean: -2, ci95: null })).toBe('');
    expect(vsTwapTone(null)).toBe('');
  });
});

describe('decision detail', () => {
  it('ranksAttributionsByMagnitudeAndSumsTheRest', () => {
    const { top, rest, restCount } = rankAttributions({ a: 0.1, b: -0.5, c: 0.3, d: 0.05 }, 2);
    expect(top).toEqual([
      ['b', -0.5],
      ['c', 0.3],
    ]);
    expect(restCount).toBe(2);
    expect(rest).toBeCloseTo(0.15);
  });

  it('formatsInputsCompactly', () => {
    expect(formatInput(30_000)).toBe('30000');
    expect(formatInput(0.901934)).toBe('0.9019');
    expect(formatInput(1234.56)).toBe('1235');
  });
});

describe('the model card view', () => {
  it('namesRecordedDaysByTickerAndDate', () => {
    expect(trainingLabel('calm')).toBe('calm');
    expect(trainingLabel('lobster:../shared/data/lobster/AAPL_2012-06-21_34200000_57600000_message_1.csv.gz')).toBe('AAPL 2012-06-21 (recorded day)');
    expect(trainingLabel('lobster:C:\\data\\GOOG_2012-06-21_34200000_57600000_message_10.csv')).toBe('GOOG 2012-06-21 (recorded day)');
    expect(trainingLabel('lobster:odd-name.csv')).toBe('odd-name.csv (recorded day)');
  });
});
