import { z } from 'zod';
import { command, reasonSchema as reason } from '../contract/define';
import type { AgentState } from '../contract/events';

const agentId = z.string().min(1).max(64);

export const agentCommands = {
  PauseAgent: command<{ agentId: string; state: AgentState }>()(z.object({ agentId, reason }).strict(), 'Stops an agent deciding; its working orders are cancelled.'),
  ResumeAgent: command<{ agentId: string; state: AgentState }>()(z.object({ agentId, reason }).strict(), 'Lets a paused agent decide again.'),
  KillAgent: command<{ agentId: string; state: AgentState }>()(z.object({ agentId, reason }).strict(), 'Halts an agent for good and cancels its working orders.'),
} as const;
