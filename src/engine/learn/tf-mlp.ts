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
