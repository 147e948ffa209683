/**
 * The same kernel on a recorded day: a live session on the historical LOBSTER venue runs the same
 * agents through the same gate, and leaves the same kind of record, as on the simulator.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SequentialIds } from '../core/ids';
import { NS_PER_SECOND as S } from '../core/clock';
import type { EngineEvent } from '../contract/events';
import { lobsterSessionMarket } from '../node/files/backtest-markets';
import { SessionKernel, type AgentSpec } from './session-kernel';
import { baselineStrategies } from './strategies';
import { withAgentLimits } from '../risk/limits';

const GOOG = resolve(__dirname, '../../../../shared/data/lobster/GOOG_2012-06-21_34200000_57600000_message_10.csv.gz');
const AT_11 = 11 * 3600 * S;

describe('a live session on a recorded LOBSTER day', () => {
  it('runsTheAgentsThroughTheGateOnTheHistoricalVenue', async () => {
    const market = await lobsterSessionMarket(GOOG, { startNs: AT_11 });
    expect(market).toMatchObject({ name: 'lobster:GOOG_2012-06-21_34200000_57600000_message_10.csv.gz', symbol: 'GOOG', tickSize: 100, priceUnit: 0.0001, openNs: 34_200 * S });
    const agents: AgentSpec[] = [
      { name: 'TWAP sell', strategy: 'twap', side: 'sell', quantity: 600, horizonSeconds: 300, intervalSeconds: 15, startAfterSeconds: 30 },
      { name: 'VWAP sell', strategy: 'vwap', side: 'sell', quantity: 600, horizonSeconds: 300, intervalSeconds: 15, startAfterSeconds: 30 },
      // Each child order is above the session's size limit: the agent splits it to fit.
      { name: 'too big', strategy: 'twap', side: 'sell', quantity: 40_000, horizonSeconds: 60, intervalSeconds: 30, startAfterSeconds: 30 },
    ];
    const kernel = new SessionKernel({ ids: new SequentialIds(), strategies: baselineStrategies }, { sessionId: 'goog', seed: 0, market, speed: 1, agents, limits: withAgentLimits({ maxOrderLots: 500 }) });
    const events: EngineEvent[] = [];
    kernel.subscribe((e) => events.push(e));
    kernel.start();
    kernel.elapse(400 * S);

    expect(events[0]).toMatchObject({ kind: 'SessionStarted', market: market.name, symbol: 'GOOG' });
    expect(events.some((e) => e.kind === 'TradePrinted')).toBe(true);
    const snap = kernel.snapshot();
    expect(snap.session.simTimeNs).toBe(AT_11 + 400 * S);
    // The real GOOG book around $565–$585 that day, in price units of $0.0001.
    const quote = snap.quote as NonNullable<typeof snap.quote>;
    expect(quote.bid * market.priceUnit).toBeGreaterThan(500);
    expect(quote.ask).toBeGreaterThan(quote.bid);
    const [twap, vwap, big] = snap.agents;
    expect(twap).toMatchObject({ state: 'done', filled: 600 });
    expect(vwap).toMatchObject({ state: 'done', filled: 600 });
    expect(twap?.shortfallBps).not.toBeNull();
    // Its 20,000-lot slices go out as orders of at most 500, as many as the working-order limit leaves room for, and its decisions say so.
    const accepted = events.filter((e): e is Extract<EngineEvent, { kind: 'OrderAccepted' }> => e.kind === 'OrderAccepted' && e.agentId === big?.id);
    expect(accepted.length).toBeGreaterThan(0);
    expect(Math.max(...accepted.map((e) => e.size))).toBe(500);
    expect(events.some((e) => e.kind === 'OrderDenied' && e.agentId === big?.id && e.code === 'ORDER_SIZE_EXCEEDS_MAX')).toBe(false);
    expect(events.some((e) => e.kind === 'DecisionMade' && e.agentId === big?.id && e.reason.includes('sized to the limits (max order 500 lots)'))).toBe(true);
  });

  it('refusesAStartOutsideTheDay', async () => {
    await expect(lobsterSessionMarket(GOOG, { startNs: 17 * 3600 * S })).rejects.toThrow(/starts between its first message at 09:30:00.015 and its last at 15:59:59.871, received 17:00:00/);
  });
});
