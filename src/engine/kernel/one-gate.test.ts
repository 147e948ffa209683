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
import { DEFAULT_LIMITS, type RiskLimits } from '../risk/limits';
import { createSimVenue } from '../sim/sim-venue';
import { FakeVenue } from '../execution/testing/fake-venue';
import { ExecutionEnv, type EnvMarket } from '../rl/env';
import { SessionKernel, type AgentSpec } from './session-kernel';

const calm = loadScenario('calm');
const LIMITS: RiskLimits = { ...DEFAULT_LIMITS, maxOrderLots: 500 };

/** Crosses 600 lots at every decision and remembers the refusal each view reports. */
function oversize(seen: (SessionRefusal | null)[]): ExecutionStrategy {
  return {
    name: 'oversize',
    decide: (view) => {
      seen.push(view.lastRefusal);
      const price = Math.ceil(view.mid) + 2;
      return { cancels: [], orders: [{ style: 'cross', size: 600, price, tif: 'IOC' }], action: { kind: 'cross', size: 600, price }, reason: 'crosses 600 lots', inputs: {} };
    },
  };
}

describe('one gate for every path', () => {
  it('deniesABacktestThatBreachesALimitExactlyAsALiveSession', () => {
    const backtestSeen: (SessionRefusal | null)[] = [];
    const backtestDenials: RiskDenial[] = [];
    const venue = createSimVenue(calm, 7);
    venue.elapse(30 * NS_PER_SECOND);
    const record = runEpisode({
      venue,
      strategy: oversize(backtestSeen),
      parent: { side: 'buy', quantity: 3_000, horizonNs: 120 * NS_PER_SECOND },
      tickSize: calm.instrument.tickSize,
      decisionIntervalNs: 10 * NS_PER_SECOND,
      limits: LIMITS,
      onDenied: (_order, denial) => backtestDenials.push(denial),
    });

    const liveSeen: (SessionRefusal | null)[] = [];
    const agents: AgentSpec[] = [{ name: 'oversize', strategy: 'oversize', side: 'buy', quantity: 3_000, horizonSeconds: 120, intervalSeconds: 10, startAfterSeconds: 30 }];
    const kernel = new SessionKernel({ ids: new SequentialIds(), strategies: () => oversize(liveSeen) }, { sessionId: 's', seed: 7, market: simSessionMarket(calm, 7), speed: 1, agents, limits: LIMITS });
    const events: EngineEvent[] = [];
    kernel.subscribe((e) => events.push(e));
    kernel.start();
    kernel.elapse(180 * NS_PER_SECOND);
    const liveDenials = events.flatMap((e) => (e.kind === 'OrderDenied' ? [e] : []));

    const breach: RiskDenial = { code: 'ORDER_SIZE_EXCEEDS_MAX', max: 500, size: 600 };
    // Every decision's order is denied on both paths, with the same limit and value.
    expect(backtestDenials.length).toBeGreaterThanOrEqual(12);
    expect(liveDenials.length).toBeGreaterThanOrEqual(12);
    expect(backtestDenials.slice(0, 12)).toEqual(Array.from({ length: 12 }, () => breach));
    expect(liveDenials.slice(0, 12).map((e) => e.denial)).toEqual(Array.from({ length: 12 }, () => breach));
    expect(liveDenials[0]).toMatchObject({ code: 'ORDER_SIZE_EXCEEDS_MAX', detail: 'size 600 lots, max 500' });
    // Nothing reached the venue on either path, and the agent was told the real reason.
    expect(record.filled).toBe(0);
    expect(record.rejects.denied).toBe(backtestDenials.length);
    expect(events.some((e) => e.kind === 'OrderAccepted' || e.kind === 'OrderFilled')).toBe(false);
    expect(backtestSeen[1]).toMatchObject({ by: 'risk', denial: breach });
    expect(liveSeen[1]).toMatchObject({ by: 'risk', denial: breach });
  });

  it('runsABacktestEpisodeOnTheKernelWhichPublishesItsEventsWhenAsked', () => {
    // The episode is the kernel with one agent: given a listener, it tells the same story a live session does.
    const venue = createSimVenue(calm, 7);
    venue.elapse(30 * NS_PER_SECOND);
    const kinds = new Set<string>();
    const record = runEpisode({
      venue,
      strategy: oversize([]),
      parent: { side: 'buy', quantity: 3_000, horizonNs: 60 * NS_PER_SECOND },
      tickSize: calm.instrument.tickSize,
      decisionIntervalNs: 10 * NS_PER_SECOND,
      limits: LIMITS,
      onEvent: (e) => kinds.add(e.kind),
    });
    expect([...kinds].sort()).toEqual(['AgentStarted', 'AgentStateChanged', 'DecisionMade', 'OrderDenied', 'TradePrinted']);
    // Even the horizon's sweep of all 3,000 lots meets the 500-lot limit.
    expect(record.filled).toBe(0);
    expect(record.decisions.at(-1)?.reason).toMatch(/^horizon reached: swept the remaining 3000 lots/);
  });

  it('deniesATrainingEnvsOrdersBeyondItsLimitsThroughTheSameKernel', () => {
    const fake: EnvMarket = { tickSize: 1, venuePrintsAgentFills: false, preTradeNs: 10 * NS_PER_SECOND, open: (seed) => ({ venue: new FakeVenue(seed), startNs: 10 * NS_PER_SECOND }) };
    const parent = { side: 'sell' as const, quantity: 300, horizonNs: 120 * NS_PER_SECOND };
    const env = new ExecutionEnv({ market: fake, parent, steps: 12, limits: { ...DEFAULT_LIMITS, maxOrderLots: 10 } });
    env.reset(1);
    // Every action asks for at least a 25-lot slice: the gate denies each order, and the sweep at the end too.
    let last;
    for (let k = 0; k < 12; k++) last = env.step(5);
    const session = env.current as NonNullable<typeof env.current>;
    expect(last?.done).toBe(true);
    expect(session.filled).toBe(0);
    expect(session.rejects.denied).toBeGreaterThanOrEqual(12);
    expect(session.observe().lastRefusal).toMatchObject({ by: 'risk', denial: { code: 'ORDER_SIZE_EXCEEDS_MAX', max: 10 } });
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
