/**
 * A session run again on the inputs it recorded: what the exact re-simulation (resimulate.ts) and a
 * what-if branch (branch.ts) share, so that both feed a record back by the same rules.
 *
 * A live session's stream depends on three things besides its configuration: how its clock was
 * sliced into frames (it does not: the kernel publishes the same stream however time is sliced),
 * the commands it received (each recorded with the last event before it and its simulated time),
 * and the workflow updates published from other threads (recorded as events of their own). So a
 * run advances the clock to each input's simulated time and applies it there. A fourth input is
 * chance of the wall clock: an agent whose sandbox missed its decision deadline was halted at that
 * decision; a run's strategies decide in its own thread and would not miss it, so the recorded
 * miss is fed back (the agent's strategy fails there with the recorded message).
 */

import { createHash } from 'node:crypto';
import type { EngineEvent } from '../contract/events';
import type { CommandResult } from '../contract/result';
import { validateCommand } from '../contract/validate';
import { isSessionCommand, isSessionCommandName, type SessionKernel, type StrategyFactory } from '../kernel/session-kernel';
import { isDeadlineMissMessage } from '../execution/deadline';
import { eventRow, type CommandPlace } from '../node/journal/journal';

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

/** One input of a recorded session, placed after event `at` at simulated time `simTs`. */
export type RecordedInput =
  | { readonly kind: 'command'; readonly at: number; readonly order: number; readonly simTs: number; readonly command: RecordedCommand }
  | { readonly kind: 'workflow'; readonly at: number; readonly order: number; readonly simTs: number; readonly event: Extract<EngineEvent, { kind: 'WorkflowUpdated' }> }
  /** An action the host recorded for a command the session does not carry out (a workflow started or cancelled). */
  | { readonly kind: 'action'; readonly at: number; readonly order: number; readonly simTs: number; readonly event: Extract<EngineEvent, { kind: 'ActionRecorded' }> };

/**
 * Returns the inputs of a recorded session in the order they reached it: the commands that took
 * effect (`commands`, as the journal holds them) and the workflow updates among `recorded` (its
 * events, in order).
 */
export function recordedInputs(commands: readonly RecordedCommand[], recorded: readonly EngineEvent[]): RecordedInput[] {
  const inputs: RecordedInput[] = [];
  const lastSeq = recorded.at(-1)?.seq ?? 0;
  commands.forEach((c, i) => {
    // One placed after the record's last event left nothing in it to compare (a journal read while its session runs).
    if (c.afterSeq !== null && c.simTs !== null && c.afterSeq < lastSeq) inputs.push({ kind: 'command', at: c.afterSeq, order: i, simTs: c.simTs, command: c });
  });
  for (const e of recorded) {
    if (e.kind === 'WorkflowUpdated') inputs.push({ kind: 'workflow', at: e.seq - 1, order: commands.length + e.seq, simTs: e.ts, event: e });
    // The session records its own commands' actions as it carries them out again; the host's are fed back like workflow updates.
    else if (e.kind === 'ActionRecorded' && !isSessionCommandName(e.command)) inputs.push({ kind: 'action', at: e.seq - 1, order: commands.length + e.seq, simTs: e.ts, event: e });
  }
  // A command placed after event k came before a workflow update numbered k + 1 (had the update come first, the command would be placed after it).
  inputs.sort((a, b) => a.at - b.at || (a.kind === b.kind ? a.order - b.order : a.kind === 'command' ? -1 : 1));
  return inputs;
}

const FAILED = 'strategy failed: ';

/**
 * Wraps `strategies` so that an agent whose recorded strategy missed its deadline (among
 * `recorded`) fails at the same moment with the same message (Kernel.decide halts it as it did
 * live); the others are as given.
 */
export function withRecordedDeadlineMisses(strategies: StrategyFactory, recorded: readonly EngineEvent[]): StrategyFactory {
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

/** A command a run carried out: what it was, where it took effect and what the session answered. */
export interface CarriedOutCommand {
  readonly wallTime: string;
  readonly name: string;
  readonly payload: unknown;
  readonly place: CommandPlace;
  readonly result: CommandResult<unknown>;
}

/** A started session kernel fed recorded inputs at their places. */
export class RecordedRun {
  /** Session commands carried out. */
  commandsApplied = 0;
  /** Workflow updates published at their places. */
  workflowUpdates = 0;

  /** `onCommand` is told of every command the session carries out (a branch journals them). */
  constructor(
    readonly kernel: SessionKernel,
    private readonly onCommand?: (command: CarriedOutCommand) => void,
  ) {}

  /** Moves the clock to simulated time `ts` (not back: a time already passed does nothing). */
  runTo(ts: number): void {
    if (ts > this.kernel.now()) this.kernel.elapse(ts - this.kernel.now());
  }

  /** Moves the clock to the input's simulated time and applies it there. */
  feed(input: RecordedInput): void {
    this.runTo(input.simTs);
    if (input.kind === 'workflow') {
      const { kind: _k, seq: _s, ts: _t, ...update } = input.event;
      this.kernel.publishWorkflow(update);
      this.workflowUpdates += 1;
      return;
    }
    if (input.kind === 'action') {
      const { kind: _k, seq: _s, ts: _t, ...action } = input.event;
      this.kernel.recordAction(action);
      return;
    }
    this.execute(input.command);
  }

  /**
   * Carries out a command now, as the host does: validated by its schema, executed as from its
   * sender at its wall time. Returns the session's answer, or null for one that would not have
   * reached the session (refused at the edge, or a workflow's; the edge refused it then too).
   */
  execute(command: Pick<RecordedCommand, 'wallTime' | 'name' | 'payload' | 'by'>): CommandResult<unknown> | null {
    const v = validateCommand(command.name, command.payload);
    if (!v.ok || !isSessionCommand(v.command)) return null;
    const place: CommandPlace = { by: command.by ?? 'trader', afterSeq: this.kernel.lastSeq, simTs: this.kernel.now() };
    const result = this.kernel.execute(v.command, place.by, command.wallTime);
    this.commandsApplied += 1;
    this.onCommand?.({ wallTime: command.wallTime, name: command.name, payload: command.payload, place, result });
    return result;
  }
}

/** An event as its journal row holds it, in one string: what two streams are compared on. */
function rowText(e: EngineEvent): string {
  return eventRow(e).join('\u0001');
}

/** Where two event streams part, compared row by row as the journal stores them, with the SHA-256 of each. */
export interface StreamComparison {
  /** The first sequence number whose event differs (or is missing on one side); null when the streams are the same. */
  readonly firstDivergenceSeq: number | null;
  /** SHA-256 over each stream's rows, in order. */
  readonly aHash: string;
  readonly bHash: string;
}

/** Compares two event streams (each in order from seq 1) row by row. */
export function compareStreams(a: readonly EngineEvent[], b: readonly EngineEvent[]): StreamComparison {
  const aHash = createHash('sha256');
  const bHash = createHash('sha256');
  let firstDivergenceSeq: number | null = null;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ea = a[i];
    const eb = b[i];
    const ra = ea === undefined ? null : rowText(ea);
    const rb = eb === undefined ? null : rowText(eb);
    if (ra !== null) aHash.update(`${ra}\n`);
    if (rb !== null) bHash.update(`${rb}\n`);
    if (firstDivergenceSeq === null && ra !== rb) firstDivergenceSeq = i + 1;
  }
  return { firstDivergenceSeq, aHash: aHash.digest('hex'), bHash: bHash.digest('hex') };
}
