import { describe, expect, it } from 'vitest';
import { EMPTY_TICKET, ticketRequest } from './OrderTicket';
import { auditMatches } from './AuditTrail';

describe('order ticket', () => {
  it('turnsAPriceInCurrencyIntoPriceUnitsOnTheTickAndRefusesWhatIsNot', () => {
    expect(ticketRequest({ ...EMPTY_TICKET, quantity: '1,200', price: '579.91' }, 0.01)).toEqual({ order: { side: 'buy', quantity: 1200, type: 'limit', price: 57991, tif: 'day', postOnly: false } });
    // LOBSTER prices are in $0.0001.
    expect(ticketRequest({ ...EMPTY_TICKET, quantity: '10', price: '571.23' }, 0.0001)).toMatchObject({ order: { price: 5712300 } });
    expect(ticketRequest({ ...EMPTY_TICKET, quantity: '10', price: '579.915' }, 0.01)).toEqual({ error: 'Price: 579.915 is not a multiple of 0.01.' });
    expect(ticketRequest({ ...EMPTY_TICKET, quantity: '0', price: '1' }, 0.01)).toEqual({ error: 'Quantity: a whole number of lots, at least 1.' });
    expect(ticketRequest({ ...EMPTY_TICKET, quantity: '2.5', price: '1' }, 0.01)).toMatchObject({ error: expect.stringContaining('whole number') });
    expect(ticketRequest({ ...EMPTY_TICKET, quantity: '5', price: '-1' }, 0.01)).toMatchObject({ error: expect.stringContaining('positive') });
  });

  it('sendsAMarketOrderWithoutAPriceAndRefusesOneThatWouldRest', () => {
    expect(ticketRequest({ ...EMPTY_TICKET, type: 'market', tif: 'fok', quantity: '5', price: '12' }, 0.01)).toEqual({ order: { side: 'buy', quantity: 5, type: 'market', tif: 'fok', postOnly: false } });
    expect(ticketRequest({ ...EMPTY_TICKET, type: 'market', tif: 'day', quantity: '5' }, 0.01)).toEqual({ error: 'A market order never rests: choose IOC or FOK.' });
    expect(ticketRequest({ ...EMPTY_TICKET, tif: 'ioc', postOnly: true, quantity: '5', price: '1' }, 0.01)).toMatchObject({ error: expect.stringContaining('Post-only') });
  });
});

describe('audit trail search', () => {
  const row = { seq: 9, ts: 34_200_000_000_000, at: '2026-12-07T10:00:00.000Z', by: 'browser window (127.0.0.1)', command: 'CancelOrder', detail: 'orderId trader/2', reason: 'pull it', ok: false, code: 'REJECTED' };
  it('matchesEveryWordInAnyField', () => {
    expect(auditMatches(row, '')).toBe(true);
    expect(auditMatches(row, 'pull cancelorder')).toBe(true);
    expect(auditMatches(row, 'trader/2 refused rejected')).toBe(true);
    expect(auditMatches(row, 'pull done')).toBe(false);
    expect(auditMatches(row, 'killall')).toBe(false);
  });
});

describe('agent grid limit use', () => {
  it('isThePositionsShareOfTheLimitOnItsSide', async () => {
    const { positionLimitUse } = await import('./agent-grid');
    const limits = { maxLongLots: 1_000, maxShortLots: 4_000 } as never;
    expect(positionLimitUse({ use: { position: 250 } as never, limits })).toBe(0.25);
    expect(positionLimitUse({ use: { position: -1_000 } as never, limits })).toBe(0.25);
    expect(positionLimitUse({ use: { position: 0 } as never, limits })).toBe(0);
  });
});
