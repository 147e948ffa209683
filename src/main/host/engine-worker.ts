import { parentPort, workerData } from 'node:worker_threads';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SequentialIds } from '../../engine/core/ids';
import { DEFAULT_AGENTS, DEFAULT_LIMITS, isSessionCommand, SessionKernel } from '../../engine/kernel/session-kernel';
import type { AgentSpec, StrategyFactory } from '../../engine/kernel/session-kernel';
import { DEFAULT_POLICY_DIR, DEFAULT_POLICY_SIGNALS, loadPolicySync, observesSignal, shippedPolicies } from '../../engine/node/models/policy-files';
import { marketSignalMaker } from '../../engine/node/models/signal-files';
import { appRoot } from './app-root';
import { listScenarios, loadScenario, scenarioFile } from '../../engine/node/files/sim-scenarios';
import { recordedDays } from '../../engine/node/files/lobster-files';
import { formatTimeOfDay } from '../../engine/core/clock';
import { findLobsterDir, lobsterPairFor, lobsterSessionMarket } from '../../engine/node/files/backtest-markets';
import { simSessionMarket } from '../../engine/kernel/market';
import { fail, type CommandResult } from '../../engine/contract/result';
import type { EngineEvent } from '../../engine/contract/events';
import type { HostInfo } from '../../engine/contract/index';
import { Journal, type CommandPlace, type JournalMarket } from '../../engine/node/journal/journal';
import { SessionRecorder } from '../../engine/node/journal/recorder';
import { hashedFile, sha256Dir } from '../../engine/node/journal/hashes';
import { journalPath, recoverSessions, sessionIdAt, sessionListings } from '../../engine/node/journal/sessions';
import { selectBackend } from '../../engine/node/models/tf-backend';
import type { EngineOptions, ToWorkerMessage, WorkerMessage } from './protocol';
import { WorkflowQueue } from '../../engine/workflows/queue';
import { WorkflowCancelled } from '../../engine/workflows/workflow';
import { backtestOptionsFromRequest, windowResult, type BacktestOptions } from '../../engine/workflows/backtest';
import { runBacktestInThread } from '../../engine/workflows/in-thread';
import { runBranch } from '../../engine/workflows/branch';
import { WORKFLOW_QUEUE_LIMITS } from '../../engine/execution/execution.contract';
import type { CommandPayload } from '../../engine/contract/index';
import { policyReport } from '../../engine/node/models/policy-card';
import { DynamicRiskMonitor } from '../../engine/risk/dynamic/monitor';
import { DYNAMIC_RISK_FILE, readDynamicRiskConfig } from '../../engine/node/files/dynamic-risk-file';
import { liveStrategyModule, sandboxedStrategies } from '../../engine/node/workers/agent-sandbox';

/** The wall-clock period of the engine loop: one event batch per frame at most. */
const FRAME_MS = 16;
/** Simulated seconds per wall second unless told otherwise. */
const DEFAULT_SPEED = 5;
/** The most often one workflow's progress is published (its changes of state always are). */
const PROGRESS_EVERY_MS = 250;

const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread');
const options = workerData as EngineOptions;

function post(msg: WorkerMessage): void {
  port!.postMessage(msg);
}

/** The running policy's model card for the window, or why it cannot be shown (the session runs either way). */
function readPolicyReport(dir: string): HostInfo['policyReport'] {
  try {
    return policyReport(dir);
  } catch (err) {
    return { problem: err instanceof Error ? err.message : String(err) };
  }
}

