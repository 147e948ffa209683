/**
 * The policy inference benchmark behind `cockpit bench policy`: single-decision latency (feature
 * encoding from a real simulator view + forward pass) on the pure-TS path and on the active TF.js
 * backend, batched throughput (n agents deciding on the same tick), and the cost of an explanation.
 */

import { performance } from 'node:perf_hooks';
import { argmax } from '../learn/mlp';
import { RunningNormaliser } from '../learn/normaliser';
import type { Tf } from '../learn/tf-mlp';
import { predictBatch } from '../learn/tf-mlp';
import { VALIDATION_SEED_MIN } from '../learn/seeds';
import type { MarketView } from '../execution/types';
import { encodeObservation, ExecutionEnv, OBSERVATION_SIZE, twapSlice } from '../rl/env';
import { scenarioMarket } from '../workflows/learn-train';
import { loadPolicy, readJson } from '../node/models/policy-files';
import type { NormaliserState } from '../learn/normaliser';
import { NS_PER_SECOND as SECOND } from '../core/clock';

/** Latency percentiles in ms. */
export interface Latency {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly samples: number;
}

/** What `cockpit bench policy` reports. */
export interface PolicyBenchReport {
  readonly model: string;
  readonly algo: string;
  readonly backend: string;
  readonly backendDetail: string;
  /** Which path the cockpit uses for single decisions. */
  readonly singleDecisionPath: string;
  /** Single decision (encode + normalise + forward + argmax) on the pure-TS path. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly jsForward: Latency;
  /** The same through one TF.js call on the active backend. */
  readonly tfForward: Latency;
  readonly batchSize: number;
  /** Decisions per second when `batchSize` agents decide on one tick: one TF.js call. */
  readonly batchDecisionsPerSecond: number;
  /** The same with the pure-TS forward in a loop. */
  readonly batchDecisionsPerSecondJs: number;
  /** Explanation (integrated gradients, 32 steps, pure TS) — opt-in, not on the decision path. */
  readonly explainMs: Latency;
}

function latency(xs: number[]): Latency {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
  return { p50Ms: q(0.5), p99Ms: q(0.99), meanMs: s.reduce((a, b) => a + b, 0) / s.length, samples: s.length };
}

/** Runs the benchmark on the policy in `dir` with `tf` on its active backend. */
export async function benchPolicy(dir: string, tf: Tf, backendDetail: string, options: { iterations?: number; batchSize?: number } = {}): Promise<PolicyBenchReport> {
  const iterations = options.iterations ?? 5000;
  const batchSize = options.batchSize ?? 256;
  const { policy, manifest, model } = await loadPolicy(dir, tf);
  if (!model) throw new Error('the TF.js model did not load');
  const norm = RunningNormaliser.fromState(readJson<NormaliserState>(dir, 'normaliser.json'));
  const env = new ExecutionEnv({ market: scenarioMarket('calm', manifest.env), parent: { side: manifest.env.side, quantity: manifest.env.quantity, horizonNs: manifest.env.horizonSeconds * SECOND }, steps: manifest.env.steps });
  env.reset(VALIDATION_SEED_MIN);
  for (let k = 0; k < 5; k++) env.step(4);
  const view = (env.current as NonNullable<typeof env.current>).observe() as MarketView;
  const slice = twapSlice(manifest.env.quantity, manifest.env.steps);
  const interval = (manifest.env.horizonSeconds * SECOND) / manifest.env.steps;
  const obs = new Float32Array(OBSERVATION_SIZE);
  const x = new Float32Array(OBSERVATION_SIZE);

  let sink = 0;
  const js: number[] = [];
  for (let i = 0; i < iterations + 500; i++) {
    const t0 = performance.now();
    encodeObservation(view, slice, interval, obs);
    sink += policy.act(obs);
    const dt = performance.now() - t0;
    if (i >= 500) js.push(dt);
  }
  const tfl: number[] = [];
  const tfIters = Math.max(200, Math.floor(iterations / 5));
  for (let i = 0; i < tfIters + 300; i++) {
    const t0 = performance.now();
    encodeObservation(view, slice, interval, obs);
    norm.normalise(obs, x, 1);
    sink += argmax(predictBatch(tf, model, x, 1, OBSERVATION_SIZE));
    const dt = performance.now() - t0;
    if (i >= 300) tfl.push(dt);
  }
  const batch = new Float32Array(batchSize * OBSERVATION_SIZE);
  for (let r = 0; r < batchSize; r++) {
    encodeObservation(view, slice, interval, batch, r * OBSERVATION_SIZE);
    batch[r * OBSERVATION_SIZE + 5] = ((r % 21) - 10) / 10;
  }
  const out = new Int32Array(batchSize);
  const timeBatch = (f: () => void): number => {
    for (let i = 0; i < 5; i++) f();
    const reps = 50;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    return (reps * batchSize) / ((performance.now() - t0) / 1000);
  };
  const tfBatch = timeBatch(() => policy.actBatch(batch, batchSize, out));
  const jsBatch = timeBatch(() => {
    for (let r = 0; r < batchSize; r++) out[r] = policy.act(batch.subarray(r * OBSERVATION_SIZE, (r + 1) * OBSERVATION_SIZE));
  });
  const ex: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    sink += policy.explain(obs).action;
    ex.push(performance.now() - t0);
  }
  if (sink < 0) throw new Error('unreachable');
  const jsL = latency(js);
  return {
    model: dir,
    algo: manifest.algo,
    backend: `${tf.getBackend()} (batch), js-forward (single decision)`,
    backendDetail,
    singleDecisionPath: 'js-forward: pure-TypeScript forward pass over the saved weights',
    p50Ms: jsL.p50Ms,
    p99Ms: jsL.p99Ms,
    jsForward: jsL,
    tfForward: latency(tfl),
    batchSize,
    batchDecisionsPerSecond: tfBatch,
    batchDecisionsPerSecondJs: jsBatch,
    explainMs: latency(ex.slice(20)),
  };
}
