import { describe, expect, it } from 'vitest';
import { EMPTY_OVERRIDE, overrideRequest } from './AgentCard';
import { describeOverrides } from '../format/overrides';

describe("the agent card's override form", () => {
  it('turnsWhatTheTraderTypedIntoTheRequestPricesInTicksAndTheCapAsAShare', () => {
    expect(overrideRequest({ urgency: '2', participationCap: '10%', limitPrice: '100.25', horizonLeftMinutes: '15', pauseAtPrice: '99.5' }, 0.01)).toEqual({
      request: { urgency: 2, participationCap: 0.1, limitPrice: 10_025, horizonLeftMinutes: 15, pauseAtPrice: 9_950 },
    });
    // Empty leaves a parameter as it is; none lifts a cap, a limit or a pause price.
    expect(overrideRequest({ ...EMPTY_OVERRIDE, participationCap: 'none', limitPrice: 'None' }, 0.01)).toEqual({ request: { participationCap: null, limitPrice: null } });
  });

  it('saysWhatItRefuses', () => {
    const refused = (patch: Partial<typeof EMPTY_OVERRIDE>) => overrideRequest({ ...EMPTY_OVERRIDE, ...patch }, 0.01);
    expect(refused({})).toEqual({ error: 'Change at least one parameter (empty leaves it as it is).' });
    expect(refused({ urgency: '9' })).toEqual({ error: 'Urgency: 0.25 to 4 (1 is the strategy’s own pace).' });
    expect(refused({ urgency: 'none' })).toMatchObject({ error: expect.stringContaining('Urgency') });
    expect(refused({ participationCap: '80' })).toMatchObject({ error: expect.stringContaining('1 to 50 %') });
    expect(refused({ limitPrice: '100.255' })).toEqual({ error: 'Limit price: 100.255 is not on the tick of 0.01.' });
    expect(refused({ pauseAtPrice: '-1' })).toMatchObject({ error: expect.stringContaining('Pause at price: a positive price') });
    expect(refused({ horizonLeftMinutes: '0.5' })).toEqual({ error: 'Time left: 1 to 390 minutes from now.' });
  });

  it('describesEachOverrideWithWhatItWas', () => {
    const at = '2026-12-07T15:00:00.000Z';
    expect(
      describeOverrides(
        [
          { field: 'urgency', value: 2, original: 1, by: 'window', at, ts: 0, reason: 'r' },
          { field: 'participationCap', value: 0.1, original: null, by: 'window', at, ts: 0, reason: 'r' },
          { field: 'endNs', value: 36_000e9, original: 37_800e9, by: 'window', at, ts: 0, reason: 'r' },
        ],
        0.01,
      ),
    ).toBe('urgency 2× (was 1×) · participation cap 10% (was none) · horizon ends 10:00:00.000 (was 10:30:00.000)');
  });
});
