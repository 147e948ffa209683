/**
 * The risk overlay under random and adversarial agents: several agents on one simulated market
 * send huge, negative, NaN, infinite, fractional and far-off sizes and prices, floods of orders,
 * the same order again and again, and cancels of order ids that are not theirs, while the trader
 * changes limits and trading states. Checked from the event stream alone by the audit
 * (risk/audit.ts, which keeps its own books and shares no code with the gate): every order gets
 * exactly one outcome, no accepted order breaches a limit in force, the stream tells at every step
 * how many orders each agent has working, and no agent cancels another's.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SequentialIds } from '../core/ids';
import { NS_PER_SECOND } from '../core/clock';
import type { EngineEvent } from '../contract/events';
import { validateCommand } from '../contract/validate';
import { loadScenario } from '../node/files/sim-scenarios';
import type { AgentLimits, RiskLimits, SessionLimits } from '../risk/limits';
import type { ChildOrder, ExecutionStrategy, MarketView } from '../execution/types';
import { simSessionMarket } from './market';
import { SessionKernel, isSessionCommand, type AgentSpec } from './session-kernel';
import { OrderAudit } from '../risk/audit';

const S = NS_PER_SECOND;
const calm = loadScenario('calm');

/** How an adversarial child order picks its size and price. */
type Size = number | 'room';
type Price = { readonly ticks: number } | { readonly raw: number } | 'market';
interface Intent {
  readonly size: Size;
  readonly price: Price;
  readonly tif: 'GTC' | 'IOC';
  readonly copies: number;
}
interface Script {
  readonly orders: readonly Intent[][];
  readonly cancels: readonly number[][];
}

const size: fc.Arbitrary<Size> = fc.oneof(
  fc.integer({ min: 1, max: 400 }),
  fc.constantFrom<Size>(0, -5, -1e9, 2.5, 0.4, NaN, Infinity, -Infinity, 1e15, 'room'),
  fc.double({ noNaN: false }),
);
const price: fc.Arbitrary<Price> = fc.oneof(
  fc.integer({ min: -60, max: 60 }).map((ticks) => ({ ticks })),
  fc.constantFrom<Price>('market', { raw: NaN }, { raw: -100 }, { raw: 0 }, { raw: 0.5 }, { raw: 1e12 }, { raw: Infinity }),
  fc.double().map((raw) => ({ raw })),
);
const intent: fc.Arbitrary<Intent> = fc.record({ size, price, tif: fc.constantFrom<'GTC' | 'IOC'>('GTC', 'IOC'), copies: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 30 })) });
const script: fc.Arbitrary<Script> = fc.record({
  orders: fc.array(fc.array(intent, { maxLength: 4 }), { minLength: 1, maxLength: 12 }),
  cancels: fc.array(fc.array(fc.oneof(fc.integer({ min: -3, max: 80 }), fc.constantFrom(NaN, 1.5, 1e12)), { maxLength: 6 }), { minLength: 1, maxLength: 12 }),
});

const agentLimits: fc.Arbitrary<AgentLimits> = fc.record({
  maxOrderLots: fc.integer({ min: 1, max: 300 }),
  maxOrderNotional: fc.integer({ min: 100, max: 2_000_000 }),
  priceCollarBps: fc.integer({ min: 1, max: 150 }),
  maxLongLots: fc.integer({ min: 1, max: 3_000 }),
  maxShortLots: fc.integer({ min: 1, max: 3_000 }),
  maxOpenOrders: fc.integer({ min: 1, max: 12 }),
  maxOrdersPerWindow: fc.integer({ min: 1, max: 30 }),
  rateWindowSeconds: fc.constantFrom(0.5, 1, 3),
  maxDailyLoss: fc.integer({ min: 1, max: 5_000 }),
  duplicateWindowSeconds: fc.constantFrom(0, 0.5, 2),
});
const sessionLimits: fc.Arbitrary<SessionLimits> = fc.record({
  maxLongLots: fc.integer({ min: 1, max: 5_000 }),
  maxShortLots: fc.integer({ min: 1, max: 5_000 }),
  maxOpenOrders: fc.integer({ min: 1, max: 30 }),
  maxOrdersPerWindow: fc.integer({ min: 1, max: 60 }),
  rateWindowSeconds: fc.constantFrom(0.5, 1, 3),
  maxDailyLoss: fc.integer({ min: 1, max: 10_000 }),
});
const limits: fc.Arbitrary<RiskLimits> = fc.record({ perAgent: agentLimits, session: sessionLimits });

/** What the trader does between slices: nothing, or a command. */
type TraderCommand =
  | null
  | { readonly name: 'SetRiskLimits'; readonly payload: { readonly limits: RiskLimits; readonly reason: string } }
  | { readonly name: 'SetTradingState'; readonly agent: number | null; readonly state: 'ACTIVE' | 'REDUCING' | 'HALTED' }
  | { readonly name: 'Flatten'; readonly agent: number };
