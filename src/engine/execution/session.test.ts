import { describe, expect, it } from 'vitest';
import type { L2Snapshot } from '../book/types';
import type { AgentOrder, ElapseResult, SubmitResult, Venue, VenueEvent, VenueOrder } from '../venue/types';
import { RiskGate, type RiskDenial } from '../risk/gate';
import { withAgentLimits } from '../risk/limits';
import { ExecutionSession } from './session';

/** Limits wide enough for the scripted books below (prices near 100, moves of several ticks). */
const wide = (): RiskGate => new RiskGate(withAgentLimits({ maxOrderLots: 1_000, priceCollarBps: 5_000, maxOpenOrders: 20 }));

/** A venue that plays back one scripted interval and rests whatever it is sent. */
class ScriptedVenue implements Venue {
  private t = 0;
  private readonly resting: AgentOrder[] = [];
  constructor(
    private depth: L2Snapshot,
    private readonly script: VenueEvent[],
    private readonly after: L2Snapshot,
  ) {}
  now(): number {
    return this.t;
  }
  elapse(ns: number): ElapseResult {
    this.t += ns;
    this.depth = this.after;
    return { now: this.t, events: this.script.splice(0), exhausted: false };
  }
  submit(order: VenueOrder): SubmitResult {
    if (order.kind === 'limit') this.resting.push({ id: order.id, side: order.side, price: order.price, size: order.size, filled: 0, remaining: order.size, acceptedAt: this.t, sizeAhead: 0 });
    return { accepted: true, id: order.id, fills: [], resting: order.size, cancelled: 0 };
  }
  cancel(id: number) {
    return { accepted: true as const, id, cancelled: 0 };
  }
  bestBid() {
    return this.depth.bids[0]?.[0];
  }
  bestAsk() {
    return this.depth.asks[0]?.[0];
  }
  l2(levels: number): L2Snapshot {
    return { bids: this.depth.bids.slice(0, levels), asks: this.depth.asks.slice(0, levels) };
  }
  openOrders() {
    return this.resting;
  }
  order(id: number) {
    return this.resting.find((o) => o.id === id);
  }
}

const book: L2Snapshot = {
  bids: [
    [99, 10],
    [98, 10],
  ],
  asks: [
    [101, 10],
    [102, 10],
  ],
};

