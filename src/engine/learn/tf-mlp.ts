/**
 * TF.js models for the learners: small `Sequential` stacks of `Dense` layers with seeded
 * initialisers, and their conversion to the pure `Mlp` (for single decisions and explanations).
 * The `tf` module is passed in, so this layer stays free of Node and of any one backend.
 */

import type * as TF from '@tensorflow/tfjs';
import type { Activation, DenseLayer, Mlp } from './mlp';

/** The TF.js module, whichever backend it runs on. */
export type Tf = typeof TF;

/** Returns a Sequential MLP inputs → hidden… → outputs; weights fixed by `seed`. */
export function buildMlpModel(tf: Tf, inputs: number, hidden: readonly number[], outputs: number, hiddenActivation: Activation, seed: number, outputScale = 1): TF.Sequential {
  const model = tf.sequential();
  hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: hiddenActivation,
        ...(i === 0 ? { inputShape: [inputs] } : {}),
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }),
        biasInitializer: 'zeros',
      }),
    );
  });
  model.add(
    tf.layers.dense({
      units: outputs,
      activation: 'linear',
      kernelInitializer: tf.initializers.varianceScaling({ scale: outputScale, mode: 'fanAvg', distribution: 'uniform', seed: seed + hidden.length }),
      biasInitializer: 'zeros',
    }),
  );
  return model;
}

/** Returns the weights of a Sequential of Dense layers as a pure `Mlp`. */
export function toMlp(model: TF.LayersModel): Mlp {
  const layers: DenseLayer[] = model.layers.map((layer) => {
    const [k, b] = layer.getWeights();
    if (!k || !b || k.shape.length !== 2) throw new Error(`layer ${layer.name} is not a Dense layer with kernel and bias`);
    const cfg = layer.getConfig() as { activation?: string };
    const activation = (cfg.activation ?? 'linear') as Activation;
    if (activation !== 'relu' && activation !== 'tanh' && activation !== 'linear') throw new Error(`layer ${layer.name} uses activation "${activation}", expected relu, tanh or linear`);
    return { inputs: k.shape[0] as number, outputs: k.shape[1] as number, kernel: k.dataSync() as Float32Array, bias: b.dataSync() as Float32Array, activation };
  });
  return { layers };
}

/** Returns `model`'s outputs for `rows` inputs laid out in `x` (one TF.js call). */
export function predictBatch(tf: Tf, model: TF.LayersModel, x: Float32Array, rows: number, width: number): Float32Array {
  return tf.tidy(() => {
    const out = model.predict(tf.tensor2d(x, [rows, width])) as TF.Tensor;
    return out.dataSync() as Float32Array;
  });
}

/** Copies every weight of `from` into `to` (same architecture). */
export function copyWeights(from: TF.LayersModel, to: TF.LayersModel): void {
  to.setWeights(from.getWeights());
}

/** A named optimizer state tensor, as checkpoints save them. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: TF.Tensor;
}

/**
 * Adam's running powers β₁ᵗ and β₂ᵗ. `setWeights` rebuilds them as pow(β, t + 1), which differs in
 * the last bits from the products the optimizer accumulated step by step, so checkpoints carry
 * them too and a resume continues bit for bit. (They are fields of TF.js's AdamOptimizer.)
 */
const ADAM_POWERS = ['adam/accBeta1', 'adam/accBeta2'] as const;

interface AdamPowers {
  readonly accBeta1?: TF.Variable;
  readonly accBeta2?: TF.Variable;
}

/** Returns an optimizer's whole state for a checkpoint: its weights, and Adam's running powers. */
export async function optimizerState(optimizer: TF.Optimizer): Promise<NamedTensor[]> {
  const weights: NamedTensor[] = await optimizer.getWeights();
  const { accBeta1, accBeta2 } = optimizer as unknown as AdamPowers;
  return accBeta1 && accBeta2 ? [...weights, { name: ADAM_POWERS[0], tensor: accBeta1.clone() }, { name: ADAM_POWERS[1], tensor: accBeta2.clone() }] : weights;
}

/** Restores what `optimizerState` saved (checkpoints without Adam's powers restore the rest). */
export async function restoreOptimizerState(optimizer: TF.Optimizer, state: readonly NamedTensor[]): Promise<void> {
  const powers = state.filter((w) => (ADAM_POWERS as readonly string[]).includes(w.name));
  const weights = state.filter((w) => !(ADAM_POWERS as readonly string[]).includes(w.name));
  if (weights.length > 0) await optimizer.setWeights(weights);
  const adam = optimizer as unknown as AdamPowers;
  for (const p of powers) (p.name === ADAM_POWERS[0] ? adam.accBeta1 : adam.accBeta2)?.assign(p.tensor);
}
