/**
 * `cockpit signal train`: fits a signal model (logistic regression, MLP or a 1-D convolution over
 * recent events) to the direction labels of one or more LOBSTER days. It trains on the first 60%
 * of each day's events (one sample every `stride` events), picks the epoch with the best
 * validation macro-F1 on the next 20%, and writes the model directory with its card. The last 20%
 * is left for `cockpit signal eval`.
 */

import { basename } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import type { Tf } from '../learn/tf-mlp';
import type { LobsterFilePair } from '../node/files/lobster-files';
import { saveSignalModel } from '../node/models/signal-files';
import { FEATURE_DOCS } from '../signals/features';
import { CLASSES, checkLabelSpec, classBalance } from '../signals/labels';
import type { ClassBalance } from '../signals/labels';
import { macroF1, accuracy } from '../signals/metrics';
import type { SignalModelKind, SignalModelSpec } from '../signals/model';
import { buildSignalModel, MLP_HIDDEN, SEQ_FILTERS, SEQ_HIDDEN, SEQ_KERNEL, unfoldWindows } from '../signals/tf-models';
import type { LabelledDay } from './signal-data';
import { labelledDay, SignalDataError, splitRange } from './signal-data';
import type { WorkflowContext } from './workflow';
import { throwIfCancelled } from './workflow';

/** Features the models leave out, and why (written into the card). */
export const EXCLUDED_INPUTS: Readonly<Record<string, string>> = {
  timeOfDay: 'the splits are chronological, so the test events lie at times of day the training never saw',
};

export interface SignalTrainOptions {
  readonly data: readonly LobsterFilePair[];
  readonly kind: SignalModelKind;
  readonly horizon: number;
  /** Default 2 ticks. */
  readonly thresholdTicks?: number;
  readonly out: string;
  /** Levels the model reads (default: the fewest the data carries, at most 5). */
  readonly levels?: number;
  /** Events a seq model looks at (default 20). */
  readonly window?: number;
  /** One training sample every `stride` events (default 4). */
  readonly stride?: number;
  readonly epochs?: number;
  readonly seed?: number;
  readonly name?: string;
  readonly tf: Tf;
  readonly backend: string;
}

export interface SignalTrainResult {
  readonly dir: string;
  readonly spec: SignalModelSpec;
  readonly trainSamples: number;
  readonly validationSamples: number;
  readonly trainBalance: ClassBalance;
  readonly validationBalance: ClassBalance;
  /** Validation accuracy and macro-F1 per epoch; `bestEpoch` is the one kept (1-based). */
  readonly epochs: ReadonlyArray<{ readonly epoch: number; readonly loss: number; readonly accuracy: number; readonly macroF1: number }>;
  readonly bestEpoch: number;
  readonly seconds: number;
}

export const DEFAULT_THRESHOLD_TICKS = 2;
export const DEFAULT_SEQ_WINDOW = 20;
export const MAX_MODEL_LEVELS = 5;

interface Samples {
  readonly x: Float32Array;
  readonly y: Int8Array;
  readonly n: number;
}

/** Builds standardised samples of `inputs` (columns `cols` of the matrices) over the split ranges, every `stride` events. */
function samples(days: readonly LabelledDay[], split: 'train' | 'validation', cols: Int32Array, mean: Float64Array, std: Float64Array, window: number, stride: number, horizon: number): Samples {
  const C = cols.length;
  const idx: Array<[number, number]> = [];
  days.forEach((d, k) => {
    const { from, to } = splitRange(d.matrix.rows, split, horizon);
    for (let t = Math.max(from, window - 1); t < to; t += stride) if ((d.labels[t] as number) >= 0) idx.push([k, t]);
  });
  const x = new Float32Array(idx.length * window * C);
  const y = new Int8Array(idx.length);
  idx.forEach(([k, t], s) => {
    const d = days[k] as LabelledDay;
    const w = d.matrix.names.length;
    for (let j = 0; j < window; j++) {
      const row = (t - window + 1 + j) * w;
      const off = (s * window + j) * C;
      for (let c = 0; c < C; c++) {
        const z = ((d.matrix.x[row + (cols[c] as number)] as number) - (mean[c] as number)) / (std[c] as number);
        x[off + c] = Math.max(-8, Math.min(8, z));
      }
    }
    y[s] = d.labels[t] as number;
  });
  return { x, y, n: idx.length };
}

