import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NS_PER_SECOND } from '../core/clock';
import { parseScenario } from './scenario';
import type { Scenario } from './scenario';
import { createSimVenue } from './sim-venue';
import type { SimVenue } from './sim-venue';

const DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../resources/scenarios');

function scenario(name: string): Scenario {
  const file = `${DIR}/${name}.json`;
  return parseScenario(JSON.parse(readFileSync(file, 'utf8')), file);
}

/** Opens a venue and moves it to the session open plus `seconds`. */
function venueAt(s: Scenario, seed: number, options: Parameters<typeof createSimVenue>[2] = {}): SimVenue {
  return createSimVenue(s, seed, options);
}

function run(v: SimVenue, seconds: number, step = 1): string[] {
  const out: string[] = [];
  for (let i = 0; i < seconds / step; i++) {
    const r = v.elapse(step * NS_PER_SECOND);
    out.push(JSON.stringify(r.events));
    out.push(`${r.now} ${v.bestBid()} ${v.bestAsk()}`);
  }
  return out;
}

describe('SimVenue', () => {
  const calm = scenario('calm');

  it('producesTheSameEventStreamForTheSameSeed', () => {
    const a = run(venueAt(calm, 42), 120);
    const b = run(venueAt(calm, 42), 120);
    expect(a).toEqual(b);
    expect(a.join('').length).toBeGreaterThan(1000);
    expect(run(venueAt(calm, 43), 120)).not.toEqual(a);
  });

  it('givesTheSameMarketWhateverTheStepSize', () => {
    const a = venueAt(calm, 7);
    const b = venueAt(calm, 7);
    const eventsA = a.elapse(60 * NS_PER_SECOND).events;
    const eventsB: unknown[] = [];
    for (let i = 0; i < 600; i++) eventsB.push(...b.elapse(NS_PER_SECOND / 10).events);
    expect(eventsB).toEqual(eventsA);
  });

  it('reproducesTheCounterfactualWhenTheAgentNeverTrades', () => {
    const quiet = venueAt(calm, 5);
    const none = venueAt(calm, 5);
    const a: string[] = [];
    const b: string[] = [];
    for (let i = 0; i < 300; i++) {
      // The agent looks at the market every second but never sends anything.
      quiet.l2(5);
      quiet.openOrders();
      a.push(JSON.stringify(quiet.elapse(NS_PER_SECOND).events), String(quiet.mid()));
      b.push(JSON.stringify(none.elapse(NS_PER_SECOND).events), String(none.mid()));
    }
    expect(a).toEqual(b);
  });

  it('movesThePriceAgainstTheCounterfactualWhenTheAgentBuys', () => {
    const buyer = venueAt(calm, 9, { marketEvents: false });
    const cf = venueAt(calm, 9, { marketEvents: false });
    let filled = 0;
    for (let i = 0; i < 120; i++) {
      const r = buyer.submit({ kind: 'market', id: i + 1, side: 'buy', size: 300 });
      if (r.accepted) filled += r.fills.reduce((s, f) => s + f.size, 0);
      buyer.elapse(NS_PER_SECOND);
      cf.elapse(NS_PER_SECOND);
    }
    expect(filled).toBeGreaterThan(10_000);
    expect(buyer.mid()).toBeGreaterThan(cf.mid());
  });

  it('delaysAnAgentOrderByItsEntryLatency', () => {
    const v = venueAt(calm, 3, { latency: { entryMs: 5 } });
    v.elapse(NS_PER_SECOND);
    const ask = v.bestAsk()!;
    const sent = v.submit({ kind: 'limit', id: 1, side: 'buy', price: ask + 50, size: 5, tif: 'IOC' });
    expect(sent).toMatchObject({ accepted: true, fills: [], resting: 5 });
    const early = v.elapse(4 * 1_000_000).events.filter((e) => e.kind === 'OrderFilled');
    expect(early).toEqual([]);
    const late = v.elapse(2 * 1_000_000).events.filter((e) => e.kind === 'OrderFilled');
    expect(late.length).toBeGreaterThan(0);
    expect(late[0]).toMatchObject({ orderId: 1, liquidity: 'taker' });
    expect(late[0]!.ts).toBeGreaterThanOrEqual(sent.accepted ? v.now() - 1_000_000 - 1 : 0);

    const instant = venueAt(calm, 3);
    instant.elapse(NS_PER_SECOND);
    const now = instant.submit({ kind: 'limit', id: 1, side: 'buy', price: instant.bestAsk()! + 50, size: 5, tif: 'IOC' });
    expect(now.accepted && now.fills.length > 0).toBe(true);
  });

  it('reportsMakerFillsOfARestingAgentOrderAndHidesItFromTheDepth', () => {
    const v = venueAt(calm, 11);
    v.elapse(NS_PER_SECOND);
    const bid = v.bestBid()!;
    const before = v.l2(3);
    const r = v.submit({ kind: 'limit', id: 1, side: 'buy', price: bid, size: 50 });
    expect(r).toMatchObject({ accepted: true, resting: 50 });
    expect(v.l2(3)).toEqual(before);
    expect(v.openOrders()[0]).toMatchObject({ id: 1, remaining: 50 });
    expect(v.openOrders()[0]!.sizeAhead).toBeGreaterThan(0);
    expect(v.submit({ kind: 'market', id: 2, side: 'sell', size: 5 })).toMatchObject({ accepted: false, reject: { code: 'WOULD_SELF_TRADE' } });
    let fills = 0;
    for (let i = 0; i < 600 && v.order(1); i++) fills += v.elapse(NS_PER_SECOND).events.filter((e) => e.kind === 'OrderFilled' && e.liquidity === 'maker').length;
    expect(fills > 0 || v.order(1) !== undefined).toBe(true);
    expect(v.cancel(99)).toMatchObject({ accepted: false, reject: { code: 'UNKNOWN_ORDER' } });
  });

  it('fillsATradeThroughOrderOnlyWhenATradePrintsThroughItOrTheBidReachesIt', () => {
    const v = venueAt(calm, 11, { passiveFills: 'trade-through' });
    const quiet = venueAt(calm, 11);
    v.elapse(NS_PER_SECOND);
    quiet.elapse(NS_PER_SECOND);
    const ask = v.bestAsk()!;
    const r = v.submit({ kind: 'limit', id: 1, side: 'sell', price: ask, size: 400 });
    expect(r).toMatchObject({ accepted: true, fills: [], resting: 400, cancelled: 0 });
    expect(v.openOrders()[0]).toMatchObject({ id: 1, remaining: 400, sizeAhead: null });
    let filled = 0;
    for (let i = 0; i < 900 && v.order(1); i++) {
      const events = v.elapse(NS_PER_SECOND).events;
      const trades = events.filter((e) => e.kind === 'TradePrinted');
      for (const e of events) {
        if (e.kind !== 'OrderFilled') continue;
        filled += e.size;
        expect(e).toMatchObject({ orderId: 1, price: ask, liquidity: 'maker' });
        // Only a trade above the order's price, or a bid reaching it, fills it (at that same instant).
        const through = trades.some((t) => t.kind === 'TradePrinted' && t.ts === e.ts && t.price > ask);
        const reached = events.some((l) => l.kind === 'LevelChanged' && l.ts === e.ts && l.side === 'buy' && l.price >= ask && l.size > 0);
        expect(through || reached).toBe(true);
      }
      // Out of the book: the market is the one the agent never touched.
      quiet.elapse(NS_PER_SECOND);
      expect(v.bestAsk()).toBe(quiet.bestAsk());
      expect(v.bestBid()).toBe(quiet.bestBid());
    }
    expect(filled).toBeGreaterThan(0);
    expect(filled).toBeLessThanOrEqual(400);
  });

  it('takesWhatATradeThroughOrderCrossesAndShadowsOnlyTheRest', () => {
    const v = venueAt(calm, 12, { passiveFills: 'trade-through' });
    v.elapse(NS_PER_SECOND);
    const ask = v.bestAsk()!;
    const depth = v.l2(1).asks[0]![1];
    const r = v.submit({ kind: 'limit', id: 1, side: 'buy', price: ask, size: depth + 30 });
    expect(r.accepted && r.fills.reduce((n, f) => n + f.size, 0)).toBe(depth);
    expect(r).toMatchObject({ resting: 30, cancelled: 0 });
    expect(v.order(1)).toMatchObject({ remaining: 30, sizeAhead: null });
    expect(v.cancel(1)).toMatchObject({ accepted: true, cancelled: 30 });
    expect(v.openOrders()).toEqual([]);
    const ioc = v.submit({ kind: 'limit', id: 2, side: 'buy', price: v.bestBid()!, size: 10, tif: 'IOC' });
    expect(ioc).toMatchObject({ accepted: true, resting: 0, cancelled: 10 });
    expect(v.openOrders()).toEqual([]);
  });
});

