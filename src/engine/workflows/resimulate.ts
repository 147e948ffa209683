/**
 * Exact re-simulation of a recorded session: the same market, agents, limits and seed, the
 * recorded inputs fed back where they took effect, and the event stream compared with the record.
 *
 * A live session's stream depends on three things besides its configuration: how its clock was
 * sliced into frames (it does not: the kernel publishes the same stream however time is sliced),
 * the commands it received (each recorded with the last event before it and its simulated time),
 * and the workflow updates published from other threads (recorded as events of their own). So the
 * replay advances the clock to each input's simulated time, applies it, and runs on to the last
 * recorded event. A fourth input is chance of the wall clock: an agent whose sandbox missed its
 * decision deadline was halted at that decision; the replay's strategies run in its own thread and
 * would not miss it, so the recorded miss is fed back (the agent's strategy fails there with the
 * recorded message). Events are compared as the journal stores them (seq, ts, kind, payload JSON).
 */

import { createHash } from 'node:crypto';
import type { EngineEvent } from '../contract/events';
import { validateCommand } from '../contract/validate';
import { isSessionCommand, SessionKernel, type SessionConfig, type StrategyFactory } from '../kernel/session-kernel';
import { isDeadlineMissMessage } from '../execution/deadline';
import { SequentialIds } from '../core/ids';
import { eventRow } from '../node/journal/journal';

/** A command as recorded: what it was, who sent it, and where it took effect (null: it never reached the session). */
export interface RecordedCommand {
  /** When the host received it (ISO 8601), as the kernel was told it. */
  readonly wallTime: string;
  readonly name: string;
  readonly payload: unknown;
  readonly by: string | null;
  readonly afterSeq: number | null;
  readonly simTs: number | null;
}

export interface ResimulationResult {
  /** Whether the replay published exactly the recorded stream. */
  readonly identical: boolean;
  /** Events in the record. */
  readonly events: number;
  /** Events the replay published up to the record's last simulated time. */
  readonly replayedEvents: number;
  /** The first sequence number whose event differs (or is missing on one side); null when identical. */
  readonly firstDivergenceSeq: number | null;
  /** SHA-256 over the record's rows and over the replay's, in order. */
  readonly recordedHash: string;
  readonly replayedHash: string;
  /** Session commands fed back. */
  readonly commandsApplied: number;
  /** Workflow updates fed back at their places. */
  readonly workflowUpdates: number;
}

/** An event as its journal row holds it, in one string: what both sides are compared on. */
function rowText(e: EngineEvent): string {
  return eventRow(e).join('\u0001');
}

const FAILED = 'strategy failed: ';

/**
 * Wraps `strategies` so that an agent whose recorded strategy missed its deadline fails at the same
 * moment with the same message (Kernel.decide halts it as it did live); the others are as given.
 */
function withRecordedDeadlineMisses(strategies: StrategyFactory, recorded: readonly EngineEvent[]): StrategyFactory {
  const failures = recorded.filter((e): e is Extract<EngineEvent, { kind: 'AgentStateChanged' }> => e.kind === 'AgentStateChanged' && e.state === 'killed' && e.reason.startsWith(FAILED));
  if (failures.length === 0) return strategies;
  return (spec, context) => {
    const miss = failures.find((e) => isDeadlineMissMessage(e.reason.slice(FAILED.length), spec.name));
    if (miss === undefined) return strategies(spec, context);
    const message = miss.reason.slice(FAILED.length);
    if (miss.ts <= context.startNs) throw new Error(message);
    const inner = strategies(spec, context);
    return {
      name: inner.name,
      decide(view) {
        if (view.ts >= miss.ts) throw new Error(message);
        return inner.decide(view);
      },
      ...(inner.lastExplanation ? { lastExplanation: () => inner.lastExplanation!() } : {}),
    };
  };
}

type Input =
  | { readonly kind: 'command'; readonly at: number; readonly order: number; readonly simTs: number; readonly command: RecordedCommand }
  | { readonly kind: 'workflow'; readonly at: number; readonly order: number; readonly simTs: number; readonly event: Extract<EngineEvent, { kind: 'WorkflowUpdated' }> };

/**
 * Re-runs a session on `config` with `strategies`, feeding back `commands` and the workflow updates
 * of `recorded`, and compares what it publishes with `recorded` (the journal's events, in order).
 */
export function resimulate(config: Omit<SessionConfig, 'speed'> & { readonly speed: number }, strategies: StrategyFactory, commands: readonly RecordedCommand[], recorded: readonly EngineEvent[]): ResimulationResult {
  const inputs: Input[] = [];
  const lastSeq = recorded.at(-1)?.seq ?? 0;
  commands.forEach((c, i) => {
    // One placed after the record's last event left nothing in it to compare (a journal read while its session runs).
    if (c.afterSeq !== null && c.simTs !== null && c.afterSeq < lastSeq) inputs.push({ kind: 'command', at: c.afterSeq, order: i, simTs: c.simTs, command: c });
  });
  for (const e of recorded) if (e.kind === 'WorkflowUpdated') inputs.push({ kind: 'workflow', at: e.seq - 1, order: commands.length + e.seq, simTs: e.ts, event: e });
  // A command placed after event k came before a workflow update numbered k + 1 (had the update come first, the command would be placed after it).
  inputs.sort((a, b) => a.at - b.at || (a.kind === b.kind ? a.order - b.order : a.kind === 'command' ? -1 : 1));

  const kernel = new SessionKernel({ ids: new SequentialIds(), strategies: withRecordedDeadlineMisses(strategies, recorded) }, config);
  const replayed: EngineEvent[] = [];
  kernel.subscribe((e) => replayed.push(e));
  kernel.start();
  const runTo = (ts: number): void => {
    if (ts > kernel.now()) kernel.elapse(ts - kernel.now());
  };
  let commandsApplied = 0;
  let workflowUpdates = 0;
  for (const input of inputs) {
    runTo(input.simTs);
    if (input.kind === 'workflow') {
      const { kind: _k, seq: _s, ts: _t, ...update } = input.event;
      kernel.publishWorkflow(update);
      workflowUpdates += 1;
      continue;
    }
    const v = validateCommand(input.command.name, input.command.payload);
    // A command the edge refused never reached the session; one that did was valid then and is now.
    if (!v.ok || !isSessionCommand(v.command)) continue;
    kernel.execute(v.command, input.command.by ?? 'trader', input.command.wallTime);
    commandsApplied += 1;
  }
  const last = recorded.at(-1);
  if (last !== undefined) runTo(last.ts);

  const recordedHash = createHash('sha256');
  const replayedHash = createHash('sha256');
  let firstDivergenceSeq: number | null = null;
  const n = Math.max(recorded.length, replayed.length);
  for (let i = 0; i < n; i++) {
    const a = recorded[i];
    const b = replayed[i];
    const ra = a === undefined ? null : rowText(a);
    const rb = b === undefined ? null : rowText(b);
    if (ra !== null) recordedHash.update(`${ra}\n`);
    if (rb !== null) replayedHash.update(`${rb}\n`);
    if (firstDivergenceSeq === null && ra !== rb) firstDivergenceSeq = i + 1;
  }
  return {
    identical: firstDivergenceSeq === null,
    events: recorded.length,
    replayedEvents: replayed.length,
    firstDivergenceSeq,
    recordedHash: recordedHash.digest('hex'),
    replayedHash: replayedHash.digest('hex'),
    commandsApplied,
    workflowUpdates,
  };
}
