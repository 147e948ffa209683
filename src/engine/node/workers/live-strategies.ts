/**
 * The strategies a live session's agents decide with: the baselines, and the learned policy in a
 * model directory for the agent whose strategy is 'rl' (explaining every decision). An agent
 * worker (agent-worker.ts) loads this module by its file and builds each agent's strategy from it,
 * so the policy is loaded once in every worker, off the engine thread.
 */

import { basename } from 'node:path';
import { baselineStrategies } from '../../kernel/strategies';
import { isLearned, LearnedStrategy } from '../../kernel/learned-strategy';
import type { StrategyFactory } from '../../kernel/session-kernel';
import { loadPolicySync, observesSignal } from '../models/policy-files';
import { OBSERVATION_SIZE } from '../../rl/env';
import type { ExecutionPolicy } from '../../learn/policy';

/** Explanations run while the policy loads, so the first real one does not pay for compiling it. */
const WARM_UP_DECISIONS = 30;

/** What `liveStrategies` is given (plain JSON: it crosses to the worker). */
export interface LiveStrategyArgs {
  /** The policy's model directory, absolute. */
  readonly policyDir: string;
}

/** Returns the live session's strategy factory: the learned policy in `policyDir` for 'rl', the baselines otherwise. */
export function liveStrategies(args: LiveStrategyArgs): StrategyFactory {
  const { policy, manifest } = loadPolicySync(args.policyDir);
  warmUp(policy);
  const name = basename(args.policyDir);
  const signal = observesSignal(manifest);
  return (spec, context) => (isLearned(spec) ? new LearnedStrategy({ name, policy, steps: manifest.env.steps, side: spec.side, explain: true, observesSignal: signal }) : baselineStrategies(spec, context));
}

/**
 * The first explanation in a fresh thread takes about 35 ms while V8 compiles the forward and
 * backward passes, past the sandbox's decision deadline; the later ones take about 1.5 ms, and
 * less once V8 has optimised them. Running some on an empty observation here, as a worker loads
 * (about 50 ms, off the engine thread), moves that cost out of the agent's first decisions. The
 * policy keeps no state between calls, so its decisions do not change.
 */
function warmUp(policy: ExecutionPolicy): void {
  const observation = new Float32Array(OBSERVATION_SIZE);
  for (let i = 0; i < WARM_UP_DECISIONS; i++) {
    policy.explain(observation);
    policy.act(observation);
  }
}
