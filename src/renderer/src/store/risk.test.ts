import { describe, expect, it } from 'vitest';
import type { DynamicRiskView, EventBatch, LimitUse, RiskSample } from '../../../engine/contract/index';
import { withAgentLimits } from '../../../engine/contract/index';
import { agent, batch, ev, host, limits, riskView, snapshot } from '../testing/fixtures';
import { applyBatches, applySnapshot, initialState } from './reduce';
import { DENIAL_FOLD_DEPTH, RISK_FEED_MAX, diffLimits } from './risk';
import type { CockpitState } from './types';

const T0 = 34_200_000_000_000;
const S = 1_000_000_000;
const NONE: LimitUse = { position: 0, workingBuyLots: 0, workingSellLots: 0, openOrders: 0, ordersInWindow: 0, pnl: 0 };

function live(overrides: Parameters<typeof snapshot>[1] = {}): CockpitState {
  return applySnapshot(initialState({ transport: 'browser', status: 'connected', detail: null }), snapshot(10, { agents: [agent(), agent({ id: 'a2', name: 'VWAP-2', side: 'sell' })], risk: riskView(['a1', 'a2']), ...overrides }), host, 'connect');
}

const dynamic: DynamicRiskView = {
  ewmaBpsPerSqrtS: 0.5,
  garchBpsPerSqrtS: 0.52,
  models: 'EWMA λ 0.9946; GARCH(1,1)',
  detectors: [{ name: 'flash-crash', firing: false, value: 1.2, threshold: 13.5, unit: 'σ', reason: 'the mid fell 3 bps in 30 s', since: null }],
  rules: [{ detector: 'flash-crash', action: 'REDUCING', restoreOnClear: true }],
};

function sampled(events: Parameters<typeof batch>[0], risk: RiskSample, after = 10): EventBatch {
  return { ...batch(events, after, T0 + S), risk };
}

function denial(seq: number, agentId: string, code: string, detail = `${code} detail ${seq}`) {
  return ev(seq, T0 + seq, { kind: 'OrderDenied', agentId, orderId: `${agentId}/${seq}`, side: 'buy', price: 10_050, size: 10, code, detail, denial: null });
}

describe('the risk overlay from a snapshot', () => {
  it('holdsLimitsTradingStatesUseAndTheRecordNewestFirst', () => {
    const older = withAgentLimits({ priceCollarBps: 300 });
    const s = live({
      risk: {
        ...riskView(['a1', 'a2']),
        session: { state: 'REDUCING', reason: 'end of day', use: { ...NONE, position: 40 } },
        history: [
          { by: 'trader', at: '2026-12-07T09:00:00.000Z', ts: T0 - 2 * S, agentId: null, ownLimits: false, reason: 'first', limits: older },
          { by: 'trader', at: '2026-12-07T09:01:00.000Z', ts: T0 - S, agentId: null, ownLimits: false, reason: 'second', limits },
        ],
        dynamic,
      },
    });
    expect(s.risk?.session).toMatchObject({ state: 'REDUCING', reason: 'end of day', use: { position: 40 } });
    expect([...(s.risk?.agents.keys() ?? [])]).toEqual(['a1', 'a2']);
    expect(s.risk?.history.map((h) => [h.reason, h.changes])).toEqual([
      ['second', [{ group: 'perAgent', key: 'priceCollarBps', from: 300, to: 500 }]],
      ['first', null],
    ]);
    expect(s.risk?.dynamic).toEqual(dynamic);
  });
});

