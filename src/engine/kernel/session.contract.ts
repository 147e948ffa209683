import { z } from 'zod';
import { command, REASON_MAX } from '../contract/define';
import type { SessionSnapshot } from './snapshot';
import type { SessionState } from '../contract/events';

const reason = z.string().trim().min(1, 'a reason is required').max(REASON_MAX);

/** Host facts the window shows beside the session: inference backend, version, journal. */
export interface HostInfo {
  readonly version: string;
  readonly backend: string;
  readonly backendDetail: string;
  /** The policy the session runs, as an `rl:` entry of a backtest names it (relative to the application root). */
  readonly policyDir: string;
  readonly journalPath: string | null;
}

export const sessionCommands = {
  GetSnapshot: command<{ snapshot: SessionSnapshot; host: HostInfo }>()(
    z.object({}).strict(),
    'Returns the whole session state and the last event sequence number it includes.',
  ),
  SetSpeed: command<{ speed: number }>()(
    z.object({ speed: z.number().finite().min(0.1).max(1000), reason: reason.optional() }).strict(),
    'Sets how many simulated seconds pass per wall second.',
  ),
  PauseSession: command<{ state: SessionState }>()(z.object({ reason }).strict(), 'Stops the simulated clock.'),
  ResumeSession: command<{ state: SessionState }>()(z.object({ reason }).strict(), 'Starts the simulated clock again.'),
} as const;
