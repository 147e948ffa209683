import { describe, expect, it } from 'vitest';
import { SequentialIds } from '../core/ids';
import { NS_PER_SECOND } from '../core/clock';
import type { EngineEvent } from '../contract/events';
import { validateCommand } from '../contract/validate';
import { DEFAULT_SESSION, createSession, type SessionKernel } from './session-kernel';

function run(seed: number, slices: number[]): EngineEvent[] {
  const kernel = createSession({ ...DEFAULT_SESSION, seed }, new SequentialIds());
  const events: EngineEvent[] = [];
  kernel.subscribe((e) => events.push(e));
  kernel.start();
  for (const ns of slices) kernel.elapse(ns);
  return events;
}

function command(kernel: SessionKernel, name: string, payload: unknown) {
  const v = validateCommand(name, payload);
  if (!v.ok) throw new Error(v.error.message);
  return kernel.execute(v.command);
}

describe('session kernel', () => {
  it('publishesTheSameEventStreamForTheSameSeedHoweverTimeIsSliced', () => {
    const minute = 60 * NS_PER_SECOND;
    const whole = run(7, [minute]);
    const sliced = run(7, Array.from({ length: 600 }, () => minute / 600));
    const ragged = run(7, [1, 333_333_333, minute - 333_333_334]);
    expect(whole.length).toBeGreaterThan(100);
    expect(sliced).toEqual(whole);
    expect(ragged).toEqual(whole);
  });

  it('publishesADifferentStreamForAnotherSeed', () => {
    const a = run(1, [30 * NS_PER_SECOND]);
    const b = run(2, [30 * NS_PER_SECOND]);
    expect(a).not.toEqual(b);
  });

  it('numbersEventsConsecutivelyAndNeverMovesTimeBack', () => {
    const events = run(3, [120 * NS_PER_SECOND]);
    events.forEach((e, i) => expect(e.seq).toBe(i + 1));
    for (let i = 1; i < events.length; i++) expect(events[i]!.ts).toBeGreaterThanOrEqual(events[i - 1]!.ts);
  });

  it('keepsTheQuoteUncrossedAndTradesAtOrThroughTheTouch', () => {
    let bid = 0;
    let ask = Infinity;
    for (const e of run(11, [600 * NS_PER_SECOND])) {
      if (e.kind === 'QuoteChanged') {
        expect(e.bid).toBeLessThan(e.ask);
        expect(e.bidSize).toBeGreaterThanOrEqual(0);
        bid = e.bid;
        ask = e.ask;
      }
      // A sell sweeps down from the bid, a buy up from the ask.
      if (e.kind === 'TradePrinted') expect(e.aggressor === 'sell' ? e.price <= bid : e.price >= ask).toBe(true);
    }
  });

  it('haltsEveryAgentOnKillAllAndDeniesNothingAfterBecauseNoAgentDecides', () => {
    const kernel = createSession(DEFAULT_SESSION, new SequentialIds());
    const events: EngineEvent[] = [];
    kernel.subscribe((e) => events.push(e));
    kernel.start();
    kernel.elapse(60 * NS_PER_SECOND);
    const result = command(kernel, 'KillAll', { reason: 'test' });
    expect(result).toEqual({ ok: true, value: { state: 'halted', agentsHalted: DEFAULT_SESSION.agents.length, ordersCancelled: 0 } });
    const engaged = events.filter((e) => e.kind === 'KillSwitchEngaged');
    expect(engaged).toHaveLength(1);
    const after = events.length;
    kernel.elapse(600 * NS_PER_SECOND);
    const later = events.slice(after);
    expect(later.some((e) => e.kind === 'TradePrinted')).toBe(true);
    expect(later.filter((e) => e.kind === 'DecisionMade' || e.kind === 'OrderAccepted' || e.kind === 'OrderFilled')).toEqual([]);
    expect(kernel.snapshot().agents.every((a) => a.state === 'killed')).toBe(true);
    expect(kernel.state).toBe('halted');
  });

  it('refusesToResumeAnAgentWhileTheKillSwitchIsEngaged', () => {
    const kernel = createSession(DEFAULT_SESSION, new SequentialIds());
    kernel.start();
    const id = kernel.snapshot().agents[0]!.id;
    command(kernel, 'PauseAgent', { agentId: id, reason: 'look closer' });
    command(kernel, 'KillAll', { reason: 'test' });
    const r = command(kernel, 'ResumeAgent', { agentId: id, reason: 'go' });
    expect(r.ok ? 'ok' : r.error.code).toBe('REJECTED');
  });

  it('rejectsACommandForAnUnknownAgentAndChangesNothing', () => {
    const kernel = createSession(DEFAULT_SESSION, new SequentialIds());
    kernel.start();
    const before = kernel.snapshot();
    const r = command(kernel, 'KillAgent', { agentId: 'agent-99', reason: 'x' });
    expect(r.ok).toBe(false);
    expect(kernel.snapshot()).toEqual(before);
  });

  it('stopsAPausedAgentDecidingAndLetsItResume', () => {
    const kernel = createSession(DEFAULT_SESSION, new SequentialIds());
    const events: EngineEvent[] = [];
    kernel.subscribe((e) => events.push(e));
    kernel.start();
    const id = kernel.snapshot().agents[0]!.id;
    command(kernel, 'PauseAgent', { agentId: id, reason: 'check' });
    const mark = events.length;
    kernel.elapse(120 * NS_PER_SECOND);
    expect(events.slice(mark).some((e) => e.kind === 'DecisionMade' && e.agentId === id)).toBe(false);
    command(kernel, 'ResumeAgent', { agentId: id, reason: 'fine' });
    kernel.elapse(120 * NS_PER_SECOND);
    expect(events.slice(mark).some((e) => e.kind === 'DecisionMade' && e.agentId === id)).toBe(true);
  });

  it('tracksAgentsAgainstTheirSchedule', () => {
    const kernel = createSession(DEFAULT_SESSION, new SequentialIds());
    kernel.start();
    kernel.elapse(900 * NS_PER_SECOND);
    const seller = kernel.snapshot().agents[0]!;
    expect(seller.scheduleElapsed).toBeCloseTo(0.25, 2);
    expect(seller.filled / seller.quantity).toBeGreaterThan(0.2);
    expect(seller.filled / seller.quantity).toBeLessThanOrEqual(0.26);
    expect(seller.shortfallBps).not.toBeNull();
  });

  it('reportsStateInTheSnapshotConsistentWithLastSeq', () => {
    const kernel = createSession(DEFAULT_SESSION, new SequentialIds());
    const events: EngineEvent[] = [];
    kernel.subscribe((e) => events.push(e));
    kernel.start();
    kernel.elapse(30 * NS_PER_SECOND);
    command(kernel, 'PauseSession', { reason: 'lunch' });
    const snap = kernel.snapshot();
    expect(snap.lastSeq).toBe(events.length);
    expect(snap.session.state).toBe('paused');
    expect(events.at(-1)).toMatchObject({ kind: 'SessionPaused', reason: 'lunch' });
  });
});
