/**
 * What-if branches of a recorded session: the session run again exactly up to one of its events,
 * changed there (another policy for the learned agent, other risk limits, or both), and run on to
 * the parent's last simulated time as a session of its own, journaled beside the parent and linked
 * to it, then compared with it side by side (compare-sessions.ts).
 *
 * Up to the branch point the run is the parent's re-simulation (recorded-run.ts: the same inputs
 * at the same places, the recorded deadline misses fed back), so the branch's events 1..atSeq are
 * the parent's; the run checks that they are before it changes anything. The kernel moves time in
 * steps and nothing comes between two events of one moment, so the change takes effect once the
 * clock has reached the simulated time of event atSeq, after every event at that time and before
 * any recorded input placed after event atSeq:
 * - another policy: the learned agents decide with it from their first decision after that time
 *   (kernel/strategies.ts switchStrategiesAt); it must have been trained for the agent's order
 *   (side, quantity, horizon and decisions), which is checked when it is loaded;
 * - limits: the limits in force then with the patch applied, sent as the kernel's own SetRiskLimits
 *   command by "what-if" (the gate changes by the one path the trader's changes take) and journaled
 *   as a command like theirs. An agent with limits of its own (SetAgentLimits) keeps them.
 *
 * After the branch point the trader's recorded actions still happen at their simulated times: the
 * branch asks what the change would have done to the session the trader actually ran, not to one
 * left alone (a command the branch's session refuses, say a resume of an agent already done, is
 * journaled as refused). A recorded SetRiskLimits after the point sets the limits it recorded, as
 * it did in the parent. Workflow updates are fed back in the same way. A recorded deadline miss is
 * fed back only up to the branch point: after it, a miss was the parent's wall-clock chance, and
 * the branch decides in this thread without a deadline.
 *
 * The branch's journal is written under a temporary name and renamed into the sessions folder once
 * it has closed cleanly, so a refused or failed branch leaves no file. Its stream starts with the
 * parent's SessionStarted, which names the first session of the chain (the branch is that session
 * up to the branch point); its meta names the parent, the point and the change, and lists the
 * policy switches, so `cockpit replay verify` re-simulates a branch like any other session.
 */

import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { NS_PER_SECOND } from '../core/clock';
import { SequentialIds } from '../core/ids';
import type { EngineEvent } from '../contract/events';
import { isLearned } from '../kernel/learned-strategy';
import { SessionKernel, type AgentSpec, type StrategyFactory } from '../kernel/session-kernel';
import { switchStrategiesAt } from '../kernel/strategies';
import { applyLimitsPatch, limitsPatchSchema, type LimitsPatch } from '../risk/limits';
import { sha256Dir } from '../node/journal/hashes';
import { Journal, type JournalCommand, type JournalMeta, type PolicySwitch } from '../node/journal/journal';
import { SessionRecorder } from '../node/journal/recorder';
import { recordedSessionConfig } from '../node/journal/recorded-session';
import { journalPath, sessionIdAt } from '../node/journal/sessions';
import { loadPolicySync, type PolicyEnvSettings } from '../node/models/policy-files';
import { liveStrategies } from '../node/workers/live-strategies';
import type { BranchChange, BranchRequest, BranchResult } from '../replay/branch-types';
import { compareSessions } from './compare-sessions';
import { compareStreams, RecordedRun, recordedInputs, withRecordedDeadlineMisses } from './recorded-run';
import { throwIfCancelled, type WorkflowContext } from './workflow';

/** Who the branch's change of limits is recorded as sent by. */
export const WHAT_IF = 'what-if';
/** The branch journals its events, reports progress and looks at its signal every this much simulated time. */
const STEP_NS = NS_PER_SECOND;
/** What a branch's journal is called while it is being written (the sessions list reads only `.sqlite` files). */
const PARTIAL = '.partial';

/** A branch request with what the writer of its journal adds. */
export interface BranchOptions extends BranchRequest {
  /** The cockpit version writing the branch (its journal's meta records it). */
  readonly appVersion: string;
  /** better-sqlite3's native binding where the host needs its own (Electron). */
  readonly sqliteBinding?: string;
}

/** A recorded session as its journal holds it. */
export interface ParentSession {
  readonly meta: JournalMeta;
  readonly events: readonly EngineEvent[];
  readonly commands: readonly JournalCommand[];
}

/** Returns the policy the learned agent decides with at simulated time `ts` of a session: the last switch before it, or the one it started with. */
function policyAt(meta: JournalMeta, ts: number): { readonly dir: string; readonly sha256: string } {
  return (meta.policySwitches ?? []).filter((s) => s.afterTs < ts).at(-1) ?? meta.policy;
}

function order(side: string, quantity: number, horizonSeconds: number, steps: number): string {
  return `${side} ${quantity.toLocaleString('en-US')} over ${horizonSeconds} s in ${steps} decisions`;
}

