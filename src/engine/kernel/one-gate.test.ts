/**
 * One path from an agent to the venue: the same strategy breaching the same limit is denied the same
 * way in a backtest episode as in a live kernel session, and sees the same reason.
 */

import { describe, expect, it } from 'vitest';
import { NS_PER_SECOND } from '../core/clock';
import { SequentialIds } from '../core/ids';
import type { EngineEvent } from '../contract/events';
import { runEpisode } from '../execution/runner';
import type { ExecutionStrategy, SessionRefusal } from '../execution/types';
import { loadScenario } from '../node/files/sim-scenarios';
import { simSessionMarket } from './market';
import type { RiskDenial } from '../risk/gate';
import { episodeLimits, withAgentLimits, type RiskLimits } from '../risk/limits';
import { createSimVenue } from '../sim/sim-venue';
import { FakeVenue } from '../execution/testing/fake-venue';
import { ExecutionEnv, type EnvMarket } from '../rl/env';
import { SessionKernel, type AgentSpec } from './session-kernel';

const calm = loadScenario('calm');
/** A 500-lot order limit on top of an episode's limits (which leave order value and loss to the live session: an episode's prices are ticks). */
const LIMITS: RiskLimits = withAgentLimits({ maxOrderLots: 500 }, episodeLimits(3_000));

/** Crosses `size` lots at every decision, `away` ticks through the mid, and remembers the refusal each view reports. */
function crosser(seen: (SessionRefusal | null)[], size = 600, away = 2): ExecutionStrategy {
  return {
    name: 'crosser',
    decide: (view) => {
      seen.push(view.lastRefusal);
      const price = Math.ceil(view.mid) + away;
      return { cancels: [], orders: [{ style: 'cross', size, price, tif: 'IOC' }], action: { kind: 'cross', size, price }, reason: `crosses ${size} lots`, inputs: {} };
    },
  };
}

/** Runs `strategy` as a backtest episode and as the one agent of a live session on the same seed; returns each path's denials and events. */
function bothPaths(strategy: () => ExecutionStrategy) {
  const backtestDenials: RiskDenial[] = [];
  const venue = createSimVenue(calm, 7);
  venue.elapse(30 * NS_PER_SECOND);
  const record = runEpisode({
    venue,
    strategy: strategy(),
    parent: { side: 'buy', quantity: 3_000, horizonNs: 120 * NS_PER_SECOND },
    tickSize: calm.instrument.tickSize,
    decisionIntervalNs: 10 * NS_PER_SECOND,
    limits: LIMITS,
    onDenied: (_order, denial) => backtestDenials.push(denial),
  });
  const agents: AgentSpec[] = [{ name: 'crosser', strategy: 'crosser', side: 'buy', quantity: 3_000, horizonSeconds: 120, intervalSeconds: 10, startAfterSeconds: 30 }];
  const live = strategy();
  const kernel = new SessionKernel({ ids: new SequentialIds(), strategies: () => live }, { sessionId: 's', seed: 7, market: simSessionMarket(calm, 7), speed: 1, agents, limits: LIMITS });
  const events: EngineEvent[] = [];
  kernel.subscribe((e) => events.push(e));
  kernel.start();
  kernel.elapse(180 * NS_PER_SECOND);
  return { record, backtestDenials, events, liveDenials: events.flatMap((e) => (e.kind === 'OrderDenied' ? [e] : [])) };
}

