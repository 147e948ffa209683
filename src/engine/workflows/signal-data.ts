/**
 * The data of the signal workflows: LOBSTER days read into feature matrices with their labels, and
 * the chronological splits every report uses (the first 60% of a day's events train, the next 20%
 * validate, the last 20% test; the last `horizon` training and validation events are dropped, so no
 * label looks into the next split).
 */

import { basename } from 'node:path';
import { existsSync } from 'node:fs';
import { levelsFromFileName } from '../data/lobster';
import type { LobsterFilePair } from '../node/files/lobster-files';
import { loadLobsterDay } from '../node/files/lobster-files';
import { directionLabels } from '../signals/labels';
import type { LabelSpec } from '../signals/labels';
import { LONG_WINDOW } from '../signals/features';
import type { FeatureMatrix } from '../signals/sources';
import { lobsterFeatureMatrix } from '../signals/sources';

/** Data the signal workflows cannot use (a missing file, a file that is not LOBSTER's, too little depth or too few events); says which and why. */
export class SignalDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignalDataError';
  }
}

/** The share of a day's events in the training and validation splits; the test split is the rest. */
export const TRAIN_SHARE = 0.6;
export const VALIDATION_SHARE = 0.2;

export type SplitName = 'train' | 'validation' | 'test' | 'all';
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'validation', 'test', 'all'];

/** A day's features and labels. */
export interface LabelledDay {
  readonly file: string;
  readonly ticker: string;
  readonly matrix: FeatureMatrix;
  readonly labels: Int8Array;
}

/** Returns the LOBSTER pair of `messages` and `orderbook`, levels from the orderbook file's name; throws naming what is wrong. */
export function lobsterPair(messages: string, orderbook: string): LobsterFilePair {
  for (const f of [messages, orderbook]) if (!existsSync(f)) throw new SignalDataError(`no such file: ${f}`);
  const levels = levelsFromFileName(basename(orderbook));
  if (levels === undefined) throw new SignalDataError(`cannot read the level count from "${basename(orderbook)}", expected a LOBSTER orderbook file named like …_orderbook_<levels>.csv[.gz]`);
  if (!basename(orderbook).includes('_orderbook_')) throw new SignalDataError(`"${basename(orderbook)}" is not an orderbook file (…_orderbook_<levels>.csv[.gz]); --data takes MESSAGES ORDERBOOK pairs`);
  return { messages, orderbook, levels };
}

/** Reads a day and computes its features (at most `maxLevels` levels) and labels. */
export async function labelledDay(pair: LobsterFilePair, maxLevels: number, spec: LabelSpec): Promise<LabelledDay> {
  if (pair.levels < maxLevels) throw new SignalDataError(`${basename(pair.orderbook)} carries ${pair.levels} level${pair.levels === 1 ? '' : 's'} a side; the model needs ${maxLevels}`);
  const day = await loadLobsterDay(pair);
  const matrix = lobsterFeatureMatrix(day, maxLevels);
  return { file: basename(pair.messages), ticker: basename(pair.messages).split('_')[0] ?? basename(pair.messages), matrix, labels: directionLabels(matrix.mids, spec, matrix.tickSize) };
}

/** Returns the event range [from, to) of a split of a day with `rows` events (purged of the last `horizon` events for train and validation). */
export function splitRange(rows: number, split: SplitName, horizon: number): { readonly from: number; readonly to: number } {
  const a = Math.floor(rows * TRAIN_SHARE);
  const b = Math.floor(rows * (TRAIN_SHARE + VALIDATION_SHARE));
  switch (split) {
    case 'train':
      return { from: LONG_WINDOW, to: Math.max(LONG_WINDOW, a - horizon) };
    case 'validation':
      return { from: a, to: Math.max(a, b - horizon) };
    case 'test':
      return { from: b, to: rows };
    case 'all':
      return { from: LONG_WINDOW, to: rows };
  }
}
