import { z } from 'zod';
import { command, REASON_MAX } from '../contract/define';
import type { SessionState } from '../contract/events';
import type { RiskLimits } from '../kernel/snapshot';

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
  SetRiskLimits: command<{ limits: RiskLimits }>()(
    z
      .object({
        maxOrderLots: z.number().int().min(1).max(1_000_000),
        priceCollarBps: z.number().finite().min(1).max(5_000),
        maxOpenOrders: z.number().int().min(1).max(1_000),
        reason,
      })
      .strict(),
    'Sets the hard pre-trade limits; every order from then on is checked against them.',
  ),
} as const;
