/**
 * Signal model directories: `signal.json` (the `SignalModelSpec`), the network in the TF.js layers
 * format (`model.json` + `model.weights.bin`, written as the policies are, see `policy-files.ts`),
 * and `MODEL_CARD.md`. `loadSignalModel` reads one into a `SignalPredictor` (pure-TS forward pass).
 */

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../../learn/tf-mlp';
import { parseSignalModelSpec, SignalPredictor } from '../../signals/model';
import type { SignalModelSpec, SignalNet } from '../../signals/model';
import { CONV_LAYER_PREFIX, toSignalNet } from '../../signals/tf-models';
import { MarketSignal, type MarketSignalModels } from '../../signals/market-signal';
import { parseRegimeModel } from '../../signals/regime';
import type { RegimeModel } from '../../signals/regime';
import { loadMlp, loadModel, saveModel, writeFileAtomic, writeJson, type PolicySignals } from './policy-files';

/** The description file that marks a directory as a signal model. */
export const SIGNAL_SPEC_FILE = 'signal.json';

/** A model directory that is not a signal model, or a broken one. */
export class SignalModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignalModelError';
  }
}

/** Writes a signal model directory: its description, its network and its card. */
export async function saveSignalModel(tf: Tf, dir: string, spec: SignalModelSpec, model: TF.LayersModel, card: string): Promise<void> {
  await saveModel(tf, model, dir);
  writeJson(dir, SIGNAL_SPEC_FILE, spec);
  writeFileAtomic(join(dir, 'MODEL_CARD.md'), card);
}

/** Returns whether `dir` holds a signal model (a `signal.json`). */
export function isSignalModelDir(dir: string): boolean {
  return existsSync(join(dir, SIGNAL_SPEC_FILE));
}

/** Returns `dir` itself when it is a signal model, otherwise its subdirectories that are, sorted; throws when there is none. */
export function signalModelDirs(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SignalModelError(`${dir}: no such directory, expected a signal model directory written by cockpit signal train`);
  if (isSignalModelDir(dir)) return [dir];
  const subs = readdirSync(dir)
    .map((f) => join(dir, f))
    .filter((d) => statSync(d).isDirectory() && isSignalModelDir(d))
    .sort();
  if (subs.length === 0) throw new SignalModelError(`${dir} is not a signal model: no ${SIGNAL_SPEC_FILE} in it or in its subdirectories (a directory written by cockpit signal train holds one)`);
  return subs;
}

/** Reads `signal.json` of `dir`; throws a `SignalModelError` naming the file when it is missing or malformed. */
export function readSignalSpec(dir: string): SignalModelSpec {
  const file = join(dir, SIGNAL_SPEC_FILE);
  if (!existsSync(file)) throw new SignalModelError(`${dir} is not a signal model: no ${SIGNAL_SPEC_FILE} (a directory written by cockpit signal train holds one)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SignalModelError(`${file}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return parseSignalModelSpec(json, file);
  } catch (err) {
    throw new SignalModelError(err instanceof Error ? err.message : String(err));
  }
}

/** A loaded signal model: its description and weights; `predictor()` makes a fresh predictor (one per feature source). */
export interface LoadedSignalModel {
  readonly dir: string;
  readonly spec: SignalModelSpec;
  readonly net: SignalNet;
  predictor(): SignalPredictor;
}

/** Loads a signal model directory (the weights through TF.js, then held as plain arrays). */
export async function loadSignalModel(dir: string, tf: Tf): Promise<LoadedSignalModel> {
  const spec = readSignalSpec(dir);
  let net: SignalNet;
  try {
    const model = await loadModel(tf, dir);
    net = toSignalNet(model);
    model.dispose();
  } catch (err) {
    throw new SignalModelError(`${dir}: cannot read the network: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Check the weights against the description once, here.
  new SignalPredictor(spec, net);
  return { dir, spec, net, predictor: () => new SignalPredictor(spec, net) };
}

/** The shipped regime model's directory, relative to the application root. */
export const DEFAULT_REGIME_DIR = 'resources/models/lob-regimes';

/** Reads `regimes.json` of `dir` (written by cockpit signal regimes); throws a `SignalModelError` naming the file. */
export function loadRegimeModel(dir: string): RegimeModel {
  const file = join(dir, 'regimes.json');
  if (!existsSync(file)) throw new SignalModelError(`${dir} holds no regimes.json (cockpit signal regimes --out DIR writes one)`);
  try {
    return parseRegimeModel(JSON.parse(readFileSync(file, 'utf8')), file);
  } catch (err) {
    throw new SignalModelError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * Loads a dense signal model (logreg or mlp) without TF.js, synchronously: the engine thread and
 * the agents' workers build their `MarketSignal` from it. A `seq` model (a convolution) needs
 * `loadSignalModel`.
 */
export function loadSignalModelSync(dir: string): LoadedSignalModel {
  const spec = readSignalSpec(dir);
  let net: SignalNet;
  try {
    const topology = readFileSync(join(dir, 'model.json'), 'utf8');
    if (topology.includes(CONV_LAYER_PREFIX) || topology.includes('GlobalAveragePooling1D')) throw new Error(`a ${spec.kind} model with a convolution loads through TF.js only (loadSignalModel)`);
    const mlp = loadMlp(dir);
    // The last layer's softmax is the predictor's own.
    net = { head: { layers: mlp.layers.map((l) => ((l.activation as string) === 'softmax' ? { ...l, activation: 'linear' as const } : l)) } };
    new SignalPredictor(spec, net);
  } catch (err) {
    throw new SignalModelError(`${dir}: cannot read the network: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { dir, spec, net, predictor: () => new SignalPredictor(spec, net) };
}

/** The signal model in `modelDir` and the regime model in `regimesDir`, as a `MarketSignal` runs them (synchronous, no TF.js). */
export function loadMarketSignalModels(modelDir: string, regimesDir: string): MarketSignalModels & { readonly dir: string } {
  const model = loadSignalModelSync(modelDir);
  return { dir: modelDir, spec: model.spec, predictor: model.predictor, regimes: loadRegimeModel(regimesDir) };
}

const loaded = new Map<string, MarketSignalModels>();

/**
 * Returns a maker of fresh `MarketSignal`s (one per session or episode) for the models `signals`
 * names, a relative dir resolved against `root` (the working directory unless given), an absolute one as it is; the models are read once per process.
 */
export function marketSignalMaker(signals: PolicySignals, tickSize: number, root = process.cwd()): () => MarketSignal {
  const at = (dir: string): string => (isAbsolute(dir) ? dir : join(root, dir));
  const key = `${at(signals.model)}\u0000${at(signals.regimes)}`;
  let models = loaded.get(key);
  if (models === undefined) {
    models = loadMarketSignalModels(at(signals.model), at(signals.regimes));
    loaded.set(key, models);
  }
  const m = models;
  return () => new MarketSignal(m, tickSize);
}
