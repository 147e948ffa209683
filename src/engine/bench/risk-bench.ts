/**
 * The risk benchmark behind `cockpit bench risk`: how soon KillAll takes effect while one agent
 * busy-loops, with every agent deciding in a sandbox (node/workers/agent-sandbox.ts) beside the
 * same session with every strategy in the engine thread; and what a decision costs each way.
 *
 * Kill latency: a live session on the simulator, advanced as the host does (a 16 ms timer elapsing
 * the wall time times the speed), with many working agents and one that spins for seconds at every
 * decision. Another thread sends KillAll over a MessagePort at a set time and stamps the moment in
 * shared memory, the way the window's command reaches the engine thread. Measured on the process's
 * monotonic clock: from the request to KillSwitchEngaged, and to the last order or fill any agent
 * makes. The repetitions request the kill at moments spread over the spinner's cycle.
 *
 * Decision cost: a session with the live agents (the baselines and several learned agents, which
 * explain every decision) run as fast as it goes, every `decide` timed, in the engine thread and
 * in sandboxes: the sandbox's round trip against the deadline.
 */

import { benchGate, type GateBenchReport } from './gate-bench';
import { MessageChannel } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { SequentialIds } from '../core/ids';
import { NS_PER_SECOND } from '../core/clock';
import type { EngineEvent } from '../contract/events';
import { validateCommand } from '../contract/validate';
import { simSessionMarket } from '../kernel/market';
import { DEFAULT_AGENTS, DEFAULT_LIMITS, isSessionCommand, SessionKernel, type AgentSpec, type CockpitStrategy, type StrategyFactory } from '../kernel/session-kernel';
import { loadScenario } from '../node/files/sim-scenarios';
import { loadPolicySync } from '../node/models/policy-files';
import { DEFAULT_DECISION_DEADLINE_MS, inThreadStrategies, liveStrategyModule, misbehavingStrategyModule, sandboxedStrategies, type Sandboxes } from '../node/workers/agent-sandbox';
import { findWorkerScript, startWorker } from '../node/workers/worker-script';
import type { KillRequestData } from './kill-request-worker';

export interface RiskBenchOptions {
  /** Working agents beside the spinner (default 24). */
  readonly agents?: number;
  /** How long the spinner busy-loops at each decision, ms (default 2000). */
  readonly spinMs?: number;
  /** Kill requests per mode (default 5). */
  readonly repetitions?: number;
  /** Simulated seconds per wall second (default 20). */
  readonly speed?: number;
  readonly seed?: number;
  /** The sandboxes' decision deadline, ms (default `DEFAULT_DECISION_DEADLINE_MS`). */
  readonly deadlineMs?: number;
  /** The learned policy the decision-cost part runs. */
  readonly policyDir: string;
}

/** The setup both modes ran. */
export interface RiskBenchSetup {
  readonly scenario: string;
  readonly seed: number;
  readonly workingAgents: number;
  readonly spinMs: number;
  readonly spinnerIntervalSeconds: number;
  readonly speed: number;
  readonly frameMs: number;
  readonly repetitions: number;
  readonly deadlineMs: number;
  readonly policyDir: string;
}

/** Median and max over the repetitions, ms. */
export interface Spread {
  readonly median: number;
  readonly max: number;
}

/** One kill request. */
export interface KillRun {
  /** When the kill was requested, ms after the session's loop started. */
  readonly requestedAfterMs: number;
  /** From the request to KillSwitchEngaged. */
  readonly requestToKillSwitchMs: number;
  /** From the request to the last order accepted or fill made by any agent (0 when none came after the request). */
  readonly killToLastOrderMs: number;
  /** Orders accepted and fills made between the request and the kill switch. */
  readonly ordersAfterRequest: number;
  /** Orders accepted and fills made after the kill switch: always 0 unless the kill is broken. */
  readonly ordersAfterKillSwitch: number;
  readonly agentsHalted: number;
  readonly ordersCancelled: number;
  /** Orders still working on the venue once the kill switch engaged. */
  readonly ordersLeftOnVenue: number;
  /** How the spinner ended: its last state change's reason. */
  readonly spinner: string;
}

export interface KillFigures {
  readonly killToLastOrderMs: Spread;
  readonly requestToKillSwitchMs: Spread;
  readonly runs: readonly KillRun[];
}

