import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeDenial, RiskGate, type GateContext, type GateOrder, type RiskDenial } from './gate';
import { DEFAULT_LIMITS, episodeLimits, riskLimitsSchema, withAgentLimits, type RiskLimits } from './limits';

const S = 1e9;
const LIMITS: RiskLimits = {
  perAgent: { maxOrderLots: 100, maxOrderNotional: 50_000, priceCollarBps: 50, maxLongLots: 300, maxShortLots: 200, maxOpenOrders: 3, maxOrdersPerWindow: 5, rateWindowSeconds: 1, maxDailyLoss: 1_000, duplicateWindowSeconds: 1 },
  session: { maxLongLots: 500, maxShortLots: 500, maxOpenOrders: 5, maxOrdersPerWindow: 8, rateWindowSeconds: 1, maxDailyLoss: 1_500 },
};
const AT = (agentId = 'a', now = 0): GateContext => ({ agentId, agentState: 'running', mid: 10_000, now });
const limit = (size: number, price: number, side: 'buy' | 'sell' = 'buy', decision?: number): GateOrder => ({ kind: 'limit', side, size, price, ...(decision === undefined ? {} : { decision }) });
const price = (units: number, extra = 0): string => (units / 100).toFixed(2 + extra);

/** A gate at currency 0.01 a price unit (10,000 units = 100.00), with `book` applied to its exposure. */
function gate(limits: RiskLimits = LIMITS): RiskGate {
  return new RiskGate(limits, 0.01);
}

function denial(g: RiskGate, order: GateOrder, context: GateContext = AT()): RiskDenial | null {
  const o = g.check(order, context);
  return o.allowed ? null : o.denial;
}

/** Accepts `order` as the kernel would: checked, then booked resting. */
function accept(g: RiskGate, order: GateOrder, context: GateContext = AT(), id = Math.floor(Math.random() * 1e9)): number {
  expect(denial(g, order, context)).toBeNull();
  g.exposure.accepted(context.agentId, id, order.side, order.price, order.size, context.now, RiskGate.orderKey(order), order.decision ?? 0);
  return id;
}

