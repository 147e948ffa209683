import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NS_PER_SECOND as S } from '../core/clock';
import { SequentialIds } from '../core/ids';
import type { EngineEvent } from '../contract/events';
import { validateCommand } from '../contract/validate';
import { simSessionMarket } from '../kernel/market';
import { DEFAULT_AGENTS, DEFAULT_LIMITS, isSessionCommand, SessionKernel, type AgentSpec, type StrategyFactory } from '../kernel/session-kernel';
import { baselineStrategies } from '../kernel/strategies';
import { DecisionDeadlineMissed } from '../execution/deadline';
import { loadScenario, scenarioFile } from '../node/files/sim-scenarios';
import { hashedFile, sha256Dir } from '../node/journal/hashes';
import { Journal, type JournalMeta } from '../node/journal/journal';
import { recordedSessionConfig } from '../node/journal/recorded-session';
import { journalPath, listSessions, sessionsDir } from '../node/journal/sessions';
import { DEFAULT_POLICY_DIR, readJson, writeFileAtomic, writeJson, type PolicyManifest } from '../node/models/policy-files';
import { liveStrategies } from '../node/workers/live-strategies';
import { branchJournal, branchSession, runBranch, WHAT_IF, type ParentSession } from './branch';
import { resimulate } from './resimulate';
import { WorkflowCancelled } from './workflow';

const SHIPPED = resolve(__dirname, '../../..', DEFAULT_POLICY_DIR);
const SEED = 6;
const calm = loadScenario('calm');
/** The shipped policy's order, started 10 s in, beside the default TWAP. */
const agents: AgentSpec[] = [{ name: 'learned sell 2k', strategy: 'rl', side: 'sell', quantity: 2_000, horizonSeconds: 600, intervalSeconds: 30, startAfterSeconds: 10 }, DEFAULT_AGENTS[0]!];

let dataDir: string;
let models: string;
let parentPath: string;
let parent: ParentSession;

/**
 * Records a session of the learned agent and the TWAP as the engine loop does (frames of uneven
 * simulated length, one journal batch each), with an override of the TWAP's limits, a pause and a
 * resume of it, and a kill of the learned agent late on.
 */
function record(path: string): void {
  const market = simSessionMarket(calm, SEED);
  const meta: JournalMeta = {
    sessionId: 'rec', seed: SEED, createdAt: '2026-12-07T00:00:00.000Z', appVersion: 'test',
    market: { kind: 'sim', scenario: 'calm', file: hashedFile(scenarioFile('calm')) },
    startNs: market.venue.now(), speed: 5, policy: { dir: SHIPPED, sha256: sha256Dir(SHIPPED) }, agents, limits: DEFAULT_LIMITS, dynamicRisk: null,
  };
  const kernel = new SessionKernel({ ids: new SequentialIds(), strategies: liveStrategies({ policyDir: SHIPPED }) }, { sessionId: 'rec', seed: SEED, market, speed: 5, agents, limits: DEFAULT_LIMITS });
  const journal = Journal.create(path, meta);
  let pending: EngineEvent[] = [];
  kernel.subscribe((e) => pending.push(e));
  kernel.start();
  const start = kernel.now();
  const actions: Array<{ atS: number; name: string; payload: unknown }> = [
    { atS: 30, name: 'SetAgentLimits', payload: { agentId: 'agent-2', limits: { ...DEFAULT_LIMITS.perAgent, maxOrderLots: 120 }, reason: 'smaller clips' } },
    { atS: 75, name: 'PauseAgent', payload: { agentId: 'agent-2', reason: 'look' } },
    { atS: 90, name: 'ResumeAgent', payload: { agentId: 'agent-2', reason: 'fine' } },
    { atS: 135, name: 'KillAgent', payload: { agentId: 'agent-1', reason: 'enough' } },
  ];
  let next = 0;
  for (let frame = 0; kernel.now() < start + 150 * S; frame++) {
    kernel.elapse((((frame * 7_919) % 175) + 37) * 1e6 * 5);
    journal.append(pending);
    pending = [];
    const action = actions[next];
    if (action !== undefined && kernel.now() >= start + action.atS * S) {
      next += 1;
      const v = validateCommand(action.name, action.payload);
      if (!v.ok || !isSessionCommand(v.command)) throw new Error(`bad test command ${action.name}`);
      const place = { by: 'electron window', afterSeq: kernel.lastSeq, simTs: kernel.now() };
      const wallTime = new Date().toISOString();
      const r = kernel.execute(v.command, place.by, wallTime);
      journal.recordCommand(wallTime, action.name, action.payload, r.ok, r.ok ? null : r.error.code, place);
    }
  }
  journal.append(pending);
  journal.close();
}