/** A decision's wall time, µs. */
export interface DecisionTimes {
  readonly decisions: number;
  /** The slowest of the agents' first decisions (their code still cold). */
  readonly slowestFirstUs: number;
  readonly medianUs: number;
  readonly p99Us: number;
  readonly maxUs: number;
}

/** What one kind of strategy's decision costs in the engine thread and in its sandbox. */
export interface DecisionCost {
  readonly strategy: string;
  readonly inThread: DecisionTimes;
  readonly sandboxed: DecisionTimes;
}

/** What `cockpit bench risk` reports, one named part per figure. */
export interface RiskBenchReport {
  readonly setup: RiskBenchSetup;
  /** Kill latency with one spinning agent: every agent in a sandbox, and every strategy in the engine thread (the reference). */
  readonly kill: { readonly sandboxed: KillFigures; readonly inThread: KillFigures };
  /** Decision cost by strategy, in the engine thread and through the sandbox's round trip. */
  readonly decisions: { readonly costs: readonly DecisionCost[]; readonly sandboxedDeadlineMisses: number };
  /** The headline figures: the worst kill-to-last-order time with every agent sandboxed (target under 50 ms), and the gate's cost per order with every limit on (target under 2,000 ns). */
  readonly killToLastOrderMs: number;
  readonly gateNsPerOrder: number;
  /** The gate benchmark: its check and booking per order against the loop alone (bench/gate-bench.ts). */
  readonly gate: GateBenchReport;
}

/** The host's engine loop period (src/main/host/engine-worker.ts). */
const FRAME_MS = 16;
/** The spinner decides once a minute of simulated time: at speed 20 its 2 s spin covers 40 s, so it never spins twice in one frame. */
const SPINNER_INTERVAL_SECONDS = 60;
/** The first kill is requested this long after the loop starts; the others spread over one cycle of the spinner. */
const FIRST_REQUEST_MS = 1_500;
/** How long the loop runs on after the kill switch, to catch anything sent after it. */
const SETTLE_MS = 300;
const S = NS_PER_SECOND;

/** Runs both parts; see the module comment. */
export async function benchRisk(options: RiskBenchOptions): Promise<RiskBenchReport> {
  const setup: RiskBenchSetup = {
    scenario: 'calm',
    seed: options.seed ?? 7,
    workingAgents: options.agents ?? 24,
    spinMs: options.spinMs ?? 2_000,
    spinnerIntervalSeconds: SPINNER_INTERVAL_SECONDS,
    speed: options.speed ?? 20,
    frameMs: FRAME_MS,
    repetitions: options.repetitions ?? 5,
    deadlineMs: options.deadlineMs ?? DEFAULT_DECISION_DEADLINE_MS,
    policyDir: options.policyDir,
  };
  const kill = { sandboxed: await killFigures(setup, 'sandboxed'), inThread: await killFigures(setup, 'in-thread') };
  const decisions = await decisionCosts(setup);
  const gate = benchGate();
  return { killToLastOrderMs: kill.sandboxed.killToLastOrderMs.max, gateNsPerOrder: Math.round(gate.gateNsPerOrder), setup, kill, decisions, gate };
}

type Mode = 'sandboxed' | 'in-thread';

/** The spinner first, then the working agents: baselines on both sides, staggered starts and intervals. */
function killAgents(setup: RiskBenchSetup): AgentSpec[] {
  const spinner: AgentSpec = { name: 'spinner', strategy: 'spin', side: 'buy', quantity: 5_000, horizonSeconds: 3_600, intervalSeconds: SPINNER_INTERVAL_SECONDS, startAfterSeconds: 10 };
  const kinds = ['twap', 'vwap', 'pov'] as const;
  const working = Array.from({ length: setup.workingAgents }, (_, i): AgentSpec => {
    const strategy = kinds[i % kinds.length] as string;
    const side = i % 2 === 0 ? 'sell' : 'buy';
    return { name: `${strategy} ${side} ${i + 1}`, strategy, side, quantity: 5_000, horizonSeconds: 1_800, intervalSeconds: 2 + (i % 5), startAfterSeconds: 1 + (i % 9) };
  });
  return [spinner, ...working];
}

