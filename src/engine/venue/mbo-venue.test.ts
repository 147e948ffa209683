import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createOrderBook } from '../book/order-book';
import { MboFlow } from '../data/databento';
import type { MboFlowMessage, MboRecord } from '../data/databento';
import { loadMboDay } from '../node/files/databento-files';
import { createMboVenue } from './mbo-venue';

const FILE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/cme/ESM4_2024-05-08T000000-000002_mbo.dbn.zst');
/** 5214.25 in the venue's units of 0.01. */
const ASK = 521_425;

describe('the MBO venue on the ES sample', () => {
  it('putsTheAgentBehindTheRealQueueAndShrinksItByTheRealFillsAndCancelsAhead', async () => {
    const day = await loadMboDay(FILE, createOrderBook());
    // At 1.4893 s the 5214.25 ask holds 16 lots; fills (1, then 1, 1 and 2 of one order) and cancels (3 lots) of orders ahead follow.
    const venue = createMboVenue(day.messages, { book: createOrderBook(), startNs: 1_489_300_000 });
    expect(venue.bestAsk()).toBe(ASK);
    expect(venue.submit({ kind: 'limit', id: 1, side: 'sell', price: ASK, size: 5 })).toMatchObject({ accepted: true, resting: 5 });
    expect(venue.order(1)?.sizeAhead).toBe(16);
    const { events } = venue.elapse(2_000_000_000 - 1_489_300_000);
    const trades = events.filter((e) => e.kind === 'TradePrinted');
    expect(trades.map((t) => t.kind === 'TradePrinted' && [t.price, t.size, t.aggressor])).toEqual([[ASK, 1, 'buy'], [ASK, 1, 'buy'], [ASK, 1, 'buy'], [ASK, 2, 'buy']]);
    // 16 − 5 (fills) − 3 (cancels) = 8 still ahead; the aggressors never reached the agent.
    expect(venue.order(1)).toMatchObject({ sizeAhead: 8, filled: 0 });
    expect(events.some((e) => e.kind === 'OrderFilled')).toBe(false);
  });
});

/** An MBO record as the sample writes them (ES instrument 5602, prices in 1e-9). */
function rec(action: MboRecord['action'], side: MboRecord['side'], orderId: number, price: number, size: number, tNs: number): MboRecord {
  return { publisherId: 1, instrumentId: 5602, tsEvent: BigInt(tNs), orderId: BigInt(orderId), price: BigInt(Math.round(price * 100)) * 10_000_000n, size, flags: 128, channelId: 0, action, side, tsRecv: BigInt(tNs), tsInDelta: 0, sequence: 0 };
}

function flowOf(records: MboRecord[]): MboFlowMessage[] {
  const flow = new MboFlow(createOrderBook(), 'test', 0n);
  return records.flatMap((r, i) => flow.onRecord(r, i + 1));
}

describe('the MBO venue queue', () => {
  it('fillsTheAgentOnlyOnceTheOrdersAheadAreFilledAndAnOrderBehindTrades', () => {
    const flow = flowOf([
      rec('A', 'A', 11, 5214.25, 2, 0),
      rec('A', 'A', 12, 5214.25, 3, 0),
      rec('A', 'B', 20, 5214.0, 5, 0),
      // The agent joins at 10 ns, behind 11 and 12; 13 joins behind the agent.
      rec('A', 'A', 13, 5214.25, 4, 20),
      rec('T', 'B', 90, 5214.25, 3, 30),
      rec('F', 'A', 11, 5214.25, 2, 30),
      rec('F', 'A', 12, 5214.25, 1, 30),
      rec('C', 'A', 11, 5214.25, 2, 31),
      rec('M', 'A', 12, 5214.25, 2, 31),
      rec('T', 'B', 91, 5214.25, 5, 40),
      rec('F', 'A', 12, 5214.25, 2, 40),
      rec('F', 'A', 13, 5214.25, 3, 40),
      rec('C', 'A', 12, 5214.25, 2, 41),
      rec('M', 'A', 13, 5214.25, 1, 41),
    ]);
    const venue = createMboVenue(flow, { book: createOrderBook(), startNs: 10 });
    venue.submit({ kind: 'limit', id: 7, side: 'sell', price: ASK, size: 2 });
    expect(venue.order(7)?.sizeAhead).toBe(5);
    const first = venue.elapse(25);
    expect(first.events.filter((e) => e.kind === 'OrderFilled')).toEqual([]);
    // The partial fill of 12 kept its place: 2 lots are still ahead.
    expect(venue.order(7)).toMatchObject({ sizeAhead: 2, filled: 0 });
    const second = venue.elapse(10);
    // 12's last 2 lots go first; the 3 that reached 13 behind the agent would have reached the agent first.
    expect(second.events.filter((e) => e.kind === 'OrderFilled')).toEqual([expect.objectContaining({ orderId: 7, price: ASK, size: 2, liquidity: 'maker', remaining: 0, ts: 41 })]);
    expect(venue.order(7)).toBeUndefined();
  });

  it('putsAnOrderThatModifiesItsPriceBehindTheAgent', () => {
    const flow = flowOf([
      rec('A', 'A', 11, 5214.5, 4, 0),
      rec('A', 'A', 12, 5214.25, 1, 0),
      rec('A', 'B', 20, 5214.0, 5, 0),
      // 11 moves down to the agent's price after the agent joined: it queues behind.
      rec('M', 'A', 11, 5214.25, 4, 20),
      rec('T', 'B', 90, 5214.25, 2, 30),
      rec('F', 'A', 12, 5214.25, 1, 30),
      rec('F', 'A', 11, 5214.25, 1, 30),
      rec('C', 'A', 12, 5214.25, 1, 31),
      rec('M', 'A', 11, 5214.25, 3, 31),
    ]);
    const venue = createMboVenue(flow, { book: createOrderBook(), startNs: 10 });
    venue.submit({ kind: 'limit', id: 7, side: 'sell', price: ASK, size: 3 });
    expect(venue.order(7)?.sizeAhead).toBe(1);
    const { events } = venue.elapse(30);
    expect(events.filter((e) => e.kind === 'OrderFilled')).toEqual([expect.objectContaining({ orderId: 7, size: 1, remaining: 2 })]);
  });
});
