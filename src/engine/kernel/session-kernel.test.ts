import { describe, expect, it } from 'vitest';
import { simSessionMarket } from './market';
import { SequentialIds } from '../core/ids';
import { NS_PER_SECOND } from '../core/clock';
import type { EngineEvent } from '../contract/events';
import { validateCommand } from '../contract/validate';
import { loadScenario } from '../node/files/sim-scenarios';
import { withAgentLimits } from '../risk/limits';
import { DEFAULT_AGENTS, DEFAULT_LIMITS, SessionKernel, isSessionCommand, type AgentSpec, type SessionConfig } from './session-kernel';
import { baselineStrategies } from './strategies';
import type { ExecutionStrategy } from '../execution/types';

const calm = loadScenario('calm');
const config: Omit<SessionConfig, 'market'> = { sessionId: 's', seed: 7, speed: 5, agents: DEFAULT_AGENTS, limits: DEFAULT_LIMITS };

/** A kernel on a fresh calm simulator of the config's seed (or the one given). */
function kernelWith(overrides: Partial<SessionConfig> = {}, strategies = baselineStrategies): { kernel: SessionKernel; events: EngineEvent[] } {
  const seed = overrides.seed ?? config.seed;
  const kernel = new SessionKernel({ ids: new SequentialIds(), strategies }, { ...config, market: simSessionMarket(calm, seed), ...overrides });
  const events: EngineEvent[] = [];
  kernel.subscribe((e) => events.push(e));
  kernel.start();
  return { kernel, events };
}

function run(seed: number, slices: number[]): EngineEvent[] {
  const { kernel, events } = kernelWith({ seed });
  for (const ns of slices) kernel.elapse(ns);
  return events;
}

function command(kernel: SessionKernel, name: string, payload: unknown) {
  const v = validateCommand(name, payload);
  if (!v.ok) throw new Error(v.error.message);
  if (!isSessionCommand(v.command)) throw new Error(`${name} runs beside the kernel`);
  return kernel.execute(v.command);
}

const S = NS_PER_SECOND;

