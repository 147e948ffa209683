/**
 * A trained signal model as the engine runs it: its description (`SignalModelSpec`, the
 * `signal.json` of a model directory), a pure-TS forward pass (no TF.js on the decision path), and
 * `SignalPredictor`, which is fed the feature vector after every event and says how likely the mid
 * is to go down, stay flat or go up over the model's horizon.
 *
 * Three kinds: `logreg` (one softmax layer), `mlp` (dense layers), `seq` (a 1-D convolution over the
 * last `window` events' features, global average pooling, then a softmax layer).
 */

import { z } from 'zod';
import type { DenseLayer, Mlp } from '../learn/mlp';
import { mlpForward } from '../learn/mlp';
import { CLASSES } from './labels';

export const SIGNAL_MODEL_KINDS = ['logreg', 'mlp', 'seq'] as const;
export type SignalModelKind = (typeof SIGNAL_MODEL_KINDS)[number];

const classShares = z.object({ down: z.number(), flat: z.number(), up: z.number() });

/** What `signal.json` holds: everything needed to run the model besides its weights. */
export const signalModelSpecSchema = z.object({
  format: z.literal('cockpit-signal-model'),
  version: z.literal(1),
  name: z.string().min(1),
  kind: z.enum(SIGNAL_MODEL_KINDS),
  /** Feature names the model reads, in input order (see `FEATURE_DOCS`). */
  inputs: z.array(z.string().min(1)).min(1),
  /** Levels a side the source must carry. */
  levels: z.number().int().positive(),
  /** Events the model looks at: 1, or the sequence length of a `seq` model. */
  window: z.number().int().positive(),
  horizon: z.number().int().positive(),
  thresholdTicks: z.number().nonnegative(),
  /** Standardisation of the inputs, from the training split. */
  mean: z.array(z.number()),
  std: z.array(z.number().positive()),
  /** Class shares of the training labels; the majority predictor uses them. */
  trainBalance: classShares,
  /** Free-form training facts (data files, splits, epochs, validation scores). */
  training: z.record(z.string(), z.unknown()),
});
export type SignalModelSpec = z.output<typeof signalModelSpecSchema>;

/** A 1-D convolution over time: kernel [kernelSize, inputs, filters] row-major, valid padding, relu. */
export interface Conv1dLayer {
  readonly kernelSize: number;
  readonly inputs: number;
  readonly filters: number;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
}

/** The weights of a model: dense layers, after a convolution for `seq`. */
export interface SignalNet {
  readonly conv?: Conv1dLayer;
  readonly head: Mlp;
}

/** The model's belief about the mid over its horizon; the three sum to 1. */
export interface SignalPrediction {
  readonly down: number;
  readonly flat: number;
  readonly up: number;
}

/** Throws unless `net` fits `spec` (input widths, three outputs). */
export function checkNet(spec: SignalModelSpec, net: SignalNet): void {
  const width = spec.inputs.length;
  if (spec.mean.length !== width || spec.std.length !== width) throw new Error(`${spec.name}: ${width} inputs but ${spec.mean.length} means and ${spec.std.length} deviations`);
  const first = net.head.layers[0] as DenseLayer | undefined;
  const last = net.head.layers[net.head.layers.length - 1] as DenseLayer | undefined;
  if (!first || !last) throw new Error(`${spec.name}: the network has no dense layer`);
  if (last.outputs !== CLASSES.length) throw new Error(`${spec.name}: the network has ${last.outputs} outputs, expected ${CLASSES.length} (down, flat, up)`);
  if (spec.kind === 'seq') {
    if (!net.conv) throw new Error(`${spec.name}: a seq model needs a convolution layer`);
    if (net.conv.inputs !== width) throw new Error(`${spec.name}: the convolution takes ${net.conv.inputs} inputs, the spec lists ${width}`);
    if (net.conv.kernelSize > spec.window) throw new Error(`${spec.name}: kernel of ${net.conv.kernelSize} events over a window of ${spec.window}`);
    if (first.inputs !== net.conv.filters) throw new Error(`${spec.name}: the head takes ${first.inputs} inputs, the convolution gives ${net.conv.filters}`);
  } else {
    if (net.conv) throw new Error(`${spec.name}: a ${spec.kind} model has no convolution layer`);
    if (first.inputs !== width) throw new Error(`${spec.name}: the network takes ${first.inputs} inputs, the spec lists ${width}`);
  }
}

/** Standardised inputs are clipped to ±this many deviations, so a day unlike training cannot blow up a unit. */
export const INPUT_CLIP = 8;

/**
 * Runs a model event by event: `bind` it to a feature source's names once, then `observe` the
 * source's vector after every event and `predict` when a decision is due. A `seq` model predicts
 * from the last `window` observed events (the first `window − 1` predictions pad with the oldest).
 */
export class SignalPredictor {
  readonly spec: SignalModelSpec;
  private readonly net: SignalNet;
  private index: Int32Array | undefined;
  private readonly width: number;
  /** Ring of standardised inputs, `window` rows. */
  private readonly ring: Float32Array;
  private seen = 0;
  private readonly logits = new Float32Array(CLASSES.length);
  private readonly pooled: Float32Array;
  private readonly convOut: Float32Array;