describe('scenarios through a session', () => {
  it.each(['calm', 'calm-calibrated', 'busy', 'volatile', 'thin', 'trending', 'flash-crash'])('keepsThe%sBookTwoSidedAndUncrossedAllDay', (name) => {
    const s = scenario(name);
    const v = createSimVenue(s, 1, { marketEvents: false });
    const book = v.market.book;
    const steps = s.session.durationSeconds;
    let bad = 0;
    for (let i = 0; i < steps; i++) {
      v.elapse(NS_PER_SECOND);
      const b = book.bestBid();
      const a = book.bestAsk();
      if (b === undefined || a === undefined || b >= a) bad++;
    }
    expect(bad).toBe(0);
    expect(v.market.messages).toBeGreaterThan(10_000);
  });

  it.each([1, 2, 4])('showsTheFlashCrashWithdrawalBoundedFallAndRecoveryWithSeed%i', (seed) => {
    const s = scenario('flash-crash');
    const crash = s.events.find((e) => e.kind === 'liquidityWithdrawal')!;
    const v = createSimVenue(s, seed, { marketEvents: true });
    let lowPrint = Infinity;
    const at = (sec: number): void => {
      for (const e of v.elapse(v.market.openNs + sec * NS_PER_SECOND - v.now()).events) if (e.kind === 'TradePrinted') lowPrint = Math.min(lowPrint, e.price);
    };
    const topDepth = (): number => {
      const l = v.l2(5);
      return l.bids.reduce((x, [, q]) => x + q, 0) + l.asks.reduce((x, [, q]) => x + q, 0);
    };
    // Depth of the top five levels a side, averaged over the minute before the crash and its first 30 seconds.
    let before = 0;
    for (let t = crash.atSeconds - 59; t <= crash.atSeconds; t++) {
      at(t);
      before += topDepth() / 60;
    }
    const midBefore = v.mid();
    lowPrint = Infinity;
    let during = 0;
    let low = midBefore;
    for (let t = crash.atSeconds + 1; t <= crash.atSeconds + 30; t++) {
      at(t);
      during += topDepth() / 30;
      low = Math.min(low, v.mid());
    }
    expect(during).toBeLessThan(0.8 * before);
    for (let t = crash.atSeconds + 31; t <= crash.atSeconds + 600; t++) {
      at(t);
      low = Math.min(low, v.mid());
    }
    const fall = (midBefore - low) / midBefore;
    expect(fall).toBeGreaterThan(0.03);
    expect(fall).toBeLessThan(0.2);
    expect(lowPrint).toBeGreaterThanOrEqual(0.75 * midBefore);
    at(crash.atSeconds + 1800);
    expect(v.mid()).toBeGreaterThan(low + (midBefore - low) / 3);
  });
});