async function killFigures(setup: RiskBenchSetup, mode: Mode): Promise<KillFigures> {
  const runs: KillRun[] = [];
  // The spinner decides every interval of simulated time, so (a spin covering less than that) once
  // every interval / speed of wall time, spinning for spinMs of it: requests spread evenly over that
  // cycle meet it as a trader's would, mid-spin or between spins.
  const cycleMs = Math.max(setup.spinMs, (SPINNER_INTERVAL_SECONDS * 1_000) / setup.speed);
  for (let rep = 0; rep < setup.repetitions; rep++) runs.push(await killRun(setup, mode, FIRST_REQUEST_MS + (rep * cycleMs) / setup.repetitions));
  return { killToLastOrderMs: spread(runs.map((r) => r.killToLastOrderMs)), requestToKillSwitchMs: spread(runs.map((r) => r.requestToKillSwitchMs)), runs };
}

/** Runs one session on the host's loop until a kill requested `requestAfterMs` into it has taken effect. */
async function killRun(setup: RiskBenchSetup, mode: Mode, requestAfterMs: number): Promise<KillRun> {
  const agents = killAgents(setup);
  const module = misbehavingStrategyModule({ spinMs: setup.spinMs });
  let sandboxes: Sandboxes | null = null;
  let strategies: StrategyFactory;
  if (mode === 'sandboxed') {
    sandboxes = sandboxedStrategies(module, { deadlineMs: setup.deadlineMs, warm: agents.length });
    await sandboxes.ready();
    strategies = sandboxes.factory;
  } else strategies = inThreadStrategies(module);
  const script = findWorkerScript('kill-request-worker', __filename);
  if (script === null) throw new Error(`no kill-request-worker script beside ${__filename}: build the app (npm run build), or run the TypeScript under tsx`);

  const market = simSessionMarket(loadScenario(setup.scenario), setup.seed);
  const kernel = new SessionKernel({ ids: new SequentialIds(), strategies }, { sessionId: `bench-${mode}`, seed: setup.seed, market, speed: setup.speed, agents, limits: DEFAULT_LIMITS });
  const stamp = new BigInt64Array(new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT));
  const spinnerId = kernel.snapshot().agents[0]?.id;
  const seen: { orders: bigint[]; killSwitch: { at: bigint; event: Extract<EngineEvent, { kind: 'KillSwitchEngaged' }>; ordersLeftOnVenue: number } | null; spinner: string } = { orders: [], killSwitch: null, spinner: 'still running' };
  kernel.subscribe((e) => {
    const now = process.hrtime.bigint();
    if (e.kind === 'OrderAccepted' || e.kind === 'OrderFilled') seen.orders.push(now);
    else if (e.kind === 'KillSwitchEngaged') seen.killSwitch = { at: now, event: e, ordersLeftOnVenue: market.venue.openOrders().length };
    else if (e.kind === 'AgentStateChanged' && e.agentId === spinnerId) seen.spinner = `${e.state}: ${e.reason}`;
  });
  kernel.start();

  const started = process.hrtime.bigint();
  const at = started + BigInt(Math.round(requestAfterMs * 1e6));
  const { port1, port2 } = new MessageChannel();
  const data: KillRequestData = { at, stamp, reason: 'bench: kill all' };
  const killer = startWorker(script, data);
  killer.postMessage({ port: port2 }, [port2]);
  port1.on('message', (raw: { name: string; payload: unknown }) => {
    // As the engine worker does: validated at the edge, then carried out.
    const v = validateCommand(raw.name, raw.payload);
    if (!v.ok || !isSessionCommand(v.command)) throw new Error(`the bench's kill request did not validate: ${v.ok ? raw.name : v.error.message}`);
    kernel.execute(v.command);
  });

  let lastWall = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const dtMs = now - lastWall;
    lastWall = now;
    kernel.elapse(Math.round(dtMs * 1e6 * kernel.currentSpeed));
  }, FRAME_MS);
  const giveUpMs = requestAfterMs + Math.max(10_000, 5 * setup.spinMs);
  try {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const now = process.hrtime.bigint();
      if (seen.killSwitch !== null && now - seen.killSwitch.at > BigInt(SETTLE_MS * 1e6)) break;
      if (Number(now - started) / 1e6 > giveUpMs) throw new Error(`the kill requested ${requestAfterMs} ms into the ${mode} run had not engaged ${giveUpMs} ms in`);
    }
  } finally {
    clearInterval(timer);
    port1.close();
    await killer.terminate();
    await sandboxes?.close();
  }

  const requested = Atomics.load(stamp, 0);
  const { at: engagedAt, event: engaged, ordersLeftOnVenue } = seen.killSwitch as NonNullable<typeof seen.killSwitch>;
  const orders = seen.orders;
  const afterRequest = orders.filter((t) => t >= requested && t <= engagedAt);
  const lastOrder = orders.filter((t) => t >= requested).at(-1);
  return {
    requestedAfterMs: Number(requested - started) / 1e6,
    requestToKillSwitchMs: Number(engagedAt - requested) / 1e6,
    killToLastOrderMs: lastOrder === undefined ? 0 : Number(lastOrder - requested) / 1e6,
    ordersAfterRequest: afterRequest.length,
    ordersAfterKillSwitch: orders.filter((t) => t > engagedAt).length,
    agentsHalted: engaged.agentsHalted,
    ordersCancelled: engaged.ordersCancelled,
    ordersLeftOnVenue,
    spinner: seen.spinner,
  };
}

