import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TF from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSignalModel } from '../node/models/signal-files';
import { selectBackend } from '../node/models/tf-backend';
import { lobsterPair } from './signal-data';
import { trainSignalModel } from './signal-train';

const DATA = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/lobster');
const AMZN = lobsterPair(`${DATA}/AMZN_2012-06-21_34200000_57600000_message_1.csv.gz`, `${DATA}/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv.gz`);

let tf: typeof TF;
const dir = mkdtempSync(join(tmpdir(), 'signal-train-'));
beforeAll(async () => {
  tf = (await selectBackend('cpu')).tf;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('signal training', () => {
  it('writesALoadableModelWithItsCardTheSameForTheSameSeed', async () => {
    const options = { data: [AMZN], kind: 'logreg' as const, horizon: 50, out: join(dir, 'a'), stride: 25, epochs: 2, tf, backend: 'cpu' };
    const a = await trainSignalModel(options);
    const b = await trainSignalModel({ ...options, out: join(dir, 'b') });
    expect(a.spec.levels).toBe(1);
    expect(a.spec.inputs).not.toContain('timeOfDay');
    expect(a.spec.inputs).toContain('ofi_10');
    expect(a.trainBalance.n).toBe(a.trainSamples);
    expect(a.epochs).toHaveLength(2);
    expect(a.spec.training['validationMacroF1']).toBe(Math.max(...a.epochs.map((e) => e.macroF1)));
    expect(readFileSync(join(dir, 'a', 'model.weights.bin'))).toEqual(readFileSync(join(dir, 'b', 'model.weights.bin')));
    expect(b.epochs).toEqual(a.epochs);
    const card = readFileSync(join(dir, 'a', 'MODEL_CARD.md'), 'utf8');
    expect(card).toMatch(/\| train \| \d+ \| [\d.]+% \| [\d.]+% \| [\d.]+% \|/);
    expect(card).toMatch(/left out: `timeOfDay`/);
    const loaded = await loadSignalModel(join(dir, 'a'), tf);
    expect(loaded.spec).toEqual(a.spec);
  });

  it('refusesABadHorizonOrMissingDepth', async () => {
    await expect(trainSignalModel({ data: [AMZN], kind: 'mlp', horizon: 0, out: join(dir, 'c'), tf, backend: 'cpu' })).rejects.toThrow(/horizon must be a positive integer/);
    await expect(trainSignalModel({ data: [AMZN], kind: 'mlp', horizon: 50, levels: 5, out: join(dir, 'c'), tf, backend: 'cpu' })).rejects.toThrow(/carries 1 level a side; the model needs 5/);
  });
});
