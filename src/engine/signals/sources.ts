/**
 * The sources a `SignalFeatures` is fed from, each turned into the same event: the book's top
 * levels in LOBSTER's flat layout and the print. A LOBSTER row (historical replay), an `L2Snapshot`
 * (the simulator's book and a live venue's `l2(levels)`), and a feature matrix of a whole day for
 * training and evaluation.
 */

import type { L2Snapshot } from '../book/types';
import type { LobsterDay, LobsterMessage } from '../data/lobster';
import { LOBSTER_UNITS_PER_TICK } from '../data/lobster';
import type { SignalFeatures, TradeTick } from './features';
import { createSignalFeatures } from './features';

/** Returns the print of a LOBSTER message: visible and hidden executions (the aggressor is the resting side's opposite) and cross trades (no aggressor). */
export function lobsterTrade(message: LobsterMessage): TradeTick | undefined {
  if (message.kind === 'execute' || message.kind === 'executeHidden') return { size: message.size, aggressor: message.side === 'buy' ? 'sell' : 'buy' };
  if (message.kind === 'cross') return { size: message.size, aggressor: undefined };
  return undefined;
}

/** Writes `snapshot`'s best `levels` levels a side into `out` in LOBSTER's flat layout (empty levels: price 0, size 0) and returns it. */
export function flatRowFromL2(snapshot: L2Snapshot, levels: number, out: Float64Array = new Float64Array(levels * 4)): Float64Array {
  for (let l = 0; l < levels; l++) {
    const a = snapshot.asks[l];
    const b = snapshot.bids[l];
    out[4 * l] = a ? a[0] : 0;
    out[4 * l + 1] = a ? a[1] : 0;
    out[4 * l + 2] = b ? b[0] : 0;
    out[4 * l + 3] = b ? b[1] : 0;
  }
  return out;
}

/** A day's features, one row per event, with the mids and times the labels and splits need. */
export interface FeatureMatrix {
  readonly names: readonly string[];
  /** Events. */
  readonly rows: number;
  /** rows × names.length, row-major. */
  readonly x: Float32Array;
  /** Mid after each event, price units (the last two-sided mid where the book is one-sided). */
  readonly mids: Float64Array;
  readonly timesNs: Float64Array;
  readonly tickSize: number;
  readonly levels: number;
}

/** Computes the features after every event of a LOBSTER day (levels as the day carries them, at most `maxLevels`). */
export function lobsterFeatureMatrix(day: LobsterDay, maxLevels = day.levels): FeatureMatrix {
  const levels = Math.min(day.levels, maxLevels);
  const f = createSignalFeatures({ levels, tickSize: LOBSTER_UNITS_PER_TICK });
  return runDay(day, f);
}

function runDay(day: LobsterDay, f: SignalFeatures): FeatureMatrix {
  const rows = day.length;
  const width = f.size;
  const x = new Float32Array(rows * width);
  const mids = new Float64Array(rows);
  const timesNs = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const message = day.message(i);
    f.onEvent(message.timeNs, day.row(i), lobsterTrade(message));
    x.set(f.vector(), i * width);
    mids[i] = f.mid();
    timesNs[i] = message.timeNs;
  }
  // Events before the first two-sided book take its mid, so no label compares with NaN.
  const first = mids.findIndex((m) => !Number.isNaN(m));
  for (let i = 0; i < first; i++) mids[i] = mids[first] as number;
  return { names: f.names, rows, x, mids, timesNs, tickSize: f.tickSize, levels: f.levels };
}