async function main(): Promise<void> {
  const backend = await selectBackend(options.backend);
  const wall = new Date();
  const sessionId = sessionIdAt(wall, `s${options.seed}`);
  if (options.lobster !== undefined && options.scenario !== undefined) throw new Error('a session runs on a scenario or a recorded day, received both');
  const market = options.lobster !== undefined ? await lobsterSessionMarket(options.lobster.messages, options.startNs === undefined ? {} : { startNs: options.startNs }) : simSessionMarket(loadScenario(options.scenario ?? 'calm'), options.seed, options.startNs);
  // The policy (the shipped one unless --policy) works a parent order of the shape it was trained on, beside the baselines.
  const policyPath = options.policyDir === undefined ? join(appRoot(), DEFAULT_POLICY_DIR) : resolve(options.policyDir);
  const policyName = basename(policyPath);
  const { manifest } = loadPolicySync(policyPath);
  const env = manifest.env;
  const learned: AgentSpec = {
    name: `${manifest.algo.toUpperCase()} ${env.side} ${env.quantity.toLocaleString('en-US')}`,
    strategy: 'rl',
    side: env.side,
    quantity: env.quantity,
    horizonSeconds: env.horizonSeconds,
    intervalSeconds: env.horizonSeconds / env.steps,
    startAfterSeconds: env.preTradeSeconds,
  };
  // Every agent decides in a worker thread of its own, within a deadline, so a strategy that hangs
  // is stopped and halted instead of holding this thread (and with it KillAll).
  // One worker booted ahead for each agent below (the learned one and the defaults).
  const sandboxes = sandboxedStrategies(liveStrategyModule(policyPath), { warm: 1 + DEFAULT_AGENTS.length });
  const strategies: StrategyFactory = sandboxes.factory;
  const agents = [learned, ...DEFAULT_AGENTS];
  const speed = options.speed ?? DEFAULT_SPEED;
  const startNs = market.venue.now();
  const dynamicRisk = readDynamicRiskConfig(join(appRoot(), DYNAMIC_RISK_FILE));
  // The market signal the window shows and every agent's view carries: the policy's own when it was trained with one.
  const signals = env.signals ?? DEFAULT_POLICY_SIGNALS;
  const signalDirs = { model: resolve(appRoot(), signals.model), regimes: resolve(appRoot(), signals.regimes) };
  const kernel = new SessionKernel(
    { ids: new SequentialIds(), strategies },
    // The dynamic-risk monitor on the parameters fitted on the shared real days (`cockpit risk fit`).
    { sessionId, seed: options.seed, market, speed, agents, limits: DEFAULT_LIMITS, dynamic: new DynamicRiskMonitor(dynamicRisk), signal: marketSignalMaker(signalDirs, market.tickSize)(), learnedObservesSignal: observesSignal(manifest) },
  );

  let journal: Journal | null = null;
  if (options.dataDir) {
    // Sessions cut off since the last start (the process killed) are marked as ended abnormally.
    recoverSessions(options.dataDir, options.sqliteBinding);
    const path = journalPath(options.dataDir, sessionId);
    const scenario = options.scenario ?? 'calm';
    const recorded: JournalMarket =
      options.lobster !== undefined
        ? { kind: 'lobster', messages: hashedFile(options.lobster.messages), orderbook: hashedFile(lobsterPairFor(options.lobster.messages).orderbook) }
        : { kind: 'sim', scenario, file: hashedFile(scenarioFile(scenario)) };
    journal = Journal.create(
      path,
      { sessionId, seed: options.seed, createdAt: wall.toISOString(), appVersion: options.appVersion, market: recorded, startNs, speed, policy: { dir: policyPath, sha256: sha256Dir(policyPath) }, agents, limits: DEFAULT_LIMITS, dynamicRisk, signal: { model: { dir: signalDirs.model, sha256: sha256Dir(signalDirs.model) }, regimes: { dir: signalDirs.regimes, sha256: sha256Dir(signalDirs.regimes) } } },
      options.sqliteBinding,
    );
  }
  const host: HostInfo = {
    version: options.appVersion,
    backend: backend.name,
    backendDetail: `${backend.detail}; policy ${policyName} decides by a pure-TypeScript forward pass over its weights`,
    policyDir: options.policyDir === undefined ? DEFAULT_POLICY_DIR : policyPath,
    policyReport: readPolicyReport(policyPath),
    policyOrder: { side: env.side, quantity: env.quantity, horizonSeconds: env.horizonSeconds, intervalSeconds: env.horizonSeconds / env.steps },
    journalPath: journal?.path ?? null,
    markets: {
      scenarios: listScenarios(),
      days: lobsterDays(),
      current: options.lobster !== undefined ? { kind: 'lobster', day: basename(options.lobster.messages), ...(options.startNs === undefined ? {} : { start: formatTimeOfDay(options.startNs) }) } : { kind: 'sim', scenario: basename(options.scenario ?? 'calm').replace(/\.json$/, ''), seed: options.seed },
    },
  };

  let pending: EngineEvent[] = [];
  let batchFrom = 1;
  const recorder = journal === null ? null : new SessionRecorder(journal, kernel);
  kernel.subscribe((e) => pending.push(e));
  // The state before the first event, so that a replay can show any moment from a snapshot.
  recorder?.open();
  kernel.start();
  // A session a window started says so first: who, when, why, and on what.
  if (options.opening !== undefined) kernel.recordAction({ ...options.opening, command: 'StartSession', ok: true, code: null });

  // Workflows the window starts run beside the session, one queue for all of them; their
  // lifecycle and progress are session events (sequenced, journaled, shown in the window).
  const lastProgress = new Map<string, number>();
  const workflows = new WorkflowQueue(WORKFLOW_QUEUE_LIMITS, (change) => {
    if (change.state === 'running' && change.total > 0 && change.done < change.total) {
      const now = performance.now();
      if (now - (lastProgress.get(change.jobId) ?? -Infinity) < PROGRESS_EVERY_MS) return;
      lastProgress.set(change.jobId, now);
    }
    if (change.state !== 'running' && change.state !== 'queued') lastProgress.delete(change.jobId);
    kernel.publishWorkflow(change);
  });
  let jobs = 0;

  const flush = (): void => {
    // A paused session with nothing new has nothing to say: no batch, no depth sampled.
    if (pending.length === 0 && !kernel.clockRunning) return;
    const events = pending;
    pending = [];
    const lastSeq = batchFrom + events.length - 1;
    const depth = kernel.depth();
    const risk = kernel.riskSample();
    // One transaction for the frame's events, with the snapshot and the sample replay reads when due.
    recorder?.record(events, { depth, risk });
    post({ t: 'events', batch: { firstSeq: batchFrom, lastSeq, simTimeNs: kernel.now(), events, depth, risk } });
    batchFrom = lastSeq + 1;
  };

  let lastWall = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const dtMs = now - lastWall;
    lastWall = now;
    if (kernel.clockRunning) kernel.elapse(Math.round(dtMs * 1e6 * kernel.currentSpeed));
    flush();
  }, FRAME_MS);

  port!.on('message', (msg: ToWorkerMessage) => {
    try {
      handle(msg);
    } catch (err) {
      // A failure here must not take the session down; the command (if any) is answered INTERNAL.
      if (msg.t === 'cmd') post({ t: 'res', id: msg.id, result: fail('INTERNAL', `engine failed: ${err instanceof Error ? err.message : String(err)}`) });
    }
  });

  function handle(msg: ToWorkerMessage): void {
    if (msg.t === 'stop') {
      // Ended for a session a window started: the last action on this one's audit trail.
      if (msg.handover !== undefined) kernel.recordAction({ ...msg.handover, command: 'StartSession', ok: true, code: null, detail: `ended for a new session: ${msg.handover.detail}` });
      workflows.cancelAll('the engine is stopping');
      clearInterval(timer);
      flush();
      journal?.close();
      void sandboxes.close();
      process.exit(0);
    }
    if (msg.t === 'refused') {
      // The edge refused it; the journal still records that a window sent it.
      journal?.recordCommand(new Date().toISOString(), msg.name, null, false, msg.code);
      return;
    }
    const { id, command, by } = msg;
    if (!isSessionCommand(command)) {
      // The workflows run beside the session, through the queue.
      // A workflow the trader starts or cancels is a human action: recorded for the audit trail with its outcome.
      const audit: Audit = { by, at: new Date().toISOString() };
      if (command.name === 'RunBacktest') return startBacktest(id, command.payload, audit);
      if (command.name === 'BranchSession') return startBranch(id, command.payload, audit);
      if (command.name === 'ListSessions') {
        const sessions = options.dataDir === null ? [] : sessionListings(options.dataDir, options.sqliteBinding);
        post({ t: 'res', id, result: { ok: true, value: { sessions, live: journal === null ? null : sessionId, policies: shippedPolicies(appRoot()) } } });
        return;
      }
      if (command.name !== 'CancelWorkflow') {
        // The host opens replays and routes their transport; one reaching the live session has no replay to act on.
        post({ t: 'res', id, result: fail('REJECTED', `${command.name}: this window has no replay open; open a recorded session first`) });
        return;
      }
      const { jobId, reason } = command.payload;
      const found = workflows.cancel(jobId, reason);
      reply(id, command.name, command.payload, found ? { ok: true, value: { jobId, state: 'cancelled' } } : fail('REJECTED', `no workflow "${jobId}" is queued or running`), null, undefined, audit);
      return;
    }
    if (command.name === 'LaunchAgent' && command.payload.strategy === 'rl') {
      // The learned policy works the order it was trained on: its side, size, horizon and decisions.
      const a = command.payload;
      const interval = env.horizonSeconds / env.steps;
      if (env.side !== a.side || a.quantity !== env.quantity || Math.round(a.horizonMinutes * 60) !== env.horizonSeconds || a.intervalSeconds !== interval) {
        reply(id, command.name, command.payload, fail('REJECTED', `policy ${policyName} works a ${env.side} order of ${env.quantity.toLocaleString('en-US')} lots over ${env.horizonSeconds / 60} minutes, deciding every ${interval} s; launch it with that order, or choose a baseline`));
        return;
      }
    }
    // Where it takes effect: after the last event published so far, at this simulated time.
    const afterSeq = kernel.lastSeq;
    const simTs = kernel.now();
    const wallTime = new Date().toISOString();
    let result: CommandResult<unknown>;
    try {
      result = kernel.execute(command, by, wallTime);
      if (result.ok && command.name === 'GetSnapshot') {
        // The snapshot covers every event up to lastSeq, including ones not yet flushed.
        result = { ok: true, value: { ...(result.value as object), host } };
      }
    } catch (err) {
      result = fail('INTERNAL', `engine failed on ${command.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    reply(id, command.name, command.payload, result, { by, afterSeq, simTs }, wallTime);
  }

  /**
   * Queues a what-if branch the window asked for. It runs in this thread, beside the session: the
   * branch re-runs the recorded session a simulated second at a time and yields between them, so
   * the live loop keeps its frames; it answers with the comparison when the branch is written.
   */
  function startBranch(id: number, payload: CommandPayload<'BranchSession'>, audit: Audit): void {
    const done = (result: CommandResult<unknown>): void => reply(id, 'BranchSession', payload, result, null, undefined, audit);
    const dataDir = options.dataDir;
    if (dataDir === null) return done(fail('REJECTED', 'this engine keeps no journals, so there is no recorded session to branch'));
    jobs += 1;
    const jobId = `branch-${jobs}`;
    const request = {
      atSeq: payload.atSeq,
      // A shipped policy is named from the application root, as the window lists them.
      ...(payload.modelDir === undefined ? {} : { modelDir: resolve(appRoot(), payload.modelDir) }),
      ...(payload.limits === undefined ? {} : { limits: payload.limits }),
      appVersion: options.appVersion,
      ...(options.sqliteBinding ? { sqliteBinding: options.sqliteBinding } : {}),
    };
    const submitted = workflows.submit(jobId, 'branch', (context) => runBranch(dataDir, payload.sessionId, request, context));
    if (!submitted.ok) return done(fail(submitted.code, submitted.message));
    submitted.result.then(
      (result) => done({ ok: true, value: result }),
      (err: unknown) => done(err instanceof WorkflowCancelled ? fail('CANCELLED', `branch ${jobId} ${err.message}`) : fail('REJECTED', `the branch failed: ${err instanceof Error ? err.message : String(err)}`)),
    );
  }

  /** Queues a backtest the window asked for; it runs in its own thread and answers when it ends. */
  function startBacktest(id: number, payload: CommandPayload<'RunBacktest'>, audit: Audit): void {
    const done = (result: CommandResult<unknown>): void => reply(id, 'RunBacktest', payload, result, null, undefined, audit);
    jobs += 1;
    const jobId = payload.jobId ?? `backtest-${jobs}`;
    let options: BacktestOptions;
    try {
      options = backtestOptionsFromRequest(payload);
    } catch (err) {
      done(fail('REJECTED', `backtest failed: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    const submitted = workflows.submit(jobId, 'backtest', (context) => runBacktestInThread(options, context));
    if (!submitted.ok) {
      done(fail(submitted.code, submitted.message));
      return;
    }
    submitted.result.then(
      (report) => done({ ok: true, value: windowResult(report) }),
      (err: unknown) =>
        done(err instanceof WorkflowCancelled ? fail('CANCELLED', `backtest ${jobId} ${err.message}`) : fail('REJECTED', `backtest failed: ${err instanceof Error ? err.message : String(err)}`)),
    );
  }

  /** Answers a command and journals it with its outcome; `audit`: a workflow's command, recorded for the audit trail as it ends (the session records its own). */
  function reply(id: number, name: string, payload: unknown, result: CommandResult<unknown>, place: CommandPlace | null = null, wallTime = new Date().toISOString(), audit?: Audit): void {
    journal?.recordCommand(wallTime, name, payload, result.ok, result.ok ? null : result.error.code, place);
    if (audit !== undefined) {
      const reason = (payload as { reason?: unknown } | null)?.reason;
      kernel.recordAction({ ...audit, command: name, reason: typeof reason === 'string' ? reason : null, ok: result.ok, code: result.ok ? null : result.error.code, detail: result.ok ? workflowDetail(name, payload) : result.error.message });
    }
    post({ t: 'res', id, result });
  }

  post({ t: 'ready', sessionId, journalPath: journal?.path ?? null, backend: backend.name });
}

/** The recorded days a new session can run on: the shared LOBSTER folder's, none when there is no such folder. */
function lobsterDays(): ReturnType<typeof recordedDays> {
  try {
    return recordedDays(findLobsterDir());
  } catch {
    return [];
  }
}

/** Who sent a workflow's command and when, for its audit row. */
interface Audit {
  readonly by: string;
  readonly at: string;
}

/** A workflow command in words for the audit trail. */
function workflowDetail(name: string, payload: unknown): string {
  const p = payload as Record<string, unknown>;
  if (name === 'RunBacktest') return `${String(p.scenario)} seeds ${String(p.seedFrom)}..${String(p.seedTo)}: ${Array.isArray(p.strategies) ? p.strategies.join(', ') : ''}`;
  if (name === 'BranchSession') return `${String(p.sessionId)} at event ${String(p.atSeq)}${p.modelDir ? `, policy ${String(p.modelDir)}` : ''}${p.limits ? `, limits ${JSON.stringify(p.limits)}` : ''}`;
  if (name === 'CancelWorkflow') return String(p.jobId);
  return '';
}

main().catch((err: unknown) => {
  post({ t: 'fatal', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