const trader: fc.Arbitrary<TraderCommand> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: limits.map((l): TraderCommand => ({ name: 'SetRiskLimits', payload: { limits: l, reason: 'fuzz' } })) },
  { weight: 1, arbitrary: fc.record({ agent: fc.integer({ min: 0, max: 3 }), state: fc.constantFrom('ACTIVE' as const, 'REDUCING' as const, 'HALTED' as const) }).map((c): TraderCommand => ({ name: 'SetTradingState', agent: c.agent, state: c.state })) },
  { weight: 1, arbitrary: fc.constantFrom('ACTIVE' as const, 'REDUCING' as const).map((state): TraderCommand => ({ name: 'SetTradingState', agent: null, state })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }).map((agent): TraderCommand => ({ name: 'Flatten', agent })) },
);

/** An agent that plays its script round and round, whatever the market does. */
function adversary(s: Script, tried: { n: number }): ExecutionStrategy {
  let k = 0;
  return {
    name: 'adversary',
    decide: (view: MarketView) => {
      const step = k++;
      const orders: ChildOrder[] = [];
      for (const i of s.orders[step % s.orders.length] ?? []) {
        const p = i.price === 'market' ? undefined : 'ticks' in i.price ? Math.round(view.mid) + i.price.ticks * view.tickSize : i.price.raw;
        const lots = i.size === 'room' ? view.quantityLeft : i.size;
        for (let c = 0; c < i.copies; c++) orders.push({ style: p === undefined ? 'sweep' : 'cross', size: lots, price: p, tif: i.tif });
      }
      tried.n += orders.length;
      return { cancels: s.cancels[step % s.cancels.length] ?? [], orders, action: { kind: 'cross', size: 0, price: null }, reason: 'adversary', inputs: {} };
    },
  };
}

/** Runs one session of adversaries with the trader's commands; the audit (risk/audit.ts) checks every event as it comes. Returns the orders the agents tried, the outcomes and the breaches. */
function session(seed: number, initial: RiskLimits, scripts: readonly Script[], commands: readonly TraderCommand[]): { tried: number; outcomes: number; breaches: readonly string[] } {
  const tried = { n: 0 };
  const agents: AgentSpec[] = scripts.map((_, i) => ({ name: `adv-${i}`, strategy: `adv-${i}`, side: i % 2 === 0 ? 'buy' : 'sell', quantity: 5_000, horizonSeconds: 120, intervalSeconds: 0.5 + (i % 3) * 0.25, startAfterSeconds: 5 }));
  const kernel = new SessionKernel(
    { ids: new SequentialIds(), strategies: (spec) => adversary(scripts[Number(spec.strategy.slice(4))] as Script, tried) },
    { sessionId: 'fuzz', seed, market: simSessionMarket(calm, seed), speed: 1, agents, limits: initial },
  );
  const audit = new OrderAudit(initial);
  kernel.subscribe((e: EngineEvent) => audit.see(e));
  const ids = kernel.snapshot().agents.map((a) => a.id);
  kernel.start();
  for (const c of commands) {
    kernel.elapse(3 * S);
    if (c === null) continue;
    const agentId = c.name === 'SetRiskLimits' ? undefined : c.agent === null ? null : ids[c.agent % ids.length];
    const payload = c.name === 'SetRiskLimits' ? c.payload : c.name === 'Flatten' ? { agentId, reason: 'fuzz' } : { agentId, state: c.state, reason: 'fuzz' };
    const v = validateCommand(c.name, payload);
    if (!v.ok) throw new Error(v.error.message);
    if (isSessionCommand(v.command)) kernel.execute(v.command, 'fuzz');
  }
  kernel.elapse(10 * S);
  const r = audit.report();
  return { tried: tried.n, outcomes: r.accepted + r.denied, breaches: r.breaches };
}

describe('the risk overlay under adversarial agents', () => {
  it('givesEveryOrderOneOutcomeAndNeverBreachesALimit', () => {
    let tried = 0;
    let outcomes = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), limits, fc.array(script, { minLength: 2, maxLength: 4 }), fc.array(trader, { minLength: 8, maxLength: 30 }), (seed, l, scripts, commands) => {
        const r = session(seed, l, scripts, commands);
        expect(r.breaches).toEqual([]);
        tried += r.tried;
        outcomes += r.outcomes;
      }),
      { numRuns: 60, seed: 20_261_207 },
    );
    // The suite's size, stated in src/engine/risk/README.md: orders the agents tried, and how many reached the gate (the rest were clipped to nothing by the parent order's room).
    console.log(`risk fuzz: ${tried} orders tried, ${outcomes} outcomes`);
    expect(outcomes).toBeGreaterThan(10_000);
  });
});
