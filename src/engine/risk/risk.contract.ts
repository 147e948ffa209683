import { z } from 'zod';
import { command, reasonSchema as reason } from '../contract/define';
import type { SessionState } from '../contract/events';
import { agentLimitsSchema, riskLimitsSchema, type AgentLimits, type RiskLimits } from './limits';
import type { TradingState } from './gate';
import { postureRulesSchema, type PostureRule } from './posture';

const agentId = z.string().min(1).max(64);
const tradingState = z.enum(['ACTIVE', 'REDUCING', 'HALTED']);

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
    z.object({ limits: riskLimitsSchema, reason }).strict(),
    'Sets the hard pre-trade limits (each agent’s and the session’s); every order from then on is checked against them.',
  ),
  SetAgentLimits: command<{ agentId: string; limits: AgentLimits | null }>()(
    z.object({ agentId, limits: agentLimitsSchema.nullable(), reason }).strict(),
    'Gives one agent limits of its own (null: back to the session’s per-agent limits).',
  ),
  SetTradingState: command<{ agentId: string | null; state: TradingState; ordersCancelled: number }>()(
    z.object({ agentId: agentId.nullable(), state: tradingState, reason }).strict(),
    'Sets the session’s trading state (agentId null) or one agent’s: ACTIVE, REDUCING (only orders that reduce the position) or HALTED (no new orders; working ones cancelled).',
  ),
  Flatten: command<{ agentsFlattening: number }>()(
    z.object({ agentId: agentId.nullable(), reason }).strict(),
    'Stops the agent (every agent when agentId is null) and works its position back to flat under the limits; it is reported done when flat.',
  ),
  SetPostureRules: command<{ rules: readonly PostureRule[] }>()(
    z.object({ rules: postureRulesSchema, reason }).strict(),
    'Sets what the overlay does when each detector fires (REDUCING, PAUSE or ALERT) and whether it gives the agents back when it clears.',
  ),
} as const;
