import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TF from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSignalModel } from '../node/models/signal-files';
import { selectBackend } from '../node/models/tf-backend';
import { featureNames } from '../signals/features';
import type { SignalModelSpec } from '../signals/model';
import { buildSignalModel } from '../signals/tf-models';
import { lobsterPair } from './signal-data';
import { evaluateSignalModels } from './signal-eval';

const DATA = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/lobster');
const AMZN = lobsterPair(`${DATA}/AMZN_2012-06-21_34200000_57600000_message_1.csv.gz`, `${DATA}/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv.gz`);

let tf: typeof TF;
const dir = mkdtempSync(join(tmpdir(), 'signal-eval-'));
beforeAll(async () => {
  tf = (await selectBackend('cpu')).tf;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function untrained(name: string, levels: number): Promise<string> {
  const inputs = featureNames(levels).filter((n) => n !== 'timeOfDay');
  const spec: SignalModelSpec = {
    format: 'cockpit-signal-model',
    version: 1,
    name,
    kind: 'logreg',
    inputs,
    levels,
    window: 1,
    horizon: 50,
    thresholdTicks: 2,
    mean: inputs.map(() => 0),
    std: inputs.map(() => 1),
    trainBalance: { down: 0.3, flat: 0.4, up: 0.3 },
    training: {},
  };
  const model = buildSignalModel(tf, 'logreg', inputs.length, 1, 3);
  const out = join(dir, 'models', name);
  await saveSignalModel(tf, out, spec, model, `# ${name}\n`);
  model.dispose();
  return out;
}

describe('signal eval', () => {
  it('reportsModelsAndNaivePredictorsWithIntervals', async () => {
    await untrained('a', 1);
    await untrained('b', 1);
    const r = await evaluateSignalModels({ model: join(dir, 'models'), data: AMZN, tf, bootstrap: { rounds: 50 } });
    expect(r.split).toBe('test');
    expect(r.events.to).toBe(57_515);
    expect(r.models.map((m) => m.name)).toEqual(['a', 'b']);
    expect(r.naive.map((m) => m.name)).toEqual(['persistence', 'majority (flat)']);
    const total = r.events.to - r.events.from;
    for (const s of [...r.models, ...r.naive]) {
      expect(Object.keys(s)).toEqual(expect.arrayContaining(['name', 'accuracy', 'macroF1', 'macroF1Ci95', 'confusion']));
      expect(s.macroF1Ci95[0]).toBeLessThanOrEqual(s.macroF1 + 1e-12);
      expect(s.macroF1Ci95[1]).toBeGreaterThanOrEqual(s.macroF1 - 1e-12);
      expect(s.confusion.flat().reduce((x, y) => x + y, 0)).toBe(s.n);
      expect(s.n).toBeLessThanOrEqual(total);
    }
    // The majority predictor says flat every time: its confusion has one non-empty column.
    const maj = r.naive[1]!;
    expect(maj.confusion.map((row) => row[0]! + row[2]!)).toEqual([0, 0, 0]);
    const b = r.classBalance.shares;
    expect(b.down + b.flat + b.up).toBeCloseTo(1, 12);
    expect(r.models[0]!.vsNaive.map((v) => v.naive)).toEqual(['persistence', 'majority (flat)']);
    expect(JSON.parse(JSON.stringify(r)).models[0].macroF1Ci95).toHaveLength(2);
  });

  it('refusesADayWithLessDepthThanTheModelNeeds', async () => {
    const deep = await untrained('deep', 5);
    await expect(evaluateSignalModels({ model: deep, data: AMZN, tf })).rejects.toThrow(/carries 1 level a side; .*deep needs 5 \(use a level-1 model on level-1 files\)/);
  });
});
