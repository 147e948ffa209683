import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../contract/events';
import { OrderAudit } from './audit';
import { withAgentLimits } from './limits';

const x = (position: number, openOrders: number, workingLots: number) => ({ position, openOrders, workingLots });

describe('OrderAudit', () => {
  it('findsAnAcceptedOrderThatBreachesALimitAndAStreamThatDoesNotAddUp', () => {
    const audit = new OrderAudit(withAgentLimits({ maxOrderLots: 100, maxLongLots: 150, maxOpenOrders: 2 }));
    const events: EngineEvent[] = [
      { kind: 'OrderAccepted', seq: 1, ts: 1, agentId: 'a', orderId: 'a/1', side: 'buy', price: 10, size: 100, resting: 100, exposure: x(0, 1, 100) },
      { kind: 'OrderAccepted', seq: 2, ts: 2, agentId: 'a', orderId: 'a/2', side: 'buy', price: 10, size: 101, resting: 101, exposure: x(0, 2, 201) },
      { kind: 'OrderFilled', seq: 3, ts: 3, agentId: 'a', orderId: 'a/1', side: 'buy', price: 10, size: 40, liquidity: 'maker', remaining: 60, agent: { filled: 40, avgPrice: 10, shortfallBps: 0 }, exposure: x(40, 2, 160) },
      { kind: 'OrderDenied', seq: 4, ts: 4, agentId: 'a', orderId: 'a/2', side: 'buy', price: 10, size: 1, code: 'X', detail: 'x', denial: null },
      { kind: 'OrderCancelled', seq: 5, ts: 5, agentId: 'b', orderId: 'a/1', lots: 60, reason: 'r', exposure: x(0, 0, 0) },
    ];
    for (const e of events) audit.see(e);
    expect(audit.report()).toEqual({
      accepted: 2,
      denied: 1,
      breaches: [
        '#2: a/2 buy 101 accepted beyond the max order of 100',
        '#2: a/2 buy 101 accepted taking the agent to 201 lots with its working orders',
        '#3: OrderFilled a/1 tells 2 orders / 160 lots working and position 40; the stream adds up to 2 / 161 and 40',
        '#4: a/2 has a second outcome',
        "#5: b cancelled a/1, another agent's order",
        '#5: a/1 cancelled but not working',
      ],
    });
  });
});
