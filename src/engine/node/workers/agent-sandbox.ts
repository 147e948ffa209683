/**
 * Agent sandboxes: each live agent's strategy runs in a worker thread of its own and is asked
 * synchronously, with a deadline, so the kernel keeps its one synchronous `decide(view)` and a
 * strategy that busy-loops or never returns cannot hold the engine thread (and with it KillAll).
 *
 * A decision posts the agent's `MarketView` on a MessageChannel, waits on a SharedArrayBuffer flag
 * with `Atomics.wait` for at most the deadline, and reads the reply with `receiveMessageOnPort`.
 * When the deadline passes, the worker is terminated and `decide` throws `DecisionDeadlineMissed`,
 * now and on every later call; the kernel's path for a failed strategy then cancels the agent's
 * orders and halts it with the message as the reason. A strategy that throws in its worker has its
 * message thrown here.
 *
 * The worker builds its strategy from a serialisable spec: a module file, the name of a function it
 * exports, and JSON args; the function returns a `StrategyFactory` (live-strategies.ts for the
 * session, misbehaving-strategies.ts for tests and the risk bench). Workers are booted ahead, one
 * per agent, so an agent's start does not wait for a thread to load its module.
 */

import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type { DecisionExplanation } from '../../contract/events';
import { DecisionDeadlineMissed, type DeadlineStage } from '../../execution/deadline';
import type { AgentSpec, CockpitStrategy, SessionMarket, StrategyContext, StrategyFactory } from '../../execution/kernel';
import type { ExecutionFill, MarketView, StrategyStep } from '../../execution/types';
import type { LiveStrategyArgs } from './live-strategies';
import type { MisbehavingArgs } from './misbehaving-strategies';
import { findWorkerScript, startWorker, type WorkerScript } from './worker-script';

/**
 * The default decision deadline, ms of wall time. An agent that misses it holds the engine thread
 * once, for this long, before it is stopped: with the host's 16 ms frame a kill waits at most about
 * a frame plus this. The learned policy's decision with its explanation takes about a millisecond in
 * its worker (`cockpit bench risk` measures it), so this leaves it ample room.
 */
export const DEFAULT_DECISION_DEADLINE_MS = 20;
/**
 * The default deadline to build an agent's strategy in its worker, ms: once per agent, when it
 * starts, often while other workers are still loading theirs and the cores are busy, so longer
 * than a decision's; a strategy that hangs while it is built holds the engine thread this long.
 */
export const DEFAULT_BUILD_DEADLINE_MS = 250;
/** The default time to wait for a worker that is still loading its strategies when an agent starts, ms. */
export const DEFAULT_LOAD_DEADLINE_MS = 5_000;

/** Where a worker builds its strategies from: `require(module)[exportName](args)` returns a `StrategyFactory`. */
export interface StrategyModule {
  /** The module's file, absolute (`.ts` under tsx, `.js` built). */
  readonly module: string;
  readonly exportName: string;
  /** Plain JSON: it is copied to every worker. */
  readonly args: unknown;
}

export interface SandboxOptions {
  /** Decision deadline, ms (default `DEFAULT_DECISION_DEADLINE_MS`). */
  readonly deadlineMs?: number;
  /** Deadline to build an agent's strategy in its worker, ms (default `DEFAULT_BUILD_DEADLINE_MS`, at least `deadlineMs`). */
  readonly buildMs?: number;
  /** How long an agent's start waits for a worker still loading its strategies, ms (default `DEFAULT_LOAD_DEADLINE_MS`). */
  readonly loadMs?: number;
  /**
   * Workers booted ahead, at once: one for each agent the session will start (default 1). An agent
   * beyond them has a worker booted when it starts, and waits for it to load (at most `loadMs`).
   * None boots in the background while agents decide, where it would compete with them for cores.
   */
  readonly warm?: number;
}

/** Sandboxed strategies: the factory a kernel builds its agents' strategies with, and the workers behind it. */
export interface Sandboxes {
  /** Builds each agent's strategy in a worker of its own. */
  readonly factory: StrategyFactory;
  readonly deadlineMs: number;
  /** Resolves once every worker booted so far has loaded its strategies; rejects with the first load error. */
  ready(): Promise<void>;
  /** Terminates every worker; the factory refuses to build afterwards. */
  close(): Promise<void>;
}