/** Copies the shipped policy into `dir` with its last layer negated: every decision's best action becomes its worst. */
function invertedPolicy(dir: string): string {
  cpSync(SHIPPED, dir, { recursive: true });
  const model = readJson<{ weightsManifest: Array<{ paths: string[]; weights: Array<{ shape: number[] }> }> }>(dir, 'model.json');
  const group = model.weightsManifest[0]!;
  const sizes = group.weights.map((w) => w.shape.reduce((a, b) => a * b, 1));
  const file = join(dir, group.paths[0]!);
  const bytes = readFileSync(file);
  const weights = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const lastLayer = sizes.at(-1)! + sizes.at(-2)!;
  for (let i = weights.length - lastLayer; i < weights.length; i++) weights[i] = -weights[i]!;
  writeFileAtomic(file, new Uint8Array(weights.buffer));
  return dir;
}

/** The journal files in the data folder's sessions folder (what a refusal must leave as it was). */
const files = (): string[] => readdirSync(sessionsDir(dataDir)).sort();
const readBack = (path: string) => {
  const j = Journal.open(path);
  try {
    return { meta: j.meta()!, events: j.events(), commands: j.commands(), end: j.end().end };
  } finally {
    j.close();
  }
};
/** The parent's last event at or before `seconds` after its start. */
const seqAfter = (seconds: number): number => parent.events.filter((e) => e.ts <= parent.meta.startNs + seconds * S).at(-1)!.seq;
const decisionsOf = (events: readonly EngineEvent[], agentId: string) => events.filter((e): e is Extract<EngineEvent, { kind: 'DecisionMade' }> => e.kind === 'DecisionMade' && e.agentId === agentId);
const options = { appVersion: 'test' };

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'branch-'));
  models = mkdtempSync(join(tmpdir(), 'branch-models-'));
  parentPath = journalPath(dataDir, 'rec');
  record(parentPath);
  const r = readBack(parentPath);
  parent = { meta: r.meta, events: r.events, commands: r.commands };
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(models, { recursive: true, force: true });
});

