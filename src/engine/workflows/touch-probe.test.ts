import { describe, expect, it } from 'vitest';
import type { AgentFill, ElapseResult, SubmitResult, Venue, VenueEvent, VenueOrder } from '../venue/types';
import { findVolumeFile } from '../node/files/backtest-markets';
import { probeVenues, touchProbe } from './touch-probe';

const S = 1_000_000_000;

/** A venue that fills a resting sell in full and then lifts the mid by 10 ticks; a resting buy never fills. */
function scripted(): Venue {
  let bid = 1000;
  let ask = 1002;
  let now = 0;
  let resting: { side: 'buy' | 'sell'; price: number; size: number } | null = null;
  return {
    now: () => now,
    bestBid: () => bid,
    bestAsk: () => ask,
    submit(order: VenueOrder): SubmitResult {
      if (order.kind !== 'limit') throw new Error('limit orders only');
      resting = { side: order.side, price: order.price, size: order.size };
      return { accepted: true, id: order.id, fills: [], resting: order.size, cancelled: 0 };
    },
    elapse(ns: number): ElapseResult {
      now += ns;
      const events: VenueEvent[] = [];
      if (ns === 0) return { now, events, exhausted: false };
      if (resting?.side === 'sell') {
        const fill: AgentFill = { orderId: 1, ts: now, side: 'sell', price: resting.price, size: resting.size, remaining: 0, liquidity: 'maker' };
        events.push({ kind: 'OrderFilled', ...fill });
      }
      bid += 10;
      ask += 10;
      return { now, events, exhausted: false };
    },
  } as unknown as Venue;
}

describe('touch probe', () => {
  it('countsFillsAndSignsTheMidMoveAgainstTheOrder', () => {
    const r = probeVenues(() => ({ venue: scripted(), startNs: 0 }), [1, 2, 3], 40, 30 * S);
    const lift = (10 / 1001) * 10_000;
    expect(r.sell).toMatchObject({ n: 3, anyFill: 1, fullFill: 1, filledShare: 1, adverseIfNotBps: null });
    expect(r.sell.adverseIfFilledBps?.mean).toBeCloseTo(lift, 9); // sold, then the price rose: against it
    expect(r.buy).toMatchObject({ n: 3, anyFill: 0, fullFill: 0, filledShare: 0, adverseIfFilledBps: null });
    expect(r.buy.adverseIfNotBps?.mean).toBeCloseTo(-lift, 9); // never bought, the price ran away upwards
    expect(r.both.n).toBe(6);
    expect(r.both.anyFill).toBeCloseTo(0.5, 12);
    expect(() => probeVenues(() => ({ venue: scripted(), startNs: 0 }), [1], 0, S)).toThrow(/whole number of lots/);
  });

  it('fillsASmallOrderInFullMoreOftenThanAHugeOneOnTheSameSimulatedSeeds', async () => {
    const market = { kind: 'sim' as const, scenario: 'thin', preTradeNs: 60 * S, horizonNs: 30 * S, volumeFile: findVolumeFile(), startNs: 36_000 * S };
    const seeds = [900_001, 900_002, 900_003, 900_004, 900_005, 900_006];
    const small = await touchProbe({ market, seeds, size: 1, waitNs: 30 * S });
    const huge = await touchProbe({ market, seeds, size: 5000, waitNs: 30 * S });
    expect(small.both.n).toBe(12);
    expect(small.both.fullFill).toBeGreaterThan(huge.both.fullFill);
    expect(huge.both.fullFill).toBe(0);
    for (const s of [small.buy, small.sell, huge.both]) {
      for (const x of [s.anyFill, s.fullFill, s.filledShare]) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
      }
    }
  });
});