  constructor(spec: SignalModelSpec, net: SignalNet) {
    checkNet(spec, net);
    this.spec = spec;
    this.net = net;
    this.width = spec.inputs.length;
    this.ring = new Float32Array(spec.window * this.width);
    this.pooled = new Float32Array(net.conv?.filters ?? 0);
    this.convOut = new Float32Array(net.conv?.filters ?? 0);
  }

  /** Maps the model's inputs to a source's feature names; throws naming what is missing (e.g. depth a level-1 file lacks). */
  bind(featureNames: readonly string[]): this {
    const missing = this.spec.inputs.filter((n) => !featureNames.includes(n));
    if (missing.length > 0) {
      throw new Error(`model ${this.spec.name} needs ${this.spec.levels} levels and the features ${missing.join(', ')}, which this source (${featureNames.length} features) does not give`);
    }
    this.index = Int32Array.from(this.spec.inputs, (n) => featureNames.indexOf(n));
    this.seen = 0;
    return this;
  }

  /** Takes the source's vector after one event. */
  observe(vector: ArrayLike<number>): void {
    const index = this.index;
    if (!index) throw new Error(`model ${this.spec.name}: call bind(featureNames) before observe`);
    const off = (this.seen % this.spec.window) * this.width;
    const { mean, std } = this.spec;
    for (let i = 0; i < this.width; i++) {
      const z = ((vector[index[i] as number] as number) - (mean[i] as number)) / (std[i] as number);
      this.ring[off + i] = z > INPUT_CLIP ? INPUT_CLIP : z < -INPUT_CLIP ? -INPUT_CLIP : z || 0;
    }
    this.seen++;
  }

  /** Returns the class probabilities after the last observed event; throws before any. */
  predict(): SignalPrediction {
    const p = this.probabilities();
    return { down: p[0] as number, flat: p[1] as number, up: p[2] as number };
  }

  /** Returns the most likely class index (0 down, 1 flat, 2 up) after the last observed event. */
  predictClass(): number {
    const p = this.probabilities();
    return p[2]! > p[1]! && p[2]! > p[0]! ? 2 : p[0]! > p[1]! ? 0 : 1;
  }

  /** Returns down, flat, up probabilities in a reused array. */
  probabilities(): Float32Array {
    if (this.seen === 0) throw new Error(`model ${this.spec.name}: no event observed yet`);
    const { conv, head } = this.net;
    let x: Float32Array;
    if (!conv) {
      const off = ((this.seen - 1) % this.spec.window) * this.width;
      x = this.ring.subarray(off, off + this.width);
    } else {
      x = this.convolve(conv);
    }
    softmaxInPlace(mlpForward(head, x, this.logits));
    return this.logits;
  }

  /** Valid 1-D convolution over the window (oldest event first), relu, then the mean over time. */
  private convolve(conv: Conv1dLayer): Float32Array {
    const T = this.spec.window;
    const C = this.width;
    const F = conv.filters;
    const K = conv.kernelSize;
    const out = this.pooled;
    out.fill(0);
    const newest = this.seen - 1;
    const y = this.convOut;
    for (let t = 0; t + K <= T; t++) {
      y.set(conv.bias);
      for (let k = 0; k < K; k++) {
        // Event (t + k) of the window, oldest first; before the window fills, the oldest observed event repeats.
        const age = T - 1 - (t + k);
        const ev = Math.max(0, newest - age);
        const row = (ev % T) * C;
        for (let c = 0; c < C; c++) {
          const xv = this.ring[row + c] as number;
          if (xv === 0) continue;
          const w = (k * C + c) * F;
          for (let f = 0; f < F; f++) y[f] = (y[f] as number) + xv * (conv.kernel[w + f] as number);
        }
      }
      for (let f = 0; f < F; f++) out[f] = (out[f] as number) + Math.max(0, y[f] as number);
    }
    const steps = T - K + 1;
    for (let f = 0; f < F; f++) out[f] = (out[f] as number) / steps;
    return out;
  }
}

function softmaxInPlace(z: Float32Array): void {
  let m = -Infinity;
  for (let i = 0; i < z.length; i++) m = Math.max(m, z[i] as number);
  let s = 0;
  for (let i = 0; i < z.length; i++) s += z[i] = Math.exp((z[i] as number) - m);
  for (let i = 0; i < z.length; i++) z[i] = (z[i] as number) / s;
}

/** Parses a `signal.json`; throws naming `source` and each bad key. */
export function parseSignalModelSpec(json: unknown, source: string): SignalModelSpec {
  const r = signalModelSpecSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${source} is not a signal model description: ${issues}`);
  }
  return r.data;
}

/**
 * Returns a prediction as one number in [−1, 1]: P(up) − P(down), the expected direction of the mid
 * over the horizon (for an observation slot such as the RL environment's `signal0`).
 */
export function directionSignal(p: SignalPrediction): number {
  return Math.max(-1, Math.min(1, p.up - p.down));
}