describe('session kernel on the simulator', () => {
  it('publishesTheSameEventStreamForTheSameSeedHoweverTimeIsSliced', () => {
    const span = 180 * S;
    const whole = run(7, [span]);
    const sliced = run(7, Array.from({ length: 900 }, () => span / 900));
    const ragged = run(7, [1, 333_333_333, 17 * S + 5, span - 17 * S - 333_333_339]);
    expect(whole.filter((e) => e.kind === 'DecisionMade').length).toBeGreaterThan(5);
    expect(whole.filter((e) => e.kind === 'OrderFilled').length).toBeGreaterThan(0);
    expect(sliced).toEqual(whole);
    expect(ragged).toEqual(whole);
  });

  it('publishesADifferentStreamForAnotherSeed', () => {
    expect(run(1, [60 * S])).not.toEqual(run(2, [60 * S]));
  });

  it('numbersEventsConsecutivelyAndNeverMovesTimeBack', () => {
    const events = run(3, [240 * S]);
    events.forEach((e, i) => expect(e.seq).toBe(i + 1));
    for (let i = 1; i < events.length; i++) expect(events[i]!.ts).toBeGreaterThanOrEqual(events[i - 1]!.ts);
  });

  it('keepsTheSampledQuoteUncrossed', () => {
    const quotes = run(11, [600 * S]).filter((e) => e.kind === 'QuoteChanged');
    expect(quotes.length).toBeGreaterThan(100);
    for (const q of quotes) expect(q.bid).toBeLessThan(q.ask);
  });

  it('explainsEveryDecisionWithItsInputsAndAReason', () => {
    const decisions = run(5, [300 * S]).filter((e) => e.kind === 'DecisionMade');
    expect(decisions.length).toBeGreaterThan(10);
    for (const d of decisions) {
      expect(d.reason.length).toBeGreaterThan(5);
      expect(Object.keys(d.inputs).length).toBeGreaterThan(0);
    }
  });

  it('haltsEveryAgentCancelsWorkingOrdersAndSendsNothingAfterKillAll', () => {
    const { kernel, events } = kernelWith();
    const working = (): number => kernel.snapshot().agents.reduce((n, a) => n + a.working, 0);
    kernel.elapse(60 * S);
    // Step until some agent has an order resting, so the kill has something to cancel.
    for (let i = 0; i < 100 && working() === 0; i++) kernel.elapse(S);
    expect(working()).toBeGreaterThan(0);
    const result = command(kernel, 'KillAll', { reason: 'test' });
    expect(result.ok).toBe(true);
    const value = (result as { ok: true; value: { state: string; agentsHalted: number; ordersCancelled: number } }).value;
    expect(value.state).toBe('halted');
    expect(value.agentsHalted).toBe(DEFAULT_AGENTS.length);
    expect(value.ordersCancelled).toBeGreaterThan(0);
    expect(kernel.snapshot().agents.every((a) => a.state === 'killed' && a.working === 0)).toBe(true);
    const mark = events.length;
    kernel.elapse(600 * S);
    const later = events.slice(mark);
    expect(later.some((e) => e.kind === 'TradePrinted')).toBe(true);
    expect(later.filter((e) => e.kind === 'DecisionMade' || e.kind === 'OrderAccepted' || e.kind === 'OrderFilled')).toEqual([]);
  });

  it('holdsOrdersToTheRiskLimitsWhateverTheStrategySends', () => {
    const absurd: ExecutionStrategy = {
      name: 'absurd',
      decide: (view) => ({
        cancels: [],
        orders: [
          { style: 'cross', size: 1_000_000, price: view.mid, tif: 'IOC' },
          { style: 'passive', size: 10, price: Math.round(view.mid * 3), tif: 'GTC' },
        ],
        action: { kind: 'cross', size: 1_000_000, price: view.mid },
        reason: 'sends absurd orders',
        inputs: { mid: view.mid },
      }),
    };
    const agents: AgentSpec[] = [{ name: 'absurd', strategy: 'absurd', side: 'buy', quantity: 2_000_000, horizonSeconds: 600, intervalSeconds: 10, startAfterSeconds: 10 }];
    const { kernel, events } = kernelWith({ agents, limits: withAgentLimits({ maxOrderLots: 500 }) }, () => absurd);
    kernel.elapse(60 * S);
    const denied = events.filter((e) => e.kind === 'OrderDenied');
    // The far price is denied by the collar; the huge size is split to the 500-lot limit, never sent whole.
    expect(denied.some((e) => e.code === 'PRICE_OUTSIDE_COLLAR')).toBe(true);
    expect(denied.some((e) => e.code === 'ORDER_SIZE_EXCEEDS_MAX')).toBe(false);
    const accepted = events.flatMap((e) => (e.kind === 'OrderAccepted' ? [e] : []));
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.every((e) => e.size <= 500)).toBe(true);
    // However much it asks for, the position with its working orders stays within the 50,000-lot long limit.
    const exposures = events.flatMap((e) => (e.kind === 'OrderAccepted' || e.kind === 'OrderFilled' || e.kind === 'OrderCancelled' || e.kind === 'OrderExpired' ? [e.exposure] : []));
    expect(exposures.every((x) => x.position + x.workingLots <= 50_000)).toBe(true);
  });

  it('checksOrdersAgainstLimitsTheTraderLowers', () => {
    const { kernel, events } = kernelWith();
    kernel.elapse(60 * S);
    expect(events.some((e) => e.kind === 'OrderAccepted')).toBe(true);
    const tight = withAgentLimits({ maxOrderLots: 1 });
    const r = command(kernel, 'SetRiskLimits', { limits: tight, reason: 'tighten' });
    expect(r).toEqual({ ok: true, value: { limits: tight } });
    expect(events.at(-2)).toMatchObject({ kind: 'RiskLimitsChanged', reason: 'tighten', by: 'trader', agentId: null, limits: tight });
    expect(kernel.snapshot().risk.history.at(-1)).toMatchObject({ by: 'trader', reason: 'tighten', limits: tight });
    const mark = events.length;
    kernel.elapse(120 * S);
    const later = events.slice(mark);
    expect(later.some((e) => e.kind === 'OrderAccepted')).toBe(true);
    expect(later.filter((e) => e.kind === 'OrderAccepted').every((e) => e.size <= 1)).toBe(true);
    expect(later.some((e) => e.kind === 'DecisionMade' && /sized to the limits \(max order 1 lots\)/.test(e.reason))).toBe(true);
    expect(kernel.snapshot().risk.limits.perAgent.maxOrderLots).toBe(1);
  });

  it('deniesLimitPricesOutsideTheCollar', () => {
    const far: ExecutionStrategy = {
      name: 'far',
      decide: (view) => ({
        cancels: [],
        orders: [{ style: 'passive', size: 10, price: Math.round(view.mid * 0.5), tif: 'GTC' }],
        action: { kind: 'post', size: 10, price: Math.round(view.mid * 0.5) },
        reason: 'bids half the mid',
        inputs: {},
      }),
    };
    const agents: AgentSpec[] = [{ name: 'far', strategy: 'far', side: 'buy', quantity: 1_000, horizonSeconds: 600, intervalSeconds: 10, startAfterSeconds: 10 }];
    const { kernel, events } = kernelWith({ agents }, () => far);
    kernel.elapse(60 * S);
    expect(events.filter((e) => e.kind === 'OrderDenied').every((e) => e.code === 'PRICE_OUTSIDE_COLLAR')).toBe(true);
    expect(events.some((e) => e.kind === 'OrderDenied')).toBe(true);
    const first = events.find((e) => e.kind === 'OrderDenied');
    expect(first?.kind === 'OrderDenied' && first.detail).toMatch(/^price \d+\.\d{2} is 5000 bps from the mid \d+\.\d{3}, collar \d+ bps$/);
    expect(events.some((e) => e.kind === 'OrderAccepted')).toBe(false);
  });

  it('stopsOnlyTheAgentWhoseStrategyFailsAndKeepsTheSessionRunning', () => {
    let calls = 0;
    const failing: ExecutionStrategy = {
      name: 'failing',
      decide: (view) => {
        calls += 1;
        if (calls === 3) throw new Error('model produced NaN');
        return { cancels: [], orders: [{ style: 'passive', size: 10, price: view.bestBid ?? view.mid, tif: 'GTC' }], action: { kind: 'post', size: 10, price: view.bestBid ?? null }, reason: 'posts', inputs: {} };
      },
    };
    const agents: AgentSpec[] = [
      { name: 'failing', strategy: 'failing', side: 'buy', quantity: 1_000, horizonSeconds: 600, intervalSeconds: 10, startAfterSeconds: 10 },
      { name: 'twap', strategy: 'twap', side: 'sell', quantity: 1_000, horizonSeconds: 600, intervalSeconds: 10, startAfterSeconds: 10 },
    ];
    const { kernel, events } = kernelWith({ agents }, (spec, ctx) => (spec.strategy === 'failing' ? failing : baselineStrategies(spec, ctx)));
    kernel.elapse(120 * S);
    const [bad, good] = kernel.snapshot().agents;
    expect(bad!.state).toBe('killed');
    expect(bad!.working).toBe(0);
    expect(events.some((e) => e.kind === 'AgentStateChanged' && e.agentId === bad!.id && e.reason.includes('model produced NaN'))).toBe(true);
    expect(good!.state).toBe('running');
    expect(events.filter((e) => e.kind === 'DecisionMade' && e.agentId === good!.id).length).toBeGreaterThan(8);
  });

  it('warmsAnAgentsObserverWithSignedOrderFlowBeforeItStarts', () => {
    // The first view must carry the warm-up's order flow, signed by aggressor, as in a backtest.
    const first: Array<{ volume: number; signed: number }> = [];
    const watcher: ExecutionStrategy = {
      name: 'watcher',
      decide: (view) => {
        if (first.length === 0) first.push({ volume: view.recentVolume, signed: view.recentSignedVolume });
        return { cancels: [], orders: [], action: { kind: 'hold', size: 0, price: null }, reason: 'watches', inputs: {} };
      },
    };
    const agents: AgentSpec[] = [{ name: 'watcher', strategy: 'watcher', side: 'buy', quantity: 1_000, horizonSeconds: 600, intervalSeconds: 10, startAfterSeconds: 120 }];
    const { kernel } = kernelWith({ agents }, () => watcher);
    kernel.elapse(125 * S);
    expect(first).toHaveLength(1);
    expect(first[0]!.volume).toBeGreaterThan(0);
    expect(first[0]!.signed).not.toBe(0);
    expect(Math.abs(first[0]!.signed)).toBeLessThanOrEqual(first[0]!.volume);
  });

  it('refusesAnAgentsOrderThatWouldTradeWithAnotherAgentsAndSaysWhose', () => {
    const improveBid: ExecutionStrategy = {
      name: 'improve',
      decide: (view) => ({ cancels: [], orders: [{ style: 'passive', size: 5, price: view.bestAsk! - 1, tif: 'GTC' }], action: { kind: 'post', size: 5, price: view.bestAsk! - 1 }, reason: 'improves the bid', inputs: {} }),
    };
    const hitBid: ExecutionStrategy = {
      name: 'hit',
      decide: (view) => ({ cancels: [], orders: [{ style: 'cross', size: 5, price: view.bestBid!, tif: 'IOC' }], action: { kind: 'cross', size: 5, price: view.bestBid! }, reason: 'hits the bid', inputs: {} }),
    };
    const agents: AgentSpec[] = [
      { name: 'buyer', strategy: 'improve', side: 'buy', quantity: 100, horizonSeconds: 600, intervalSeconds: 10, startAfterSeconds: 10 },
      { name: 'seller', strategy: 'hit', side: 'sell', quantity: 100, horizonSeconds: 600, intervalSeconds: 10, startAfterSeconds: 10 },
    ];
    const { kernel, events } = kernelWith({ agents }, (spec) => (spec.strategy === 'improve' ? improveBid : hitBid));
    kernel.elapse(15 * S);
    const [buyer, seller] = kernel.snapshot().agents;
    const denied = events.filter((e) => e.kind === 'OrderDenied' && e.agentId === seller!.id);
    expect(denied.length).toBeGreaterThan(0);
    // The gate stops it before the venue (which would refuse it too), naming the firm's order.
    expect(denied[0]).toMatchObject({ code: 'SELF_TRADE', denial: { code: 'SELF_TRADE', restingAgent: buyer!.id } });
    expect(denied[0]!.kind === 'OrderDenied' && denied[0]!.detail).toContain(`${buyer!.id}/`);
    // The price reads in the instrument's currency, as everywhere else in the window, not in ticks.
    expect(denied[0]!.kind === 'OrderDenied' && denied[0]!.detail).toMatch(/^at \d+\.\d{2} it would trade with the firm's own order /);
  });

  it('refusesToResumeAnAgentWhileTheKillSwitchIsEngaged', () => {
    const { kernel } = kernelWith();
    const id = kernel.snapshot().agents[0]!.id;
    command(kernel, 'PauseAgent', { agentId: id, reason: 'look closer' });
    command(kernel, 'KillAll', { reason: 'test' });
    const r = command(kernel, 'ResumeAgent', { agentId: id, reason: 'go' });
    expect(r.ok ? 'ok' : r.error.code).toBe('REJECTED');
  });

  it('rejectsACommandForAnUnknownAgentAndChangesNothing', () => {
    const { kernel, events } = kernelWith();
    kernel.elapse(100 * S);
    const before = kernel.snapshot();
    const r = command(kernel, 'KillAgent', { agentId: 'agent-99', reason: 'x' });
    expect(r.ok).toBe(false);
    // Nothing changed but the audit trail, which records the refused action with why.
    // Nothing changed but the audit trail, which records the refusal.
    const after = kernel.snapshot();
    expect({ ...after, actions: [] }).toEqual({ ...before, actions: [], lastSeq: before.lastSeq + 1 });
    expect(after.actions?.at(-1)).toMatchObject({ ok: false, code: 'REJECTED' });
    expect(events.at(-1)).toMatchObject({ kind: 'ActionRecorded', command: 'KillAgent', reason: 'x', ok: false, code: 'REJECTED', detail: expect.stringContaining('no agent "agent-99"') });
  });

  it('stopsAPausedAgentAndLetsItResume', () => {
    const { kernel, events } = kernelWith();
    kernel.elapse(100 * S);
    const id = kernel.snapshot().agents[0]!.id;
    command(kernel, 'PauseAgent', { agentId: id, reason: 'check' });
    expect(kernel.snapshot().agents[0]!.working).toBe(0);
    const mark = events.length;
    kernel.elapse(120 * S);
    expect(events.slice(mark).some((e) => e.kind === 'DecisionMade' && e.agentId === id)).toBe(false);
    command(kernel, 'ResumeAgent', { agentId: id, reason: 'fine' });
    kernel.elapse(120 * S);
    expect(events.slice(mark).some((e) => e.kind === 'DecisionMade' && e.agentId === id)).toBe(true);
  });

  it('finishesAParentOrderByItsHorizon', () => {
    const agents: AgentSpec[] = [{ name: 'short twap', strategy: 'twap', side: 'sell', quantity: 2_000, horizonSeconds: 300, intervalSeconds: 15, startAfterSeconds: 10 }];
    const { kernel, events } = kernelWith({ agents });
    kernel.elapse(400 * S);
    const a = kernel.snapshot().agents[0]!;
    expect(a.state).toBe('done');
    expect(a.filled).toBe(2_000);
    expect(events.some((e) => e.kind === 'AgentStateChanged' && e.state === 'done')).toBe(true);
    expect(a.shortfallBps).not.toBeNull();
  });

  it('publishesEachAgentsFillFiguresWithEveryFillAsTheSnapshotHasThem', () => {
    const agents: AgentSpec[] = [
      { name: 'buyer', strategy: 'twap', side: 'buy', quantity: 1_500, horizonSeconds: 240, intervalSeconds: 15, startAfterSeconds: 10 },
      { name: 'seller', strategy: 'pov', side: 'sell', quantity: 1_500, horizonSeconds: 240, intervalSeconds: 15, startAfterSeconds: 10 },
    ];
    const { kernel, events } = kernelWith({ agents });
    kernel.elapse(300 * S);
    for (const view of kernel.snapshot().agents) {
      const arrival = events.find((e) => e.kind === 'AgentStarted' && e.agentId === view.id);
      const fills = events.filter((e): e is Extract<EngineEvent, { kind: 'OrderFilled' }> => e.kind === 'OrderFilled' && e.agentId === view.id);
      expect(arrival && fills.length).toBeGreaterThan(0);
      let lots = 0;
      let notional = 0;
      for (const f of fills) {
        lots += f.size;
        notional += f.price * f.size;
        const mid = (arrival as Extract<EngineEvent, { kind: 'AgentStarted' }>).arrivalMid;
        // Shortfall is a cost on either side: paying up on a buy, selling below on a sell.
        const cost = (view.side === 'buy' ? notional / lots - mid : mid - notional / lots) / mid;
        expect(f.agent.filled).toBe(lots);
        expect(f.agent.avgPrice).toBeCloseTo(notional / lots, 9);
        expect(f.agent.shortfallBps).toBeCloseTo(cost * 10_000, 9);
      }
      const last = fills.at(-1)?.agent;
      expect({ filled: view.filled, avgPrice: view.avgPrice, shortfallBps: view.shortfallBps }).toEqual(last);
    }
  });

  it('reportsTheSessionStateWithEveryPauseKillAndRelease', () => {
    const { kernel, events } = kernelWith();
    kernel.elapse(5 * S);
    const steps: Array<[string, Record<string, unknown>, string]> = [
      ['PauseSession', { reason: 'lunch' }, 'paused'],
      ['KillAll', { reason: 'drill' }, 'halted'],
      ['ResumeSession', { reason: 'back' }, 'halted'],
      ['ReleaseKillSwitch', { reason: 'all clear' }, 'running'],
      ['PauseSession', { reason: 'again' }, 'paused'],
      ['KillAll', { reason: 'drill 2' }, 'halted'],
      ['ReleaseKillSwitch', { reason: 'ok' }, 'paused'],
    ];
    for (const [name, payload, state] of steps) {
      const before = events.length;
      expect(command(kernel, name, payload).ok).toBe(true);
      const published = events.slice(before).filter((e) => e.kind !== 'AgentStateChanged' && e.kind !== 'ActionRecorded');
      expect(published, name).toEqual([expect.objectContaining({ state })]);
      expect(kernel.state).toBe(state);
    }
  });

  it('reportsStateInTheSnapshotConsistentWithLastSeq', () => {
    const { kernel, events } = kernelWith();
    kernel.elapse(30 * S);
    command(kernel, 'PauseSession', { reason: 'lunch' });
    const snap = kernel.snapshot();
    expect(snap.lastSeq).toBe(events.length);
    expect(snap.session.state).toBe('paused');
    expect(snap.depth.bids.length).toBeGreaterThan(0);
    expect(events.at(-2)).toMatchObject({ kind: 'SessionPaused', reason: 'lunch' });
    expect(events.at(-1)).toMatchObject({ kind: 'ActionRecorded', command: 'PauseSession', reason: 'lunch', ok: true });
  });
});
