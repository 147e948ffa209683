import { describe, expect, it } from 'vitest';
import { simSessionMarket } from './market';
import { SequentialIds } from '../core/ids';
import { NS_PER_SECOND } from '../core/clock';
import type { EngineEvent } from '../contract/events';
import { validateCommand } from '../contract/validate';
import { loadScenario } from '../node/files/sim-scenarios';
import { DEFAULT_LIMITS, withAgentLimits } from '../risk/limits';
import { DEFAULT_AGENTS, SessionKernel, isSessionCommand, type AgentSpec } from './session-kernel';
import { baselineStrategies } from './strategies';
import type { DynamicRisk } from '../risk/overlay';
import { DEFAULT_POSTURE_RULES } from '../risk/posture';

const S = NS_PER_SECOND;
const calm = loadScenario('calm');

function kernelWith(agents: readonly AgentSpec[] = DEFAULT_AGENTS, limits = DEFAULT_LIMITS): { kernel: SessionKernel; events: EngineEvent[] } {
  const kernel = new SessionKernel({ ids: new SequentialIds(), strategies: baselineStrategies }, { sessionId: 's', seed: 3, market: simSessionMarket(calm, 3), speed: 5, agents, limits });
  const events: EngineEvent[] = [];
  kernel.subscribe((e) => events.push(e));
  kernel.start();
  return { kernel, events };
}

function command(kernel: SessionKernel, name: string, payload: unknown, by = 'test window') {
  const v = validateCommand(name, payload);
  if (!v.ok) return { ok: false as const, error: v.error };
  if (!isSessionCommand(v.command)) throw new Error(`${name} runs beside the kernel`);
  return kernel.execute(v.command, by);
}

const after = <K extends EngineEvent['kind']>(events: EngineEvent[], mark: number, kind: K): Extract<EngineEvent, { kind: K }>[] => events.slice(mark).filter((e): e is Extract<EngineEvent, { kind: K }> => e.kind === kind);

