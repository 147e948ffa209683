import { calmSession, sendCommand } from '../node/testing/calm-session';
import { describe, expect, it } from 'vitest';
import { simSessionMarket } from './market';
import { SequentialIds } from '../core/ids';
import { NS_PER_SECOND } from '../core/clock';
import type { CommandResult } from '../contract/result';
import { loadScenario } from '../node/files/sim-scenarios';
import { DEFAULT_AGENTS, DEFAULT_LIMITS, SessionKernel } from './session-kernel';
import { baselineStrategies } from './strategies';

const S = NS_PER_SECOND;

const session = calmSession;
const send = sendCommand;

function override(kernel: SessionKernel, payload: Record<string, unknown>): CommandResult<unknown> {
  return send(kernel, 'OverrideAgent', { reason: 'test', ...payload });
}

const agentOf = (k: SessionKernel, id: string) => k.snapshot().agents.find((a) => a.id === id)!;

describe('overriding a running agent', () => {
  it('makesATwapFrontLoadAtAHigherUrgencyAndShowsTheValueBesideTheOriginal', () => {
    const plain = session();
    const urgent = session();
    expect(override(urgent.kernel, { agentId: 'agent-1', urgency: 3, reason: 'get it done' })).toMatchObject({ ok: true, value: { agentId: 'agent-1' } });
    plain.kernel.elapse(120 * S);
    urgent.kernel.elapse(120 * S);
    // Done by t: f^(1/3) of the order instead of f; three minutes into an hour, far ahead of the schedule.
    expect(agentOf(urgent.kernel, 'agent-1').filled).toBeGreaterThan(2 * agentOf(plain.kernel, 'agent-1').filled);
    expect(agentOf(urgent.kernel, 'agent-1').overrides).toEqual([{ field: 'urgency', value: 3, original: 1, by: 'test window', at: expect.any(String), ts: 60 * S + agentOf(urgent.kernel, 'agent-1').startNs - 15 * S, reason: 'get it done' }]);
    const e = urgent.events.find((x) => x.kind === 'AgentOverridden');
    expect(e).toMatchObject({ agentId: 'agent-1', changed: ['urgency'], by: 'test window', reason: 'get it done' });
    expect(urgent.events.filter((x) => x.kind === 'ActionRecorded').map((x) => x.kind === 'ActionRecorded' && [x.command, x.ok, x.detail])).toEqual([['OverrideAgent', true, 'agentId agent-1, urgency 3']]);
    // The other agents are untouched: the same fills as without the override up to where the markets part.
    expect(agentOf(urgent.kernel, 'agent-1').strategy).toBe('twap');
  });

  it('holdsAnAgentToItsParticipationCap', () => {
    const { kernel, events } = session();
    expect(override(kernel, { agentId: 'agent-1', urgency: 4, participationCap: 0.05 }).ok).toBe(true);
    kernel.elapse(300 * S);
    const share = kernel.riskSample().participation['agent-1']!;
    expect(share).toBeGreaterThan(0);
    // What was filled before the cap came stays counted; working orders may add a little once the market trades on.
    expect(share).toBeLessThanOrEqual(0.05 + 0.01);
    const reasons = events.filter((e) => e.kind === 'DecisionMade' && e.agentId === 'agent-1' && e.ts > 60 * S).map((e) => (e.kind === 'DecisionMade' ? e.reason : ''));
    expect(reasons.some((r) => r.includes('participation cap of 5%'))).toBe(true);
    expect(kernel.snapshot().risk.agents.find((a) => a.agentId === 'agent-1')?.participation).toBe(share);
    // A cap lifted (null) is recorded as such, with the original.
    expect(override(kernel, { agentId: 'agent-1', participationCap: null })).toMatchObject({ ok: true });
    expect(agentOf(kernel, 'agent-1').overrides.find((o) => o.field === 'participationCap')).toMatchObject({ value: null, original: null });
  });

  it('keepsASellerAboveANewLimitPrice', () => {
    const { kernel, events } = session();
    const bid = kernel.depth(1).bids[0]![0];
    expect(override(kernel, { agentId: 'agent-1', urgency: 4, limitPrice: bid + 2 }).ok).toBe(true);
    kernel.elapse(120 * S);
    const fills = events.filter((e) => e.kind === 'OrderFilled' && e.agentId === 'agent-1' && e.ts > 60 * S);
    expect(fills.length).toBeGreaterThan(0);
    for (const f of fills) expect(f.kind === 'OrderFilled' && f.price).toBeGreaterThanOrEqual(bid + 2);
    expect(agentOf(kernel, 'agent-1').overrides[1]).toMatchObject({ field: 'limitPrice', value: bid + 2, original: null });
  });

  it('finishesAtANewHorizon', () => {
    const { kernel } = session();
    expect(override(kernel, { agentId: 'agent-2', horizonLeftMinutes: 2 }).ok).toBe(true);
    expect(agentOf(kernel, 'agent-2').endNs).toBe(kernel.now() + 120 * S);
    kernel.elapse(119 * S);
    expect(agentOf(kernel, 'agent-2').state).toBe('running');
    kernel.elapse(2 * S);
    const a = agentOf(kernel, 'agent-2');
    expect(a.state).toBe('done');
    expect(a.lastReason).toMatch(/^horizon reached/);
    expect(a.scheduleElapsed).toBe(1);
  });

  it('pausesAtThePriceTheTraderSetAndUsesThePriceUp', () => {
    const { kernel, events } = session();
    const bid = kernel.depth(1).bids[0]![0];
    // A seller pauses when the mid falls to the price: one above the mid is reached at once.
    expect(override(kernel, { agentId: 'agent-1', pauseAtPrice: bid + 100 }).ok).toBe(true);
    kernel.elapse(1 * S);
    expect(agentOf(kernel, 'agent-1').state).toBe('paused');
    const e = events.find((x) => x.kind === 'AgentStateChanged' && x.agentId === 'agent-1' && x.state === 'paused');
    expect(e?.kind === 'AgentStateChanged' && e.reason).toMatch(/reached the pause price/);
    expect(kernel.riskSample().agents['agent-1']?.openOrders).toBe(0);
    expect(agentOf(kernel, 'agent-1').overrides[0]).toMatchObject({ field: 'pauseAtPrice', value: null, original: null, by: 'engine' });
    // Resumed, it does not pause again.
    expect(send(kernel, 'ResumeAgent', { agentId: 'agent-1', reason: 'go on' }).ok).toBe(true);
    kernel.elapse(5 * S);
    expect(agentOf(kernel, 'agent-1').state).toBe('running');
    // One below the mid is not reached in a calm second.
    expect(override(kernel, { agentId: 'agent-1', pauseAtPrice: bid - 200 }).ok).toBe(true);
    kernel.elapse(1 * S);
    expect(agentOf(kernel, 'agent-1').state).toBe('running');
  });

  it('refusesWhatCannotBeOverriddenAndChangesNothing', () => {
    const { kernel } = session();
    const before = JSON.stringify(kernel.snapshot().agents);
    expect(override(kernel, { agentId: 'agent-1' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('at least one parameter') } });
    expect(override(kernel, { agentId: 'agent-1', urgency: 5 })).toMatchObject({ ok: false, error: { message: expect.stringContaining('urgency is at most 4') } });
    expect(override(kernel, { agentId: 'agent-1', participationCap: 0.9 })).toMatchObject({ ok: false, error: { message: expect.stringContaining('at most 50%') } });
    expect(override(kernel, { agentId: 'agent-1', horizonLeftMinutes: 0 })).toMatchObject({ ok: false, error: { message: expect.stringContaining('at least 1 minute') } });
    expect(override(kernel, { agentId: 'agent-9', urgency: 2 })).toMatchObject({ ok: false, error: { message: expect.stringContaining('no agent "agent-9"') } });
    expect(override(kernel, { agentId: 'agent-1', urgency: 2, reason: ' ' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('a reason is required') } });
    expect(send(kernel, 'KillAgent', { agentId: 'agent-3', reason: 'stop' }).ok).toBe(true);
    expect(override(kernel, { agentId: 'agent-3', urgency: 2 })).toMatchObject({ ok: false, error: { message: 'agent agent-3 is killed; only a running or paused agent takes overrides' } });
    expect(JSON.stringify(kernel.snapshot().agents.filter((a) => a.id !== 'agent-3'))).toBe(JSON.stringify((JSON.parse(before) as Array<{ id: string }>).filter((a) => a.id !== 'agent-3')));
  });

  it('refusesAnAgentThatHasNotStarted', () => {
    const kernel = new SessionKernel({ ids: new SequentialIds(), strategies: baselineStrategies }, { sessionId: 's', seed: 3, speed: 5, market: simSessionMarket(loadScenario('calm'), 3), agents: DEFAULT_AGENTS, limits: DEFAULT_LIMITS });
    kernel.start();
    kernel.elapse(5 * S);
    expect(override(kernel, { agentId: 'agent-1', urgency: 2 })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/has not started yet \(it starts at \d\d:\d\d:\d\d/) } });
  });

  it('launchesAnAgentAtAnUrgencyAndUnderACap', () => {
    const { kernel } = session();
    const r = send(kernel, 'LaunchAgent', { strategy: 'twap', side: 'buy', quantity: 20_000, horizonMinutes: 10, intervalSeconds: 5, urgency: 4, participationCap: 0.03, reason: 'test' });
    expect(r).toMatchObject({ ok: true, value: { agentId: 'agent-4' } });
    kernel.elapse(120 * S);
    const a = agentOf(kernel, 'agent-4');
    expect(a.params).toMatchObject({ urgency: 4, participationCap: 0.03 });
    expect(a.overrides).toEqual([]);
    expect(a.filled).toBeGreaterThan(0);
    expect(kernel.riskSample().participation['agent-4']).toBeLessThanOrEqual(0.03 + 0.005);
  });
});
