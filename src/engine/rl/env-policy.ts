/**
 * A trained policy as an `ExecutionStrategy`: it encodes the view exactly as the environment does,
 * asks the policy for an action index and carries it out the same way, so a policy evaluated in the
 * backtest meets the market it was trained on. Use the environment's decision interval
 * (horizon / steps) as the backtest's interval.
 */

import type { ExecutionStrategy, MarketView, StrategyStep } from '../execution/types';
import { ACTION_COUNT, actionToStep, encodeObservation, OBSERVATION_FIELDS, OBSERVATION_SIZE, twapSlice } from './env';

/** Maps an observation (`OBSERVATION_SIZE` float32s) to an action index in [0, `ACTION_COUNT`). */
export type Policy = (observation: Float32Array) => number;

/** The policy to run and the environment shape it was trained on. */
export interface PolicyStrategyOptions {
  readonly name: string;
  readonly policy: Policy;
  /** The environment's steps per episode: fixes the TWAP slice the actions are multiples of. */
  readonly steps: number;
  readonly signals?: (view: MarketView) => ArrayLike<number>;
}

/** Runs a policy as an execution strategy; see the module comment. */
export class PolicyStrategy implements ExecutionStrategy {
  readonly name: string;
  private readonly obs = new Float32Array(OBSERVATION_SIZE);

  constructor(private readonly options: PolicyStrategyOptions) {
    this.name = options.name;
  }

  decide(view: MarketView): StrategyStep {
    const slice = twapSlice(view.parent.quantity, this.options.steps);
    const interval = view.parent.horizonNs / this.options.steps;
    encodeObservation(view, slice, interval, this.obs, 0, this.options.signals?.(view));
    const action = this.options.policy(this.obs);
    if (!Number.isInteger(action) || action < 0 || action >= ACTION_COUNT) {
      throw new Error(`policy "${this.name}" returned action ${action}, expected an integer in [0, ${ACTION_COUNT})`);
    }
    const step = actionToStep(action, view, slice);
    const inputs: Record<string, number> = { ...step.inputs };
    OBSERVATION_FIELDS.forEach((field, i) => (inputs[field] = this.obs[i] as number));
    return { ...step, inputs };
  }
}
