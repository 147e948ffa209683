import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeDenial, RiskGate, type GateContext, type GateOrder } from './gate';
import { episodeLimits, type RiskLimits } from './limits';

const LIMITS: RiskLimits = { maxOrderLots: 100, priceCollarBps: 50, maxOpenOrders: 3 };
const RUNNING: GateContext = { agentState: 'running', mid: 10_000, openOrders: 0 };
const limit = (size: number, price: number): GateOrder => ({ kind: 'limit', side: 'buy', size, price });
const ticks = (t: number, extra = 0): string => (t / 100).toFixed(2 + extra);

describe('RiskGate', () => {
  it('letsAnOrderWithinEveryLimitThrough', () => {
    const gate = new RiskGate(LIMITS);
    expect(gate.check(limit(100, 10_050), { ...RUNNING, openOrders: 2 })).toEqual({ allowed: true });
    expect(gate.check({ kind: 'market', side: 'sell', size: 1 }, { ...RUNNING, mid: NaN })).toEqual({ allowed: true });
  });

  it('deniesEachBreachWithTheLimitAndTheValue', () => {
    const gate = new RiskGate(LIMITS);
    expect(gate.check(limit(101, 10_000), RUNNING)).toEqual({ allowed: false, denial: { code: 'ORDER_SIZE_EXCEEDS_MAX', max: 100, size: 101 } });
    expect(gate.check(limit(10, 10_051), RUNNING)).toEqual({ allowed: false, denial: { code: 'PRICE_OUTSIDE_COLLAR', collarBps: 50, awayBps: expect.closeTo(51, 9) as number, price: 10_051, mid: 10_000 } });
    expect(gate.check(limit(10, 10_000), { ...RUNNING, openOrders: 3 })).toEqual({ allowed: false, denial: { code: 'OPEN_ORDERS_EXCEED_MAX', max: 3, open: 3 } });
    expect(gate.check(limit(10, 10_000), { ...RUNNING, agentState: 'paused' })).toEqual({ allowed: false, denial: { code: 'AGENT_NOT_RUNNING', state: 'paused' } });
  });

  it('deniesSizesAndPricesThatAreNotWholePositiveNumbers', () => {
    const gate = new RiskGate(LIMITS);
    for (const size of [0, -5, 2.5, NaN, Infinity]) expect(gate.check(limit(size, 10_000), RUNNING)).toEqual({ allowed: false, denial: { code: 'ORDER_SIZE_INVALID', size } });
    for (const price of [0, -1, 10_000.5, NaN]) expect(gate.check(limit(1, price), RUNNING)).toEqual({ allowed: false, denial: { code: 'PRICE_INVALID', price } });
    expect(gate.check({ kind: 'limit', side: 'sell', size: 1 }, RUNNING)).toMatchObject({ denial: { code: 'PRICE_INVALID' } });
  });

  it('deniesALimitOrderItCannotPlaceAgainstAMid', () => {
    const outcome = new RiskGate(LIMITS).check(limit(1, 10_000), { ...RUNNING, mid: NaN });
    expect(outcome).toMatchObject({ allowed: false, denial: { code: 'PRICE_OUTSIDE_COLLAR' } });
    if (outcome.allowed) return;
    expect(describeDenial(outcome.denial, ticks)).toBe('price 100.00 cannot be checked against the collar: the book shows no mid');
  });

  it('deniesEverythingWhileKilledAndTakesNewLimitsAtOnce', () => {
    const gate = new RiskGate(LIMITS);
    gate.engageKillSwitch('trader: runaway');
    expect(gate.killed).toBe(true);
    expect(gate.check(limit(1, 10_000), RUNNING)).toEqual({ allowed: false, denial: { code: 'KILL_SWITCH_ENGAGED', reason: 'trader: runaway' } });
    gate.releaseKillSwitch();
    expect(gate.killSwitchReason).toBeNull();
    gate.setLimits({ ...LIMITS, maxOrderLots: 5 });
    expect(gate.check(limit(6, 10_000), RUNNING)).toMatchObject({ denial: { code: 'ORDER_SIZE_EXCEEDS_MAX', max: 5, size: 6 } });
  });

  it('describesEachDenialWithItsNumbers', () => {
    const gate = new RiskGate(LIMITS);
    const text = (order: GateOrder, context: GateContext = RUNNING): string => {
      const outcome = gate.check(order, context);
      return outcome.allowed ? 'allowed' : describeDenial(outcome.denial, ticks);
    };
    expect(text(limit(101, 10_000))).toBe('size 101 lots, max 100');
    expect(text(limit(1, 10_061), { ...RUNNING, mid: 10_000.5 })).toBe('price 100.61 is 60 bps from the mid 100.005, collar 50 bps');
    expect(text(limit(1, 10_000), { ...RUNNING, openOrders: 4 })).toBe('4 working orders, max 3');
    expect(text(limit(2.5, 10_000))).toBe('size 2.5 is not a whole positive number of lots');
  });

  it('neverLetsThroughAnOrderThatBreachesALimit', () => {
    const number = fc.oneof(fc.integer({ min: -1_000, max: 1_000_000 }), fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, 0));
    const order = fc.record({ kind: fc.constantFrom('limit' as const, 'market' as const), side: fc.constantFrom('buy' as const, 'sell' as const), size: number, price: fc.option(number, { nil: undefined }) });
    const context = fc.record({
      agentState: fc.constantFrom('running' as const, 'paused' as const, 'killed' as const, 'done' as const),
      mid: fc.oneof(fc.double({ min: 1, max: 1e7, noNaN: true }), fc.constant(NaN)),
      openOrders: fc.integer({ min: 0, max: 50 }),
    });
    const limits = fc.record({ maxOrderLots: fc.integer({ min: 1, max: 100_000 }), priceCollarBps: fc.double({ min: 1, max: 5_000, noNaN: true }), maxOpenOrders: fc.integer({ min: 1, max: 40 }) });
    fc.assert(
      fc.property(limits, order, context, (l, o, c) => {
        const outcome = new RiskGate(l).check(o, c);
        if (!outcome.allowed) return;
        expect(c.agentState).toBe('running');
        expect(Number.isSafeInteger(o.size) && o.size >= 1 && o.size <= l.maxOrderLots).toBe(true);
        expect(c.openOrders).toBeLessThan(l.maxOpenOrders);
        if (o.kind === 'limit') {
          expect(Number.isSafeInteger(o.price)).toBe(true);
          expect((Math.abs((o.price ?? NaN) - c.mid) / c.mid) * 10_000).toBeLessThanOrEqual(l.priceCollarBps);
        }
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('episodeLimits', () => {
  it('raisesTheLargestOrderToTheParentQuantityAndKeepsTheRest', () => {
    expect(episodeLimits(30_000, LIMITS)).toEqual({ maxOrderLots: 30_000, priceCollarBps: 50, maxOpenOrders: 3 });
    expect(episodeLimits(10, LIMITS)).toEqual(LIMITS);
  });
});
