import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { NS_PER_SECOND } from '../../core/clock';
import { SequentialIds } from '../../core/ids';
import type { EngineEvent } from '../../contract/events';
import { validateCommand } from '../../contract/validate';
import { DecisionDeadlineMissed } from '../../execution/deadline';
import type { MarketView } from '../../execution/types';
import { simSessionMarket } from '../../kernel/market';
import { DEFAULT_AGENTS, DEFAULT_LIMITS, isSessionCommand, SessionKernel, type AgentSpec, type CockpitStrategy, type StrategyFactory } from '../../kernel/session-kernel';
import { DEFAULT_POLICY_DIR, loadPolicySync } from '../models/policy-files';
import { loadScenario } from '../files/sim-scenarios';
import { liveStrategyModule, misbehavingStrategyModule, sandboxedStrategies, type Sandboxes } from './agent-sandbox';
import { liveStrategies } from './live-strategies';
import { misbehavingStrategies, THROWN_MESSAGE } from './misbehaving-strategies';

const S = NS_PER_SECOND;
const POLICY_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..', DEFAULT_POLICY_DIR);
/** Generous, so a working agent never misses it on a loaded machine; a hung one misses it whatever it is. */
const DEADLINE_MS = 1_000;
const calm = loadScenario('calm');

const opened: Sandboxes[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

/** Sandboxes with every agent's worker booted before the session starts. */
async function sandboxes(spec: Parameters<typeof sandboxedStrategies>[0], warm: number): Promise<Sandboxes> {
  const s = sandboxedStrategies(spec, { deadlineMs: DEADLINE_MS, warm });
  opened.push(s);
  await s.ready();
  return s;
}

function session(agents: readonly AgentSpec[], strategies: StrategyFactory, seed = 7) {
  const market = simSessionMarket(calm, seed);
  const kernel = new SessionKernel({ ids: new SequentialIds(), strategies }, { sessionId: 's', seed, market, speed: 5, agents, limits: DEFAULT_LIMITS });
  const events: EngineEvent[] = [];
  kernel.subscribe((e) => events.push(e));
  kernel.start();
  return { kernel, events, venue: market.venue };
}

function killAll(kernel: SessionKernel, reason: string) {
  const v = validateCommand('KillAll', { reason });
  if (!v.ok || !isSessionCommand(v.command)) throw new Error('KillAll did not validate');
  return kernel.execute(v.command);
}

/** The host's way of moving time: many small slices. */
function elapseInFrames(kernel: SessionKernel, ns: number, frame = S): void {
  for (let t = 0; t < ns; t += frame) kernel.elapse(Math.min(frame, ns - t));
}

const agent = (name: string, strategy: string, side: 'buy' | 'sell', startAfterSeconds: number, intervalSeconds = 5): AgentSpec => ({
  name,
  strategy,
  side,
  quantity: 3_000,
  horizonSeconds: 900,
  intervalSeconds,
  startAfterSeconds,
});

const WORKING: readonly AgentSpec[] = [agent('twap', 'twap', 'sell', 5), agent('vwap', 'vwap', 'buy', 8, 7), agent('pov', 'pov', 'sell', 11, 4)];

describe('agent sandbox', () => {
  it('decidesAsTheStrategiesDoInTheEngineThread', async () => {
    const { manifest } = loadPolicySync(POLICY_DIR);
    const learned: AgentSpec = { name: 'rl', strategy: 'rl', side: manifest.env.side, quantity: manifest.env.quantity, horizonSeconds: manifest.env.horizonSeconds, intervalSeconds: manifest.env.horizonSeconds / manifest.env.steps, startAfterSeconds: 20 };
    const agents = [learned, ...DEFAULT_AGENTS];
    const inThread = session(agents, liveStrategies({ policyDir: POLICY_DIR }));
    const sandboxed = session(agents, (await sandboxes(liveStrategyModule(POLICY_DIR), agents.length)).factory);
    for (const run of [inThread, sandboxed]) elapseInFrames(run.kernel, 240 * S);
    const decisions = (events: EngineEvent[]) => events.filter((e) => e.kind === 'DecisionMade');
    expect(decisions(inThread.events).length).toBeGreaterThan(15);
    // The learned agent explains its decisions; the explanation crosses back from its worker.
    expect(decisions(inThread.events).some((e) => e.explanation !== null)).toBe(true);
    expect(decisions(sandboxed.events)).toEqual(decisions(inThread.events));
    expect(sandboxed.events).toEqual(inThread.events);
    expect(sandboxed.kernel.snapshot().agents.map((a) => a.strategy)).toEqual(inThread.kernel.snapshot().agents.map((a) => a.strategy));
  });

  it('showsTheStrategyInItsWorkerEveryFillOfItsParentOrder', async () => {
    // Fills cross to the worker a few at a time; the strategy must still see all of them, in order.
    const agents = [agent('tally buy', 'tally', 'buy', 5, 3), agent('tally sell', 'tally', 'sell', 6, 2)];
    const inThread = session(agents, misbehavingStrategies());
    const sandboxed = session(agents, (await sandboxes(misbehavingStrategyModule(), agents.length)).factory);
    for (const run of [inThread, sandboxed]) elapseInFrames(run.kernel, 300 * S);
    const tallies = (events: EngineEvent[]) => events.flatMap((e) => (e.kind === 'DecisionMade' ? [e.inputs] : []));
    expect(Math.max(...tallies(inThread.events).map((t) => t.fills ?? 0))).toBeGreaterThan(20);
    expect(tallies(sandboxed.events)).toEqual(tallies(inThread.events));
  });

  it('haltsAHungAgentAtItsDeadlineAndStillKillsEverythingAfterwards', async () => {
    const hung = agent('hung', 'hang', 'buy', 14, 5);
    const agents = [...WORKING, hung];
    // The hung agent rests orders at its first two decisions and never returns from its third.
    const { factory } = await sandboxes(misbehavingStrategyModule({ hangAfter: 2 }), agents.length);
    const { kernel, events, venue } = session(agents, factory);
    elapseInFrames(kernel, 90 * S);

    const ids = kernel.snapshot().agents.map((a) => a.id);
    const hungId = ids[3] as string;
    const stopped = events.filter((e) => e.kind === 'AgentStateChanged' && e.agentId === hungId);
    expect(stopped).toEqual([expect.objectContaining({ state: 'killed', reason: `strategy failed: hung missed its ${DEADLINE_MS} ms decision deadline; its worker was stopped and it is halted` })]);
    const stoppedAt = events.indexOf(stopped[0] as EngineEvent);
    expect(events.filter((e) => e.kind === 'DecisionMade' && e.agentId === hungId)).toHaveLength(2);
    expect(events.some((e) => e.kind === 'OrderAccepted' && e.agentId === hungId && e.resting > 0)).toBe(true);
    // Its orders went with it, and the others decided on.
    expect(kernel.snapshot().agents[3]).toMatchObject({ state: 'killed', working: 0 });
    for (const id of ids.slice(0, 3)) expect(events.slice(stoppedAt).some((e) => e.kind === 'DecisionMade' && e.agentId === id)).toBe(true);

    for (let i = 0; i < 60 && venue.openOrders().length === 0; i++) kernel.elapse(S);
    const working = venue.openOrders().length;
    expect(working).toBeGreaterThan(0);
    const running = kernel.snapshot().agents.filter((a) => a.state === 'running' || a.state === 'paused').length;
    expect(running).toBe(3);
    expect(killAll(kernel, 'trader pressed kill')).toMatchObject({ ok: true, value: { state: 'halted', agentsHalted: running, ordersCancelled: working } });
    expect(events.filter((e) => e.kind === 'KillSwitchEngaged')).toEqual([expect.objectContaining({ agentsHalted: running, ordersCancelled: working, state: 'halted' })]);
    expect(venue.openOrders()).toEqual([]);
    expect(kernel.snapshot().agents.every((a) => a.state === 'killed' && a.working === 0)).toBe(true);
    const mark = events.length;
    elapseInFrames(kernel, 60 * S);
    expect(events.slice(mark).filter((e) => e.kind === 'DecisionMade' || e.kind === 'OrderAccepted' || e.kind === 'OrderFilled')).toEqual([]);
  });

  it('stopsAnAgentWhoseStrategyThrowsInItsWorkerWithItsMessage', async () => {
    const agents = [...WORKING, agent('thrower', 'throw', 'sell', 14)];
    const { factory } = await sandboxes(misbehavingStrategyModule(), agents.length);
    const { kernel, events } = session(agents, factory);
    elapseInFrames(kernel, 60 * S);
    const throwerId = kernel.snapshot().agents[3]!.id;
    expect(events.filter((e) => e.kind === 'AgentStateChanged' && e.agentId === throwerId)).toEqual([expect.objectContaining({ state: 'killed', reason: `strategy failed: ${THROWN_MESSAGE}` })]);
    expect(kernel.snapshot().agents.slice(0, 3).every((a) => a.state === 'running')).toBe(true);
  });

  it('keepsThrowingTheMissedDeadlineAfterItsWorkerIsStopped', async () => {
    const { factory } = await sandboxes(misbehavingStrategyModule(), 1);
    const built: CockpitStrategy[] = [];
    const { kernel, events } = session([agent('hung', 'hang', 'buy', 1)], (spec, context) => {
      built.push(factory(spec, context));
      return built.at(-1) as CockpitStrategy;
    });
    kernel.elapse(5 * S);
    expect(events.find((e) => e.kind === 'AgentStateChanged')).toMatchObject({ state: 'killed', reason: `strategy failed: hung missed its ${DEADLINE_MS} ms decision deadline; its worker was stopped and it is halted` });
    const strategy = built[0] as CockpitStrategy;
    expect(strategy.name).toBe('hang');
    // The agent is dead: asking again fails at once with the same verdict, without a worker to ask.
    let again: unknown = null;
    try {
      strategy.decide({} as MarketView);
    } catch (err) {
      again = err;
    }
    expect(again).toBeInstanceOf(DecisionDeadlineMissed);
    expect(again).toMatchObject({ agent: 'hung', deadlineMs: DEADLINE_MS, stage: 'decision', when: 'earlier', message: `hung is halted: it missed its ${DEADLINE_MS} ms decision deadline earlier and its worker was stopped` });
  });

  it('haltsAnAgentWhoseStrategyHangsWhileItIsBuilt', async () => {
    const agents = [agent('twap', 'twap', 'sell', 2), agent('stuck', 'hang-building', 'buy', 4)];
    const { factory } = await sandboxes(misbehavingStrategyModule(), agents.length);
    const { kernel, events } = session(agents, factory);
    elapseInFrames(kernel, 30 * S);
    const [twap, stuck] = kernel.snapshot().agents;
    expect(events.filter((e) => e.kind === 'AgentStateChanged')).toEqual([expect.objectContaining({ agentId: stuck!.id, state: 'killed', reason: `strategy failed: stuck missed its ${DEADLINE_MS} ms deadline to build its strategy; its worker was stopped and it is halted` })]);
    expect(twap!.state).toBe('running');
  });

  it('reportsAModuleItCannotLoad', async () => {
    const s = sandboxedStrategies({ ...misbehavingStrategyModule(), exportName: 'noSuchExport' }, { deadlineMs: DEADLINE_MS });
    opened.push(s);
    await expect(s.ready()).rejects.toThrow(/exports no function "noSuchExport"/);
    const { kernel, events } = session([agent('twap', 'twap', 'buy', 1)], s.factory);
    kernel.elapse(5 * S);
    expect(events.find((e) => e.kind === 'AgentStateChanged')).toMatchObject({ state: 'killed', reason: expect.stringMatching(/^strategy failed: twap could not load its strategies: .*exports no function "noSuchExport"/) });
  });
});