describe('one gate for every path', () => {
  it('deniesABacktestThatBreachesALimitExactlyAsALiveSession', () => {
    const backtestSeen: (SessionRefusal | null)[] = [];
    const liveSeen: (SessionRefusal | null)[] = [];
    let calls = 0;
    // 2,000 ticks through a mid near 58,000 is far outside the 200 bps collar: no sizing can make it fit.
    const { record, backtestDenials, liveDenials, events } = bothPaths(() => crosser(calls++ === 0 ? backtestSeen : liveSeen, 100, 2_000));
    // Every decision's order is denied on both paths, with the same limit and values.
    expect(backtestDenials.length).toBeGreaterThanOrEqual(12);
    expect(backtestDenials.every((d) => d.code === 'PRICE_OUTSIDE_COLLAR' && d.collarBps === 200 && d.awayBps > 200)).toBe(true);
    expect(liveDenials.slice(0, 12).map((e) => e.denial)).toEqual(backtestDenials.slice(0, 12));
    expect(liveDenials[0]?.detail).toMatch(/^price \d+\.\d+ is \d+ bps from the mid \d+\.\d+, collar 200 bps$/);
    // None of the strategy's orders reached the venue on either path (only the horizon's sweep at market did), and the agent was told the real reason.
    expect(record.rejects.denied).toBe(backtestDenials.length);
    expect(record.fills.every((f) => f.ts === record.endNs)).toBe(true);
    const liveOrders = events.flatMap((e) => (e.kind === 'OrderAccepted' ? [e] : []));
    expect(liveOrders.every((e) => e.price === null)).toBe(true);
    expect(backtestSeen[1]).toMatchObject({ by: 'risk', denial: backtestDenials[0] });
    expect(liveSeen[1]).toMatchObject({ by: 'risk', denial: liveDenials[0]?.denial });
  });

  it('sizesAnOrderLargerThanTheLimitTheSameWayOnBothPaths', () => {
    const { record, liveDenials, events } = bothPaths(() => crosser([]));
    // 600 lots against a 500-lot limit go out as 500 and 100, in the backtest as live.
    const accepted = events.flatMap((e) => (e.kind === 'OrderAccepted' ? [e.size] : []));
    expect(accepted.slice(0, 2)).toEqual([500, 100]);
    expect(Math.max(...accepted)).toBe(500);
    expect(liveDenials.filter((e) => e.code === 'ORDER_SIZE_EXCEEDS_MAX')).toEqual([]);
    expect(record.decisions[0]?.reason).toBe('crosses 600 lots; 600 lots sized to the limits (max order 500 lots): sent 2 orders of at most 500');
    expect(events.find((e) => e.kind === 'DecisionMade')).toMatchObject({ reason: record.decisions[0]?.reason });
  });

  it('runsABacktestEpisodeOnTheKernelWhichPublishesItsEventsWhenAsked', () => {
    // The episode is the kernel with one agent: given a listener, it tells the same story a live session does.
    const venue = createSimVenue(calm, 7);
    venue.elapse(30 * NS_PER_SECOND);
    const kinds = new Set<string>();
    const record = runEpisode({
      venue,
      strategy: crosser([], 100, 2_000),
      parent: { side: 'buy', quantity: 3_000, horizonNs: 60 * NS_PER_SECOND },
      tickSize: calm.instrument.tickSize,
      decisionIntervalNs: 10 * NS_PER_SECOND,
      limits: LIMITS,
      onEvent: (e) => kinds.add(e.kind),
    });
    expect([...kinds].sort()).toEqual(['AgentStarted', 'AgentStateChanged', 'DecisionMade', 'OrderAccepted', 'OrderDenied', 'OrderExpired', 'OrderFilled', 'TradePrinted']);
    expect(record.fills.every((f) => f.ts === record.endNs)).toBe(true);
    // The horizon's sweep of all 3,000 lots is sized to the 500-lot limit.
    expect(record.decisions.at(-1)?.reason).toMatch(/^horizon reached: swept the remaining 3000 lots at market, filled \d+.*; 3000 lots sized to the limits \(max order 500 lots\): sent 6 orders of at most 500$/);
  });

  it('sizesATrainingEnvsOrdersToItsLimitsThroughTheSameKernel', () => {
    const fake: EnvMarket = { tickSize: 1, venuePrintsAgentFills: false, preTradeNs: 10 * NS_PER_SECOND, open: (seed) => ({ venue: new FakeVenue(seed), startNs: 10 * NS_PER_SECOND }) };
    const parent = { side: 'sell' as const, quantity: 300, horizonNs: 120 * NS_PER_SECOND };
    const env = new ExecutionEnv({ market: fake, parent, steps: 12, limits: withAgentLimits({ maxOrderLots: 10 }) });
    env.reset(1);
    // Every action asks for at least a 25-lot slice: the session sends it in orders of at most 10, and says so.
    let last;
    for (let k = 0; k < 12; k++) last = env.step(5);
    const session = env.current as NonNullable<typeof env.current>;
    expect(last?.done).toBe(true);
    expect(session.filled).toBeGreaterThan(0);
    expect(session.rejects.denied).toBe(0);
    expect(session.fills.every((f) => f.size <= 10)).toBe(true);
    expect(() => env.step(0)).toThrow(/the episode is over/);
    env.reset(2);
    expect(() => env.step(99)).toThrow(/action must be an integer in \[0, \d+\), received 99/);
  });

  it('failsAnEpisodeWhoseStrategyThrowsWithItsError', () => {
    const venue = createSimVenue(calm, 7);
    venue.elapse(30 * NS_PER_SECOND);
    const broken: ExecutionStrategy = {
      name: 'broken',
      decide: () => {
        throw new Error('no model loaded');
      },
    };
    expect(() => runEpisode({ venue, strategy: broken, parent: { side: 'sell', quantity: 100, horizonNs: 60 * NS_PER_SECOND }, tickSize: 1, decisionIntervalNs: 10 * NS_PER_SECOND })).toThrow('strategy failed: no model loaded');
  });
});
