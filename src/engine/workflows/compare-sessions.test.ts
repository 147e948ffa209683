import { describe, expect, it } from 'vitest';
import { NS_PER_SECOND as S } from '../core/clock';
import { SequentialIds } from '../core/ids';
import type { EngineEvent, UnsequencedEvent } from '../contract/events';
import { simSessionMarket } from '../kernel/market';
import { DEFAULT_AGENTS, DEFAULT_LIMITS, SessionKernel } from '../kernel/session-kernel';
import { baselineStrategies } from '../kernel/strategies';
import { loadScenario } from '../node/files/sim-scenarios';
import { testMeta } from '../node/journal/fixtures/test-journal';
import type { JournalMeta } from '../node/journal/journal';
import { compareSessions } from './compare-sessions';

/** Numbers events 1, 2, … as the kernel does. */
function sequenced(events: readonly UnsequencedEvent[]): EngineEvent[] {
  return events.map((e, i) => ({ ...e, seq: i + 1 }) as EngineEvent);
}

const meta: JournalMeta = {
  ...testMeta,
  agents: [
    { ...DEFAULT_AGENTS[1]!, name: 'buyer', side: 'buy' },
    { ...DEFAULT_AGENTS[0]!, name: 'seller', side: 'sell' },
  ],
};
const exposure = { position: 0, openOrders: 0, workingLots: 0 };
const T = 34_200 * S;
const shared: UnsequencedEvent[] = [
  { kind: 'SessionStarted', ts: T, sessionId: 's1', seed: 1, market: 'calm', symbol: 'SIM' },
  { kind: 'QuoteChanged', ts: T, bid: 99, ask: 101, bidSize: 10, askSize: 10 },
  { kind: 'AgentStarted', ts: T + S, agentId: 'agent-1', arrivalMid: 100, startNs: T + S, endNs: T + 100 * S },
  { kind: 'AgentStarted', ts: T + S, agentId: 'agent-2', arrivalMid: 100, startNs: T + S, endNs: T + 100 * S },
];
/** The buyer fills 100 at 101 then 300 at 102: average 101.75, 175 bps over its arrival mid of 100 (the figures the kernel publishes with each fill). */
const fills: UnsequencedEvent[] = [
  { kind: 'OrderFilled', ts: T + 2 * S, agentId: 'agent-1', orderId: 'agent-1/1', side: 'buy', price: 101, size: 100, liquidity: 'taker', remaining: 0, agent: { filled: 100, avgPrice: 101, shortfallBps: 100 }, exposure },
  { kind: 'OrderFilled', ts: T + 3 * S, agentId: 'agent-1', orderId: 'agent-1/2', side: 'buy', price: 102, size: 300, liquidity: 'taker', remaining: 0, agent: { filled: 400, avgPrice: 101.75, shortfallBps: 175 }, exposure },
];
const denied = (code: string, ts: number): UnsequencedEvent => ({ kind: 'OrderDenied', ts, agentId: 'agent-2', orderId: 'agent-2/1', side: 'sell', price: 90, size: 10_000, code, detail: code, denial: null });

