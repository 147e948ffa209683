import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import { loadSignalModel, saveSignalModel, SignalModelError, signalModelDirs } from '../node/models/signal-files';
import { selectBackend } from '../node/models/tf-backend';
import type { SignalModelKind, SignalModelSpec } from './model';
import { directionSignal, SignalPredictor } from './model';
import { buildSignalModel, SEQ_KERNEL, toSignalNet, unfoldWindows } from './tf-models';

let tf: typeof TF;
const tmp = mkdtempSync(join(tmpdir(), 'signal-model-'));

beforeAll(async () => {
  tf = (await selectBackend('cpu')).tf;
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const INPUTS = ['a', 'b'];

function spec(kind: SignalModelKind, window: number): SignalModelSpec {
  return {
    format: 'cockpit-signal-model',
    version: 1,
    name: `tiny-${kind}`,
    kind,
    inputs: INPUTS,
    levels: 1,
    window,
    horizon: 5,
    thresholdTicks: 1,
    mean: [0, 0],
    std: [1, 1],
    trainBalance: { down: 0.3, flat: 0.4, up: 0.3 },
    training: {},
  };
}

/**
 * A tiny problem: a stream of events whose feature `a` is a noisy drift; the class is down, flat or
 * up as the drift over the last `window` events is negative, small or positive. `b` is noise.
 */
function stream(n: number, seed: number): { x: Float32Array; y: Int8Array } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 2);
  const y = new Int8Array(n);
  let regime = 0;
  for (let i = 0; i < n; i++) {
    if (i % 40 === 0) regime = rng.int(3) - 1;
    x[2 * i] = regime + 0.3 * (rng.next() - 0.5);
    x[2 * i + 1] = rng.next() - 0.5;
    y[i] = regime + 1;
  }
  return { x, y };
}

async function fit(kind: SignalModelKind, window: number): Promise<{ model: TF.Sequential; s: SignalModelSpec }> {
  const { x, y } = stream(1200, 1);
  const n = 1200 - window + 1;
  const xs = new Float32Array(n * window * 2);
  const ys = new Float32Array(n * 3);
  for (let s = 0; s < n; s++) {
    xs.set(x.subarray(2 * s, 2 * (s + window)), s * window * 2);
    ys[s * 3 + y[s + window - 1]!] = 1;
  }
  const model = buildSignalModel(tf, kind, 2, window, 7);
  model.compile({ optimizer: tf.train.adam(0.03), loss: 'categoricalCrossentropy' });
  const xT = kind === 'seq' ? tf.tensor(unfoldWindows(xs, n, window, 2), [n, window - SEQ_KERNEL + 1, SEQ_KERNEL * 2]) : tf.tensor(xs, [n, 2]);
  const yT = tf.tensor2d(ys, [n, 3]);
  await model.fit(xT, yT, { epochs: kind === 'seq' ? 10 : 12, batchSize: 64, shuffle: false, verbose: 0 });
  xT.dispose();
  yT.dispose();
  return { model, s: spec(kind, window) };
}

describe('signal models', () => {
  it.each([
    ['logreg', 1],
    ['mlp', 1],
    ['seq', 6],
  ] as const)('learnATinyProblemAndDecideAsTfDoes_%s', async (kind, window) => {
    const { model, s } = await fit(kind, window);
    const predictor = new SignalPredictor(s, toSignalNet(model)).bind(['b', 'a']);
    const test = stream(400, 2);
    // TF.js's outputs for every window of the test stream, in one call.
    const m = 400 - window + 1;
    const xs = new Float32Array(m * window * 2);
    for (let s2 = 0; s2 < m; s2++) xs.set(test.x.subarray(2 * s2, 2 * (s2 + window)), s2 * window * 2);
    const input = kind === 'seq' ? tf.tensor(unfoldWindows(xs, m, window, 2), [m, window - SEQ_KERNEL + 1, SEQ_KERNEL * 2]) : tf.tensor(xs, [m, 2]);
    const want = (model.predict(input) as TF.Tensor).dataSync();
    input.dispose();
    let right = 0;
    let scored = 0;
    for (let i = 0; i < 400; i++) {
      predictor.observe([test.x[2 * i + 1]!, test.x[2 * i]!]);
      if (i < window - 1) continue;
      const p = predictor.probabilities();
      const row = (i - window + 1) * 3;
      for (let k = 0; k < 3; k++) expect(Math.abs(p[k]! - want[row + k]!)).toBeLessThan(1e-4);
      if (predictor.predictClass() === test.y[i]) right++;
      scored++;
    }
    expect(right / scored).toBeGreaterThan(0.9);
    const dir = join(tmp, kind);
    await saveSignalModel(tf, dir, s, model, '# tiny\n');
    const loaded = await loadSignalModel(dir, tf);
    expect(loaded.spec).toEqual(s);
    const again = loaded.predictor().bind(INPUTS);
    again.observe([test.x[0]!, test.x[1]!]);
    expect(again.predict().up + again.predict().flat + again.predict().down).toBeCloseTo(1, 6);
    model.dispose();
  });

  it('summariseAPredictionAsTheExpectedDirection', () => {
    expect(directionSignal({ down: 0.1, flat: 0.2, up: 0.7 })).toBeCloseTo(0.6, 12);
    expect(directionSignal({ down: 1, flat: 0, up: 0 })).toBe(-1);
  });

  it('refuseASourceWithoutTheModelsFeatures', async () => {
    const { model, s } = await fit('logreg', 1);
    const p = new SignalPredictor({ ...s, levels: 5, inputs: ['a', 'imbalance_5'] }, toSignalNet(buildSignalModel(tf, 'logreg', 2, 1, 1)));
    expect(() => p.bind(['a', 'imbalance_1'])).toThrow(/needs 5 levels and the features imbalance_5/);
    expect(() => new SignalPredictor(s, toSignalNet(model)).predict()).toThrow(/no event observed/);
    model.dispose();
  });

  it('refuseADirectoryThatIsNotASignalModel', async () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    expect(() => signalModelDirs(empty)).toThrow(SignalModelError);
    expect(() => signalModelDirs(join(tmp, 'missing'))).toThrow(/no such directory/);
    const bad = join(tmp, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'signal.json'), JSON.stringify({ format: 'cockpit-signal-model', version: 1, kind: 'forest' }));
    await expect(loadSignalModel(bad, tf)).rejects.toThrow(/is not a signal model description: .*kind/);
  });
});