/** Trains and saves a signal model; see the module comment. */
export async function trainSignalModel(options: SignalTrainOptions, context: WorkflowContext = {}): Promise<SignalTrainResult> {
  const started = performance.now();
  const { tf, kind, horizon } = options;
  const thresholdTicks = options.thresholdTicks ?? DEFAULT_THRESHOLD_TICKS;
  checkLabelSpec({ horizon, thresholdTicks });
  if (options.data.length === 0) throw new SignalDataError('no data: pass at least one MESSAGES ORDERBOOK pair');
  const levels = options.levels ?? Math.min(MAX_MODEL_LEVELS, ...options.data.map((p) => p.levels));
  const window = kind === 'seq' ? (options.window ?? DEFAULT_SEQ_WINDOW) : 1;
  const stride = options.stride ?? 4;
  const epochs = options.epochs ?? 8;
  const seed = options.seed ?? 1;
  const days: LabelledDay[] = [];
  for (const pair of options.data) {
    throwIfCancelled(context.signal);
    days.push(await labelledDay(pair, levels, { horizon, thresholdTicks }));
  }
  const names = (days[0] as LabelledDay).matrix.names;
  const inputs = names.filter((n) => !(n in EXCLUDED_INPUTS));
  const cols = Int32Array.from(inputs, (n) => names.indexOf(n));

  // Standardisation from the training split's sampled events.
  const C = inputs.length;
  const sum = new Float64Array(C);
  const sum2 = new Float64Array(C);
  let count = 0;
  for (const d of days) {
    const { from, to } = splitRange(d.matrix.rows, 'train', horizon);
    const w = names.length;
    for (let t = from; t < to; t += stride) {
      for (let c = 0; c < C; c++) {
        const v = d.matrix.x[t * w + (cols[c] as number)] as number;
        sum[c] = (sum[c] as number) + v;
        sum2[c] = (sum2[c] as number) + v * v;
      }
      count++;
    }
  }
  if (count < 100) throw new SignalDataError(`only ${count} training events: the data is too short for a ${horizon}-event horizon`);
  const mean = sum.map((s) => s / count);
  const std = sum2.map((s, c) => {
    const v = s / count - (mean[c] as number) ** 2;
    return v > 1e-12 ? Math.sqrt(v) : 1;
  });
  const train = samples(days, 'train', cols, mean, std, window, stride, horizon);
  const val = samples(days, 'validation', cols, mean, std, window, stride, horizon);
  if (val.n === 0) throw new SignalDataError('no validation events: the data is too short');
  const trainBalance = classBalance(train.y);
  const validationBalance = classBalance(val.y);

  // Class weights 1 / (3 × share): each class weighs the same in the loss, as macro-F1 weighs it.
  const shares = [trainBalance.shares.down, trainBalance.shares.flat, trainBalance.shares.up];
  const classWeight: Record<number, number> = {};
  shares.forEach((s, k) => (classWeight[k] = s > 0 ? 1 / (3 * s) : 0));

  const model = buildSignalModel(tf, kind, C, window, seed);
  model.compile({ optimizer: tf.train.adam(kind === 'logreg' ? 0.01 : 0.002), loss: 'categoricalCrossentropy' });
  const steps = window - SEQ_KERNEL + 1;
  const shape = (n: number): number[] => (kind === 'seq' ? [n, steps, SEQ_KERNEL * C] : [n, C]);
  const netInput = (x: Float32Array, n: number): Float32Array => (kind === 'seq' ? unfoldWindows(x, n, window, C) : x);
  const xVal = tf.tensor(netInput(val.x, val.n), shape(val.n));
  const rng = new Rng(seed);
  const order = Int32Array.from({ length: train.n }, (_, i) => i);
  const xs = new Float32Array(train.x.length);
  const ys = new Float32Array(train.n * 3);
  const rowLen = window * C;
  const history: Array<{ epoch: number; loss: number; accuracy: number; macroF1: number }> = [];
  let best: TF.Tensor[] | undefined;
  let bestF1 = -Infinity;
  let bestEpoch = 0;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      throwIfCancelled(context.signal);
      // A seeded shuffle (TF.js's own shuffle is not seeded).
      for (let i = train.n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
      ys.fill(0);
      for (let i = 0; i < train.n; i++) {
        const src = order[i] as number;
        xs.set(train.x.subarray(src * rowLen, (src + 1) * rowLen), i * rowLen);
        ys[i * 3 + (train.y[src] as number)] = 1;
      }
      const xT = tf.tensor(netInput(xs, train.n), shape(train.n));
      const yT = tf.tensor2d(ys, [train.n, 3]);
      const h = await model.fit(xT, yT, { epochs: 1, batchSize: 256, shuffle: false, classWeight, verbose: 0 });
      xT.dispose();
      yT.dispose();
      const probs = tf.tidy(() => (model.predict(xVal) as TF.Tensor).argMax(-1).dataSync() as Int32Array);
      const m = [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ];
      for (let i = 0; i < val.n; i++) (m[val.y[i] as number] as number[])[probs[i] as number]! += 1;
      const f1 = macroF1(m);
      history.push({ epoch, loss: Number(h.history.loss?.[0] ?? NaN), accuracy: accuracy(m), macroF1: f1 });
      if (f1 > bestF1) {
        bestF1 = f1;
        bestEpoch = epoch;
        best?.forEach((t) => t.dispose());
        best = model.getWeights().map((w) => w.clone());
      }
      context.onProgress?.({ done: epoch, total: epochs });
    }
    if (best) model.setWeights(best);
    const name = options.name ?? basename(options.out);
    const spec: SignalModelSpec = {
      format: 'cockpit-signal-model',
      version: 1,
      name,
      kind,
      inputs,
      levels,
      window,
      horizon,
      thresholdTicks,
      mean: [...mean],
      std: [...std],
      trainBalance: trainBalance.shares,
      training: {
        data: days.map((d) => d.file),
        splits: 'per day: events [0, 60%) train, [60%, 80%) validation, [80%, 100%) test; the last horizon events of train and validation dropped',
        stride,
        trainSamples: train.n,
        validationSamples: val.n,
        epochs,
        bestEpoch,
        validationMacroF1: bestF1,
        seed,
        backend: options.backend,
        architecture: architecture(kind, C, window),
        classWeights: classWeight,
      },
    };
    const seconds = (performance.now() - started) / 1000;
    await saveSignalModel(tf, options.out, spec, model, card(spec, trainBalance, validationBalance, history, bestEpoch, seconds));
    return { dir: options.out, spec, trainSamples: train.n, validationSamples: val.n, trainBalance, validationBalance, epochs: history, bestEpoch, seconds };
  } finally {
    xVal.dispose();
    best?.forEach((t) => t.dispose());
    model.dispose();
  }
}

