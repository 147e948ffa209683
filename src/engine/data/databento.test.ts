import { describe, expect, it } from 'vitest';
import { createOrderBook } from '../book/order-book';
import { DbnFormatError, MboFlow, formatDbnPrice } from './databento';
import type { MboRecord } from './databento';

function rec(action: MboRecord['action'], side: MboRecord['side'], orderId: number, price: number, size: number, flags = 128): MboRecord {
  return { publisherId: 1, instrumentId: 5602, tsEvent: 0n, orderId: BigInt(orderId), price: BigInt(Math.round(price * 100)) * 10_000_000n, size, flags, channelId: 0, action, side, tsRecv: 5n, tsInDelta: 0, sequence: 0 };
}

describe('the MBO flow rebuild', () => {
  it('writesPricesAsDecimalsFromTheirNanoUnits', () => {
    expect(formatDbnPrice(5_214_000_000_000n)).toBe('5214.00');
    expect(formatDbnPrice(5_214_250_000_000n)).toBe('5214.25');
    expect(formatDbnPrice(1_234_567n)).toBe('0.001234567');
  });

  it('clearsTheBookOnRAndCountsCrossedEventsOnlyAtTheirLastRecord', () => {
    const flow = new MboFlow(createOrderBook(), 'f', 0n);
    flow.onRecord(rec('A', 'B', 1, 5214.0, 2), 1);
    flow.onRecord(rec('A', 'A', 2, 5214.25, 3), 2);
    const cleared = flow.onRecord(rec('R', 'N', 0, 0, 0), 3);
    expect(cleared.map((m) => [m.kind, m.orderId])).toEqual([['delete', 1], ['delete', 2]]);
    expect(flow.orderBook.orderCount).toBe(0);
    expect(flow.report()).toMatchObject({ clears: 1, crossedEvents: 0, tickUnits: 25 });
  });

  it('refusesACancelOfAnUnknownOrderAndAnOffGridPriceNamingTheRecord', () => {
    const flow = new MboFlow(createOrderBook(), 'f.dbn', 0n);
    expect(() => flow.onRecord(rec('C', 'B', 9, 5214.0, 1), 7)).toThrow(DbnFormatError);
    expect(() => flow.onRecord(rec('C', 'B', 9, 5214.0, 1), 7)).toThrow('f.dbn: record 7: expected a cancel of a resting order, received a cancel of order 9, not in the book');
    const off = { ...rec('A', 'B', 3, 5214.0, 1), price: 5_214_000_000_001n };
    expect(() => flow.onRecord(off, 8)).toThrow('f.dbn: record 8: expected a price on a 0.01 grid');
  });
});