/** An agent's spec as it crosses to its worker: without the observer and callback that stay with the kernel. */
export type PlainAgentSpec = Omit<AgentSpec, 'observer' | 'onDenied'>;
/** A strategy's context as it crosses to its worker: the market without its venue (a strategy never touches one). */
export interface PlainStrategyContext {
  readonly market: Omit<SessionMarket, 'venue'>;
  readonly parent: StrategyContext['parent'];
  readonly startNs: number;
}

/** What a worker is started with. */
export interface AgentWorkerData extends StrategyModule {
  /** `[FLAG_REPLY]`: the id of the last reply posted; `[FLAG_LOAD]`: `LOADING`, `LOADED` or `LOAD_FAILED`. */
  readonly flag: Int32Array;
}

export const FLAG_REPLY = 0;
export const FLAG_LOAD = 1;
export const LOADING = 0;
export const LOADED = 1;
export const LOAD_FAILED = 2;

/** A request to a worker; the reply carries its id. */
export type ToAgentWorker =
  | { readonly id: number; readonly kind: 'build'; readonly spec: PlainAgentSpec; readonly context: PlainStrategyContext }
  /** `view.fills` is empty: the worker keeps the fills and is sent those from `fillsFrom` on. */
  | { readonly id: number; readonly kind: 'decide'; readonly view: MarketView; readonly fillsFrom: number; readonly fills: readonly ExecutionFill[] };

/** A worker's reply; id 0 is its load failure. */
export type FromAgentWorker =
  | { readonly id: number; readonly ok: true; readonly kind: 'built'; readonly name: string }
  | { readonly id: number; readonly ok: true; readonly kind: 'decided'; readonly step: StrategyStep; readonly explanation: DecisionExplanation | null }
  | { readonly id: number; readonly ok: false; readonly message: string };

/** Builds the strategy factory a module spec names, in this thread (a worker does it in its own). */
export function loadStrategyFactory(spec: StrategyModule): StrategyFactory {
  const exports = createRequire(__filename)(spec.module) as Record<string, unknown>;
  const make = exports[spec.exportName];
  if (typeof make !== 'function') throw new Error(`${spec.module} exports no function "${spec.exportName}"; it exports ${Object.keys(exports).join(', ') || 'nothing'}`);
  const factory: unknown = make(spec.args);
  if (typeof factory !== 'function') throw new Error(`${spec.module}: ${spec.exportName}(args) returned ${typeof factory}, expected a strategy factory`);
  return factory as StrategyFactory;
}

/** The strategies a module spec names, run in this thread: the reference the sandbox is measured against. */
export function inThreadStrategies(spec: StrategyModule): StrategyFactory {
  return loadStrategyFactory(spec);
}

/** The live session's strategies (live-strategies.ts): the baselines and the learned policy in `policyDir`. */
export function liveStrategyModule(policyDir: string): StrategyModule {
  const exportName: keyof typeof import('./live-strategies') = 'liveStrategies';
  const args: LiveStrategyArgs = { policyDir };
  return { module: besideSandbox('live-strategies'), exportName, args };
}

/** Strategies that hang, spin or throw on purpose, and the baselines (misbehaving-strategies.ts), for tests and the risk bench. */
export function misbehavingStrategyModule(args: MisbehavingArgs = {}): StrategyModule {
  const exportName: keyof typeof import('./misbehaving-strategies') = 'misbehavingStrategies';
  return { module: besideSandbox('misbehaving-strategies'), exportName, args };
}

function besideSandbox(name: string): string {
  const found = findWorkerScript(name, __filename);
  if (found === null) throw new Error(`no ${name} module beside ${__filename}: build the app (npm run build), or run the TypeScript under tsx`);
  return found.file;
}

/**
 * Returns sandboxed strategies built from `spec`: every agent's strategy runs in a worker of its
 * own with a decision deadline (see the module comment).
 */
