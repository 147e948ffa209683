import type { HostMessage } from '../../engine/contract/wire';
import type { ValidCommand } from '../../engine/contract/index';
import type { CommandErrorCode } from '../../engine/contract/result';

/** What the engine host is started with. */
export interface EngineOptions {
  readonly seed: number;
  /** Where sessions' journals go; null runs without a journal (tests of the contract only). */
  readonly dataDir: string | null;
  readonly speed?: number;
  /** A shipped scenario's name or a scenario file's path; calm by default. */
  readonly scenario?: string;
  /** A recorded LOBSTER day to run on instead of the simulator: its message file (absolute). */
  readonly lobster?: { readonly messages: string };
  /** Where the session starts in the day, ns since midnight: on a recorded day, the message the replay starts from (default its first); on the simulator, the time the scenario's market runs to before the agents start (default its open). */
  readonly startNs?: number;
  /** The model directory the session's RL agent runs (absolute, or relative to the working directory); the shipped policy by default. */
  readonly policyDir?: string;
  /** TensorFlow.js backend to use instead of the best available one. */
  readonly backend?: 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
  /** A better-sqlite3 binary built for this runtime, where the default one is built for another. */
  readonly sqliteBinding?: string;
  readonly appVersion: string;
  /** Who started this session from a window, when and why (StartSession): the session's first action on the audit trail. */
  readonly opening?: SessionHandover;
}

/** A StartSession as the sessions on either side of it record it: who, when (wall clock), why, and the market the new one runs on. */
export interface SessionHandover {
  readonly by: string;
  readonly at: string;
  readonly reason: string;
  readonly detail: string;
}

/** What a replay worker (replay-worker.ts) is started with: one recorded session's journal. */
export interface ReplayWorkerOptions {
  readonly journalPath: string;
  readonly sqliteBinding?: string;
  readonly appVersion: string;
}

/** Messages from the engine worker (or a replay worker) to its host thread. */
export type WorkerMessage = HostMessage | { readonly t: 'ready'; readonly sessionId: string; readonly journalPath: string | null; readonly backend: string } | { readonly t: 'fatal'; readonly message: string };

/**
 * Messages from the host thread to the engine worker: commands the edge validated, and the ones it
 * refused (so the journal records every command a window sent, carried out or not).
 */
export type ToWorkerMessage =
  /** `by`: who sent it (the Electron window, a browser window and its address), recorded with the changes it makes. */
  | { readonly t: 'cmd'; readonly id: number; readonly command: ValidCommand; readonly by: string }
  | { readonly t: 'refused'; readonly name: string; readonly code: CommandErrorCode }
  /** `handover`: the session ends because a window started another (recorded on its audit trail before its journal closes). */
  | { readonly t: 'stop'; readonly handover?: SessionHandover };
