/**
 * Exact re-simulation of a recorded session: the same market, agents, limits and seed, the
 * recorded inputs fed back where they took effect (recorded-run.ts says which and how), and the
 * event stream compared with the record as the journal stores it (seq, ts, kind, payload JSON).
 */

import type { EngineEvent } from '../contract/events';
import { SessionKernel, type SessionConfig, type StrategyFactory } from '../kernel/session-kernel';
import { SequentialIds } from '../core/ids';
import { compareStreams, RecordedRun, recordedInputs, withRecordedDeadlineMisses, type RecordedCommand } from './recorded-run';

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

/**
 * Re-runs a session on `config` with `strategies`, feeding back `commands` and the workflow updates
 * of `recorded`, and compares what it publishes with `recorded` (the journal's events, in order).
 */
export function resimulate(config: Omit<SessionConfig, 'speed'> & { readonly speed: number }, strategies: StrategyFactory, commands: readonly RecordedCommand[], recorded: readonly EngineEvent[]): ResimulationResult {
  const run = new RecordedRun(new SessionKernel({ ids: new SequentialIds(), strategies: withRecordedDeadlineMisses(strategies, recorded) }, config));
  const replayed: EngineEvent[] = [];
  run.kernel.subscribe((e) => replayed.push(e));
  run.kernel.start();
  for (const input of recordedInputs(commands, recorded)) run.feed(input);
  const last = recorded.at(-1);
  if (last !== undefined) run.runTo(last.ts);
  const { firstDivergenceSeq, aHash, bHash } = compareStreams(recorded, replayed);
  return {
    identical: firstDivergenceSeq === null,
    events: recorded.length,
    replayedEvents: replayed.length,
    firstDivergenceSeq,
    recordedHash: aHash,
    replayedHash: bHash,
    commandsApplied: run.commandsApplied,
    workflowUpdates: run.workflowUpdates,
  };
}
