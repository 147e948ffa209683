/**
 * The pre-trade gate's cost per order with every limit on: 8 agents on one book, each with working
 * orders on both sides, a busy rate window and a position, sending orders that pass every check
 * (so none stops early), against the same loop without the gate (what the harness alone costs).
 */

import { performance } from 'node:perf_hooks';
import { RiskGate, type GateContext, type GateOrder } from '../risk/gate';
import { DEFAULT_LIMITS, type RiskLimits } from '../risk/limits';

export interface GateBenchReport {
  readonly orders: number;
  readonly agents: number;
  /** Median over the rounds of the gate's check per order, harness cost taken out (ns). */
  readonly gateNsPerOrder: number;
  /** The same, for booking an accepted order into the exposure book (what the session does after the venue accepts). */
  readonly bookNsPerOrder: number;
  /** The loop without the gate, per order (ns): the reference the figures are taken against. */
  readonly harnessNsPerOrder: number;
  /** How many of the checked orders the gate allowed (all should be, so every check ran). */
  readonly allowedShare: number;
}

const AGENTS = 8;
const WORKING_PER_AGENT = 10;
const MID = 100_000;

/** Limits with every check live and none in the way of the bench's orders. */
const LIMITS: RiskLimits = {
  perAgent: { ...DEFAULT_LIMITS.perAgent, maxOpenOrders: 1_000, maxOrdersPerWindow: 1_000_000_000, maxLongLots: 1e9, maxShortLots: 1e9, maxDailyLoss: 1e12, maxOrderNotional: 1e12 },
  session: { ...DEFAULT_LIMITS.session, maxOpenOrders: 100_000, maxOrdersPerWindow: 1_000_000_000, maxLongLots: 1e10, maxShortLots: 1e10, maxDailyLoss: 1e13 },
};

/** Runs `rounds` rounds of `orders` checks; returns the figures. */
export function benchGate(orders = 200_000, rounds = 7): GateBenchReport {
  const gate = new RiskGate(LIMITS, 0.0001);
  const ids = Array.from({ length: AGENTS }, (_, i) => `agent-${i + 1}`);
  let next = 1;
  // Working orders away from the touch on both sides (self-trade scans them), a position each.
  for (const id of ids) {
    gate.exposure.filled(id, 0, 'buy', MID, 1_000, false);
    for (let k = 0; k < WORKING_PER_AGENT; k++) {
      const side = k % 2 === 0 ? 'buy' : 'sell';
      gate.exposure.accepted(id, next++, side, side === 'buy' ? MID - 500 - k * 100 : MID + 500 + k * 100, 100, 0, null, -1);
    }
  }
  const bodies: GateOrder[] = Array.from({ length: 64 }, (_, i) => ({ kind: 'limit', side: i % 2 === 0 ? 'buy' : 'sell', size: 10 + (i % 7), price: MID + (i % 2 === 0 ? -100 : 100) - (i % 5) * 10, decision: i }));
  const contexts: GateContext[] = ids.map((agentId) => ({ agentId, agentState: 'running', mid: MID, now: 0 }));
  let sink = 0;
  let allowed = 0;
  const gateNs: number[] = [];
  const bookNs: number[] = [];
  const harnessNs: number[] = [];
  let now = 1;
  for (let r = 0; r < rounds; r++) {
    // The harness alone: the same loop, orders and contexts, with no check.
    let t = performance.now();
    for (let i = 0; i < orders; i++) {
      const c = { ...(contexts[i % AGENTS] as GateContext), now: now + i * 1_000 };
      const o = bodies[i & 63] as GateOrder;
      sink += o.size + c.now;
    }
    harnessNs.push(((performance.now() - t) * 1e6) / orders);
    t = performance.now();
    for (let i = 0; i < orders; i++) {
      const c = contexts[i % AGENTS] as GateContext;
      const o = bodies[i & 63] as GateOrder;
      if (gate.check(o, { ...c, now: now + i * 1_000 }).allowed) allowed += 1;
    }
    gateNs.push(((performance.now() - t) * 1e6) / orders);
    // Booking: IOCs (nothing rests) fill the rate windows and the duplicate guard as the session's accepted orders do.
    t = performance.now();
    for (let i = 0; i < orders; i++) {
      const c = contexts[i % AGENTS] as GateContext;
      const o = bodies[i & 63] as GateOrder;
      gate.exposure.accepted(c.agentId, next++, o.side, o.price, 0, now + i * 1_000, RiskGate.orderKey(o), i);
    }
    bookNs.push(((performance.now() - t) * 1e6) / orders);
    now += orders * 1_000 + 2e9;
  }
  if (sink === -1) throw new Error('unreachable');
  const harness = median(harnessNs);
  return {
    orders: orders * rounds,
    agents: AGENTS,
    gateNsPerOrder: Math.max(0, median(gateNs) - harness),
    bookNsPerOrder: Math.max(0, median(bookNs) - harness),
    harnessNsPerOrder: harness,
    allowedShare: allowed / (orders * rounds),
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}
