/**
 * A trained execution policy ready to decide: the network's weights as a pure `Mlp`, the
 * normaliser it was trained with, and what its outputs mean. Single decisions run as a pure-TS
 * forward pass (no TF.js call overhead); batches may go through TF.js when a `batch` function is
 * given (see `node/policy-files.ts`). Decisions are greedy: argmax of Q-values (DQN) or of logits
 * (PPO's most probable action).
 */

import type { DecisionExplanation, ExplainOptions, OutputKind } from './explain';
import { explainDecision } from './explain';
import type { Mlp } from './mlp';
import { argmax, mlpForward, mlpInputs, mlpOutputs } from './mlp';
import type { NormaliserState } from './normaliser';
import { RunningNormaliser } from './normaliser';

/** Evaluates the network on `rows` normalised observations at once (TF.js), returning rows × actions outputs. */
export type BatchForward = (x: Float32Array, rows: number) => Float32Array;

/** A policy that acts and explains; see the module comment. */
export class ExecutionPolicy {
  readonly width: number;
  readonly actions: number;
  private readonly normaliser: RunningNormaliser;
  private readonly x: Float32Array;
  private readonly out: Float32Array;

  constructor(
    readonly mlp: Mlp,
    readonly kind: OutputKind,
    normaliser: NormaliserState,
    private readonly batch?: BatchForward,
  ) {
    this.width = mlpInputs(mlp);
    this.actions = mlpOutputs(mlp);
    if (normaliser.mean.length !== this.width) throw new Error(`the normaliser has ${normaliser.mean.length} features, the network expects ${this.width}`);
    this.normaliser = RunningNormaliser.fromState(normaliser);
    this.x = new Float32Array(this.width);
    this.out = new Float32Array(this.actions);
  }

  /** Returns the action for one raw observation (pure-TS forward pass). */
  act(observation: ArrayLike<number>): number {
    this.normaliser.normalise(observation, this.x, 1);
    return argmax(mlpForward(this.mlp, this.x, this.out));
  }

  /** Returns the network outputs for one raw observation. */
  outputs(observation: ArrayLike<number>): Float32Array {
    this.normaliser.normalise(observation, this.x, 1);
    return Float32Array.from(mlpForward(this.mlp, this.x, this.out));
  }

  /** Writes the actions for `rows` raw observations into `out` (one TF.js call when a batch forward is set). */
  actBatch(observations: Float32Array, rows: number, out: Int32Array = new Int32Array(rows)): Int32Array {
    const x = this.normaliser.normalise(observations, new Float32Array(rows * this.width), rows);
    if (this.batch) {
      const y = this.batch(x, rows);
      for (let r = 0; r < rows; r++) out[r] = argmax(y, r * this.actions, this.actions);
    } else {
      const y = new Float32Array(this.actions);
      for (let r = 0; r < rows; r++) out[r] = argmax(mlpForward(this.mlp, x.subarray(r * this.width, (r + 1) * this.width), y));
    }
    return out;
  }

  /** Returns the greedy decision for `observation` with its explanation (opt-in: costs `steps` backward passes). */
  explain(observation: ArrayLike<number>, options: Omit<ExplainOptions, 'action'> = {}): DecisionExplanation {
    const x = this.normaliser.normalise(observation, new Float32Array(this.width), 1);
    return explainDecision(this.mlp, this.kind, observation, x, options);
  }
}