describe('trading states', () => {
  it('followsTradingStateChangedForTheSessionAndEachAgent', () => {
    const { state } = applyBatches(live(), [
      batch([
        ev(11, T0, { kind: 'TradingStateChanged', agentId: 'a1', state: 'REDUCING', reason: 'flash-crash: the mid fell 40 bps', ordersCancelled: 0 }),
        ev(12, T0, { kind: 'TradingStateChanged', agentId: null, state: 'REDUCING', reason: 'into the close', ordersCancelled: 0 }),
        ev(13, T0, { kind: 'TradingStateChanged', agentId: 'a2', state: 'HALTED', reason: 'misbehaving', ordersCancelled: 3 }),
      ]),
    ]);
    expect(state.risk?.agents.get('a1')).toMatchObject({ state: 'REDUCING', reason: 'flash-crash: the mid fell 40 bps' });
    expect(state.risk?.agents.get('a2')).toMatchObject({ state: 'HALTED', reason: 'misbehaving' });
    expect(state.risk?.session).toMatchObject({ state: 'REDUCING', reason: 'into the close' });
    expect(state.activity[0]).toMatchObject({ title: 'VWAP-2 HALTED', detail: '3 orders cancelled', reason: 'misbehaving', tone: 'danger' });
  });

  it('showsTheSessionHaltedWhileTheKillSwitchIsEngaged', () => {
    const halted = applyBatches(live(), [batch([ev(11, T0, { kind: 'KillSwitchEngaged', reason: 'drill', agentsHalted: 2, ordersCancelled: 0, state: 'halted' })])]).state;
    expect(halted.risk?.session).toMatchObject({ state: 'HALTED', reason: 'drill' });
    const released = applyBatches(halted, [batch([ev(12, T0, { kind: 'KillSwitchReleased', reason: 'all clear', state: 'running' })])]).state;
    expect(released.risk?.session.state).toBe('ACTIVE');
  });

  it('marksAnAgentFlattening', () => {
    const { state } = applyBatches(live(), [batch([ev(11, T0, { kind: 'AgentStateChanged', agentId: 'a1', state: 'flattening', reason: 'flatten before lunch' })])]);
    expect(state.agents.get('a1')?.state).toBe('flattening');
    expect(state.activity[0]).toMatchObject({ title: 'TWAP-1 flattening', tone: 'warn', reason: 'flatten before lunch' });
  });

  it('ignoresATradingStateForAnAgentItDoesNotKnow', () => {
    const before = live();
    const { state } = applyBatches(before, [batch([ev(11, T0, { kind: 'TradingStateChanged', agentId: 'ghost', state: 'HALTED', reason: 'x', ordersCancelled: 0 })])]);
    expect(state.risk?.agents).toBe(before.risk?.agents);
  });
});

