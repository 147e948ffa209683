/**
 * The signal benchmark behind `cockpit bench signal`: the features (and the regime detector) per
 * event over a whole LOBSTER day held in memory, beside the plain book replay of the same events,
 * and a model decision per event (observe the features, forward pass, argmax) as p50/p99, on the
 * pure-TS path the engine decides with and through one TF.js call for comparison.
 */

import { performance } from 'node:perf_hooks';
import type * as TF from '@tensorflow/tfjs';
import { createOrderBook } from '../book/order-book';
import type { LobsterDay } from '../data/lobster';
import { LOBSTER_UNITS_PER_TICK } from '../data/lobster';
import { LobsterReplay } from '../data/lobster-replay';
import type { Tf } from '../learn/tf-mlp';
import type { LobsterFilePair } from '../node/files/lobster-files';
import { loadLobsterDay } from '../node/files/lobster-files';
import { loadSignalModel } from '../node/models/signal-files';
import { loadModel } from '../node/models/policy-files';
import { createSignalFeatures } from '../signals/features';
import { fitRegimeModel, RegimeDetector, RegimeTracker } from '../signals/regime';
import type { RegimePoint } from '../signals/regime';
import { lobsterTrade } from '../signals/sources';
import { SEQ_KERNEL } from '../signals/tf-models';

export interface LatencyUs {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly samples: number;
}

export interface SignalBenchReport {
  readonly data: string;
  readonly events: number;
  /** Reference: one LOBSTER row through the order book replay (apply and compare), µs per event. */
  readonly bookReplayUsPerEvent: number;
  /** The features per event, by levels read. */
  readonly featuresUsPerEvent: ReadonlyArray<{ readonly levels: number; readonly features: number; readonly usPerEvent: number }>;
  readonly regimeUsPerEvent: number;
  /** Target: features under 5 µs per event. */
  readonly featuresUnderTarget: boolean;
  readonly decisions: ReadonlyArray<{ readonly model: string; readonly kind: string; readonly jsForwardUs: LatencyUs; readonly tfForwardUs: LatencyUs }>;
  /** Target: a decision's p99 under 1 ms on the path the engine uses (js-forward). */
  readonly decisionsUnderTarget: boolean;
  readonly backend: string;
}

function latency(us: number[]): LatencyUs {
  const s = [...us].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
  return { p50: q(0.5), p99: q(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length, samples: s.length };
}

/** Best of `reps` runs of `f` over the day, µs per event. */
function perEvent(day: LobsterDay, reps: number, f: () => void): number {
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return (best * 1000) / day.length;
}

/** Runs the benchmark on a LOBSTER day and the signal models in `modelDirs`. */
export async function benchSignal(pair: LobsterFilePair, modelDirs: readonly string[], tf: Tf, backend: string, options: { decisions?: number; reps?: number } = {}): Promise<SignalBenchReport> {
  const day = await loadLobsterDay(pair);
  const reps = options.reps ?? 3;
  const n = day.length;
  // Messages as objects once, so neither side of the comparison pays for making them.
  const messages = Array.from({ length: n }, (_, i) => day.message(i));
  const trades = messages.map(lobsterTrade);
  const bookReplayUsPerEvent = perEvent(day, reps, () => {
    const replay = new LobsterReplay(createOrderBook(), day.levels);
    for (let i = 0; i < n; i++) replay.step(messages[i]!, day.row(i));
  });
  let sink = 0;
  const featuresUsPerEvent = [...new Set([day.levels, Math.min(5, day.levels), 1])].map((levels) => {
    let features = 0;
    const us = perEvent(day, reps, () => {
      const f = createSignalFeatures({ levels, tickSize: LOBSTER_UNITS_PER_TICK });
      features = f.size;
      for (let i = 0; i < n; i++) f.onEvent(messages[i]!.timeNs, day.row(i), trades[i]);
      sink += f.vector()[0]!;
    });
    return { levels, features, usPerEvent: us };
  });
  const points: RegimePoint[] = [];
  const tracker = new RegimeTracker();
  for (let i = 0; i < n; i++) {
    const p = tracker.onEvent(messages[i]!.timeNs, day.row(i), trades[i]);
    if (p) points.push(p);
  }
  const regimeModel = fitRegimeModel(points, 4, 1);
  const regimeUsPerEvent = perEvent(day, reps, () => {
    const d = new RegimeDetector(regimeModel);
    for (let i = 0; i < n; i++) d.onEvent(messages[i]!.timeNs, day.row(i), trades[i]);
    sink += d.regime()?.index ?? 0;
  });

  const decisions: Array<SignalBenchReport['decisions'][number]> = [];
  const count = Math.min(options.decisions ?? 20_000, n - 1000);
  for (const dir of modelDirs) {
    const m = await loadSignalModel(dir, tf);
    const f = createSignalFeatures({ levels: Math.min(day.levels, Math.max(m.spec.levels, 1)), tickSize: LOBSTER_UNITS_PER_TICK });
    const p = m.predictor().bind(f.names);
    const js: number[] = [];
    const start = Math.floor(n / 3);
    for (let i = 0; i < start; i++) f.onEvent(messages[i]!.timeNs, day.row(i), trades[i]);
    for (let i = start; i < start + count; i++) {
      f.onEvent(messages[i]!.timeNs, day.row(i), trades[i]);
      const t0 = performance.now();
      p.observe(f.vector());
      sink += p.predictClass();
      js.push((performance.now() - t0) * 1000);
    }
    // The same decision through one TF.js call on the standardised window.
    const model = await loadModel(tf, dir);
    const w = m.spec.window;
    const c = m.spec.inputs.length;
    const shape = w > 1 ? [1, w - SEQ_KERNEL + 1, SEQ_KERNEL * c] : [1, c];
    const x = new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.1);
    const tfl: number[] = [];
    for (let i = 0; i < 600; i++) {
      const t0 = performance.now();
      sink += tf.tidy(() => (model.predict(tf.tensor(x, shape)) as TF.Tensor).argMax(-1).dataSync()[0]!);
      if (i >= 100) tfl.push((performance.now() - t0) * 1000);
    }
    model.dispose();
    decisions.push({ model: m.spec.name, kind: m.spec.kind, jsForwardUs: latency(js.slice(500)), tfForwardUs: latency(tfl) });
  }
  if (sink === -Infinity) throw new Error('unreachable');
  return {
    data: pair.messages,
    events: n,
    bookReplayUsPerEvent,
    featuresUsPerEvent,
    regimeUsPerEvent,
    featuresUnderTarget: featuresUsPerEvent.every((f) => f.usPerEvent < 5),
    decisions,
    decisionsUnderTarget: decisions.every((d) => d.jsForwardUs.p99 < 1000),
    backend,
  };
}
