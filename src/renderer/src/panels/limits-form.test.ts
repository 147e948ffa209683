import { describe, expect, it } from 'vitest';
import { parseLimits } from './limits-form';
import { limits as base } from '../testing/fixtures';

describe('the limits form', () => {
  it('readsWholeLotsACollarInBpsAndAnOpenOrderCap', () => {
    expect(parseLimits({ maxOrderLots: '500', priceCollarBps: '75.5', maxOpenOrders: '4' }, base)).toEqual({ limits: { ...base, perAgent: { ...base.perAgent, maxOrderLots: 500, priceCollarBps: 75.5, maxOpenOrders: 4 } } });
  });

  it('refusesWhatTheEngineWouldRefuse', () => {
    for (const bad of [
      { maxOrderLots: '0', priceCollarBps: '100', maxOpenOrders: '5' },
      { maxOrderLots: '1.5', priceCollarBps: '100', maxOpenOrders: '5' },
      { maxOrderLots: '10', priceCollarBps: '0', maxOpenOrders: '5' },
      { maxOrderLots: '10', priceCollarBps: 'wide', maxOpenOrders: '5' },
      { maxOrderLots: '10', priceCollarBps: '100', maxOpenOrders: '200000' },
    ]) {
      expect(parseLimits(bad, base)).toHaveProperty('error');
    }
  });
});