describe('RiskGate', () => {
  it('letsAnOrderWithinEveryLimitThrough', () => {
    expect(gate().check(limit(100, 10_040), AT())).toEqual({ allowed: true });
    expect(gate().check({ kind: 'market', side: 'sell', size: 1 }, { ...AT(), mid: NaN })).toEqual({ allowed: true });
  });

  it('deniesEachPerOrderBreachWithTheLimitAndTheValue', () => {
    const g = gate();
    expect(denial(g, limit(101, 10_000))).toEqual({ code: 'ORDER_SIZE_EXCEEDS_MAX', max: 100, size: 101 });
    // 60 lots at 100.00 are worth 6,000 in currency at 0.01 a unit: within 50,000; at a tighter limit they are not.
    expect(denial(gate(withAgentLimits({ maxOrderNotional: 5_000 }, LIMITS)), limit(60, 10_000))).toEqual({ code: 'ORDER_NOTIONAL_EXCEEDS_MAX', max: 5_000, notional: 6_000 });
    expect(denial(g, limit(10, 10_051))).toEqual({ code: 'PRICE_OUTSIDE_COLLAR', collarBps: 50, awayBps: expect.closeTo(51, 9) as number, price: 10_051, mid: 10_000 });
    for (const size of [0, -5, 2.5, NaN, Infinity]) expect(denial(g, limit(size, 10_000))).toEqual({ code: 'ORDER_SIZE_INVALID', size });
    for (const p of [0, -1, 10_000.5, NaN]) expect(denial(g, limit(1, p))).toEqual({ code: 'PRICE_INVALID', price: p });
    expect(denial(g, limit(1, 10_000), { ...AT(), mid: NaN })).toMatchObject({ code: 'PRICE_OUTSIDE_COLLAR' });
    expect(denial(g, limit(1, 10_000), { ...AT(), agentState: 'paused' })).toEqual({ code: 'AGENT_NOT_RUNNING', state: 'paused' });
  });

  it('countsWorkingOrdersAsFilledAgainstThePositionLimits', () => {
    const g = gate();
    accept(g, limit(100, 10_000), AT(), 1);
    accept(g, limit(100, 9_999), AT(), 2);
    g.exposure.filled('a', 1, 'buy', 10_000, 100, true);
    // Long 100 with 100 more working: a third 100 reaches 300, a 101st lot passes the limit.
    expect(g.exposure.agent('a')).toMatchObject({ position: 100, workingBuyLots: 100, openOrders: 1 });
    expect(denial(g, limit(100, 9_998, 'buy', 5))).toBeNull();
    g.exposure.accepted('a', 3, 'buy', 9_998, 100, 0, null, 5);
    expect(denial(g, limit(1, 10_000, 'buy', 6))).toEqual({ code: 'POSITION_EXCEEDS_MAX', scope: 'agent', side: 'long', max: 300, projected: 301 });
    expect(denial(g, limit(100, 10_000, 'sell'))).toBeNull();
    // The session's limit binds across agents.
    const s = gate();
    s.exposure.filled('x', 1, 'sell', 10_000, 150, false);
    s.exposure.filled('y', 1, 'sell', 10_000, 150, false);
    s.exposure.filled('z', 1, 'sell', 10_000, 150, false);
    expect(denial(s, limit(60, 10_000, 'sell'), AT('w'))).toEqual({ code: 'POSITION_EXCEEDS_MAX', scope: 'session', side: 'short', max: 500, projected: 510 });
  });

  it('boundsWorkingOrdersAndTheOrderRatePerAgentAndSession', () => {
    const g = gate();
    for (let i = 0; i < 3; i++) accept(g, limit(1, 10_000 - i, 'buy', i), AT(), 10 + i);
    expect(denial(g, limit(1, 9_990, 'buy', 9))).toEqual({ code: 'OPEN_ORDERS_EXCEED_MAX', scope: 'agent', max: 3, open: 3 });
    expect(g.orderRoom('a', 0)).toBe(0);
    accept(g, limit(1, 10_000), AT('b'), 20);
    accept(g, limit(1, 9_999, 'buy', 1), AT('b'), 21);
    expect(denial(g, limit(1, 9_998, 'buy', 2), AT('b'))).toEqual({ code: 'OPEN_ORDERS_EXCEED_MAX', scope: 'session', max: 5, open: 5 });
    // Rate: five IOCs in a second (none rest), the sixth is one too many; a second later the window has moved on.
    const r = gate();
    for (let i = 0; i < 5; i++) r.exposure.accepted('a', i + 1, 'buy', 10_000, 0, i * 0.1 * S, null, i);
    expect(denial(r, limit(1, 10_000, 'buy', 9), AT('a', 0.5 * S))).toEqual({ code: 'ORDER_RATE_EXCEEDS_MAX', scope: 'agent', max: 5, windowSeconds: 1, count: 5 });
    for (let i = 0; i < 3; i++) r.exposure.accepted('b', i + 1, 'buy', 10_000, 0, 0.5 * S, null, i);
    expect(denial(r, limit(1, 10_000, 'buy', 9), AT('c', 0.6 * S))).toEqual({ code: 'ORDER_RATE_EXCEEDS_MAX', scope: 'session', max: 8, windowSeconds: 1, count: 8 });
    expect(denial(r, limit(1, 10_000, 'buy', 9), AT('a', 1.05 * S))).toBeNull();
  });

  it('letsOnlyReducingOrdersThroughPastTheDailyLoss', () => {
    const g = gate();
    // Bought 100 at 110.00, marked at 100.00: a loss of 10.00 × 100 = 1,000, the agent's limit.
    g.exposure.filled('a', 1, 'buy', 11_000, 100, false);
    expect(denial(g, limit(1, 10_000, 'buy'))).toEqual({ code: 'DAILY_LOSS_EXCEEDED', scope: 'agent', max: 1_000, loss: 1_000 });
    expect(denial(g, limit(100, 10_000, 'sell'))).toBeNull();
    expect(denial(g, limit(101, 10_000, 'sell'))).toMatchObject({ code: 'ORDER_SIZE_EXCEEDS_MAX' });
    expect(g.agentUse('a', 0, 10_000)).toMatchObject({ position: 100, pnl: -1_000 });
  });

  it('preventsSelfTradesAndDuplicateOrders', () => {
    const g = gate();
    accept(g, limit(10, 10_010, 'sell'), AT('seller'), 7);
    expect(denial(g, limit(5, 10_010, 'buy'), AT('buyer'))).toEqual({ code: 'SELF_TRADE', price: 10_010, restingAgent: 'seller', restingOrder: 7, restingPrice: 10_010 });
    expect(denial(g, limit(5, 10_009, 'buy'), AT('buyer'))).toBeNull();
    // The same order from a later decision within a second is a duplicate; the parts of one decision are not.
    const d = gate();
    accept(d, limit(5, 9_990, 'buy', 1), AT('a', 0), 1);
    expect(denial(d, limit(5, 9_990, 'buy', 1), AT('a', 0))).toBeNull();
    expect(denial(d, limit(5, 9_990, 'buy', 2), AT('a', 0.25 * S))).toEqual({ code: 'DUPLICATE_ORDER', windowSeconds: 1, ageSeconds: 0.25 });
    expect(denial(d, limit(5, 9_990, 'buy', 2), AT('a', 1.25 * S))).toBeNull();
    expect(denial(d, limit(6, 9_990, 'buy', 2), AT('a', 0.25 * S))).toBeNull();
  });

  it('haltsOrHoldsToReducingPerAgentAndForTheSession', () => {
    const g = gate();
    g.exposure.filled('a', 1, 'buy', 10_000, 50, false);
    g.setTradingState({ agentId: 'a' }, 'REDUCING', 'flash crash');
    expect(denial(g, limit(1, 10_000, 'buy'))).toEqual({ code: 'REDUCE_ONLY', scope: 'agent', reason: 'flash crash', position: 50, side: 'buy', size: 1 });
    expect(denial(g, limit(50, 10_000, 'sell'))).toBeNull();
    expect(denial(g, limit(51, 10_000, 'sell'))).toMatchObject({ code: 'REDUCE_ONLY', position: 50, size: 51 });
    expect(g.fit(limit(80, 10_000, 'sell'), AT())).toEqual({ size: 50, limitedBy: 'the agent may only reduce its position' });
    expect(denial(g, limit(1, 10_000, 'buy'), AT('b'))).toBeNull();
    g.setTradingState({ agentId: 'b' }, 'HALTED', 'trader');
    expect(denial(g, limit(1, 10_000, 'buy'), AT('b'))).toEqual({ code: 'TRADING_HALTED', scope: 'agent', reason: 'trader' });
    g.engageKillSwitch('runaway');
    expect(g.killed).toBe(true);
    expect(denial(g, limit(1, 10_000, 'sell'))).toEqual({ code: 'TRADING_HALTED', scope: 'session', reason: 'runaway' });
    g.releaseKillSwitch();
    expect(g.killSwitchReason).toBeNull();
    expect(g.session.state).toBe('ACTIVE');
  });

  it('fitsAnOrderToTheSizeValueAndPositionLimits', () => {
    const g = gate(withAgentLimits({ maxOrderNotional: 7_000 }, LIMITS));
    expect(g.fit(limit(1_000, 10_000), AT())).toEqual({ size: 70, limitedBy: 'max order value 7000' });
    expect(gate().fit(limit(1_000, 10_000), AT())).toEqual({ size: 100, limitedBy: 'max order 100 lots' });
    expect(gate().fit(limit(40, 10_000), AT())).toEqual({ size: 40, limitedBy: null });
    const p = gate();
    p.exposure.filled('a', 1, 'sell', 10_000, 180, false);
    expect(p.fit(limit(100, 10_000, 'sell'), AT())).toEqual({ size: 20, limitedBy: 'agent short limit 200 lots' });
  });

  it('keepsWhoChangedTheLimitsWhenAndWhy', () => {
    const g = gate();
    const tighter = withAgentLimits({ maxOrderLots: 5 }, LIMITS);
    g.setLimits(tighter, { by: 'window', at: '2026-12-07T04:00:00.000Z', ts: 5, reason: 'open is thin' });
    expect(denial(g, limit(6, 10_000))).toMatchObject({ code: 'ORDER_SIZE_EXCEEDS_MAX', max: 5, size: 6 });
    g.setLimits(g.limits, { by: 'window', at: '2026-12-07T04:01:00.000Z', ts: 6, reason: 'a has its own' }, { id: 'a', limits: { ...tighter.perAgent, maxOrderLots: 2 } });
    expect(denial(g, limit(3, 10_000))).toMatchObject({ code: 'ORDER_SIZE_EXCEEDS_MAX', max: 2 });
    expect(denial(g, limit(3, 10_000), AT('b'))).toBeNull();
    expect(g.history.map((c) => [c.by, c.reason, c.limits.perAgent.maxOrderLots])).toEqual([
      ['window', 'open is thin', 5],
      ['window', 'a has its own', 2],
    ]);
  });

  it('describesEachDenialWithItsNumbers', () => {
    const text = (d: RiskDenial): string => describeDenial(d, price);
    expect(text({ code: 'ORDER_SIZE_EXCEEDS_MAX', max: 100, size: 101 })).toBe('size 101 lots, max 100');
    expect(text({ code: 'PRICE_OUTSIDE_COLLAR', collarBps: 50, awayBps: 60.4, price: 10_061, mid: 10_000.5 })).toBe('price 100.61 is 60 bps from the mid 100.005, collar 50 bps');
    expect(text({ code: 'PRICE_OUTSIDE_COLLAR', collarBps: 50, awayBps: NaN, price: 10_000, mid: NaN })).toBe('price 100.00 cannot be checked against the collar: the book shows no mid');
    expect(text({ code: 'POSITION_EXCEEDS_MAX', scope: 'session', side: 'short', max: 500, projected: 510 })).toBe('session short position would reach 510 lots counting working orders, max 500');
    expect(text({ code: 'ORDER_RATE_EXCEEDS_MAX', scope: 'agent', max: 5, windowSeconds: 1, count: 5 })).toBe('5 orders in the last 1 s (agent), max 5');
    expect(text({ code: 'SELF_TRADE', price: 10_010, restingAgent: 'agent-2', restingOrder: 7, restingPrice: 10_010 })).toBe("at 100.10 it would trade with the firm's own order agent-2/7 at 100.10 (self-trade prevention)");
    expect(text({ code: 'REDUCE_ONLY', scope: 'agent', reason: 'flash crash', position: 0, side: 'sell', size: 10 })).toBe('agent is REDUCING (flash crash): sell 10 lots would not reduce the position of 0 lots');
    expect(text({ code: 'ORDER_SIZE_INVALID', size: 2.5 })).toBe('size 2.5 is not a whole positive number of lots');
  });
});

