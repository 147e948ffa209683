import { z } from 'zod';
import { command, reasonSchema as reason } from '../contract/define';
import type { AgentState } from '../contract/events';

const agentId = z.string().min(1).max(64);

/** The strategies an agent launched from the window can run: the baselines, or the session's learned policy ('rl'). */
export const LAUNCH_STRATEGIES = ['twap', 'vwap', 'pov', 'ac', 'rl'] as const;

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
    /** Almgren–Chriss's risk aversion, 1/bps (0 is TWAP; DEFAULT_AC_LAMBDA by default). */
    riskAversion: z.number().finite().min(0, 'a risk aversion is 0 (TWAP) or more').max(1, 'a risk aversion is at most 1 per bps').optional(),
    /** The pace, as OverrideAgent's urgency (1 by default). */
    urgency: z.number().finite().min(0.25, 'urgency is at least 0.25 (a quarter of the pace)').max(4, 'urgency is at most 4').optional(),
    /** The most of the market's volume the agent may take, as OverrideAgent's cap (none by default). */
    participationCap: z.number().min(0.01, 'a participation cap is at least 1%').max(0.5, 'a participation cap is at most 50%').optional(),
    reason,
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.urgency !== undefined && a.strategy === 'rl') ctx.addIssue({ code: 'custom', path: ['urgency'], message: 'the learned policy sets its own pace' });
    if (a.riskAversion !== undefined && a.strategy !== 'ac') ctx.addIssue({ code: 'custom', path: ['riskAversion'], message: 'a risk aversion is for Almgren–Chriss' });
    if (a.participation !== undefined && a.strategy !== 'pov') ctx.addIssue({ code: 'custom', path: ['participation'], message: 'a participation rate is for POV' });
    if (a.intervalSeconds >= a.horizonMinutes * 60) ctx.addIssue({ code: 'custom', path: ['intervalSeconds'], message: 'decisions come more often than the horizon' });
  });

/**
 * What a trader can change on a running agent, each from its next decision: the urgency it paces
 * itself by, a cap on its share of the market's volume, its limit price, the time left to its
 * horizon, and a price at which it pauses itself. Null lifts a cap, a limit or a pause price.
 */
export const overrideAgentSchema = z
  .object({
    agentId,
    /** 1 is the strategy's own pace; 2 front-loads (done f^(1/2) of the order by the schedule's f), 0.5 holds back. */
    urgency: z.number().finite().min(0.25, 'urgency is at least 0.25 (a quarter of the pace)').max(4, 'urgency is at most 4').optional(),
    participationCap: z.number().min(0.01, 'a participation cap is at least 1%').max(0.5, 'a participation cap is at most 50%').nullable().optional(),
    limitPrice: z.number().int('a limit price is a whole number of price units').min(1).nullable().optional(),
    horizonLeftMinutes: z.number().finite().min(1, 'at least 1 minute must be left to the horizon').max(390, 'a horizon is at most a trading day (390 minutes)').optional(),
    /** The agent pauses itself when the mid reaches it: a buyer's as the price rises to it, a seller's as it falls. */
    pauseAtPrice: z.number().int('a pause price is a whole number of price units').min(1).nullable().optional(),
    reason,
  })
  .strict()
  .refine((o) => Object.entries(o).some(([k, v]) => k !== 'agentId' && k !== 'reason' && v !== undefined), { message: 'give at least one parameter to change' });

/** The parameters an override changes, as the agent's card shows them (`endNs`: the horizon's end). */
export const OVERRIDE_FIELDS = ['urgency', 'participationCap', 'limitPrice', 'endNs', 'pauseAtPrice'] as const;
export type OverrideField = (typeof OVERRIDE_FIELDS)[number];

/** One parameter a trader changed: its value now beside the original, who changed it last, when and why. */
export interface AgentOverride {
  readonly field: OverrideField;
  /** Urgency and a cap as numbers (a cap a share), prices in price units, the horizon's end in ns; null: none. */
  readonly value: number | null;
  readonly original: number | null;
  readonly by: string;
  /** Wall clock (ISO 8601) and simulated time of the change. */
  readonly at: string;
  readonly ts: number;
  readonly reason: string;
}

export const agentCommands = {
  OverrideAgent: command<{ agentId: string; overrides: readonly AgentOverride[] }>()(overrideAgentSchema, "Changes a running or paused agent's urgency, participation cap, limit price, time left or pause price, from its next decision."),
  LaunchAgent: command<{ agentId: string; name: string }>()(launchAgentSchema, 'Starts a new agent on a new parent order: its strategy works the order from the next moment, through the risk gate.'),
  RetireAgent: command<{ agentId: string }>()(z.object({ agentId, reason }).strict(), 'Takes a finished (done or killed) agent off the views; its record stays in the journal.'),
  PauseAgent: command<{ agentId: string; state: AgentState }>()(z.object({ agentId, reason }).strict(), 'Stops an agent deciding; its working orders are cancelled.'),
  ResumeAgent: command<{ agentId: string; state: AgentState }>()(z.object({ agentId, reason }).strict(), 'Lets a paused agent decide again.'),
  KillAgent: command<{ agentId: string; state: AgentState }>()(z.object({ agentId, reason }).strict(), 'Halts an agent for good and cancels its working orders.'),
} as const;
