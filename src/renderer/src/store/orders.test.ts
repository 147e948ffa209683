import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../engine/contract/index';
import { ev } from '../testing/fixtures';
import { ORDERS_MAX, OrdersPass, type OrderRow } from './orders';

const exposure = { position: 0, openOrders: 0, workingLots: 0 };
const agentFigures = { filled: 0, avgPrice: null, shortfallBps: null };

function accepted(seq: number, orderId: string, size: number, resting: number, price: number | null = 100): EngineEvent {
  return ev(seq, seq * 1000, { kind: 'OrderAccepted', agentId: orderId.split('/')[0]!, orderId, side: 'buy', price, size, resting, exposure });
}
function filled(seq: number, orderId: string, price: number, size: number, remaining: number): EngineEvent {
  return ev(seq, seq * 1000, { kind: 'OrderFilled', agentId: orderId.split('/')[0]!, orderId, side: 'buy', price, size, liquidity: 'maker', remaining, agent: agentFigures, exposure });
}

function fold(events: readonly EngineEvent[], base: ReadonlyMap<string, OrderRow> = new Map()): ReadonlyMap<string, OrderRow> {
  const pass = new OrdersPass(base);
  for (const e of events) pass.apply(e);
  return pass.commit();
}

describe('orders blotter rows', () => {
  it('followsEachOrderFromAcceptanceThroughItsFillsToItsEnd', () => {
    const rows = fold([
      accepted(1, 'a1/1', 300, 300),
      filled(2, 'a1/1', 100, 100, 200),
      filled(3, 'a1/1', 103, 200, 0),
      accepted(4, 'a1/2', 50, 50),
      ev(5, 5000, { kind: 'OrderCancelled', agentId: 'a1', orderId: 'a1/2', lots: 50, reason: 'replaced', exposure }),
      // A market order that took liquidity on arrival: its fill comes before its acceptance.
      filled(6, 'a2/1', 104, 40, 0),
      accepted(7, 'a2/1', 40, 0, null),
      accepted(8, 'a2/2', 60, 0, 99),
      ev(9, 9000, { kind: 'OrderExpired', agentId: 'a2', orderId: 'a2/2', lots: 60, exposure }),
      ev(10, 10_000, { kind: 'OrderDenied', agentId: 'a2', orderId: 'a2/3', side: 'sell', price: 101, size: 5000, code: 'MAX_ORDER_SIZE', detail: '5,000 lots is above the 2,000-lot limit', denial: { code: 'MAX_ORDER_SIZE', limit: 2000, value: 5000 } as never }),
    ]);
    expect(rows.get('a1/1')).toMatchObject({ state: 'filled', filled: 300, avgPrice: 102, ts: 1000, updatedTs: 3000, outcome: 'passed' });
    expect(rows.get('a1/2')).toMatchObject({ state: 'cancelled', filled: 0, updatedTs: 5000 });
    expect(rows.get('a2/1')).toMatchObject({ state: 'filled', filled: 40, avgPrice: 104, price: null });
    expect(rows.get('a2/2')).toMatchObject({ state: 'expired', filled: 0 });
    expect(rows.get('a2/3')).toMatchObject({ state: 'denied', denied: true, side: 'sell', outcome: 'risk MAX_ORDER_SIZE: 5,000 lots is above the 2,000-lot limit' });
  });

  it('keepsTheSameMapWhenNoOrderMovedAndDropsTheOldestFinishedPastTheLimit', () => {
    const base = fold([accepted(1, 'a1/1', 10, 10)]);
    expect(fold([ev(2, 2000, { kind: 'TradePrinted', price: 1, size: 1, aggressor: 'buy' })], base)).toBe(base);
    const many: EngineEvent[] = [];
    for (let i = 0; i < ORDERS_MAX + 10; i++) many.push(ev(i + 2, i, { kind: 'OrderDenied', agentId: 'a2', orderId: `a2/${i}`, side: 'buy', price: 1, size: 1, code: 'X', detail: '', denial: null }));
    const after = fold(many, base);
    expect(after.size).toBe(ORDERS_MAX);
    // The working order stays, however old.
    expect(after.get('a1/1')?.state).toBe('working');
    expect(after.has('a2/0')).toBe(false);
    expect(after.has(`a2/${ORDERS_MAX + 9}`)).toBe(true);
  });
});
