import type { AgentView, EngineEvent, EventBatch, HostInfo, SessionSnapshot } from '../../../engine/contract/index';

/** A host as GetSnapshot describes it. */
export const host: HostInfo = { version: '0.1.0', backend: 'cpu', backendDetail: 'tfjs-node 4.22.0', journalPath: null };

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
    lastReason: null,
    ...overrides,
  };
}

/** Returns a snapshot at `lastSeq` with one agent and a quote 9999/10001. */
export function snapshot(lastSeq: number, overrides: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return {
    lastSeq,
    session: { id: 's-1', seed: 7, market: 'sim', symbol: 'ACME', tickSize: 0.01, state: 'running', speed: 1, simTimeNs: 34_200_000_000_000, startNs: 34_200_000_000_000 },
    quote: { bid: 9_999, ask: 10_001, bidSize: 300, askSize: 200 },
    trades: [],
    agents: [agent()],
    risk: { killSwitch: false, reason: null },
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