describe('risk commands on a live session', () => {
  it('refusesAnImpossibleLimitWithTheFieldAndChangesNothing', () => {
    const { kernel, events } = kernelWith();
    const mark = events.length;
    for (const bad of [{ priceCollarBps: 0 }, { maxOrderLots: -5 }, { maxOpenOrders: 1.5 }, { maxDailyLoss: 0 }]) {
      const r = command(kernel, 'SetRiskLimits', { limits: withAgentLimits(bad), reason: 'typo' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toContain(`limits.perAgent.${Object.keys(bad)[0]}`);
    }
    expect(command(kernel, 'SetRiskLimits', { limits: DEFAULT_LIMITS.perAgent, reason: 'flat' }).ok).toBe(false);
    expect(after(events, mark, 'RiskLimitsChanged')).toEqual([]);
    expect(kernel.snapshot().risk.limits).toEqual(DEFAULT_LIMITS);
  });

  it('recordsWhoChangedTheLimitsWhenAndWhy', () => {
    const { kernel, events } = kernelWith();
    const limits = withAgentLimits({ maxOrderLots: 900 });
    expect(command(kernel, 'SetRiskLimits', { limits, reason: 'thin open' }, 'browser window (127.0.0.1)')).toEqual({ ok: true, value: { limits } });
    // The change, then its row of the audit trail.
    const change = events.at(-2);
    expect(change).toMatchObject({ kind: 'RiskLimitsChanged', by: 'browser window (127.0.0.1)', reason: 'thin open', agentId: null, limits });
    expect(events.at(-1)).toMatchObject({ kind: 'ActionRecorded', by: 'browser window (127.0.0.1)', command: 'SetRiskLimits', reason: 'thin open', ok: true, code: null });
    expect(change?.kind === 'RiskLimitsChanged' && Date.parse(change.at)).toBeGreaterThan(0);
    const id = kernel.snapshot().agents[1]!.id;
    expect(command(kernel, 'SetAgentLimits', { agentId: id, limits: { ...limits.perAgent, maxOrderLots: 10 }, reason: 'new agent' }).ok).toBe(true);
    const risk = kernel.snapshot().risk;
    expect(risk.agents.find((a) => a.agentId === id)).toMatchObject({ ownLimits: true, limits: { maxOrderLots: 10 } });
    expect(risk.agents.find((a) => a.agentId !== id)).toMatchObject({ ownLimits: false, limits: { maxOrderLots: 900 } });
    expect(risk.history.map((h) => [h.by, h.reason])).toEqual([
      ['browser window (127.0.0.1)', 'thin open'],
      ['test window', 'new agent'],
    ]);
  });

  it('haltsOneAgentCancellingItsOrdersWhileTheOthersTrade', () => {
    const { kernel, events } = kernelWith();
    kernel.elapse(90 * S);
    // The agent with the most working orders is halted; the others trade on.
    const busiest = [...kernel.snapshot().risk.agents].sort((a, b) => b.use.openOrders - a.use.openOrders)[0]!;
    const vwap = { id: busiest.agentId };
    const twap = kernel.snapshot().agents.find((a) => a.id !== vwap.id);
    const working = busiest.use.openOrders;
    expect(working).toBeGreaterThan(0);
    const mark = events.length;
    const r = command(kernel, 'SetTradingState', { agentId: vwap!.id, state: 'HALTED', reason: 'suspicious fills' });
    expect(r).toEqual({ ok: true, value: { agentId: vwap!.id, state: 'HALTED', ordersCancelled: working } });
    expect(after(events, mark, 'OrderCancelled').every((e) => e.agentId === vwap!.id && e.reason === 'halted: suspicious fills')).toBe(true);
    expect(after(events, mark, 'TradingStateChanged')).toMatchObject([{ agentId: vwap!.id, state: 'HALTED', ordersCancelled: working }]);
    kernel.elapse(120 * S);
    expect(after(events, mark, 'OrderAccepted').some((e) => e.agentId === vwap!.id)).toBe(false);
    expect(after(events, mark, 'OrderAccepted').some((e) => e.agentId === twap!.id)).toBe(true);
    expect(kernel.snapshot().risk.agents.find((a) => a.agentId === vwap!.id)).toMatchObject({ state: 'HALTED', reason: 'suspicious fills', use: { openOrders: 0 } });
    // Released, it trades again.
    command(kernel, 'SetTradingState', { agentId: vwap!.id, state: 'ACTIVE', reason: 'checked' });
    const back = events.length;
    kernel.elapse(120 * S);
    expect(after(events, back, 'OrderAccepted').some((e) => e.agentId === vwap!.id)).toBe(true);
  });

  it('holdsTheSessionToReducingOrdersWhichSellersShortOfFlatCannotSend', () => {
    const sellers = DEFAULT_AGENTS.filter((a) => a.side === 'sell');
    const { kernel, events } = kernelWith(sellers);
    kernel.elapse(60 * S);
    expect(kernel.snapshot().risk.session.use.position).toBeLessThan(0);
    expect(command(kernel, 'SetTradingState', { agentId: null, state: 'REDUCING', reason: 'volatility' }).ok).toBe(true);
    const mark = events.length;
    kernel.elapse(120 * S);
    // Every sell adds to the session's short position: each is denied REDUCE_ONLY, none goes out.
    const denied = after(events, mark, 'OrderDenied');
    expect(denied.length).toBeGreaterThan(0);
    expect([...new Set(denied.map((e) => e.code))]).toEqual(['REDUCE_ONLY']);
    expect(denied[0]?.detail).toMatch(/^session is REDUCING \(volatility\): sell \d+ lots would not reduce the position of -\d+ lots$/);
    expect(after(events, mark, 'OrderAccepted')).toEqual([]);
    expect(command(kernel, 'SetTradingState', { agentId: null, state: 'HALTED', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    // Back to ACTIVE, they sell again.
    command(kernel, 'SetTradingState', { agentId: null, state: 'ACTIVE', reason: 'calm again' });
    const back = events.length;
    kernel.elapse(60 * S);
    expect(after(events, back, 'OrderAccepted').length).toBeGreaterThan(0);
  });

  it('flattensAnAgentsPositionUnderTheLimitsAndReportsWhenFlat', () => {
    const agents: AgentSpec[] = [{ name: 'TWAP sell', strategy: 'twap', side: 'sell', quantity: 6_000, horizonSeconds: 300, intervalSeconds: 10, startAfterSeconds: 5 }];
    const { kernel, events } = kernelWith(agents, withAgentLimits({ maxOrderLots: 400 }));
    kernel.elapse(200 * S);
    const id = kernel.snapshot().agents[0]!.id;
    const short = kernel.snapshot().risk.agents[0]!.use.position;
    expect(short).toBeLessThan(-400);
    const mark = events.length;
    expect(command(kernel, 'Flatten', { agentId: id, reason: 'desk flat for the close' })).toEqual({ ok: true, value: { agentsFlattening: 1 } });
    kernel.elapse(120 * S);
    const buys = after(events, mark, 'OrderAccepted');
    expect(buys.length).toBeGreaterThan(1);
    expect(buys.every((e) => e.side === 'buy' && e.size <= 400)).toBe(true);
    expect(after(events, mark, 'AgentStateChanged').map((e) => [e.state, e.reason])).toEqual([
      ['flattening', 'desk flat for the close'],
      ['done', 'flat: position 0 (desk flat for the close)'],
    ]);
    expect(kernel.snapshot().risk.agents[0]!.use.position).toBe(0);
    expect(kernel.snapshot().agents[0]).toMatchObject({ state: 'done' });
    // The parent order's figures are the sells it made, not the buys that flattened them.
    expect(kernel.snapshot().agents[0]!.filled).toBe(-short);
  });

  it('killsOneAgentHaltedAndCancelled', () => {
    const { kernel, events } = kernelWith();
    kernel.elapse(90 * S);
    const id = kernel.snapshot().agents[0]!.id;
    const mark = events.length;
    expect(command(kernel, 'KillAgent', { agentId: id, reason: 'runaway' })).toMatchObject({ ok: true, value: { state: 'killed' } });
    expect(kernel.snapshot().risk.agents.find((a) => a.agentId === id)).toMatchObject({ state: 'HALTED', use: { openOrders: 0 } });
    kernel.elapse(60 * S);
    expect(after(events, mark, 'OrderAccepted').some((e) => e.agentId === id)).toBe(false);
  });
});

describe('posture rules on a live session', () => {
  /** A monitor that fires a flash crash at 60 s and clears it at 120 s. */
  function scripted(): DynamicRisk {
    let firing = false;
    return {
      sample: (s) => {
        const t = s.ts - calm.session.openSeconds * S;
        if (!firing && t >= 60 * S && t < 120 * S) {
          firing = true;
          return [{ detector: 'flash-crash', edge: 'fired', reason: 'mid fell 9.1σ in 30 s', value: 9.1, threshold: 6 }];
        }
        if (firing && t >= 120 * S) {
          firing = false;
          return [{ detector: 'flash-crash', edge: 'cleared', reason: 'move back under 6σ', value: 2, threshold: 6 }];
        }
        return [];
      },
      view: () => ({ ewmaBpsPerSqrtS: 1, garchBpsPerSqrtS: 1, models: 'scripted', detectors: [] }),
    };
  }

  it('holdsTheAgentsToReducingWhileTheDetectorFiresAndGivesThemBack', () => {
    const kernel = new SessionKernel({ ids: new SequentialIds(), strategies: baselineStrategies }, { sessionId: 's', seed: 3, market: simSessionMarket(calm, 3), speed: 5, agents: DEFAULT_AGENTS, limits: DEFAULT_LIMITS, dynamic: scripted() });
    const events: EngineEvent[] = [];
    kernel.subscribe((e) => events.push(e));
    kernel.start();
    kernel.elapse(90 * S);
    const ids = kernel.snapshot().agents.map((a) => a.id);
    const fired = events.find((e) => e.kind === 'RiskAlert');
    expect(fired).toMatchObject({ detector: 'flash-crash', edge: 'fired', action: 'REDUCING', agents: ids });
    expect(kernel.snapshot().risk.agents.map((a) => a.state)).toEqual(ids.map(() => 'REDUCING'));
    expect(kernel.snapshot().risk.dynamic).toMatchObject({ models: 'scripted', rules: DEFAULT_POSTURE_RULES });
    kernel.elapse(60 * S);
    expect(events.filter((e) => e.kind === 'RiskAlert').at(-1)).toMatchObject({ edge: 'cleared', action: 'RESTORED', agents: ids });
    expect(kernel.snapshot().risk.agents.map((a) => a.state)).toEqual(ids.map(() => 'ACTIVE'));
  });

  it('takesNewPostureRulesThroughTheContract', () => {
    const kernel = new SessionKernel({ ids: new SequentialIds(), strategies: baselineStrategies }, { sessionId: 's', seed: 3, market: simSessionMarket(calm, 3), speed: 5, agents: DEFAULT_AGENTS, limits: DEFAULT_LIMITS, dynamic: scripted() });
    const events: EngineEvent[] = [];
    kernel.subscribe((e) => events.push(e));
    kernel.start();
    const rules = [{ detector: 'flash-crash', action: 'PAUSE', restoreOnClear: false }];
    expect(command(kernel, 'SetPostureRules', { rules, reason: 'pause on crashes' })).toEqual({ ok: true, value: { rules } });
    kernel.elapse(150 * S);
    expect(events.find((e) => e.kind === 'RiskAlert')).toMatchObject({ action: 'PAUSE' });
    // Not given back on clear: they wait for the trader.
    expect(kernel.snapshot().agents.every((a) => a.state === 'paused')).toBe(true);
  });
});