describe('use of the limits', () => {
  it('takesEachBatchsSampleForTheSessionTheAgentsAndTheDynamicLayer', () => {
    const sample: RiskSample = { session: { ...NONE, position: 300, openOrders: 2, ordersInWindow: 5, pnl: -120 }, agents: { a1: { ...NONE, position: 300, workingBuyLots: 50, openOrders: 2, ordersInWindow: 5, pnl: -120 } }, participation: { a1: 0.08 }, dynamic };
    const { state } = applyBatches(live(), [sampled([], sample)]);
    expect(state.risk?.session.use).toEqual(sample.session);
    expect(state.risk?.agents.get('a1')?.use).toEqual(sample.agents.a1);
    expect(state.risk?.agents.get('a2')?.use).toEqual(NONE);
    expect(state.risk?.dynamic).toEqual(dynamic);
    expect(state.risk?.agents.get('a1')?.participation).toBe(0.08);
    expect(state.risk?.agents.get('a2')?.participation).toBeNull();
  });

  it('keepsTheSameObjectsWhenASampleChangesNothing', () => {
    const first = applyBatches(live(), [sampled([], { session: NONE, agents: { a1: NONE, a2: NONE }, participation: {}, dynamic })]).state;
    const second = applyBatches(first, [sampled([], { session: { ...NONE }, agents: { a1: { ...NONE }, a2: { ...NONE } }, participation: {}, dynamic: JSON.parse(JSON.stringify(dynamic)) as DynamicRiskView }, 10)]).state;
    expect(second.risk).toBe(first.risk);
  });

  it('showsThatDynamicRiskStoppedWhenTheSampleSaysNull', () => {
    const withDynamic = applyBatches(live(), [sampled([], { session: NONE, agents: {}, participation: {}, dynamic })]).state;
    expect(applyBatches(withDynamic, [sampled([], { session: NONE, agents: {}, participation: {}, dynamic: null })]).state.risk?.dynamic).toBeNull();
  });

  it('booksOrderExposureToTheAgentAndTheSessionUntilTheNextSample', () => {
    const exposure = (position: number, openOrders: number, workingLots: number) => ({ position, openOrders, workingLots });
    const { state } = applyBatches(live(), [
      batch([
        ev(11, T0, { kind: 'OrderAccepted', agentId: 'a1', orderId: 'a1/1', side: 'buy', price: 10_000, size: 100, resting: 100, exposure: exposure(0, 1, 100) }),
        ev(12, T0, { kind: 'OrderAccepted', agentId: 'a2', orderId: 'a2/1', side: 'sell', price: 10_002, size: 40, resting: 40, exposure: exposure(0, 1, 40) }),
        ev(13, T0, { kind: 'OrderFilled', agentId: 'a1', orderId: 'a1/1', side: 'buy', price: 10_000, size: 30, liquidity: 'maker', remaining: 70, agent: { filled: 30, avgPrice: 10_000, shortfallBps: 0 }, exposure: exposure(30, 1, 70) }),
        ev(14, T0, { kind: 'OrderCancelled', agentId: 'a2', orderId: 'a2/1', lots: 40, reason: 'replaced', exposure: exposure(0, 0, 0) }),
      ]),
    ]);
    expect(state.risk?.agents.get('a1')?.use).toMatchObject({ position: 30, openOrders: 1, workingBuyLots: 70, workingSellLots: 0 });
    expect(state.risk?.agents.get('a2')?.use).toMatchObject({ position: 0, openOrders: 0, workingBuyLots: 0, workingSellLots: 0 });
    expect(state.risk?.session.use).toMatchObject({ position: 30, openOrders: 1, workingBuyLots: 70, workingSellLots: 0 });
  });

  it('putsTheRestOfAnExpiredOrderOnTheOnlySideWithLotsWorking', () => {
    const s = live();
    const started = applyBatches(s, [sampled([], { session: { ...NONE, workingSellLots: 90, openOrders: 2 }, agents: { a2: { ...NONE, workingSellLots: 90, openOrders: 2 } }, participation: {}, dynamic: null })]).state;
    const { state } = applyBatches(started, [batch([ev(11, T0, { kind: 'OrderExpired', agentId: 'a2', orderId: 'a2/7', lots: 50, exposure: { position: -10, openOrders: 1, workingLots: 30 } })])]);
    expect(state.risk?.agents.get('a2')?.use).toMatchObject({ position: -10, openOrders: 1, workingSellLots: 30, workingBuyLots: 0 });
    expect(state.risk?.session.use).toMatchObject({ position: -10, openOrders: 1, workingSellLots: 30 });
  });

  it('keepsTheOtherSidesWorkingLotsWhenAnOrderIsAcceptedOnOneSide', () => {
    const started = applyBatches(live(), [sampled([], { session: { ...NONE, workingSellLots: 40, openOrders: 1 }, agents: { a1: { ...NONE, workingSellLots: 40, openOrders: 1 } }, participation: {}, dynamic: null })]).state;
    const { state } = applyBatches(started, [batch([ev(11, T0, { kind: 'OrderAccepted', agentId: 'a1', orderId: 'a1/2', side: 'buy', price: 9_990, size: 10, resting: 10, exposure: { position: 0, openOrders: 2, workingLots: 50 } })])]);
    expect(state.risk?.agents.get('a1')?.use).toMatchObject({ workingBuyLots: 10, workingSellLots: 40, openOrders: 2 });
    expect(state.risk?.session.use).toMatchObject({ workingBuyLots: 10, workingSellLots: 40, openOrders: 2 });
  });

  it('letsTheBatchsSampleOverrideTheExposureOfItsEvents', () => {
    const sample: RiskSample = { session: { ...NONE, position: 7 }, agents: { a1: { ...NONE, position: 7 } }, participation: {}, dynamic: null };
    const { state } = applyBatches(live(), [sampled([ev(11, T0, { kind: 'OrderAccepted', agentId: 'a1', orderId: 'a1/1', side: 'buy', price: 1, size: 5, resting: 5, exposure: { position: 2, openOrders: 1, workingLots: 5 } })], sample)]);
    expect(state.risk?.agents.get('a1')?.use).toEqual(sample.agents.a1);
  });
});