describe('ExecutionSession', () => {
  it('pricesAFillDuringAnIntervalAgainstTheTouchOfItsMoment', () => {
    // The bid climbs to 105 and the ask to 107 before a buyer lifts the agent's ask at 106.
    const events: VenueEvent[] = [
      { kind: 'LevelChanged', ts: 1, side: 'buy', price: 105, size: 5 },
      { kind: 'LevelChanged', ts: 1, side: 'sell', price: 101, size: 0 },
      { kind: 'LevelChanged', ts: 1, side: 'sell', price: 102, size: 0 },
      { kind: 'LevelChanged', ts: 1, side: 'sell', price: 107, size: 5 },
      { kind: 'OrderFilled', orderId: 1, side: 'sell', price: 106, size: 3, liquidity: 'maker', remaining: 0, ts: 2 },
      { kind: 'TradePrinted', ts: 2, price: 106, size: 3, aggressor: 'buy', hidden: false },
      { kind: 'TradePrinted', ts: 2, price: 105, size: 4, aggressor: 'sell', hidden: false },
    ];
    const venue = new ScriptedVenue(book, events, { bids: [[105, 5]], asks: [[107, 5]] });
    const session = new ExecutionSession({ venue, gate: wide(), parent: { side: 'sell', quantity: 3, horizonNs: 10 }, agentId: 'a', tickSize: 1, decisionIntervalNs: 5, venuePrintsAgentFills: true });
    expect(session.arrivalMid).toBe(100);
    session.apply({ cancels: [], orders: [{ style: 'passive', size: 3, price: 106, tif: 'GTC' }], action: { kind: 'post', size: 3, price: 106 }, reason: 'test', inputs: {} });
    session.advance(5);
    expect(session.fills[0]?.midBefore).toBe(106);
    // The agent's own 3 printed lots are not market volume.
    expect(session.observe().marketVolumeSinceStart).toBe(4);
    expect(session.decisions).toHaveLength(1);
  });

  it('neverSendsMoreThanTheParentQuantityLeft', () => {
    const venue = new ScriptedVenue(book, [], book);
    const session = new ExecutionSession({ venue, gate: wide(), parent: { side: 'buy', quantity: 5, horizonNs: 10 }, agentId: 'a', tickSize: 1, decisionIntervalNs: 5 });
    const post = { style: 'passive' as const, size: 4, price: 99, tif: 'GTC' as const };
    session.apply({ cancels: [], orders: [post, post], action: { kind: 'post', size: 8, price: 99 }, reason: 'test', inputs: {} });
    expect(venue.openOrders().map((o) => o.size)).toEqual([4, 1]);
  });

  it('refusesAParentOrderItCannotWork', () => {
    const venue = new ScriptedVenue(book, [], book);
    expect(() => new ExecutionSession({ venue, gate: wide(), parent: { side: 'buy', quantity: 0, horizonNs: 10 }, agentId: 'a', tickSize: 1, decisionIntervalNs: 5 })).toThrow(/positive integer of lots, received 0/);
    expect(() => new ExecutionSession({ venue: new ScriptedVenue({ bids: [], asks: [] }, [], book), gate: wide(), parent: { side: 'buy', quantity: 1, horizonNs: 10 }, agentId: 'a', tickSize: 1, decisionIntervalNs: 5 })).toThrow(/no two-sided market/);
  });

  it('deniesAnOrderBeyondItsLimitsBeforeTheVenueAndTellsTheStrategyWhy', () => {
    const venue = new ScriptedVenue(book, [], book);
    const denied: RiskDenial[] = [];
    const gate = new RiskGate(withAgentLimits({ priceCollarBps: 200 }));
    const session = new ExecutionSession({ venue, gate, onOrder: (step) => step.kind === 'denied' && denied.push(step.denial), parent: { side: 'buy', quantity: 10, horizonNs: 10 }, agentId: 'a', tickSize: 1, decisionIntervalNs: 5 });
    session.apply({ cancels: [], orders: [{ style: 'passive', size: 4, price: 90, tif: 'GTC' }], action: { kind: 'post', size: 4, price: 90 }, reason: 'test', inputs: {} });
    const collar = { code: 'PRICE_OUTSIDE_COLLAR', collarBps: 200, awayBps: 1_000, price: 90, mid: 100 };
    expect(venue.openOrders()).toEqual([]);
    expect(denied).toEqual([collar]);
    expect(session.rejects).toMatchObject({ submits: 1, denied: 1 });
    expect(session.observe().lastRefusal).toEqual({ by: 'risk', ts: 0, denial: collar });
  });

  it('splitsAnOrderLargerThanItsLimitAndSaysSoInTheDecision', () => {
    const venue = new ScriptedVenue(book, [], book);
    const gate = new RiskGate(withAgentLimits({ maxOrderLots: 3, maxOpenOrders: 3 }));
    const session = new ExecutionSession({ venue, gate, parent: { side: 'buy', quantity: 20, horizonNs: 10 }, agentId: 'a', tickSize: 1, decisionIntervalNs: 5 });
    session.apply({ cancels: [], orders: [{ style: 'passive', size: 10, price: 99, tif: 'GTC' }], action: { kind: 'post', size: 10, price: 99 }, reason: 'post 10', inputs: {} });
    // Three orders of 3 fit the working-order limit; the last lot waits for room.
    expect(venue.openOrders().map((o) => o.size)).toEqual([3, 3, 3]);
    expect(session.rejects.denied).toBe(0);
    expect(session.decisions[0]?.reason).toBe('post 10; 10 lots sized to the limits (max order 3 lots): sent 3 orders of at most 3, 1 lots wait for room');
    expect(gate.exposure.agent('a')).toMatchObject({ workingBuyLots: 9, openOrders: 3, position: 0 });
  });
});