/** Throws unless a policy trained on `env` can work `spec`'s order: the same side (or trained on both), quantity, horizon and number of decisions. */
function checkCompatible(dir: string, env: PolicyEnvSettings, spec: AgentSpec): void {
  const steps = spec.horizonSeconds / spec.intervalSeconds;
  const sideOk = spec.side === env.side || env.bothSides === true;
  if (sideOk && spec.quantity === env.quantity && spec.horizonSeconds === env.horizonSeconds && steps === env.steps) return;
  throw new Error(
    `the policy in ${dir} was trained to ${order(env.bothSides ? `${env.side} (or the other side)` : env.side, env.quantity, env.horizonSeconds, env.steps)}; ` +
      `the learned agent "${spec.name}" works ${order(spec.side, spec.quantity, spec.horizonSeconds, steps)}, so it cannot take the agent over`,
  );
}

/** The change asked for, checked before anything is written; throws saying what is wrong. */
function checkedChange(parent: ParentSession, agents: readonly AgentSpec[], atTs: number, request: BranchRequest): BranchChange {
  let limits: LimitsPatch | null = null;
  if (request.limits !== undefined) {
    const parsed = limitsPatchSchema.safeParse(request.limits);
    if (!parsed.success) throw new Error(`the limits cannot be set: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(limits)'}: ${i.message}`).join('; ')}`);
    // A group that names no limit changes none.
    const { perAgent, session } = parsed.data;
    const some = (group: object | undefined): boolean => group !== undefined && Object.keys(group).length > 0;
    if (some(perAgent) || some(session)) limits = { ...(some(perAgent) ? { perAgent } : {}), ...(some(session) ? { session } : {}) };
  }
  let policy: BranchChange['policy'] = null;
  if (request.modelDir !== undefined) {
    const dir = resolve(request.modelDir);
    if (!existsSync(dir)) throw new Error(`no policy folder at ${dir}`);
    const learned = agents.filter(isLearned);
    if (learned.length === 0) throw new Error(`session ${parent.meta.sessionId} has no learned agent (strategy 'rl') for another policy to take over`);
    const { manifest } = loadPolicySync(dir);
    for (const spec of learned) checkCompatible(dir, manifest.env, spec);
    const sha256 = sha256Dir(dir);
    // The policy the agent already runs there changes nothing.
    if (sha256 !== policyAt(parent.meta, atTs).sha256) policy = { dir, sha256 };
    else if (limits === null) throw new Error(`the policy in ${dir} is the one the learned agent already runs at the branch point (the same SHA-256): a branch with no change is the parent`);
  }
  if (policy === null && limits === null) throw new Error('a branch with no change is the parent: give another policy or some limits to change');
  return { policy, limits };
}

/** Returns a session id whose journal is not yet in `folder`: the wall time, `b` and the branch point, with `-2`, `-3`, … when needed. */
function freshSessionId(folder: string, wall: Date, atSeq: number): string {
  const base = sessionIdAt(wall, `b${atSeq}`);
  const taken = (id: string): boolean => existsSync(join(folder, `${id}.sqlite`)) || existsSync(join(folder, `${id}.sqlite${PARTIAL}`));
  let id = base;
  for (let n = 2; taken(id); n++) id = `${base}-${n}`;
  return id;
}

/** Removes a journal file and the files SQLite keeps beside it. */
function removeJournalFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * Branches `parent` at its event `request.atSeq` with the change `request` asks for, writes the
 * branch's journal into the sessions folder `folder`, and returns it with its comparison with the
 * parent. See the module comment for what is run and what is changed where. Rejects with a
 * sentence, writing nothing, when the branch point is not one of the parent's events, no change is
 * asked for, the policy is missing or cannot work the agent's order, a limit is unknown or out of
 * range, or the parent cannot be rebuilt; with `WorkflowCancelled` when `context.signal` aborts.
 */
export async function branchSession(parent: ParentSession, folder: string, options: BranchOptions, context: WorkflowContext = {}): Promise<BranchResult> {
  const { atSeq } = options;
  const lastSeq = parent.events.at(-1)?.seq ?? 0;
  if (lastSeq === 0) throw new Error(`session ${parent.meta.sessionId} recorded no events to branch from`);
  if (!Number.isSafeInteger(atSeq) || atSeq < 1 || atSeq > lastSeq) throw new Error(`the branch point must be one of the parent's events, a whole number from 1 to ${lastSeq}; received ${atSeq}`);
  const atTs = (parent.events[atSeq - 1] as EngineEvent).ts;
  const lastTs = (parent.events.at(-1) as EngineEvent).ts;
  const rebuilt = await recordedSessionConfig(parent.meta);
  const change = checkedChange(parent, rebuilt.config.agents, atTs, options);
  throwIfCancelled(context.signal);

  const switches: PolicySwitch[] = change.policy === null ? [...(parent.meta.policySwitches ?? [])] : [...(parent.meta.policySwitches ?? []).filter((s) => s.afterTs < atTs), { afterTs: atTs, ...change.policy }];
  let strategies: StrategyFactory = rebuilt.strategies;
  if (change.policy !== null) strategies = switchStrategiesAt(strategies, liveStrategies({ policyDir: change.policy.dir }), atTs, isLearned);
  const shared = parent.events.filter((e) => e.ts <= atTs);
  strategies = withRecordedDeadlineMisses(strategies, shared);

  const wall = new Date();
  const sessionId = freshSessionId(folder, wall, atSeq);
  const path = resolve(folder, `${sessionId}.sqlite`);
  const partial = `${path}${PARTIAL}`;
  const { policySwitches: _s, parent: _p, ...inherited } = parent.meta;
  const meta: JournalMeta = {
    ...inherited,
    sessionId,
    createdAt: wall.toISOString(),
    appVersion: options.appVersion,
    parent: { sessionId: parent.meta.sessionId, atSeq, atTs, rootSessionId: parent.meta.parent?.rootSessionId ?? parent.meta.sessionId, change },
    ...(switches.length > 0 ? { policySwitches: switches } : {}),
  };

  const journal = Journal.create(partial, meta, options.sqliteBinding);
  let open = true;
  const events: EngineEvent[] = [];
  try {
    const kernel = new SessionKernel({ ids: new SequentialIds(), strategies }, rebuilt.config);
    const run = new RecordedRun(kernel, (c) => journal.recordCommand(c.wallTime, c.name, c.payload, c.result.ok, c.result.ok ? null : c.result.error.code, c.place));
    let written = 0;
    // The same record as a live session's: the opening state, snapshots and samples for its replay.
    const recorder = new SessionRecorder(journal, kernel);
    const flush = (): void => {
      recorder.record(events.slice(written));
      written = events.length;
    };
    kernel.subscribe((e) => events.push(e));
    recorder.open();
    kernel.start();
    const startNs = kernel.now();
    const total = Math.max(0, Math.round((lastTs - startNs) / NS_PER_SECOND));
    /** Moves the clock to `ts` a step at a time, journaling, reporting and letting a cancel in between steps. */
    const advance = async (ts: number): Promise<void> => {
      while (kernel.now() < ts) {
        run.runTo(Math.min(ts, kernel.now() + STEP_NS));
        flush();
        context.onProgress?.({ done: Math.min(total, Math.round((kernel.now() - startNs) / NS_PER_SECOND)), total });
        await new Promise<void>((done) => setImmediate(done));
        throwIfCancelled(context.signal);
      }
    };

    const inputs = recordedInputs(parent.commands, parent.events);
    let next = 0;
    for (; next < inputs.length && (inputs[next] as (typeof inputs)[number]).at < atSeq; next++) {
      const input = inputs[next] as (typeof inputs)[number];
      await advance(input.simTs);
      run.feed(input);
    }
    await advance(atTs);
    const prefix = compareStreams(parent.events.slice(0, atSeq), events.slice(0, atSeq));
    if (prefix.firstDivergenceSeq !== null) {
      throw new Error(`session ${parent.meta.sessionId} does not re-simulate up to the branch point: it parts at event ${prefix.firstDivergenceSeq} (\`cockpit replay verify\` says more), so a branch would not start from it`);
    }
    if (change.limits !== null) {
      const limits = applyLimitsPatch(kernel.snapshot().risk.limits, change.limits);
      const result = run.execute({ wallTime: wall.toISOString(), name: 'SetRiskLimits', payload: { limits, reason: `what-if: branch of ${parent.meta.sessionId} at event ${atSeq}` }, by: WHAT_IF });
      if (result === null || !result.ok) throw new Error(`the session refused the limits: ${result === null ? 'they do not pass SetRiskLimits' : result.error.message}`);
    }
    for (; next < inputs.length; next++) {
      const input = inputs[next] as (typeof inputs)[number];
      await advance(input.simTs);
      run.feed(input);
    }
    await advance(lastTs);
    flush();
    journal.close();
    open = false;
    renameSync(partial, path);
  } catch (err) {
    if (open) journal.close();
    removeJournalFiles(partial);
    throw err;
  }
  const comparison = compareSessions({ meta: parent.meta, events: parent.events }, { meta, events });
  return { sessionId, path, parentId: parent.meta.sessionId, atSeq, change, comparison };
}

/** Branches the session recorded in the journal `parentPath`, writing the branch beside it; see branchSession. */
export async function branchJournal(parentPath: string, options: BranchOptions, context: WorkflowContext = {}): Promise<BranchResult> {
  const journal = Journal.open(parentPath, options.sqliteBinding);
  let parent: ParentSession;
  try {
    const meta = journal.meta();
    if (meta === null) throw new Error(`${parentPath} is a schema-${journal.schema} journal, which did not record what rebuilds its session`);
    parent = { meta, events: journal.events(), commands: journal.commands() };
  } finally {
    journal.close();
  }
  return branchSession(parent, dirname(parentPath), options, context);
}

/**
 * Branches session `parentSessionId` of the data folder `dataDir` (the engine worker's entry for
 * the window); the branch is written into the same folder. See branchSession.
 */
export async function runBranch(dataDir: string, parentSessionId: string, options: BranchOptions, context: WorkflowContext = {}): Promise<BranchResult> {
  const path = journalPath(dataDir, parentSessionId);
  if (basename(path) !== `${parentSessionId}.sqlite` || !existsSync(path)) throw new Error(`no recorded session "${parentSessionId}" in ${dataDir}`);
  return branchJournal(path, options, context);
}
