import { describe, expect, it } from 'vitest';
import type { Venue, VenueOrder } from '../venue/types';
import { episodeMetrics } from './metrics';
import { runEpisode } from './runner';
import { almgrenChrissFraction } from './schedules';
import { AlmgrenChrissStrategy, PovStrategy, TwapStrategy, VwapStrategy } from './strategies';
import { FakeVenue } from './testing/fake-venue';
import type { ExecutionStrategy, ParentOrder } from './types';

const S = 1_000_000_000;
const AC = { sigmaBpsPerSqrtS: 0.5, etaBpsPerLotPerS: 0.01, gammaBpsPerLot: 0, lambdaPerBps: 0.01, intervalS: 5 };

function all(quantity: number): ExecutionStrategy[] {
  return [
    new TwapStrategy(),
    new VwapStrategy({ originNs: 0, bucketNs: 60 * S, weights: [3, 1, 1, 1, 1, 1, 1, 1, 2, 4] }),
    new PovStrategy(0.1),
    new AlmgrenChrissStrategy({ ...AC, quantity }),
  ];
}

/** Wraps a venue and checks, on every submit, that the agent never has more out than the parent quantity. */
function guarded(venue: Venue, parent: ParentOrder, filled: () => number): Venue {
  return new Proxy(venue, {
    get(target, prop, receiver) {
      if (prop === 'submit') {
        return (order: VenueOrder) => {
          const working = target.openOrders().reduce((a, o) => a + o.remaining, 0);
          expect(filled() + working + order.size).toBeLessThanOrEqual(parent.quantity);
          if (order.kind === 'limit' && parent.limitPrice !== undefined) {
            if (parent.side === 'sell') expect(order.price).toBeGreaterThanOrEqual(parent.limitPrice);
            else expect(order.price).toBeLessThanOrEqual(parent.limitPrice);
          }
          return target.submit(order);
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

function run(strategy: ExecutionStrategy, parent: ParentOrder, seed = 7) {
  const venue = new FakeVenue(seed);
  let filled = 0;
  const record = runEpisode({ venue: guarded(venue, parent, () => filled), strategy, parent, tickSize: 1, decisionIntervalNs: 5 * S });
  filled = record.filled;
  return { record, venue };
}

describe('baseline strategies on a fake venue', () => {
  for (const side of ['sell', 'buy'] as const) {
    it(`everyStrategyFinishesA${side === 'sell' ? 'Sell' : 'Buy'}ParentOrderByTheHorizon`, () => {
      const parent: ParentOrder = { side, quantity: 600, horizonNs: 600 * S };
      for (const strategy of all(parent.quantity)) {
        const { record } = run(strategy, parent);
        expect(record.filled, strategy.name).toBe(parent.quantity);
        expect(record.fills.reduce((a, f) => a + f.size, 0)).toBe(parent.quantity);
        expect(record.fills.every((f) => f.ts <= record.endNs)).toBe(true);
        expect(record.rejects.submits).toBe(0);
      }
    });
  }

  it('recordsOneReadableDecisionPerDecisionTime', () => {
    const parent: ParentOrder = { side: 'sell', quantity: 600, horizonNs: 600 * S };
    const { record } = run(new TwapStrategy(), parent);
    const decisions = record.decisions;
    expect(decisions.length).toBe(600 / 5 + 1);
    for (let i = 0; i < decisions.length; i++) {
      const d = decisions[i]!;
      expect(d.agentId).toBe('twap');
      expect(d.reason.length).toBeGreaterThan(10);
      expect(d.reason).not.toMatch(/undefined|NaN/);
      if (i > 0) expect(d.ts).toBeGreaterThanOrEqual(decisions[i - 1]!.ts);
    }
    expect(decisions.at(-1)?.reason).toMatch(/^horizon reached/);
    expect(decisions[0]?.inputs).toMatchObject({ targetNow: 0, quantityLeft: 600 });
  });

  it('twapTracksTheStraightLineWithinOneSlice', () => {
    const parent: ParentOrder = { side: 'sell', quantity: 1200, horizonNs: 600 * S };
    const slice = 1200 / 120;
    const { record } = run(new TwapStrategy(), parent);
    const twap = record.decisions.filter((d) => d.reason.startsWith('TWAP'));
    expect(twap.length).toBe(120);
    for (const d of twap) {
      const u = (d.ts - record.startNs) / parent.horizonNs;
      expect(d.inputs.targetNow).toBe(Math.round(1200 * u));
      expect(d.inputs.behind).toBeGreaterThanOrEqual(-1);
      expect(d.inputs.behind).toBeLessThanOrEqual(slice + 1);
    }
  });

  it('povParticipatesNearItsRate', () => {
    // A parent far larger than 10% of the volume: participation, not the quantity, binds.
    const parent: ParentOrder = { side: 'sell', quantity: 50_000, horizonNs: 600 * S };
    const venue = new FakeVenue(11);
    const record = runEpisode({ venue, strategy: new PovStrategy(0.1), parent, tickSize: 1, decisionIntervalNs: 5 * S });
    const beforeSweep = record.fills.filter((f) => f.ts < record.endNs || f.liquidity === 'maker').reduce((a, f) => a + f.size, 0);
    const last = record.decisions.filter((d) => d.reason.startsWith('POV')).at(-1);
    const participation = beforeSweep / (beforeSweep + venue.printed);
    expect(venue.printed).toBeGreaterThan(5_000);
    expect(participation).toBeGreaterThan(0.085);
    expect(participation).toBeLessThan(0.115);
    expect(last?.inputs.participation).toBeGreaterThan(0.085);
    expect(last?.inputs.participation).toBeLessThan(0.115);
  });

  it('acFollowsItsClosedFormTrajectory', () => {
    const parent: ParentOrder = { side: 'sell', quantity: 1000, horizonNs: 600 * S };
    const ac = new AlmgrenChrissStrategy({ ...AC, quantity: 1000 });
    const kT = ac.kappa * 600;
    expect(kT).toBeGreaterThan(1);
    const { record } = run(ac, parent);
    for (const d of record.decisions.filter((x) => x.reason.startsWith('AC'))) {
      const u = (d.ts - record.startNs) / parent.horizonNs;
      expect(d.inputs.targetNow).toBe(Math.round(1000 * almgrenChrissFraction(u, kT)));
      expect(d.inputs.kappaT).toBeCloseTo(kT, 9);
    }
  });

  it('acWithNoRiskAversionTradesLikeTwap', () => {
    const parent: ParentOrder = { side: 'buy', quantity: 600, horizonNs: 600 * S };
    const twap = run(new TwapStrategy(), parent).record;
    const ac = run(new AlmgrenChrissStrategy({ ...AC, lambdaPerBps: 0, quantity: 600 }), parent).record;
    expect(ac.fills.map((f) => [f.ts, f.price, f.size])).toEqual(twap.fills.map((f) => [f.ts, f.price, f.size]));
  });

  it('neverTradesThroughTheParentLimitPrice', () => {
    const venue = new FakeVenue(3);
    const limit = (venue.bestAsk() as number) + 3;
    const parent: ParentOrder = { side: 'sell', quantity: 2000, horizonNs: 300 * S, limitPrice: limit };
    for (const strategy of all(parent.quantity)) {
      const { record } = run(strategy, parent, 3);
      expect(record.fills.every((f) => f.price >= limit), strategy.name).toBe(true);
      expect(record.filled).toBeLessThan(parent.quantity);
      const m = episodeMetrics({ side: 'sell', quantity: 2000, arrivalMid: record.arrivalMid, endMid: record.endMid, fills: record.fills, counterfactualEndMid: null });
      expect(m.fillRate).toBeLessThan(1);
      expect(record.decisions.at(-1)?.reason).toMatch(/stay unfilled/);
    }
  });

  it('restsTheLateLotsAtTheLimitWhenItKeepsThemFromCrossing', () => {
    const venue = new FakeVenue(3);
    const limit = (venue.bestAsk() as number) + 3;
    const parent: ParentOrder = { side: 'sell', quantity: 2000, horizonNs: 300 * S, limitPrice: limit };
    const { record } = run(new TwapStrategy(), parent, 3);
    const slice = 2000 / 60;
    const late = record.decisions.filter((d) => d.reason.includes('keeps it from crossing'));
    expect(late.length).toBeGreaterThan(0);
    expect(late.some((d) => d.action.kind === 'post' && d.action.price === limit && d.action.size > slice)).toBe(true);
  });
});