function architecture(kind: SignalModelKind, inputs: number, window: number): string {
  if (kind === 'logreg') return `softmax regression, ${inputs} inputs → 3`;
  if (kind === 'mlp') return `dense ${inputs} → ${MLP_HIDDEN.join(' → ')} (relu) → 3 (softmax)`;
  return `conv1d over ${window} events × ${inputs} inputs (${SEQ_FILTERS} filters, kernel ${SEQ_KERNEL} events, valid, relu; trained as a dense layer over unfolded windows) → mean over time → dense ${SEQ_HIDDEN} (relu) → 3 (softmax)`;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function card(spec: SignalModelSpec, tb: ClassBalance, vb: ClassBalance, history: SignalTrainResult['epochs'], bestEpoch: number, seconds: number): string {
  const t = spec.training;
  const lines = [
    `# ${spec.name} — short-horizon mid-price direction (${spec.kind})`,
    '',
    `Predicts whether the mean mid over the next ${spec.horizon} book events is more than ${spec.thresholdTicks} ticks below (down), within (flat) or above (up) the mid now.`,
    `Runs on any LOBSTER file with ${spec.levels} or more level${spec.levels === 1 ? '' : 's'} a side, in the simulator and live (the features are computed the same way from any book; see src/engine/signals/README.md).`,
    '',
    '## Model',
    `- ${String(t.architecture)}`,
    `- inputs (${spec.inputs.length}, standardised with the training split's mean and deviation, clipped to ±8):`,
    ...spec.inputs.map((n) => `  - \`${n}\`: ${FEATURE_DOCS[n] ?? ''}`),
    ...Object.entries(EXCLUDED_INPUTS).map(([n, why]) => `- left out: \`${n}\` (${why})`),
    '',
    '## Training',
    `- data: ${(t.data as string[]).join(', ')} (LOBSTER sample files, courtesy of lobsterdata.com)`,
    `- ${String(t.splits)}`,
    `- one sample every ${String(t.stride)} events: ${String(t.trainSamples)} training and ${String(t.validationSamples)} validation samples; class weights 1/(3 × share)`,
    `- Adam, batch 256, ${String(t.epochs)} epochs, seed ${String(t.seed)}, backend ${String(t.backend)}, ${seconds.toFixed(0)} s; kept epoch ${bestEpoch} (best validation macro-F1)`,
    '',
    '| split | events | down | flat | up |',
    '|---|---|---|---|---|',
    `| train | ${tb.n} | ${pct(tb.shares.down)} | ${pct(tb.shares.flat)} | ${pct(tb.shares.up)} |`,
    `| validation | ${vb.n} | ${pct(vb.shares.down)} | ${pct(vb.shares.flat)} | ${pct(vb.shares.up)} |`,
    '',
    '| epoch | train loss | validation accuracy | validation macro-F1 |',
    '|---|---|---|---|',
    ...history.map((h) => `| ${h.epoch}${h.epoch === bestEpoch ? ' (kept)' : ''} | ${h.loss.toFixed(4)} | ${h.accuracy.toFixed(3)} | ${h.macroF1.toFixed(3)} |`),
    '',
    `Classes, in output order: ${CLASSES.join(', ')}. Test results: \`cockpit signal eval --model DIR --data MESSAGES ORDERBOOK\` (the last 20% of a day, or \`--split all\` for a day the model never saw).`,
    '',
  ];
  return lines.join('\n');
}