describe('limit changes', () => {
  it('recordsASessionChangeWithWhoWhyAndWhatMovedAndLeavesOwnLimitsAlone', () => {
    const own = withAgentLimits({ maxOrderLots: 7 }, limits).perAgent;
    const base = live({ risk: { ...riskView(['a1', 'a2']), agents: riskView(['a1', 'a2']).agents.map((a) => (a.agentId === 'a2' ? { ...a, limits: own, ownLimits: true } : a)) } });
    const next = { ...withAgentLimits({ priceCollarBps: 25 }, limits), session: { ...limits.session, maxLongLots: 80_000 } };
    const { state } = applyBatches(base, [batch([ev(11, T0 + S, { kind: 'RiskLimitsChanged', limits: next, reason: 'tighten for the data', by: 'trader', at: '2026-12-07T10:00:00.000Z', agentId: null, ownLimits: false })])]);
    expect(state.risk?.limits).toEqual(next);
    expect(state.risk?.agents.get('a1')?.limits).toEqual(next.perAgent);
    expect(state.risk?.agents.get('a2')?.limits).toEqual(own);
    expect(state.risk?.history[0]).toMatchObject({
      by: 'trader',
      at: '2026-12-07T10:00:00.000Z',
      ts: T0 + S,
      reason: 'tighten for the data',
      scope: 'session',
      changes: [
        { group: 'perAgent', key: 'priceCollarBps', from: 500, to: 25 },
        { group: 'session', key: 'maxLongLots', from: 100_000, to: 80_000 },
      ],
    });
  });

  it('givesAnAgentItsOwnLimitsAndTakesThemBack', () => {
    const own = withAgentLimits({ maxOrderLots: 3 }, limits);
    const set = applyBatches(live(), [batch([ev(11, T0, { kind: 'RiskLimitsChanged', limits: own, reason: 'small orders', by: 'trader', at: 'x', agentId: 'a1', ownLimits: true })])]).state;
    expect(set.risk?.agents.get('a1')).toMatchObject({ ownLimits: true, limits: own.perAgent });
    expect(set.risk?.limits).toEqual(limits);
    expect(set.risk?.history[0]).toMatchObject({ scope: { agentId: 'a1' }, changes: [{ group: 'perAgent', key: 'maxOrderLots', from: 5_000, to: 3 }] });
    expect(set.activity[0]).toMatchObject({ title: 'Own limits of TWAP-1 changed', detail: 'max order 5,000 → 3 lots · by trader' });
    const dropped = applyBatches(set, [batch([ev(12, T0, { kind: 'RiskLimitsChanged', limits, reason: 'back to normal', by: 'trader', at: 'y', agentId: 'a1', ownLimits: false })])]).state;
    expect(dropped.risk?.agents.get('a1')).toMatchObject({ ownLimits: false, limits: limits.perAgent });
  });

  it('diffsLimitsFieldByField', () => {
    expect(diffLimits(limits, limits)).toEqual([]);
    expect(diffLimits(limits, { ...limits, session: { ...limits.session, maxDailyLoss: 5 } })).toEqual([{ group: 'session', key: 'maxDailyLoss', from: limits.session.maxDailyLoss, to: 5 }]);
  });
});