describe('RiskGate under random orders', () => {
  it('neverLetsThroughAnOrderThatBreachesALimit', () => {
    const number = fc.oneof(fc.integer({ min: -1_000, max: 1_000_000 }), fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, 0));
    const order = fc.record({ kind: fc.constantFrom('limit' as const, 'market' as const), side: fc.constantFrom('buy' as const, 'sell' as const), size: number, price: fc.option(number, { nil: undefined }) });
    const context = fc.record({
      agentState: fc.constantFrom('running' as const, 'paused' as const, 'killed' as const, 'done' as const, 'flattening' as const),
      mid: fc.oneof(fc.double({ min: 1, max: 1e7, noNaN: true }), fc.constant(NaN)),
      now: fc.integer({ min: 0, max: 10 * S }),
    });
    const book = fc.record({ position: fc.integer({ min: -400, max: 400 }), cashPerLot: fc.integer({ min: 0, max: 20_000 }), working: fc.array(fc.record({ side: fc.constantFrom('buy' as const, 'sell' as const), lots: fc.integer({ min: 1, max: 100 }) }), { maxLength: 6 }) });
    const states = fc.record({ session: fc.constantFrom('ACTIVE' as const, 'REDUCING' as const, 'HALTED' as const), agent: fc.constantFrom('ACTIVE' as const, 'REDUCING' as const, 'HALTED' as const) });
    fc.assert(
      fc.property(order, context, book, states, (o, c, b, st) => {
        const g = gate();
        g.exposure.filled('a', 0, b.position >= 0 ? 'buy' : 'sell', b.cashPerLot, Math.abs(b.position), false);
        b.working.forEach((w, i) => g.exposure.accepted('a', i + 1, w.side, 10_000 + (w.side === 'buy' ? -1 : 1) * (i + 1) * 1_000, w.lots, 0, null, -1));
        g.setTradingState('session', st.session, 'drill');
        g.setTradingState({ agentId: 'a' }, st.agent, 'drill');
        const ctx = { ...c, agentId: 'a' };
        const a = g.exposure.agent('a');
        const before = { position: a.position, buy: a.workingBuyLots, sell: a.workingSellLots, open: a.openOrders, pnl: a.pnl(c.mid) * 0.01 };
        if (!g.check(o, ctx).allowed) return;
        const l = LIMITS.perAgent;
        expect(st.session).not.toBe('HALTED');
        expect(st.agent).not.toBe('HALTED');
        expect(['running', 'flattening']).toContain(c.agentState);
        expect(Number.isSafeInteger(o.size) && o.size >= 1 && o.size <= l.maxOrderLots).toBe(true);
        expect(before.open).toBeLessThan(l.maxOpenOrders);
        const unit = o.kind === 'limit' ? (o.price as number) : c.mid;
        if (Number.isFinite(unit)) expect(o.size * unit * 0.01).toBeLessThanOrEqual(l.maxOrderNotional);
        if (o.side === 'buy') expect(before.position + before.buy + o.size).toBeLessThanOrEqual(l.maxLongLots);
        else expect(-(before.position - before.sell - o.size)).toBeLessThanOrEqual(l.maxShortLots);
        const reduces = o.side === 'buy' ? before.position + before.buy + o.size <= 0 : before.position - before.sell - o.size >= 0;
        if (st.agent === 'REDUCING' || st.session === 'REDUCING' || -before.pnl >= l.maxDailyLoss) expect(reduces).toBe(true);
        if (o.kind === 'limit') {
          expect(Number.isSafeInteger(o.price)).toBe(true);
          expect((Math.abs((o.price as number) - c.mid) / c.mid) * 10_000).toBeLessThanOrEqual(l.priceCollarBps);
        }
      }),
      { numRuns: 20_000, seed: 7 },
    );
  });
});

