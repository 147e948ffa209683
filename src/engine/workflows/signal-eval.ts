/**
 * `cockpit signal eval`: scores signal models on a LOBSTER day against the naive predictors
 * (persistence: the label whose horizon has just ended; majority: the training split's most common
 * class), each with accuracy, macro-F1 and its block-bootstrap interval, the confusion matrix, and
 * the paired difference of each model's macro-F1 to each naive predictor's on the same resampled
 * blocks. A model beats a predictor only when that difference's interval lies above zero.
 */

import { basename } from 'node:path';
import type { Tf } from '../learn/tf-mlp';
import type { LobsterFilePair } from '../node/files/lobster-files';
import { loadSignalModel, signalModelDirs } from '../node/models/signal-files';
import type { LoadedSignalModel } from '../node/models/signal-files';
import { CLASSES, classBalance, NO_LABEL, persistencePredictions } from '../signals/labels';
import type { ClassBalance } from '../signals/labels';
import { pairedMacroF1Difference, scoreClassifier } from '../signals/metrics';
import type { BootstrapOptions, ClassifierScore } from '../signals/metrics';
import type { SplitName } from './signal-data';
import { labelledDay, SignalDataError, splitRange } from './signal-data';
import type { WorkflowContext } from './workflow';
import { throwIfCancelled } from './workflow';

export interface SignalEvalOptions {
  /** A model directory, or a directory of model directories. */
  readonly model: string;
  readonly data: LobsterFilePair;
  /** Default 'test' (the last 20%); 'all' for a day the model never saw. */
  readonly split?: SplitName;
  readonly bootstrap?: BootstrapOptions;
  readonly tf: Tf;
}

export interface ModelScore extends ClassifierScore {
  readonly kind: string;
  readonly dir: string;
  /** macro-F1(model) − macro-F1(naive) with its paired block-bootstrap interval, per naive predictor. */
  readonly vsNaive: ReadonlyArray<{ readonly naive: string; readonly diff: number; readonly ci95: readonly [number, number]; readonly beats: boolean }>;
}

export interface SignalEvalReport {
  readonly data: string;
  readonly split: SplitName;
  readonly events: { readonly from: number; readonly to: number };
  readonly horizon: number;
  readonly thresholdTicks: number;
  readonly levels: number;
  readonly classBalance: ClassBalance;
  readonly bootstrap: { readonly block: number; readonly rounds: number };
  readonly models: readonly ModelScore[];
  readonly naive: readonly ClassifierScore[];
}

/** Evaluates the models of `options.model` on `options.data`; they must share a horizon and threshold. */
export async function evaluateSignalModels(options: SignalEvalOptions, context: WorkflowContext = {}): Promise<SignalEvalReport> {
  const models: LoadedSignalModel[] = [];
  for (const dir of signalModelDirs(options.model)) models.push(await loadSignalModel(dir, options.tf));
  const first = models[0] as LoadedSignalModel;
  const { horizon, thresholdTicks } = first.spec;
  for (const m of models) {
    if (m.spec.horizon !== horizon || m.spec.thresholdTicks !== thresholdTicks) {
      throw new SignalDataError(`${m.dir}: horizon ${m.spec.horizon} and threshold ${m.spec.thresholdTicks}, but ${first.dir} has ${horizon} and ${thresholdTicks}: evaluate models of one label at a time`);
    }
  }
  const levels = Math.max(...models.map((m) => m.spec.levels));
  if (options.data.levels < levels) {
    throw new SignalDataError(`${basename(options.data.orderbook)} carries ${options.data.levels} level${options.data.levels === 1 ? '' : 's'} a side; ${models.find((m) => m.spec.levels === levels)?.dir} needs ${levels} (use a level-1 model on level-1 files)`);
  }
  const day = await labelledDay(options.data, levels, { horizon, thresholdTicks });
  const split = options.split ?? 'test';
  const { from, to } = splitRange(day.matrix.rows, split, horizon);
  const truth = day.labels.slice(from, to);
  const bootstrap = { block: options.bootstrap?.block ?? 1000, rounds: options.bootstrap?.rounds ?? 300, seed: options.bootstrap?.seed ?? 17 };

  const persistence = persistencePredictions(day.labels, horizon).slice(from, to);
  const majorityClass = argmaxShare(first.spec.trainBalance);
  const majority = new Int8Array(truth.length).fill(majorityClass);
  const naivePredictions: Array<[string, Int8Array]> = [
    ['persistence', persistence],
    [`majority (${CLASSES[majorityClass]})`, majority],
  ];
  const naive = naivePredictions.map(([name, p]) => scoreClassifier(name, truth, p, bootstrap));

  const scores: ModelScore[] = [];
  const width = day.matrix.names.length;
  for (const m of models) {
    throwIfCancelled(context.signal);
    const predictor = m.predictor().bind(day.matrix.names);
    const predicted = new Int8Array(truth.length).fill(NO_LABEL);
    // Warm the predictor's window on the events just before the split.
    const start = Math.max(0, from - m.spec.window);
    for (let t = start; t < to; t++) {
      predictor.observe(day.matrix.x.subarray(t * width, (t + 1) * width));
      if (t >= from) predicted[t - from] = predictor.predictClass();
    }
    const score = scoreClassifier(m.spec.name, truth, predicted, bootstrap);
    const vsNaive = naivePredictions.map(([name, p]) => {
      const d = pairedMacroF1Difference(truth, predicted, p, bootstrap);
      return { naive: name, diff: d.diff, ci95: d.ci95, beats: d.ci95[0] > 0 };
    });
    scores.push({ ...score, kind: m.spec.kind, dir: m.dir, vsNaive });
  }
  return {
    data: day.file,
    split,
    events: { from, to },
    horizon,
    thresholdTicks,
    levels,
    classBalance: classBalance(truth),
    bootstrap: { block: bootstrap.block, rounds: bootstrap.rounds },
    models: scores,
    naive,
  };
}

function argmaxShare(s: { down: number; flat: number; up: number }): number {
  return s.up > s.flat && s.up > s.down ? 2 : s.down > s.flat ? 0 : 1;
}