export function sandboxedStrategies(spec: StrategyModule, options: SandboxOptions = {}): Sandboxes {
  const script = findWorkerScript('agent-worker', __filename);
  if (script === null) throw new Error(`no agent-worker script beside ${__filename}: build the app (npm run build), or run the TypeScript under tsx`);
  const deadlineMs = options.deadlineMs ?? DEFAULT_DECISION_DEADLINE_MS;
  const loadMs = options.loadMs ?? DEFAULT_LOAD_DEADLINE_MS;
  const buildMs = Math.max(deadlineMs, options.buildMs ?? DEFAULT_BUILD_DEADLINE_MS);
  if (!(deadlineMs > 0) || !(loadMs > 0) || !(buildMs > 0)) throw new Error(`sandbox deadlines must be positive ms, received deadlineMs ${deadlineMs}, buildMs ${buildMs} and loadMs ${loadMs}`);
  // Checked as JSON here, once, rather than in every worker.
  const module: StrategyModule = { module: spec.module, exportName: spec.exportName, args: JSON.parse(JSON.stringify(spec.args ?? null)) as unknown };
  const all: AgentWorker[] = [];
  const spare: AgentWorker[] = [];
  let closed = false;
  const boot = (): AgentWorker => {
    const w = new AgentWorker(script, module);
    all.push(w);
    return w;
  };
  for (let i = 0; i < Math.max(0, options.warm ?? 1); i++) spare.push(boot());

  const factory: StrategyFactory = (agent, context) => {
    if (closed) throw new Error(`the agent sandboxes are closed; ${agent.name} cannot start`);
    const worker = spare.shift() ?? boot();
    // No agent decides beside a worker still loading (it would compete for the cores): the first
    // start waits for all of them; SandboxedStrategy reports its own worker's failure or timeout.
    const until = performance.now() + loadMs;
    for (const w of all) if (w !== worker) w.waitLoaded(Math.max(0, until - performance.now()));
    return new SandboxedStrategy(worker, agent, context, { deadlineMs, buildMs, loadMs, loadLeftMs: Math.max(0, until - performance.now()) });
  };

  return {
    factory,
    deadlineMs,
    async ready() {
      const until = performance.now() + loadMs;
      for (;;) {
        const failed = all.find((w) => w.loadState() === LOAD_FAILED);
        if (failed) throw new Error(`an agent sandbox could not load its strategies: ${failed.loadError()}`);
        if (all.every((w) => w.loadState() === LOADED)) return;
        if (performance.now() > until) throw new Error(`the agent sandboxes did not load their strategies within ${loadMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async close() {
      closed = true;
      spare.length = 0;
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}

/**
 * One worker thread an agent's strategy runs in, asked synchronously: `call` posts a request and
 * waits for the reply for at most a timeout.
 */
export class AgentWorker {
  private readonly flag = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private seq = 0;
  private terminated = false;
  private loadFailure: string | null = null;
  /** Why the worker stopped on its own (an uncaught error, an exit), when it did. */
  private stopped: string | null = null;

  constructor(script: WorkerScript, module: StrategyModule) {
    const data: AgentWorkerData = { ...module, flag: this.flag };
    this.worker = startWorker(script, data);
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ port: port2 }, [port2]);
    this.port = port1;
    this.worker.on('error', (err: Error) => (this.stopped ??= `its worker failed: ${err.message}`));
    this.worker.on('exit', (code: number) => {
      if (!this.terminated) this.stopped ??= `its worker stopped with exit code ${code}`;
    });
    // An idle sandbox never keeps the host alive.
    this.worker.unref();
  }

  /** Returns `LOADING`, `LOADED` or `LOAD_FAILED`. */
  loadState(): number {
    return Atomics.load(this.flag, FLAG_LOAD);
  }

  /** Waits at most `timeoutMs` for the worker to load its strategies. */
  waitLoaded(timeoutMs: number): 'loaded' | 'failed' | 'timeout' {
    const until = performance.now() + timeoutMs;
    for (;;) {
      const state = this.loadState();
      if (state === LOADED) return 'loaded';
      if (state === LOAD_FAILED) return 'failed';
      const left = until - performance.now();
      if (left <= 0) return 'timeout';
      Atomics.wait(this.flag, FLAG_LOAD, LOADING, left);
    }
  }

  /** Why the worker could not load its strategies (once it reported `LOAD_FAILED`). */
  loadError(): string {
    if (this.loadFailure === null) {
      const m = receiveMessageOnPort(this.port)?.message as FromAgentWorker | undefined;
      this.loadFailure = m !== undefined && !m.ok ? m.message : 'no reason given';
    }
    return this.loadFailure;
  }

  /** Why the worker stopped on its own, or null while it runs. */
  stoppedBecause(): string | null {
    return this.stopped;
  }

  /** Posts a request and returns the reply, or null when none came within `timeoutMs`. */
  call(request: ToAgentWorkerBody, timeoutMs: number): FromAgentWorker | null {
    const id = ++this.seq;
    this.port.postMessage({ ...request, id });
    const until = performance.now() + timeoutMs;
    while (Atomics.load(this.flag, FLAG_REPLY) !== id) {
      const left = until - performance.now();
      if (left <= 0) return null;
      Atomics.wait(this.flag, FLAG_REPLY, id - 1, left);
    }
    const reply = receiveMessageOnPort(this.port)?.message as FromAgentWorker | undefined;
    if (reply?.id !== id) throw new Error(`an agent worker flagged reply ${id} but its port holds ${reply === undefined ? 'nothing' : `reply ${reply.id}`}`);
    return reply;
  }

  /** Stops the thread, whatever it is running. */
  terminate(): Promise<void> {
    this.terminated = true;
    this.port.close();
    return this.worker.terminate().then(() => undefined);
  }
}

/** A request without its id (`AgentWorker.call` numbers it). */
export type ToAgentWorkerBody = ToAgentWorker extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * A strategy that runs in an `AgentWorker`, asked with a deadline. Building it builds the real
 * strategy in the worker (waiting at most `loadMs` for the worker to load, then `buildMs`).
 */
export class SandboxedStrategy implements CockpitStrategy {
  readonly name: string;
  private readonly agent: string;
  private readonly deadlineMs: number;
  private missed: DecisionDeadlineMissed | null = null;
  private explanation: DecisionExplanation | null = null;
  private fillsOf: readonly ExecutionFill[] | null = null;
  private fillsSent = 0;

  constructor(
    private readonly worker: AgentWorker,
    spec: AgentSpec,
    context: StrategyContext,
    /** `loadLeftMs`: what is left of `loadMs` when the start already waited for other workers. */
    limits: { readonly deadlineMs: number; readonly buildMs: number; readonly loadMs: number; readonly loadLeftMs?: number },
  ) {
    this.agent = spec.name;
    this.deadlineMs = limits.deadlineMs;
    const loaded = worker.waitLoaded(limits.loadLeftMs ?? limits.loadMs);
    if (loaded === 'timeout') this.miss('load', limits.loadMs);
    if (loaded === 'failed') throw new Error(`${this.agent} could not load its strategies: ${worker.loadError()}`);
    const reply = this.call({ kind: 'build', spec: plainSpec(spec), context: plainContext(context) }, 'build', limits.buildMs);
    if (reply.kind !== 'built') throw new Error(`${this.agent}'s worker answered a build with ${reply.kind}`);
    this.name = reply.name;
  }

  decide(view: MarketView): StrategyStep {
    if (this.missed) throw new DecisionDeadlineMissed(this.agent, this.missed.deadlineMs, this.missed.stage, 'earlier');
    // The session's fills only grow: the worker keeps them and is sent the new ones.
    const from = view.fills === this.fillsOf && view.fills.length >= this.fillsSent ? this.fillsSent : 0;
    const reply = this.call({ kind: 'decide', view: { ...view, fills: [] }, fillsFrom: from, fills: view.fills.slice(from) }, 'decision', this.deadlineMs);
    this.fillsOf = view.fills;
    this.fillsSent = view.fills.length;
    if (reply.kind !== 'decided') throw new Error(`${this.agent}'s worker answered a decision with ${reply.kind}`);
    this.explanation = reply.explanation;
    return reply.step;
  }

  lastExplanation(): DecisionExplanation | null {
    return this.explanation;
  }

  private call(request: ToAgentWorkerBody, stage: DeadlineStage, timeoutMs: number): Extract<FromAgentWorker, { ok: true }> {
    const stopped = this.worker.stoppedBecause();
    if (stopped !== null) throw new Error(`${this.agent} cannot decide: ${stopped}`);
    const reply = this.worker.call(request, timeoutMs);
    if (reply === null) this.miss(stage, timeoutMs);
    if (!reply.ok) throw new Error(reply.message);
    return reply;
  }

  private miss(stage: DeadlineStage, ms: number): never {
    this.missed = new DecisionDeadlineMissed(this.agent, ms, stage);
    void this.worker.terminate();
    throw this.missed;
  }
}

function plainSpec(spec: AgentSpec): PlainAgentSpec {
  const { observer: _observer, onDenied: _onDenied, ...plain } = spec;
  return plain;
}

function plainContext(context: StrategyContext): PlainStrategyContext {
  const { venue: _venue, ...market } = context.market;
  return { market, parent: context.parent, startNs: context.startNs };
}