describe('limits', () => {
  it('refusesImpossibleLimitsWithTheFieldThatIsWrong', () => {
    const bad = (change: Record<string, number>): string => {
      const r = riskLimitsSchema.safeParse({ ...DEFAULT_LIMITS, perAgent: { ...DEFAULT_LIMITS.perAgent, ...change } });
      return r.success ? 'accepted' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    };
    expect(bad({})).toBe('accepted');
    expect(bad({ priceCollarBps: 0 })).toMatch(/^perAgent\.priceCollarBps: a price collar must be at least 1 bp$/);
    expect(bad({ maxOrderLots: -5 })).toMatch(/^perAgent\.maxOrderLots: /);
    expect(bad({ maxDailyLoss: NaN })).toMatch(/^perAgent\.maxDailyLoss: /);
    expect(bad({ maxOpenOrders: 2.5 })).toMatch(/^perAgent\.maxOpenOrders: /);
  });

  it('raisesAnEpisodesOrderAndPositionLimitsToTheParentQuantity', () => {
    const e = episodeLimits(30_000, LIMITS);
    expect(e.perAgent).toMatchObject({ maxOrderLots: 30_000, maxLongLots: 30_000, maxShortLots: 30_000, priceCollarBps: 50, maxOpenOrders: 3, maxOrderNotional: Infinity, maxDailyLoss: Infinity });
    expect(e.session).toMatchObject({ maxLongLots: 30_000, maxShortLots: 30_000, maxOpenOrders: 5 });
    expect(episodeLimits(10, LIMITS).perAgent.maxOrderLots).toBe(100);
  });
});
