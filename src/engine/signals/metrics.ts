/**
 * Classification scores for the signal models: accuracy, macro-F1 and the confusion matrix, with a
 * moving-block bootstrap interval for macro-F1 (consecutive events are dependent: their labels share
 * most of their horizon, so resampling single events would give intervals far too narrow).
 */

import { blockBootstrap } from '../sim/stats';
import { CLASSES } from './labels';

/** The scores of one predictor on one set of events. */
export interface ClassifierScore {
  readonly name: string;
  /** Events scored. */
  readonly n: number;
  readonly accuracy: number;
  readonly macroF1: number;
  /** 95% moving-block bootstrap interval of macro-F1. */
  readonly macroF1Ci95: readonly [number, number];
  /** Rows: true class, columns: predicted class, both in `CLASSES` order (down, flat, up). */
  readonly confusion: readonly (readonly number[])[];
  readonly classes: readonly string[];
}

/** How the bootstrap resamples. */
export interface BootstrapOptions {
  /** Events per block; default 1000 (ten horizons of 100 events and more). */
  readonly block?: number;
  readonly rounds?: number;
  readonly seed?: number;
}

/** Returns the 3×3 confusion matrix of pairs coded as truth × 3 + prediction. */
function confusionOf(codes: readonly number[]): number[][] {
  const m = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  for (const c of codes) (m[Math.floor(c / 3)] as number[])[c % 3]! += 1;
  return m;
}

/** Returns the mean over classes of F1; a class neither true nor predicted scores 0. */
export function macroF1(confusion: readonly (readonly number[])[]): number {
  let s = 0;
  for (let k = 0; k < 3; k++) {
    const tp = confusion[k]![k]!;
    let predicted = 0;
    let actual = 0;
    for (let j = 0; j < 3; j++) {
      predicted += confusion[j]![k]!;
      actual += confusion[k]![j]!;
    }
    s += predicted + actual > 0 ? (2 * tp) / (predicted + actual) : 0;
  }
  return s / 3;
}

/** Returns the share of pairs on the diagonal. */
export function accuracy(confusion: readonly (readonly number[])[]): number {
  let tp = 0;
  let n = 0;
  for (let k = 0; k < 3; k++) {
    tp += confusion[k]![k]!;
    for (let j = 0; j < 3; j++) n += confusion[k]![j]!;
  }
  return n > 0 ? tp / n : NaN;
}

/**
 * Scores `predicted` against `truth` over the events where both are classes (0–2), in event order,
 * with a block-bootstrap interval of macro-F1. Throws when the arrays differ in length or no event is scored.
 */
export function scoreClassifier(name: string, truth: ArrayLike<number>, predicted: ArrayLike<number>, options: BootstrapOptions = {}): ClassifierScore {
  if (truth.length !== predicted.length) throw new Error(`${name}: ${truth.length} labels but ${predicted.length} predictions`);
  const codes: number[] = [];
  for (let i = 0; i < truth.length; i++) {
    const y = truth[i] as number;
    const p = predicted[i] as number;
    if (y >= 0 && p >= 0) codes.push(y * 3 + p);
  }
  if (codes.length === 0) throw new Error(`${name}: no event has both a label and a prediction`);
  const confusion = confusionOf(codes);
  const ci = blockBootstrap(codes, (sample) => macroF1(confusionOf(sample)), {
    block: options.block ?? 1000,
    rounds: options.rounds ?? 300,
    seed: options.seed ?? 17,
  });
  return { name, n: codes.length, accuracy: accuracy(confusion), macroF1: macroF1(confusion), macroF1Ci95: [ci.lo, ci.hi], confusion, classes: [...CLASSES] };
}

/**
 * Returns the block-bootstrap 95% interval of macro-F1(a) − macro-F1(b) on the same events (the same
 * blocks resampled for both), so "a beats b" is judged on the paired difference.
 */
export function pairedMacroF1Difference(truth: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, options: BootstrapOptions = {}): { readonly diff: number; readonly ci95: readonly [number, number] } {
  const codes: number[] = [];
  for (let i = 0; i < truth.length; i++) {
    const y = truth[i] as number;
    const p = a[i] as number;
    const q = b[i] as number;
    if (y >= 0 && p >= 0 && q >= 0) codes.push(y * 9 + p * 3 + q);
  }
  if (codes.length === 0) throw new Error('no event has a label and both predictions');
  const diff = (sample: readonly number[]): number => {
    const ca: number[] = [];
    const cb: number[] = [];
    for (const c of sample) {
      const y = Math.floor(c / 9);
      ca.push(y * 3 + (Math.floor(c / 3) % 3));
      cb.push(y * 3 + (c % 3));
    }
    return macroF1(confusionOf(ca)) - macroF1(confusionOf(cb));
  };
  const ci = blockBootstrap(codes, diff, { block: options.block ?? 1000, rounds: options.rounds ?? 300, seed: options.seed ?? 17 });
  return { diff: diff(codes), ci95: [ci.lo, ci.hi] };
}
