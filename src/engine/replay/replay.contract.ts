import { z } from 'zod';
import { command, reasonSchema as reason } from '../contract/define';
import { limitsPatchSchema } from '../risk/limits';
import type { BranchResult } from './branch-types';
import { REPLAY_SPEED_MAX, REPLAY_SPEED_MIN, type ReplaySpeed, type ReplayState } from './player';

/** How a recorded session ended: still being written, closed by the app, cut off (the process died), or not recorded (schema 1). */
export type SessionEnd = 'running' | 'clean' | 'abnormal' | 'unknown';

/** Where a replay stands, sent with every batch it plays and with every transport command's answer. */
export interface ReplayStatus {
  readonly sessionId: string;
  readonly state: ReplayState;
  readonly speed: ReplaySpeed;
  /** The last event shown. */
  readonly position: number;
  readonly lastSeq: number;
  /** Simulated time shown, and the session's first and last moments (ns since midnight). */
  readonly simTimeNs: number;
  readonly startNs: number;
  readonly endNs: number;
}

/** What a replay's timeline marks. */
export type TimelineMarkerKind = 'fill' | 'denial' | 'alert' | 'action';

export interface TimelineMarker {
  readonly kind: TimelineMarkerKind;
  /** The event it is at (for a human action: the first event after it took effect). */
  readonly seq: number;
  readonly ts: number;
  readonly label: string;
}

/** A timeline's markers, thinned evenly past a limit per kind, with how many there were of each. */
export interface TimelineMarkers {
  readonly counts: Readonly<Record<TimelineMarkerKind, number>>;
  readonly markers: readonly TimelineMarker[];
}

/** A recorded session as the window lists it; `problem` set: a file in the sessions folder that cannot be read as one. */
export interface SessionListing {
  readonly id: string;
  readonly createdAt: string | null;
  /** The scenario or the recorded day, in words. */
  readonly market: string;
  readonly agents: readonly string[];
  readonly firstTs: number | null;
  readonly lastTs: number | null;
  readonly events: number;
  readonly end: SessionEnd;
  /** The session this one branched from, and at which event. */
  readonly parent: { readonly sessionId: string; readonly atSeq: number } | null;
  readonly problem: string | null;
}

/** A session id as its journal's file name has it: no path, nothing hidden. */
export const sessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,159}$/, 'a session id is the name of its journal: letters, digits, ".", "_" and "-"')
  .refine((id) => !id.includes('..'), 'a session id is the name of its journal, not a path');

/** The largest step: a step beyond it is a seek. */
export const REPLAY_STEP_MAX = 100_000;

const status = command<{ replay: ReplayStatus }>();

/**
 * Replay commands. Listing and opening go to the host; a window with a replay open sends the
 * transport commands (and GetSnapshot) to it, and nothing else it sends reaches a market.
 */
export const replayCommands = {
  ListSessions: command<{ sessions: readonly SessionListing[]; live: string | null; policies: readonly string[] }>()(
    z.object({}).strict(),
    'Lists the recorded sessions of the data folder, oldest first, names the live one, and the shipped policies a what-if branch can switch to.',
  ),
  OpenReplay: command<{ replay: ReplayStatus; markers: TimelineMarkers }>()(
    z.object({ sessionId: sessionIdSchema }).strict(),
    'Opens a recorded session in this window, paused at its start: the window is fed its stream instead of the live one, and sends nothing to a market.',
  ),
  CloseReplay: command<{ live: string | null }>()(z.object({}).strict(), "Closes this window's replay; it is fed the live session again."),
  PlayReplay: status(z.object({}).strict(), 'Plays the open replay at its speed.'),
  PauseReplay: status(z.object({}).strict(), 'Pauses the open replay.'),
  SetReplaySpeed: status(
    z.object({ speed: z.union([z.number().finite().min(REPLAY_SPEED_MIN).max(REPLAY_SPEED_MAX), z.literal('max')]) }).strict(),
    `Sets the replay's speed: ${REPLAY_SPEED_MIN}× to ${REPLAY_SPEED_MAX}× simulated seconds per wall second, or 'max' (as fast as the window takes it).`,
  ),
  StepReplay: status(z.object({ events: z.number().int().min(1).max(REPLAY_STEP_MAX).default(1) }).strict(), 'Shows the next event (or the next n), playing or paused.'),
  BranchSession: command<BranchResult>()(
    z.object({ sessionId: sessionIdSchema, atSeq: z.number().int().min(1), modelDir: z.string().trim().min(1).max(1_000).optional(), limits: limitsPatchSchema.optional(), reason }).strict(),
    'Branches a recorded session after event atSeq with another policy for its learned agent or other limits: re-run exactly to there, changed, run on to its end, journaled as a session of its own linked to its parent, and compared with it side by side.',
  ),
  SeekReplay: status(
    z.union([z.object({ seq: z.number().int().min(0) }).strict(), z.object({ ts: z.number().int().min(0) }).strict()]),
    'Moves the open replay to just after event `seq`, or to simulated time `ts`; the window then asks for the snapshot there.',
  ),
} as const;

/** The commands a window's replay answers (the transport, and the snapshot at its position). */
export const REPLAY_TRANSPORT = new Set<string>(['PlayReplay', 'PauseReplay', 'SetReplaySpeed', 'StepReplay', 'SeekReplay', 'GetSnapshot']);
