import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createOrderBook } from '../book/order-book';
import { BTCUSDT, parseBinanceLine } from '../data/binance';
import type { BinanceRecord } from '../data/binance';
import { loadBinanceCapture } from '../node/files/binance-files';
import { BinanceVenue } from './binance-venue';
import type { BinanceCapture } from './binance-venue';

const SPOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/crypto/binance_spot_btcusdt_20240808_hftbacktest.jsonl.gz');
const S = 1_000_000_000;

/** Lines in the spot capture's format (local ns, raw JSON), times in seconds after midnight. */
function capture(lines: Array<[number, string]>): BinanceCapture {
  const records: BinanceRecord[] = lines.map(([t, json], i) => parseBinanceLine(`${t * S} ${json}`, BTCUSDT, 'test', i + 1));
  return { instrument: BTCUSDT, records, timeAt: (i) => Number((records[i] as BinanceRecord).localNs) };
}
const depth = (U: number, u: number, b: string[][], a: string[][] = []): string => JSON.stringify({ stream: 'btcusdt@depth@100ms', data: { e: 'depthUpdate', E: 1, s: 'BTCUSDT', U, u, b, a } });
const trade = (t: number, p: string, q: string, m: boolean): string => JSON.stringify({ stream: 'btcusdt@trade', data: { e: 'trade', E: 1, s: 'BTCUSDT', t, p, q, T: 1, m } });

describe('the Binance venue queue model', () => {
  it('fillsABidOnlyOnceTradesAndItsProRataShareOfCancelsHaveTakenTheSizeAhead', () => {
    const venue = new BinanceVenue(
      capture([
        [1, JSON.stringify({ lastUpdateId: 100, bids: [['61824.00', '0.00050']], asks: [['61825.00', '0.00100']] })],
        [2, depth(101, 101, [['61823.00', '0.00010']])],
        // The agent bids 20 lots at 61824.00 at 3 s, behind 50; 30 more join behind it.
        [4, depth(102, 102, [['61824.00', '0.00080']])],
        [5, trade(1, '61824.00', '0.00020', true)],
        // 80 → 40: 20 traded, 20 cancelled over a queue of 60 of which 30 were ahead → 10 off the front.
        [6, depth(103, 103, [['61824.00', '0.00040']])],
        [7, trade(2, '61824.00', '0.00030', true)],
        [8, trade(3, '61824.00', '0.00015', true)],
      ]),
      { book: createOrderBook(), startNs: 3 * S },
    );
    expect(venue.bestBid()).toBe(6_182_400);
    venue.submit({ kind: 'limit', id: 1, side: 'buy', price: 6_182_400, size: 20 });
    expect(venue.order(1)?.sizeAhead).toBe(50);
    venue.elapse(2 * S);
    expect(venue.order(1)).toMatchObject({ sizeAhead: 30, filled: 0 });
    venue.elapse(S);
    expect(venue.order(1)).toMatchObject({ sizeAhead: 20, filled: 0 });
    const fills = venue.elapse(2 * S).events.filter((e) => e.kind === 'OrderFilled');
    // 30 traded: 20 go to the orders ahead, 10 to the agent; the next 15 fill its last 10.
    expect(fills).toEqual([expect.objectContaining({ orderId: 1, size: 10, remaining: 10, ts: 7 * S }), expect.objectContaining({ orderId: 1, size: 10, remaining: 0, ts: 8 * S })]);
  });

  it('takesTheVisibleLevelsUpToItsLimitAndNeverTakesTheSameLotsTwice', () => {
    const c = capture([
      [1, JSON.stringify({ lastUpdateId: 100, bids: [['61824.00', '0.00050']], asks: [['61825.00', '0.00010'], ['61826.00', '0.00020'], ['61830.00', '0.00100']] })],
      [2, depth(101, 101, [['61823.00', '0.00010']])],
      [4, depth(102, 102, [], [['61825.00', '0.00015']])],
    ]);
    const venue = new BinanceVenue(c, { book: createOrderBook(), startNs: 3 * S });
    const r = venue.submit({ kind: 'limit', id: 1, side: 'buy', price: 6_182_600, size: 50, tif: 'IOC' });
    expect(r).toMatchObject({ accepted: true, cancelled: 20, fills: [expect.objectContaining({ price: 6_182_500, size: 10, liquidity: 'taker' }), expect.objectContaining({ price: 6_182_600, size: 20 })] });
    expect(venue.bestAsk()).toBe(6_183_000);
    // The level grows from 10 to 15 lots: only the 5 new lots are there for the agent.
    venue.elapse(S);
    expect(venue.l2(1).asks).toEqual([[6_182_500, 5]]);
  });

  it('fillsARestingBidWhenTheMarketTradesThroughItsPrice', () => {
    const c = capture([
      [1, JSON.stringify({ lastUpdateId: 100, bids: [['61824.00', '0.00050'], ['61820.00', '0.00050']], asks: [['61825.00', '0.00010']] })],
      [2, depth(101, 101, [['61823.00', '0.00010']])],
      [4, trade(1, '61820.00', '0.00005', true)],
    ]);
    const venue = new BinanceVenue(c, { book: createOrderBook(), startNs: 3 * S });
    venue.submit({ kind: 'limit', id: 1, side: 'buy', price: 6_182_400, size: 20 });
    expect(venue.submit({ kind: 'limit', id: 2, side: 'sell', price: 6_182_400, size: 1 })).toMatchObject({ accepted: false, reject: { code: 'WOULD_SELF_TRADE' } });
    const fills = venue.elapse(2 * S).events.filter((e) => e.kind === 'OrderFilled');
    // A sell printing at 61820.00 went through 61824.00, so that level was gone before the next diff shows it: the 5 lots fill the agent.
    expect(fills).toEqual([expect.objectContaining({ orderId: 1, price: 6_182_400, size: 5, remaining: 15, liquidity: 'maker' })]);
    expect(venue.order(1)?.sizeAhead).toBe(0);
  });

  it('refusesAStartBeforeTheBookIsRebuilt', () => {
    const c = capture([[1, depth(99, 99, [['61824.00', '0.00050']])]]);
    expect(() => new BinanceVenue(c, { book: createOrderBook(), startNs: S })).toThrow(/not rebuilt by the start/);
  });
});

describe('the Binance venue on the spot capture', () => {
  it('keepsARestingBidBehindItsQueueWhileTheTradesAtItsPriceAreFewerThanTheSizeAhead', async () => {
    const cap = await loadBinanceCapture(SPOT);
    expect(cap.syncNs).toBeGreaterThan(cap.firstNs);
    // 23:54:35 UTC: the best bid 61828.09 shows 329,473 lots (3.29 BTC) ahead of an agent joining it.
    const venue = new BinanceVenue(cap, { book: createOrderBook(), startNs: 86_075 * S });
    const bid = venue.bestBid() as number;
    expect(bid).toBe(6_182_809);
    venue.submit({ kind: 'limit', id: 1, side: 'buy', price: bid, size: 100 });
    let ahead = venue.order(1)?.sizeAhead as number;
    expect(ahead).toBe(329_473);
    let traded = 0;
    for (let s = 0; s < 20; s++) {
      for (const e of venue.elapse(S).events) {
        if (e.kind === 'TradePrinted' && e.price === bid && e.aggressor === 'sell') traded += e.size;
        expect(e.kind).not.toBe('OrderFilled');
      }
      const now = venue.order(1)?.sizeAhead as number;
      expect(now).toBeLessThanOrEqual(ahead);
      ahead = now;
    }
    expect(traded).toBe(1_046);
    expect(ahead).toBeGreaterThan(0);
  });
});
