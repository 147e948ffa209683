import { z } from 'zod';
import { command, reasonSchema as reason } from '../contract/define';
import type { AgentState } from '../contract/events';

const agentId = z.string().min(1).max(64);

/** The strategies an agent launched from the window can run: the baselines, or the session's learned policy ('rl'). */
export const LAUNCH_STRATEGIES = ['twap', 'vwap', 'pov', 'rl'] as const;

export const launchAgentSchema = z
  .object({
    strategy: z.enum(LAUNCH_STRATEGIES),
    side: z.enum(['buy', 'sell']),
    quantity: z.number().int('a quantity is a whole number of lots').min(1, 'a quantity is at least 1 lot').max(10_000_000),
    horizonMinutes: z.number().finite().min(1, 'a horizon is at least 1 minute').max(390, 'a horizon is at most a trading day (390 minutes)'),
    intervalSeconds: z.number().int('decisions come every whole number of seconds').min(1).max(3_600),
    /** Sells never below it, buys never above it (venue price units). */
    limitPrice: z.number().int().min(1).optional(),
    /** POV's share of the market's volume. */
    participation: z.number().min(0.01, 'participation is at least 1%').max(0.5, 'participation is at most 50%').optional(),
    reason,
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.participation !== undefined && a.strategy !== 'pov') ctx.addIssue({ code: 'custom', path: ['participation'], message: 'a participation rate is for POV' });
    if (a.intervalSeconds >= a.horizonMinutes * 60) ctx.addIssue({ code: 'custom', path: ['intervalSeconds'], message: 'decisions come more often than the horizon' });
  });

export const agentCommands = {
  LaunchAgent: command<{ agentId: string; name: string }>()(launchAgentSchema, 'Starts a new agent on a new parent order: its strategy works the order from the next moment, through the risk gate.'),
  RetireAgent: command<{ agentId: string }>()(z.object({ agentId, reason }).strict(), 'Takes a finished (done or killed) agent off the views; its record stays in the journal.'),
  PauseAgent: command<{ agentId: string; state: AgentState }>()(z.object({ agentId, reason }).strict(), 'Stops an agent deciding; its working orders are cancelled.'),
  ResumeAgent: command<{ agentId: string; state: AgentState }>()(z.object({ agentId, reason }).strict(), 'Lets a paused agent decide again.'),
  KillAgent: command<{ agentId: string; state: AgentState }>()(z.object({ agentId, reason }).strict(), 'Halts an agent for good and cancels its working orders.'),
} as const;
