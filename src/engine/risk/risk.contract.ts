import { z } from 'zod';
import { command, REASON_MAX } from '../contract/define';
import type { SessionState } from '../contract/events';

const reason = z.string().trim().min(1, 'a reason is required').max(REASON_MAX);

export const riskCommands = {
  KillAll: command<{ state: SessionState; agentsHalted: number; ordersCancelled: number }>()(
    z.object({ reason }).strict(),
    'Halts every agent, cancels all working orders and blocks new ones until released.',
  ),
  ReleaseKillSwitch: command<{ state: SessionState }>()(
    z.object({ reason }).strict(),
    'Lets orders flow again; halted agents stay halted.',
  ),
} as const;
