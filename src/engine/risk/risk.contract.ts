import { z } from 'zod';
import { command, reasonSchema as reason } from '../contract/define';
import type { SessionState } from '../contract/events';
import { riskLimitsShape, type RiskLimits } from './limits';


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
      .object({ ...riskLimitsShape, reason })
      .strict(),
    'Sets the hard pre-trade limits; every order from then on is checked against them.',
  ),
} as const;