describe('a what-if branch of a recorded session', () => {
  it('sharesTheParentsEventsUpToTheBranchPointAndPartsAfterWithOtherLimits', async () => {
    const atSeq = seqAfter(60);
    const r = await runBranch(dataDir, 'rec', { ...options, atSeq, limits: { perAgent: { maxOrderLots: 40 } } });
    const branch = readBack(r.path);
    expect(branch.end).toBe('clean');
    expect(branch.events.slice(0, atSeq)).toEqual(parent.events.slice(0, atSeq));
    expect(r.comparison.firstDivergenceSeq).not.toBeNull();
    expect(r.comparison.firstDivergenceSeq!).toBeGreaterThan(atSeq);
    // The change went through the kernel's SetRiskLimits, journaled as a command by "what-if" right after the shared events.
    const whatIf = branch.commands.filter((c) => c.by === WHAT_IF);
    expect(whatIf).toHaveLength(1);
    expect(whatIf[0]).toMatchObject({ name: 'SetRiskLimits', ok: true, afterSeq: r.comparison.firstDivergenceSeq! - 1 });
    const changed = branch.events[r.comparison.firstDivergenceSeq! - 1];
    expect(changed).toMatchObject({ kind: 'RiskLimitsChanged', by: WHAT_IF, agentId: null, limits: { perAgent: { maxOrderLots: 40 } } });
    // The trader's recorded actions after the point still happen (the pause, the resume and the kill after 60 s).
    expect(branch.commands.filter((c) => c.by === 'electron window').map((c) => c.name)).toEqual(parent.commands.map((c) => c.name));
    expect(branch.events.at(-1)!.ts).toBe(parent.events.at(-1)!.ts);
    expect(branch.meta).toMatchObject({ sessionId: r.sessionId, parent: { sessionId: 'rec', atSeq, atTs: parent.events[atSeq - 1]!.ts, rootSessionId: 'rec', change: { policy: null, limits: { perAgent: { maxOrderLots: 40 } } } } });
    expect(branch.meta.policySwitches).toBeUndefined();
    // The learned agent's orders the old limit let through are now sized to 40 lots at most; the TWAP keeps the limits of its own (120 lots).
    const accepted = (events: readonly EngineEvent[], agentId: string) => events.slice(atSeq).filter((e): e is Extract<EngineEvent, { kind: 'OrderAccepted' }> => e.kind === 'OrderAccepted' && e.agentId === agentId);
    expect(accepted(branch.events, 'agent-1').length).toBeGreaterThan(0);
    expect(accepted(branch.events, 'agent-1').every((e) => e.size <= 40)).toBe(true);
    expect(accepted(parent.events, 'agent-1').some((e) => e.size > 40)).toBe(true);
    expect(accepted(branch.events, 'agent-2').some((e) => e.size > 40)).toBe(true);
    // It is a session of its own: listed with its parent, and re-simulated identically from its own journal.
    expect(listSessions(dataDir).find((s) => s.ok && s.meta?.sessionId === r.sessionId)).toMatchObject({ ok: true, end: 'clean', events: branch.events.length });
    const rebuilt = await recordedSessionConfig(branch.meta);
    expect(resimulate(rebuilt.config, rebuilt.strategies, branch.commands, branch.events)).toMatchObject({ identical: true, events: branch.events.length });
    expect(files().filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('switchesTheLearnedAgentToAnotherPolicyFromItsFirstDecisionAfterThePoint', async () => {
    const other = invertedPolicy(join(models, 'inverted'));
    const atSeq = seqAfter(55);
    const atTs = parent.events[atSeq - 1]!.ts;
    const r = await branchJournal(parentPath, { ...options, atSeq, modelDir: other });
    const branch = readBack(r.path);
    expect(branch.events.slice(0, atSeq)).toEqual(parent.events.slice(0, atSeq));
    expect(r.change).toEqual({ policy: { dir: other, sha256: sha256Dir(other) }, limits: null });
    expect(branch.meta.policySwitches).toEqual([{ afterTs: atTs, dir: other, sha256: sha256Dir(other) }]);
    // The learned agent (agent-1) decides as before up to the point and otherwise after it; the TWAP's first decision after it is unchanged.
    const before = (events: readonly EngineEvent[]) => decisionsOf(events, 'agent-1').filter((d) => d.ts <= atTs);
    const afterPoint = (events: readonly EngineEvent[]) => decisionsOf(events, 'agent-1').filter((d) => d.ts > atTs);
    expect(before(branch.events)).toEqual(before(parent.events));
    expect(afterPoint(parent.events).length).toBeGreaterThan(0);
    expect(afterPoint(branch.events).map((d) => d.explanation?.chosen)).not.toEqual(afterPoint(parent.events).map((d) => d.explanation?.chosen));
    expect(r.comparison.firstDivergenceSeq).toBe(branch.events.findIndex((e, i) => JSON.stringify(e) !== JSON.stringify(parent.events[i])) + 1);
    expect(r.comparison.firstDivergenceSeq!).toBeGreaterThan(atSeq);
    const rebuilt = await recordedSessionConfig(branch.meta);
    expect(resimulate(rebuilt.config, rebuilt.strategies, branch.commands, branch.events).identical).toBe(true);
  });

  it('branchesABranchFromItsOwnStream', async () => {
    const first = await runBranch(dataDir, 'rec', { ...options, atSeq: seqAfter(50), modelDir: invertedPolicy(join(models, 'inverted-2')) });
    const child = readBack(first.path);
    const atSeq = child.events.filter((e) => e.ts <= child.meta.startNs + 100 * S).at(-1)!.seq;
    const second = await runBranch(dataDir, first.sessionId, { ...options, atSeq, limits: { session: { maxOpenOrders: 2 } } });
    const grandchild = readBack(second.path);
    expect(grandchild.events.slice(0, atSeq)).toEqual(child.events.slice(0, atSeq));
    // The policy switch of its parent carries over; the stream still starts as the first session's.
    expect(grandchild.meta.policySwitches).toEqual(child.meta.policySwitches);
    expect(grandchild.meta.parent).toMatchObject({ sessionId: first.sessionId, rootSessionId: 'rec' });
    expect(grandchild.events[0]).toMatchObject({ kind: 'SessionStarted', sessionId: 'rec' });
  });

  it('feedsBackARecordedDeadlineMissOnlyBeforeTheBranchPoint', async () => {
    // Live, the VWAP agent's sandbox missed its deadline at its third decision (wall-clock chance).
    const sandboxed: StrategyFactory = (spec, context) => {
      const inner = baselineStrategies(spec, context);
      if (spec.strategy !== 'vwap') return inner;
      let decisions = 0;
      return { name: inner.name, decide: (view) => (++decisions === 3 ? (() => { throw new DecisionDeadlineMissed(spec.name, 20, 'decision'); })() : inner.decide(view)) };
    };
    const market = simSessionMarket(calm, SEED);
    const kernel = new SessionKernel({ ids: new SequentialIds(), strategies: sandboxed }, { sessionId: 'miss', seed: SEED, market, speed: 5, agents: DEFAULT_AGENTS, limits: DEFAULT_LIMITS });
    const events: EngineEvent[] = [];
    kernel.subscribe((e) => events.push(e));
    kernel.start();
    kernel.elapse(150 * S);
    const missed = events.find((e) => e.kind === 'AgentStateChanged' && e.state === 'killed' && e.reason.includes('missed its 20 ms decision deadline'))!;
    expect(missed).toBeDefined();
    const meta: JournalMeta = { ...parent.meta, sessionId: 'miss', startNs: events[0]!.ts, agents: DEFAULT_AGENTS, policy: { dir: '', sha256: '' } };
    const session: ParentSession = { meta, events, commands: [] };
    const change = { limits: { session: { maxOpenOrders: 7 } } };
    const afterMiss = await branchSession(session, sessionsDir(dataDir), { ...options, ...change, atSeq: missed.seq + 1 });
    expect(readBack(afterMiss.path).events.slice(0, missed.seq + 1)).toEqual(events.slice(0, missed.seq + 1));
    const beforeMiss = await branchSession(session, sessionsDir(dataDir), { ...options, ...change, atSeq: missed.seq - 5 });
    const vwap = beforeMiss.comparison.agents.find((a) => a.name === DEFAULT_AGENTS[1]!.name)!;
    expect([vwap.a.state, vwap.a.kills, vwap.b.state, vwap.b.kills]).toEqual(['killed', 1, null, 0]);
  });

  it('stopsWhenCancelledAndLeavesNoFile', async () => {
    const before = files();
    const controller = new AbortController();
    const run = branchSession(parent, sessionsDir(dataDir), { ...options, atSeq: seqAfter(60), limits: { perAgent: { maxOpenOrders: 3 } } }, { signal: controller.signal, onProgress: (p) => p.done >= 20 && controller.abort('enough') });
    await expect(run).rejects.toBeInstanceOf(WorkflowCancelled);
    expect(files()).toEqual(before);
  });

  it.each([
    ['a branch point of 0', { atSeq: 0, limits: { perAgent: { maxOrderLots: 10 } } }, /a whole number from 1 to \d+; received 0/],
    ['a branch point after the last event', { atSeq: 10_000_000, limits: { perAgent: { maxOrderLots: 10 } } }, /from 1 to \d+; received 10000000/],
    ['a branch point that is no whole number', { atSeq: 2.5, limits: { perAgent: { maxOrderLots: 10 } } }, /received 2.5/],
    ['no change', { atSeq: 5 }, /a branch with no change is the parent/],
    ['an empty limits change', { atSeq: 5, limits: { perAgent: {} } }, /a branch with no change is the parent/],
    ['the policy the agent already runs', { atSeq: 5, modelDir: SHIPPED }, /already runs at the branch point.*no change is the parent/],
    ['a missing policy folder', { atSeq: 5, modelDir: '/no/such/policy' }, /no policy folder at \/no\/such\/policy/],
    ['a limit out of range', { atSeq: 5, limits: { perAgent: { maxOrderLots: 0 } } }, /perAgent.maxOrderLots: /],
    ['an unknown limit', { atSeq: 5, limits: { perAgent: { maxBananas: 3 } } as never }, /the limits cannot be set: .*maxBananas/],
  ])('refusesWritingNothing: %s', async (_what, request, message) => {
    const before = files();
    await expect(branchSession(parent, sessionsDir(dataDir), { ...options, ...request })).rejects.toThrow(message);
    expect(files()).toEqual(before);
  });

  it('refusesAPolicyTrainedForAnotherOrder', async () => {
    const dir = join(models, 'bigger');
    cpSync(SHIPPED, dir, { recursive: true });
    const manifest = readJson<PolicyManifest>(dir, 'policy.json');
    writeJson(dir, 'policy.json', { ...manifest, env: { ...manifest.env, quantity: 5_000 } });
    const before = files();
    await expect(branchSession(parent, sessionsDir(dataDir), { ...options, atSeq: 5, modelDir: dir })).rejects.toThrow(
      /trained to sell 5,000 over 600 s in 20 decisions; the learned agent "learned sell 2k" works sell 2,000 over 600 s in 20 decisions/,
    );
    expect(files()).toEqual(before);
  });
});
