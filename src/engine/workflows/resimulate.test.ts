import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NS_PER_SECOND as S } from '../core/clock';
import { SequentialIds } from '../core/ids';
import type { EngineEvent } from '../contract/events';
import { validateCommand } from '../contract/validate';
import { simSessionMarket } from '../kernel/market';
import { DEFAULT_AGENTS, DEFAULT_LIMITS, isSessionCommand, SessionKernel } from '../kernel/session-kernel';
import { baselineStrategies } from '../kernel/strategies';
import { loadScenario, scenarioFile } from '../node/files/sim-scenarios';
import { hashedFile } from '../node/journal/hashes';
import { Journal } from '../node/journal/journal';
import { resimulate } from './resimulate';
import { DecisionDeadlineMissed } from '../execution/deadline';
import type { StrategyFactory } from '../kernel/session-kernel';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const calm = loadScenario('calm');
const SEED = 4;
const config = () => ({ sessionId: 'rec', seed: SEED, market: simSessionMarket(calm, SEED), speed: 5, agents: DEFAULT_AGENTS, limits: DEFAULT_LIMITS });

/** A trader's actions, each sent once the session's clock has passed `atS` seconds after the start. */
const ACTIONS: ReadonlyArray<{ atS: number; name: string; payload: (agents: string[]) => unknown }> = [
  { atS: 40, name: 'SetAgentLimits', payload: ([twap]) => ({ agentId: twap, limits: { ...DEFAULT_LIMITS.perAgent, maxOrderLots: 120 }, reason: 'override: smaller clips' }) },
  { atS: 55, name: 'GetSnapshot', payload: () => ({}) },
  { atS: 70, name: 'PauseAgent', payload: ([, vwap]) => ({ agentId: vwap, reason: 'look at it' }) },
  { atS: 95, name: 'ResumeAgent', payload: ([, vwap]) => ({ agentId: vwap, reason: 'fine' }) },
  { atS: 100, name: 'PlaceOrder', payload: () => ({ side: 'buy', quantity: 30, type: 'market', tif: 'ioc', postOnly: false, reason: 'the trader buys' }) },
  { atS: 105, name: 'PlaceOrder', payload: () => ({ side: 'sell', quantity: 40, type: 'limit', price: 1_000_000, tif: 'day', postOnly: false, reason: 'far away' }) },
  { atS: 108, name: 'CancelOrder', payload: () => ({ orderId: 'trader/1', reason: 'not that one' }) },
  { atS: 110, name: 'SetTradingState', payload: () => ({ agentId: null, state: 'REDUCING', reason: 'news' }) },
  { atS: 130, name: 'SetTradingState', payload: () => ({ agentId: null, state: 'ACTIVE', reason: 'news passed' }) },
  { atS: 150, name: 'KillAll', payload: () => ({ reason: 'end of test' }) },
];

/**
 * Records a session as the engine loop does: frames of uneven simulated length, one journal batch
 * each, and each action carried out between frames with its place recorded.
 */
function record(path: string): Journal {
  const c = config();
  const kernel = new SessionKernel({ ids: new SequentialIds(), strategies: baselineStrategies }, c);
  const journal = Journal.create(path, {
    sessionId: 'rec', seed: SEED, createdAt: '2026-12-07T00:00:00.000Z', appVersion: 'test',
    market: { kind: 'sim', scenario: 'calm', file: hashedFile(scenarioFile('calm')) },
    startNs: c.market.venue.now(), speed: 5, policy: { dir: '', sha256: '' }, agents: DEFAULT_AGENTS, limits: DEFAULT_LIMITS, dynamicRisk: null,
  });
  let pending: EngineEvent[] = [];
  kernel.subscribe((e) => pending.push(e));
  kernel.start();
  const start = kernel.now();
  const agents = kernel.snapshot().agents.map((a) => a.id);
  let next = 0;
  let frame = 0;
  while (kernel.now() < start + 170 * S) {
    // Frames of 37 ms to 211 ms of simulated time, as a loaded host's would be.
    kernel.elapse(((frame++ * 7_919) % 175 + 37) * 1e6 * 5);
    journal.append(pending);
    pending = [];
    const action = ACTIONS[next];
    if (action !== undefined && kernel.now() >= start + action.atS * S) {
      next += 1;
      const payload = action.payload(agents);
      const v = validateCommand(action.name, payload);
      if (!v.ok || !isSessionCommand(v.command)) throw new Error(`bad test command ${action.name}`);
      const place = { by: 'browser window 127.0.0.1', afterSeq: kernel.lastSeq, simTs: kernel.now() };
      const wallTime = new Date().toISOString();
      const r = kernel.execute(v.command, place.by, wallTime);
      journal.recordCommand(wallTime, action.name, payload, r.ok, r.ok ? null : r.error.code, place);
    }
  }
  journal.append(pending);
  // One the edge refused, as the host records it: it never reached the session.
  journal.recordCommand(new Date().toISOString(), 'Nonsense', null, false, 'UNKNOWN_COMMAND');
  expect(next).toBe(ACTIONS.length);
  return journal;
}