/** Learned agents beside the live session's baselines, started in turn so their decisions spread over the run. */
const LEARNED_AGENTS = 6;
/** Simulated seconds of the decision-cost session. */
const DECISION_SESSION_SECONDS = 3_600;

async function decisionCosts(setup: RiskBenchSetup): Promise<RiskBenchReport['decisions']> {
  const { manifest } = loadPolicySync(setup.policyDir);
  const env = manifest.env;
  const learned = Array.from({ length: LEARNED_AGENTS }, (_, i): AgentSpec => ({
    name: `rl ${i + 1}`,
    strategy: 'rl',
    side: env.side,
    quantity: env.quantity,
    horizonSeconds: env.horizonSeconds,
    intervalSeconds: env.horizonSeconds / env.steps,
    startAfterSeconds: env.preTradeSeconds + i * env.horizonSeconds * 0.5,
  }));
  const agents = [...learned, ...DEFAULT_AGENTS];
  const module = liveStrategyModule(setup.policyDir);
  const inThread = runTimed(agents, inThreadStrategies(module), setup.seed);
  const sandboxes = sandboxedStrategies(module, { deadlineMs: setup.deadlineMs, warm: agents.length });
  let sandboxed: ReturnType<typeof runTimed>;
  try {
    await sandboxes.ready();
    sandboxed = runTimed(agents, sandboxes.factory, setup.seed);
  } finally {
    await sandboxes.close();
  }
  const costs = [...inThread.times.keys()].map((strategy) => ({ strategy, inThread: times(inThread.times.get(strategy) ?? []), sandboxed: times(sandboxed.times.get(strategy) ?? []) }));
  return { costs, sandboxedDeadlineMisses: sandboxed.misses };
}

/** Runs a session as fast as it goes, timing every decision by strategy; counts the agents stopped for a missed deadline. */
function runTimed(agents: readonly AgentSpec[], factory: StrategyFactory, seed: number): { times: Map<string, number[][]>; misses: number } {
  const times = new Map<string, number[][]>();
  const timed: StrategyFactory = (spec, context) => {
    const inner = factory(spec, context);
    const mine: number[] = [];
    const all = times.get(spec.strategy) ?? [];
    all.push(mine);
    times.set(spec.strategy, all);
    const strategy: CockpitStrategy = {
      name: inner.name,
      decide: (view) => {
        const t0 = performance.now();
        try {
          return inner.decide(view);
        } finally {
          mine.push((performance.now() - t0) * 1_000);
        }
      },
      lastExplanation: () => inner.lastExplanation?.() ?? null,
    };
    return strategy;
  };
  const kernel = new SessionKernel({ ids: new SequentialIds(), strategies: timed }, { sessionId: 'bench-decisions', seed, market: simSessionMarket(loadScenario('calm'), seed), speed: 1, agents, limits: DEFAULT_LIMITS });
  let misses = 0;
  kernel.subscribe((e) => {
    if (e.kind === 'AgentStateChanged' && e.reason.includes('deadline')) misses += 1;
  });
  kernel.start();
  for (let t = 0; t < DECISION_SESSION_SECONDS; t++) kernel.elapse(S);
  return { times, misses };
}

/** Each agent's decisions in time order: the first of each is its cold one. */
function times(perAgent: readonly number[][]): DecisionTimes {
  const all = perAgent.flat().sort((a, b) => a - b);
  const q = (p: number): number => all[Math.min(all.length - 1, Math.floor(p * all.length))] ?? 0;
  return { decisions: all.length, slowestFirstUs: Math.max(0, ...perAgent.map((xs) => xs[0] ?? 0)), medianUs: q(0.5), p99Us: q(0.99), maxUs: all.at(-1) ?? 0 };
}

function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length === 0 ? 0 : s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { median, max: s.at(-1) ?? 0 };
}
