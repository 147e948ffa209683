/**
 * The strategies a live session's agents decide with: the baselines, and the learned policy in a
 * model directory for the agent whose strategy is 'rl' (explaining every decision). An agent
 * worker (agent-worker.ts) loads this module by its file and builds each agent's strategy from it,
 * so the policy is loaded once in every worker, off the engine thread.
 */

import { basename } from 'node:path';
import { baselineStrategies } from '../../kernel/strategies';
import { LearnedStrategy } from '../../kernel/learned-strategy';
import type { StrategyFactory } from '../../kernel/session-kernel';
import { loadPolicySync } from '../models/policy-files';

/** What `liveStrategies` is given (plain JSON: it crosses to the worker). */
export interface LiveStrategyArgs {
  /** The policy's model directory, absolute. */
  readonly policyDir: string;
}

/** Returns the live session's strategy factory: the learned policy in `policyDir` for 'rl', the baselines otherwise. */
export function liveStrategies(args: LiveStrategyArgs): StrategyFactory {
  const { policy, manifest } = loadPolicySync(args.policyDir);
  const name = basename(args.policyDir);
  return (spec, context) => (spec.strategy === 'rl' ? new LearnedStrategy({ name, policy, steps: manifest.env.steps, side: spec.side, explain: true }) : baselineStrategies(spec, context));
}