describe('re-simulating a recorded session', () => {
  it('reproducesTheIdenticalStreamWithOverridesAPauseAndAKill', () => {
    const dir = mkdtempSync(join(tmpdir(), 'resim-'));
    dirs.push(dir);
    record(join(dir, 'rec.sqlite')).close();
    const journal = Journal.open(join(dir, 'rec.sqlite'));
    const events = journal.events();
    expect(events.some((e) => e.kind === 'KillSwitchEngaged')).toBe(true);
    expect(events.some((e) => e.kind === 'RiskLimitsChanged')).toBe(true);
    const result = resimulate(config(), baselineStrategies, journal.commands(), events);
    journal.close();
    expect(result).toMatchObject({ identical: true, firstDivergenceSeq: null, events: events.length, replayedEvents: events.length, commandsApplied: ACTIONS.length });
    expect(result.replayedHash).toBe(result.recordedHash);
  });

  it('feedsBackARecordedDeadlineMissAsTheLiveSandboxHaltedIt', () => {
    // Live, the VWAP agent's sandbox missed its deadline at its third decision; the replay's strategies never would.
    const sandboxed: StrategyFactory = (spec, context) => {
      const inner = baselineStrategies(spec, context);
      if (spec.strategy !== 'vwap') return inner;
      let decisions = 0;
      return { name: inner.name, decide: (view) => (++decisions === 3 ? (() => { throw new DecisionDeadlineMissed(spec.name, 20, 'decision'); })() : inner.decide(view)) };
    };
    const kernel = new SessionKernel({ ids: new SequentialIds(), strategies: sandboxed }, config());
    const events: EngineEvent[] = [];
    kernel.subscribe((e) => events.push(e));
    kernel.start();
    kernel.elapse(150 * S);
    expect(events.some((e) => e.kind === 'AgentStateChanged' && e.state === 'killed' && e.reason.includes('missed its 20 ms decision deadline'))).toBe(true);
    expect(resimulate(config(), baselineStrategies, [], events)).toMatchObject({ identical: true, events: events.length });
  });

  it('findsTheFirstEventThatDiffers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'resim-'));
    dirs.push(dir);
    const journal = record(join(dir, 'rec.sqlite'));
    const events = journal.events();
    const commands = journal.commands();
    journal.close();
    // Another seed's market parts from the record at once; a record altered at one event parts there.
    expect(resimulate({ ...config(), seed: SEED + 1, market: simSessionMarket(calm, SEED + 1) }, baselineStrategies, commands, events).identical).toBe(false);
    const target = events.findIndex((e, i) => i >= events.length / 2 && e.kind === 'TradePrinted');
    const tampered = events.map((e, i) => (i === target && e.kind === 'TradePrinted' ? { ...e, size: e.size + 1 } : e));
    const r = resimulate(config(), baselineStrategies, commands, tampered);
    expect(r).toMatchObject({ identical: false, firstDivergenceSeq: target + 1 });
    // Without the commands the stream parts where the first one took effect.
    const withoutCommands = resimulate(config(), baselineStrategies, [], events);
    expect(withoutCommands.firstDivergenceSeq).toBe((commands[0]?.afterSeq ?? 0) + 1);
  });
});