describe('the risk feed', () => {
  it('listsDenialsAndAlertsNewestFirstWithTheirReasonsAndKeepsLoggingThem', () => {
    const { state } = applyBatches(live(), [
      batch([
        denial(11, 'a1', 'PRICE_OUTSIDE_COLLAR', 'price 100.50 is 50 bps from the mid 100.000, collar 25 bps'),
        ev(12, T0 + 12, { kind: 'RiskAlert', detector: 'flash-crash', edge: 'fired', reason: 'the mid fell 40.0 bps in 30 s: 14.7σ', value: 14.7, threshold: 13.5, action: 'REDUCING', agents: ['a1', 'a2'] }),
      ]),
    ]);
    expect(state.riskFeed.map((r) => r.kind)).toEqual(['alert', 'denial']);
    expect(state.riskFeed[0]).toMatchObject({ detector: 'flash-crash', edge: 'fired', reason: 'the mid fell 40.0 bps in 30 s: 14.7σ', action: 'REDUCING', agents: ['TWAP-1', 'VWAP-2'] });
    expect(state.riskFeed[1]).toMatchObject({ agentName: 'TWAP-1', code: 'PRICE_OUTSIDE_COLLAR', detail: 'price 100.50 is 50 bps from the mid 100.000, collar 25 bps', count: 1 });
    expect(state.activity.map((a) => a.title)).toEqual(['Risk alert flash-crash fired', 'Order denied: PRICE_OUTSIDE_COLLAR']);
  });

  it('foldsARepeatedDenialIntoACountedRowOnTopWithTheLatestDetail', () => {
    const first = applyBatches(live(), [batch([denial(11, 'a1', 'ORDER_SIZE_EXCEEDS_MAX'), denial(12, 'a2', 'SELF_TRADE'), denial(13, 'a1', 'ORDER_SIZE_EXCEEDS_MAX')])]).state;
    expect(first.riskFeed.map((r) => (r.kind === 'denial' ? [r.agentId, r.count, r.detail] : null))).toEqual([
      ['a1', 2, 'ORDER_SIZE_EXCEEDS_MAX detail 13'],
      ['a2', 1, 'SELF_TRADE detail 12'],
    ]);
    // Across passes too.
    const second = applyBatches(first, [batch([denial(14, 'a2', 'SELF_TRADE')], 13)]).state;
    expect(second.riskFeed.map((r) => (r.kind === 'denial' ? [r.agentId, r.count] : null))).toEqual([
      ['a2', 2],
      ['a1', 2],
    ]);
  });

  it('foldsOnlyAmongTheNewestRows', () => {
    const others = Array.from({ length: DENIAL_FOLD_DEPTH }, (_, i) => denial(12 + i, 'a2', `CODE_${i}`));
    const { state } = applyBatches(live(), [batch([denial(11, 'a1', 'SELF_TRADE'), ...others, denial(12 + DENIAL_FOLD_DEPTH, 'a1', 'SELF_TRADE')])]);
    expect(state.riskFeed.filter((r) => r.kind === 'denial' && r.code === 'SELF_TRADE')).toHaveLength(2);
  });

  it('isBounded', () => {
    const events = Array.from({ length: RISK_FEED_MAX + 20 }, (_, i) => ev(11 + i, T0 + i, { kind: 'RiskAlert', detector: 'spread-blowout', edge: i % 2 === 0 ? 'fired' : 'cleared', reason: String(i), value: 5, threshold: 4.5, action: null, agents: [] }));
    const { state } = applyBatches(live(), [batch(events)]);
    expect(state.riskFeed).toHaveLength(RISK_FEED_MAX);
    expect(state.riskFeed[0]).toMatchObject({ reason: String(RISK_FEED_MAX + 19) });
  });

  it('keepsAlertsThroughAFloodOfDenials', () => {
    const alert = ev(11, T0, { kind: 'RiskAlert', detector: 'flash-crash', edge: 'fired', reason: 'the crash', value: 20, threshold: 13.5, action: 'REDUCING', agents: ['a1'] });
    // Distinct agents so no denial folds into another: each is a row of its own.
    const flood = Array.from({ length: RISK_FEED_MAX + 50 }, (_, i) => denial(12 + i, `x${i}`, 'REDUCE_ONLY'));
    const { state } = applyBatches(live(), [batch([alert]), batch(flood.slice(0, 100)), batch(flood.slice(100))]);
    expect(state.riskFeed.filter((r) => r.kind === 'denial')).toHaveLength(RISK_FEED_MAX);
    expect(state.riskFeed.filter((r) => r.kind === 'alert')).toMatchObject([{ detector: 'flash-crash', reason: 'the crash' }]);
    expect(state.riskFeed.at(-1)).toMatchObject({ kind: 'alert' });
  });

  it('survivesAResyncLikeTheOtherLogs', () => {
    const s = applyBatches(live(), [batch([denial(11, 'a1', 'SELF_TRADE')])]).state;
    expect(applySnapshot(s, snapshot(30), host, 'gap').riskFeed).toBe(s.riskFeed);
  });
});
