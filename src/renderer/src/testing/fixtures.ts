import { withAgentLimits, type AgentView, type DecisionExplanation, type EngineEvent, type EventBatch, type HostInfo, type RiskLimits, type RiskView, type SessionSnapshot } from '../../../engine/contract/index';

/** A host as GetSnapshot describes it. */
export const host: HostInfo = {
  version: '0.1.0',
  backend: 'cpu',
  backendDetail: 'tfjs-node 4.22.0',
  policyDir: 'resources/models/ppo-test',
  policyOrder: { side: 'sell', quantity: 2000, horizonSeconds: 600, intervalSeconds: 30 },
  policyReport: {
    name: 'ppo-test',
    algorithm: 'PPO',
    trainedOn: ['calm', 'lobster:data/AAPL_2012-06-21_34200000_57600000_message_1.csv.gz'],
    steps: 1_000,
    wallSeconds: 12,
    backend: 'cpu',
    trainCommand: 'cockpit train --algo ppo --steps 1000 --out DIR',
    notes: ['Summary: a test policy.'],
    evaluations: [{ title: 'calm: sell 2000 over 600 s, held-out seeds 1..20', command: 'cockpit backtest …', rows: [{ strategy: 'twap', 'vs TWAP bps [95% CI]': null }], verdict: 'WINS: beats TWAP', wins: true }],
  },
  journalPath: null,
  markets: {
    scenarios: ['calm', 'volatile'],
    days: [{ file: 'GOOG_2012-06-21_34200000_57600000_message_10.csv.gz', ticker: 'GOOG', date: '2012-06-21', levels: 10, fromNs: 34_200_000_000_000, toNs: 57_600_000_000_000 }],
    current: { kind: 'sim', scenario: 'calm', seed: 42 },
  },
};

/** Returns an agent view with sensible defaults. */
export function agent(overrides: Partial<AgentView> = {}): AgentView {
  return {
    id: 'a1',
    name: 'TWAP-1',
    strategy: 'twap',
    state: 'running',
    side: 'buy',
    quantity: 1_000,
    filled: 0,
    avgPrice: null,
    arrivalMid: 10_000,
    shortfallBps: null,
    scheduleElapsed: 0.1,
    // A 30-minute parent order that started 3 minutes before the snapshot's 09:30.
    startNs: 34_200_000_000_000 - 180_000_000_000,
    endNs: 34_200_000_000_000 + 1_620_000_000_000,
    working: 0,
    lastReason: null,
    params: { urgency: 1, participationCap: null, limitPrice: null, endNs: 34_200_000_000_000 + 1_620_000_000_000, pauseAtPrice: null },
    overrides: [],
    ...overrides,
  };
}

/** Hard limits as the engine ships them, with a wider collar. */
export const limits: RiskLimits = withAgentLimits({ priceCollarBps: 500 });

/** The risk view of a snapshot with `limits` in force, nothing used and every state ACTIVE. */
export function riskView(agentIds: readonly string[] = ['a1']): RiskView {
  const use = { position: 0, workingBuyLots: 0, workingSellLots: 0, openOrders: 0, ordersInWindow: 0, pnl: 0 };
  return {
    killSwitch: false,
    reason: null,
    limits,
    session: { state: 'ACTIVE', reason: 'trading', use },
    agents: agentIds.map((agentId) => ({ agentId, state: 'ACTIVE', reason: 'trading', limits: limits.perAgent, ownLimits: false, use, participation: null })),
    history: [],
    dynamic: null,
  };
}

/** Returns a decision event body with no inputs and no explanation. */
export function decision(agentId: string, action: string, size: number, reason: string, extra: Partial<{ price: number | null; inputs: Record<string, number>; explanation: DecisionExplanation | null }> = {}) {
  return { kind: 'DecisionMade' as const, agentId, action, size, reason, price: null, inputs: {}, explanation: null, ...extra };
}

/** Returns a snapshot at `lastSeq` with one agent and a quote 9999/10001. */
export function snapshot(lastSeq: number, overrides: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return {
    lastSeq,
    session: { id: 's-1', seed: 7, market: 'calm', symbol: 'ACME', tickSize: 0.01, state: 'running', speed: 1, simTimeNs: 34_200_000_000_000, startNs: 34_200_000_000_000 },
    quote: { bid: 9_999, ask: 10_001, bidSize: 300, askSize: 200 },
    trades: [],
    agents: [agent()],
    risk: riskView(),
    depth: { bids: [[9_999, 300], [9_998, 120]], asks: [[10_001, 200], [10_002, 80]] },
    ...overrides,
  };
}

type Body<E> = E extends EngineEvent ? Omit<E, 'seq' | 'ts'> : never;

/** Returns an event with its sequence number and time (ns since midnight). */
export function ev(seq: number, ts: number, body: Body<EngineEvent>): EngineEvent {
  return { ...body, seq, ts } as EngineEvent;
}

/** Returns a batch holding `events`, or an empty batch just after `after` when there are none. */
export function batch(events: readonly EngineEvent[], after = 0, simTimeNs?: number): EventBatch {
  const first = events[0];
  const last = events[events.length - 1];
  if (first === undefined || last === undefined) return { firstSeq: after + 1, lastSeq: after, simTimeNs: simTimeNs ?? 0, events: [] };
  return { firstSeq: first.seq, lastSeq: last.seq, simTimeNs: simTimeNs ?? last.ts, events };
}

/** Returns a trade event. */
export function trade(seq: number, ts: number, price: number, size = 10, aggressor: 'buy' | 'sell' = 'buy'): EngineEvent {
  return ev(seq, ts, { kind: 'TradePrinted', price, size, aggressor });
}
