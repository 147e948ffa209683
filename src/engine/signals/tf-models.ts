/**
 * The signal models as TF.js networks for training, and their conversion to the pure `SignalNet`
 * the engine decides with. The `tf` module is passed in (any backend), as in `learn/tf-mlp.ts`.
 */

import type * as TF from '@tensorflow/tfjs';
import type { Activation, DenseLayer } from '../learn/mlp';
import type { Tf } from '../learn/tf-mlp';
import { CLASSES } from './labels';
import type { Conv1dLayer, SignalModelKind, SignalNet } from './model';

/** Hidden sizes and the convolution's shape; small, so a model trains in minutes on one core. */
export const MLP_HIDDEN = [32, 16] as const;
export const SEQ_FILTERS = 16;
export const SEQ_KERNEL = 5;
export const SEQ_HIDDEN = 16;

/** Names the dense layer that is the seq model's convolution. */
export const CONV_LAYER_PREFIX = 'conv1d_unfolded_';

/**
 * Unfolds windows for the seq network: `x` holds `n` windows of `window` events × `inputs`
 * features (oldest first); the result holds, for each window and each of its `window − kernel + 1`
 * steps, the `kernel` consecutive events' features side by side (event k of the step at k × inputs).
 */
export function unfoldWindows(x: Float32Array, n: number, window: number, inputs: number, kernel = SEQ_KERNEL): Float32Array {
  const steps = window - kernel + 1;
  const out = new Float32Array(n * steps * kernel * inputs);
  for (let s = 0; s < n; s++) {
    for (let t = 0; t < steps; t++) {
      const from = (s * window + t) * inputs;
      out.set(x.subarray(from, from + kernel * inputs), (s * steps + t) * kernel * inputs);
    }
  }
  return out;
}

/** Returns the TF.js network of `kind` over `inputs` features (× `window` events for `seq`), softmax outputs, weights fixed by `seed`. */
export function buildSignalModel(tf: Tf, kind: SignalModelKind, inputs: number, window: number, seed: number): TF.Sequential {
  const model = tf.sequential();
  const glorot = (i: number) => tf.initializers.glorotUniform({ seed: seed + i });
  const dense = (units: number, activation: 'relu' | 'softmax', i: number, inputShape?: number[]) =>
    tf.layers.dense({ units, activation, kernelInitializer: glorot(i), biasInitializer: 'zeros', ...(inputShape ? { inputShape } : {}) });
  if (kind === 'logreg') {
    model.add(dense(CLASSES.length, 'softmax', 0, [inputs]));
  } else if (kind === 'mlp') {
    model.add(dense(MLP_HIDDEN[0], 'relu', 0, [inputs]));
    model.add(dense(MLP_HIDDEN[1], 'relu', 1));
    model.add(dense(CLASSES.length, 'softmax', 2));
  } else {
    if (window < SEQ_KERNEL) throw new Error(`a seq model needs a window of at least ${SEQ_KERNEL} events, received ${window}`);
    // The convolution as a dense layer over unfolded windows (see `unfoldWindows`): the same maths
    // as a valid conv1d, and it trains on every backend (WebAssembly has no conv1d gradient).
    model.add(
      tf.layers.dense({
        name: `${CONV_LAYER_PREFIX}${seed}`,
        units: SEQ_FILTERS,
        activation: 'relu',
        inputShape: [window - SEQ_KERNEL + 1, SEQ_KERNEL * inputs],
        kernelInitializer: glorot(0),
        biasInitializer: 'zeros',
      }),
    );
    model.add(tf.layers.globalAveragePooling1d());
    model.add(dense(SEQ_HIDDEN, 'relu', 1));
    model.add(dense(CLASSES.length, 'softmax', 2));
  }
  return model;
}

/** Returns the weights of a network built by `buildSignalModel` as a pure `SignalNet` (the softmax is applied by the predictor). */
export function toSignalNet(model: TF.LayersModel): SignalNet {
  let conv: Conv1dLayer | undefined;
  const layers: DenseLayer[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'GlobalAveragePooling1D') continue;
    const [k, b] = layer.getWeights();
    if (!k || !b) throw new Error(`layer ${layer.name} (${cls}) has no kernel and bias`);
    const cfg = layer.getConfig() as { activation?: string };
    if (cls === 'Dense' && layer.name.startsWith(CONV_LAYER_PREFIX)) {
      if (conv || layers.length > 0) throw new Error(`layer ${layer.name}: a convolution must come first`);
      if (cfg.activation !== 'relu') throw new Error(`layer ${layer.name}: expected a relu convolution, received ${cfg.activation}`);
      const [rows, filters] = k.shape as [number, number];
      const kernelSize = SEQ_KERNEL;
      if (rows % kernelSize !== 0) throw new Error(`layer ${layer.name}: ${rows} kernel rows do not split into ${kernelSize} events`);
      // Dense kernel row k × inputs + c is the convolution's [k, c]: the layouts agree.
      conv = { kernelSize, inputs: rows / kernelSize, filters, kernel: k.dataSync() as Float32Array, bias: b.dataSync() as Float32Array };
      continue;
    }
    if (cls !== 'Dense') throw new Error(`layer ${layer.name} is a ${cls}, expected Dense or GlobalAveragePooling1D`);
    const a = cfg.activation === 'softmax' ? 'linear' : cfg.activation;
    if (a !== 'relu' && a !== 'linear' && a !== 'tanh') throw new Error(`layer ${layer.name} uses activation "${cfg.activation}", expected relu, tanh or softmax`);
    layers.push({ inputs: k.shape[0] as number, outputs: k.shape[1] as number, kernel: k.dataSync() as Float32Array, bias: b.dataSync() as Float32Array, activation: a as Activation });
  }
  return conv ? { conv, head: { layers } } : { head: { layers } };
}
