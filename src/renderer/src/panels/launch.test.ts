import { describe, expect, it } from 'vitest';
import { DEFAULT_LAUNCH, launchRequest } from './LaunchAgent';

describe('the launch form', () => {
  it('turnsTheFormIntoTheRequestWithUrgencyACapAndALimitInTicks', () => {
    expect(launchRequest({ ...DEFAULT_LAUNCH, strategy: 'pov', side: 'sell', quantity: '2,000', limitPrice: '99.50', participation: '15', urgency: '1.5', participationCap: '20%' }, 0.01)).toEqual({
      request: { strategy: 'pov', side: 'sell', quantity: 2000, horizonMinutes: 30, intervalSeconds: 30, limitPrice: 9950, participation: 0.15, urgency: 1.5, participationCap: 0.2 },
    });
    expect(launchRequest(DEFAULT_LAUNCH, 0.01)).toEqual({ request: { strategy: 'twap', side: 'buy', quantity: 5000, horizonMinutes: 30, intervalSeconds: 30 } });
  });

  it('givesAnAlmgrenChrissAgentItsRiskAversionAndNoOtherStrategyOne', () => {
    expect(launchRequest({ ...DEFAULT_LAUNCH, strategy: 'ac', riskAversion: '0.02' }, 0.01)).toEqual({ request: { strategy: 'ac', side: 'buy', quantity: 5000, horizonMinutes: 30, intervalSeconds: 30, riskAversion: 0.02 } });
    expect(launchRequest({ ...DEFAULT_LAUNCH, strategy: 'ac' }, 0.01)).toEqual({ request: { strategy: 'ac', side: 'buy', quantity: 5000, horizonMinutes: 30, intervalSeconds: 30 } });
    // A value typed under AC stays behind when the strategy changes.
    expect(launchRequest({ ...DEFAULT_LAUNCH, strategy: 'twap', riskAversion: '0.02' }, 0.01)).toEqual({ request: { strategy: 'twap', side: 'buy', quantity: 5000, horizonMinutes: 30, intervalSeconds: 30 } });
    expect(launchRequest({ ...DEFAULT_LAUNCH, strategy: 'ac', riskAversion: '-0.1' }, 0.01)).toMatchObject({ error: expect.stringContaining('Risk aversion: 0 (TWAP) to 1 per bps') });
  });

  it('saysWhatItRefuses', () => {
    expect(launchRequest({ ...DEFAULT_LAUNCH, quantity: '0' }, 0.01)).toEqual({ error: 'Quantity: a whole number of lots, at least 1.' });
    expect(launchRequest({ ...DEFAULT_LAUNCH, intervalSeconds: '1800' }, 0.01)).toMatchObject({ error: expect.stringContaining('less than the horizon (1800 s)') });
    expect(launchRequest({ ...DEFAULT_LAUNCH, urgency: '5' }, 0.01)).toMatchObject({ error: expect.stringContaining('Urgency: 0.25 to 4') });
    expect(launchRequest({ ...DEFAULT_LAUNCH, strategy: 'rl', urgency: '2' }, 0.01)).toMatchObject({ error: expect.stringContaining('learned policy sets its own pace') });
    expect(launchRequest({ ...DEFAULT_LAUNCH, participationCap: '60' }, 0.01)).toMatchObject({ error: expect.stringContaining('Participation cap: 1 to 50 %') });
    expect(launchRequest({ ...DEFAULT_LAUNCH, strategy: 'pov', participation: '0' }, 0.01)).toMatchObject({ error: expect.stringContaining('Participation: 1 to 50 %') });
  });
});
