import { describe, expect, it } from 'vitest';
import type { LimitUse } from '../../../engine/contract/index';
import { describeDeltas, formatLimit } from '../format/limits';
import type { AlertFeedRow } from '../store/types';
import { alertAction, filterFeed } from './RiskFeed';
import { lossShare, positionUse, shareOf, levelOf } from './risk-use';

const use = (u: Partial<LimitUse>): LimitUse => ({ position: 0, workingBuyLots: 0, workingSellLots: 0, openOrders: 0, ordersInWindow: 0, pnl: 0, ...u });

describe('use of a limit', () => {
  it('countsWorkingOrdersOnTheSideTheyWouldFillLikeTheGate', () => {
    expect(positionUse(use({ position: 300, workingBuyLots: 200, workingSellLots: 100 }), 1_000, 500)).toEqual({ long: 500, short: 0, longShare: 0.5, shortShare: 0 });
    expect(positionUse(use({ position: -300, workingSellLots: 200 }), 1_000, 500)).toEqual({ long: 0, short: 500, longShare: 0, shortShare: 1 });
  });

  it('warnsNearTheLimitAndAlarmsAtIt', () => {
    expect(levelOf(0.5)).toBe('ok');
    expect(levelOf(0.8)).toBe('near');
    expect(levelOf(1)).toBe('at');
    expect(levelOf(1.4)).toBe('at');
    expect(levelOf(null)).toBe('unknown');
  });

  it('measuresOnlyALossAgainstTheDailyLossLimit', () => {
    expect(lossShare(-250, 1_000)).toBe(0.25);
    expect(lossShare(400, 1_000)).toBe(0);
    // A position without a mid to mark it has no P&L (NaN in the engine, null over JSON).
    expect(lossShare(NaN, 1_000)).toBeNull();
    expect(lossShare(null, 1_000)).toBeNull();
  });

  it('treatsAnUnlimitedMaxAsNoUse', () => {
    expect(shareOf(5, Infinity)).toBe(0);
    expect(shareOf(5, 0)).toBeNull();
  });
});

describe('limits in words', () => {
  it('saysWhatAChangeMovedWithUnits', () => {
    expect(
      describeDeltas([
        { group: 'perAgent', key: 'priceCollarBps', from: 200, to: 1 },
        { group: 'session', key: 'maxLongLots', from: 100_000, to: 80_000 },
      ]),
    ).toBe('price collar ±200 → ±1 bps; session max long 100,000 → 80,000 lots');
    expect(formatLimit('perAgent', 'maxOrderLots', 5_000)).toBe('5,000 lots');
    expect(formatLimit('perAgent', 'maxOrderNotional', Infinity)).toBe('∞ ccy');
  });
});

describe('the risk feed', () => {
  const alert = (a: Partial<AlertFeedRow>): AlertFeedRow => ({ kind: 'alert', key: 'a1', ts: 0, detector: 'flash-crash', edge: 'fired', reason: 'r', value: 1, threshold: 2, action: 'REDUCING', agents: ['TWAP-1', 'VWAP-2'], ...a });

  it('saysWhatThePostureRulesDid', () => {
    expect(alertAction(alert({}))).toBe('→ REDUCING: TWAP-1, VWAP-2');
    expect(alertAction(alert({ agents: [] }))).toBe('→ REDUCING: no agent was trading');
    expect(alertAction(alert({ edge: 'cleared', action: 'RESTORED', agents: ['TWAP-1'] }))).toBe('restored TWAP-1');
    expect(alertAction(alert({ action: 'ALERT', agents: [] }))).toBe('alert only');
    expect(alertAction(alert({ edge: 'cleared', action: null, agents: [] }))).toBe('nothing to restore');
  });

  it('filtersByKind', () => {
    const rows = [alert({ key: 'a' }), { kind: 'denial' as const, key: 'd', ts: 0, agentId: 'a1', agentName: 'TWAP-1', code: 'SELF_TRADE', detail: '', side: 'buy' as const, size: 1, price: null, orderId: 'a1/1', count: 1 }];
    expect(filterFeed(rows, 'all')).toBe(rows);
    expect(filterFeed(rows, 'denial').map((r) => r.key)).toEqual(['d']);
    expect(filterFeed(rows, 'alert').map((r) => r.key)).toEqual(['a']);
  });
});
