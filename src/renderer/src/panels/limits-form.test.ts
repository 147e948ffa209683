import { describe, expect, it } from 'vitest';
import { agentLimitsSchema } from '../../../engine/contract/index';
import { riskLimitsSchema } from '../../../engine/contract/index';
import { errorsFromCommand, formFromLimits, parseAgentLimits, parseLimits, readNumber, type LimitsFormFields } from './limits-form';
import { limits as base } from '../testing/fixtures';

function edit(change: { perAgent?: Partial<LimitsFormFields['perAgent']>; session?: Partial<LimitsFormFields['session']> }): LimitsFormFields {
  const form = formFromLimits(base);
  return { perAgent: { ...form.perAgent, ...change.perAgent }, session: { ...form.session, ...change.session } };
}

describe('the limits form', () => {
  it('startsFromTheLimitsInForceAndReadsThemBackUnchanged', () => {
    expect(formFromLimits(base).perAgent.priceCollarBps).toBe('500');
    expect(parseLimits(formFromLimits(base))).toEqual({ ok: true, limits: base });
  });

  it('readsEveryPerAgentAndSessionLimit', () => {
    const parsed = parseLimits(edit({ perAgent: { maxOrderLots: '1,500', priceCollarBps: '75.5', maxDailyLoss: '25 000' }, session: { maxShortLots: '80_000', rateWindowSeconds: '2.5' } }));
    expect(parsed).toEqual({
      ok: true,
      limits: { perAgent: { ...base.perAgent, maxOrderLots: 1_500, priceCollarBps: 75.5, maxDailyLoss: 25_000 }, session: { ...base.session, maxShortLots: 80_000, rateWindowSeconds: 2.5 } },
    });
  });

  it('namesTheFieldWithTheEnginesOwnMessageForACollarOfZero', () => {
    const parsed = parseLimits(edit({ perAgent: { priceCollarBps: '0' } }));
    const engine = riskLimitsSchema.safeParse({ ...base, perAgent: { ...base.perAgent, priceCollarBps: 0 } });
    expect(engine.success).toBe(false);
    expect(parsed).toEqual({ ok: false, errors: { 'perAgent.priceCollarBps': engine.error?.issues[0]?.message } });
    expect(parsed.ok ? '' : parsed.errors['perAgent.priceCollarBps']).toBe('a price collar must be at least 1 bp');
  });

  it('refusesWhatTheEngineWouldRefuseFieldByField', () => {
    const parsed = parseLimits(edit({ perAgent: { maxOrderLots: '-5', maxOpenOrders: '1.5' }, session: { maxDailyLoss: 'lots', maxLongLots: '' } }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual(['perAgent.maxOpenOrders', 'perAgent.maxOrderLots', 'session.maxDailyLoss', 'session.maxLongLots']);
    for (const message of Object.values(parsed.errors)) expect(message.length).toBeGreaterThan(0);
  });

  it('acceptsExactlyWhatTheEnginesSchemaAccepts', () => {
    // Edges of the engine's ranges, checked against the schema itself rather than numbers copied here.
    for (const [key, text] of [
      ['maxOrderLots', '10000000'],
      ['maxOrderLots', '10000001'],
      ['priceCollarBps', '5000'],
      ['priceCollarBps', '5000.5'],
      ['rateWindowSeconds', '60'],
      ['rateWindowSeconds', '61'],
      ['duplicateWindowSeconds', '0'],
      ['duplicateWindowSeconds', '-1'],
    ] as const) {
      const engine = riskLimitsSchema.safeParse({ ...base, perAgent: { ...base.perAgent, [key]: Number(text) } }).success;
      expect(parseLimits(edit({ perAgent: { [key]: text } })).ok, `${key} = ${text}`).toBe(engine);
    }
  });

  it('readsOneAgentsOwnLimitsAgainstThePerAgentSchema', () => {
    expect(parseAgentLimits(edit({ perAgent: { maxOrderLots: '3' } }))).toEqual({ ok: true, limits: { ...base.perAgent, maxOrderLots: 3 } });
    const bad = parseAgentLimits(edit({ perAgent: { priceCollarBps: '0' } }));
    expect(bad).toEqual({ ok: false, errors: { 'perAgent.priceCollarBps': agentLimitsSchema.safeParse({ ...base.perAgent, priceCollarBps: 0 }).error?.issues[0]?.message } });
  });

  it('readsNumbersAsTypedAndLeavesWhatIsWrongToTheSchema', () => {
    expect(readNumber(' 1,250 ')).toBe(1_250);
    expect(readNumber('')).toBeUndefined();
    expect(readNumber('wide')).toBeNaN();
  });

  it('mapsTheEnginesRefusalToTheFieldsItNames', () => {
    const error = {
      code: 'INVALID_PAYLOAD' as const,
      message: 'invalid SetRiskLimits: limits.perAgent.priceCollarBps: a price collar must be at least 1 bp',
      issues: [
        { path: 'limits.perAgent.priceCollarBps', message: 'a price collar must be at least 1 bp' },
        { path: 'reason', message: 'a reason is required' },
      ],
    };
    expect(errorsFromCommand(error)).toEqual({ message: error.message, fields: { 'perAgent.priceCollarBps': 'a price collar must be at least 1 bp' } });
    expect(errorsFromCommand({ code: 'INVALID_PAYLOAD', message: 'bad', issues: [{ path: 'limits.maxOrderLots', message: 'too small' }] }, 'perAgent').fields).toEqual({ 'perAgent.maxOrderLots': 'too small' });
    expect(errorsFromCommand({ code: 'REJECTED', message: 'no agent "x"' })).toEqual({ message: 'no agent "x"', fields: {} });
  });
});