describe('comparing two sessions', () => {
  it('putsFillsShortfallImpactAndRiskEventsSideBySideOnAHandCheckedCase', () => {
    const a = sequenced([...shared, ...fills, denied('ORDER_SIZE_EXCEEDS_MAX', T + 4 * S), denied('ORDER_SIZE_EXCEEDS_MAX', T + 5 * S), denied('PRICE_OUTSIDE_COLLAR', T + 5 * S), { kind: 'QuoteChanged', ts: T + 6 * S, bid: 101, ask: 103, bidSize: 5, askSize: 5 }]);
    const b = sequenced([
      ...shared,
      { kind: 'RiskAlert', ts: T + 2 * S, detector: 'flash-crash', edge: 'fired', reason: 'vol up', value: 3, threshold: 2, action: 'REDUCING', agents: ['agent-2'] },
      { kind: 'RiskAlert', ts: T + 3 * S, detector: 'flash-crash', edge: 'cleared', reason: 'vol down', value: 1, threshold: 2, action: null, agents: [] },
      { kind: 'TradingStateChanged', ts: T + 4 * S, agentId: 'agent-2', state: 'HALTED', reason: 'killed: x', ordersCancelled: 0 },
      { kind: 'AgentStateChanged', ts: T + 4 * S, agentId: 'agent-2', state: 'killed', reason: 'x' },
      { kind: 'KillSwitchEngaged', ts: T + 5 * S, reason: 'y', agentsHalted: 1, ordersCancelled: 0, state: 'halted' },
      { kind: 'QuoteChanged', ts: T + 6 * S, bid: 97, ask: 99, bidSize: 5, askSize: 5 },
    ]);
    const c = compareSessions({ meta, events: a }, { meta: { ...meta, sessionId: 's2' }, events: b });
    expect(c.firstDivergenceSeq).toBe(5);
    expect(c.agents.map((x) => [x.agentId, x.name])).toEqual([
      ['agent-1', 'buyer'],
      ['agent-2', 'seller'],
    ]);
    const [buyer, seller] = c.agents;
    // End mid 102 against an arrival of 100: +200 bps against the buyer, 200 bps in the seller's favour; end mid 98 in b.
    expect(buyer!.a).toMatchObject({ filled: 400, avgPrice: 101.75, shortfallBps: 175, arrivalMid: 100, impactBps: 200, denials: {}, alerts: 0, halts: 0, kills: 0 });
    expect(buyer!.b).toMatchObject({ filled: 0, avgPrice: null, shortfallBps: null, impactBps: -200 });
    expect(seller!.a).toMatchObject({ filled: 0, impactBps: -200, denials: { ORDER_SIZE_EXCEEDS_MAX: 2, PRICE_OUTSIDE_COLLAR: 1 }, state: null });
    expect(seller!.b).toMatchObject({ impactBps: 200, denials: {}, alerts: 1, halts: 1, kills: 1, state: 'killed' });
    expect(c.a).toEqual({ sessionId: 's1', events: 10, lastTs: T + 6 * S, filled: 400, endMid: 102, killSwitches: 0, denials: { ORDER_SIZE_EXCEEDS_MAX: 2, PRICE_OUTSIDE_COLLAR: 1 }, alerts: 0, halts: 0, kills: 0 });
    expect(c.b).toEqual({ sessionId: 's2', events: 10, lastTs: T + 6 * S, filled: 0, endMid: 98, killSwitches: 1, denials: {}, alerts: 1, halts: 1, kills: 1 });
  });

  it('readsEachAgentsFiguresAsTheKernelHasThemAtTheEnd', () => {
    const kernel = new SessionKernel({ ids: new SequentialIds(), strategies: baselineStrategies }, { sessionId: 's1', seed: 2, market: simSessionMarket(loadScenario('calm'), 2), speed: 5, agents: DEFAULT_AGENTS, limits: DEFAULT_LIMITS });
    const events: EngineEvent[] = [];
    kernel.subscribe((e) => events.push(e));
    kernel.start();
    kernel.elapse(150 * S);
    const c = compareSessions({ meta: testMeta, events }, { meta: testMeta, events });
    expect(c.firstDivergenceSeq).toBeNull();
    const views = kernel.snapshot().agents;
    expect(views.some((v) => v.filled > 0)).toBe(true);
    expect(c.agents.map((x) => ({ id: x.agentId, filled: x.a.filled, avgPrice: x.a.avgPrice, shortfallBps: x.a.shortfallBps, arrivalMid: x.a.arrivalMid }))).toEqual(
      views.map((v) => ({ id: v.id, filled: v.filled, avgPrice: v.avgPrice, shortfallBps: v.filled > 0 ? v.shortfallBps : null, arrivalMid: v.arrivalMid })),
    );
    // Events of one side only part the streams where the shorter ends.
    expect(compareSessions({ meta: testMeta, events }, { meta: testMeta, events: events.slice(0, 40) }).firstDivergenceSeq).toBe(41);
  });
});
