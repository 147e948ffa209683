/**
 * Policy model directories on disk, in the TF.js layers format: `model.json` (topology and weights
 * manifest) beside `model.weights.bin`, written through `tf.io.withSaveHandler` with node:fs (the
 * file:// handler needs the native tfjs-node). Beside them: `normaliser.json` and the model card.
 * `loadPolicy` reads a directory into an `ExecutionPolicy`: weights parsed straight from the files
 * into the pure-TS network for single decisions, and, when a `tf` module is given, a TF.js model for
 * batched decisions.
 */

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import type { DecisionExplanation, ExplainOptions, OutputKind } from '../../learn/explain';
import type { Activation, DenseLayer, Mlp } from '../../learn/mlp';
import type { NormaliserState } from '../../learn/normaliser';
import { ExecutionPolicy } from '../../learn/policy';
import type { Tf } from '../../learn/tf-mlp';
import { ACTION_COUNT, ENV_LAYOUT, OBSERVATION_SIZE } from '../../rl/env';
import { predictBatch } from '../../learn/tf-mlp';

/** The policy the cockpit runs by default: `resources/models/<this>`. */
export const DEFAULT_POLICY_NAME = 'ppo-exec-v5';
/** Its model directory, relative to the application root (`rl:` entries resolve from there). */
export const DEFAULT_POLICY_DIR = `resources/models/${DEFAULT_POLICY_NAME}`;

/** The JSON file of a model in the TF.js layers format. */
interface ModelJson {
  readonly format: string;
  readonly generatedBy: string;
  readonly convertedBy: null;
  readonly modelTopology: unknown;
  readonly weightsManifest: ReadonlyArray<{ readonly paths: readonly string[]; readonly weights: readonly TF.io.WeightsManifestEntry[] }>;
}

function concat(data: ArrayBuffer | ArrayBuffer[]): ArrayBuffer {
  if (!Array.isArray(data)) return data;
  const total = data.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), off);
    off += b.byteLength;
  }
  return out.buffer;
}

/** Writes a file atomically (write then rename), so a crash never leaves half a checkpoint. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** Saves `model` as `<name>.json` + `<name>.weights.bin` in `dir`. */
export async function saveModel(tf: Tf, model: TF.LayersModel, dir: string, name = 'model'): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = `${name}.weights.bin`;
      const json: ModelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [weights], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileAtomic(join(dir, weights), new Uint8Array(concat(artifacts.weightData as ArrayBuffer | ArrayBuffer[])));
      writeFileAtomic(join(dir, `${name}.json`), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

function readModel(dir: string, name: string): { json: ModelJson; weights: ArrayBuffer } {
  const file = join(dir, `${name}.json`);
  if (!existsSync(file)) throw new Error(`no ${name}.json in ${dir}: expected a model directory written by cockpit train`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as ModelJson;
  const group = json.weightsManifest[0];
  if (!group || group.paths.length !== 1) throw new Error(`${file}: expected one weights file in the manifest`);
  const buf = readFileSync(join(dir, group.paths[0] as string));
  return { json, weights: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer };
}

/** Loads `<name>.json` from `dir` as a TF.js model. */
export async function loadModel(tf: Tf, dir: string, name = 'model'): Promise<TF.LayersModel> {
  const { json, weights } = readModel(dir, name);
  const group = json.weightsManifest[0] as ModelJson['weightsManifest'][number];
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs: [...group.weights], weightData: weights }));
}

/** Reads `<name>.json` from `dir` into a pure-TS network (no TF.js). */
export function loadMlp(dir: string, name = 'model'): Mlp {
  const { json, weights } = readModel(dir, name);
  const topo = json.modelTopology as { config?: { layers?: Array<{ class_name: string; config: { units: number; activation: string } }> } };
  const layerConfigs = topo.config?.layers;
  if (!layerConfigs) throw new Error(`${dir}/${name}.json: expected a Sequential topology`);
  const specs = (json.weightsManifest[0] as ModelJson['weightsManifest'][number]).weights;
  const arrays: Float32Array[] = [];
  let off = 0;
  for (const s of specs) {
    if (s.dtype !== 'float32') throw new Error(`${s.name}: expected float32 weights, received ${s.dtype}`);
    const n = s.shape.reduce((a, b) => a * b, 1);
    arrays.push(new Float32Array(weights.slice(off, off + n * 4)));
    off += n * 4;
  }
  const dense = layerConfigs.filter((l) => l.class_name === 'Dense');
  if (dense.length * 2 !== specs.length) throw new Error(`${dir}/${name}.json: ${dense.length} Dense layers but ${specs.length} weight tensors, expected kernel and bias per layer`);
  const layers: DenseLayer[] = dense.map((l, i) => {
    const spec = specs[2 * i] as TF.io.WeightsManifestEntry;
    return { inputs: spec.shape[0] as number, outputs: spec.shape[1] as number, kernel: arrays[2 * i] as Float32Array, bias: arrays[2 * i + 1] as Float32Array, activation: (l.config.activation ?? 'linear') as Activation };
  });
  return { layers };
}

/** Writes `value` as pretty JSON into `dir/file`. */
export function writeJson(dir: string, file: string, value: unknown): void {
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, file), `${JSON.stringify(value, null, 2)}\n`);
}

/** Reads `dir/file` as JSON. */
export function readJson<T>(dir: string, file: string): T {
  const path = join(dir, file);
  if (!existsSync(path)) throw new Error(`no ${file} in ${dir}`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Saves named tensors (optimizer state) as `<name>.json` + `<name>.bin`. */
export async function saveTensors(tf: Tf, tensors: { name: string; tensor: TF.Tensor }[], dir: string, name: string): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  writeFileAtomic(join(dir, `${name}.bin`), new Uint8Array(concat(data as ArrayBuffer | ArrayBuffer[])));
  writeJson(dir, `${name}.json`, specs);
}

/** Loads named tensors saved by `saveTensors` (empty when absent). */
export function loadTensors(tf: Tf, dir: string, name: string): { name: string; tensor: TF.Tensor }[] {
  if (!existsSync(join(dir, `${name}.json`))) return [];
  const specs = readJson<TF.io.WeightsManifestEntry[]>(dir, `${name}.json`);
  const buf = readFileSync(join(dir, `${name}.bin`));
  const map = tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer, specs);
  return specs.map((s) => ({ name: s.name, tensor: map[s.name] as TF.Tensor }));
}

/** What `policy.json` in a model directory says about the network. */
export interface PolicyManifest {
  readonly algo: 'dqn' | 'ppo';
  readonly outputKind: OutputKind;
  /** The observation and action layout it was trained on (`ENV_LAYOUT`); another layout is refused. */
  readonly layout: string;
  /** The env the policy was trained on: a backtest should use the same parent order shape and interval. */
  readonly env: PolicyEnvSettings;
}

/** The environment a policy was trained in. */
export interface PolicyEnvSettings {
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly horizonSeconds: number;
  /** Decisions per episode (interval = horizon / steps). */
  readonly steps: number;
  readonly preTradeSeconds: number;
  readonly impactPenalty: number;
  /** Weight of the tracking-error penalty to the TWAP schedule (absent: 0). */
  readonly trackingPenalty?: number;
  /** Weight of the inventory-risk penalty (absent: 0). */
  readonly inventoryPenalty?: number;
  /**
   * Trained on both sides: half the episodes work the opposite of `side` (absent: `side` only). The
   * observation and reward are signed by side, so one network serves both; `side` stays the one its
   * evaluation and the cockpit's default agent use.
   */
  readonly bothSides?: boolean;
  /**
   * The market signal the observation's signal slots were filled from (absent: the slots were 0):
   * its direction model and regime model directories, relative to the application root. The
   * policy runs only where the same signal is kept.
   */
  readonly signals?: PolicySignals;
}

/** The signal and regime models a policy observes (directories relative to the application root). */
export interface PolicySignals {
  readonly model: string;
  readonly regimes: string;
}

/** The signals `cockpit train --signals` trains with, and the cockpit shows: the level-1 model runs on every venue. */
export const DEFAULT_POLICY_SIGNALS: PolicySignals = { model: 'resources/models/lob1-signal', regimes: 'resources/models/lob-regimes' };

/** Whether the policy decides on the market signal: it was trained with one (`cockpit train --signals`). */
export function observesSignal(manifest: PolicyManifest): boolean {
  return manifest.env.signals !== undefined;
}

/** Reads `policy.json` and refuses a policy trained for another observation and action layout. */
export function readManifest(dir: string): PolicyManifest {
  const manifest = readJson<Partial<PolicyManifest>>(dir, 'policy.json');
  if (manifest.algo !== 'dqn' && manifest.algo !== 'ppo') throw new Error(`${dir}/policy.json: algo must be "dqn" or "ppo", received ${JSON.stringify(manifest.algo)}`);
  if (manifest.layout !== ENV_LAYOUT) {
    throw new Error(`${dir} was trained for the observation and action layout ${JSON.stringify(manifest.layout ?? 'of an earlier version')}; this build runs "${ENV_LAYOUT}" (${OBSERVATION_SIZE} features, ${ACTION_COUNT} actions): retrain it with cockpit train`);
  }
  if (manifest.outputKind !== 'q-values' && manifest.outputKind !== 'logits') throw new Error(`${dir}/policy.json: outputKind must be "q-values" or "logits"`);
  if (!manifest.env) throw new Error(`${dir}/policy.json: no env settings`);
  const signals = manifest.env.signals as Partial<PolicySignals> | undefined;
  if (signals !== undefined && (typeof signals?.model !== 'string' || typeof signals.regimes !== 'string')) {
    throw new Error(`${dir}/policy.json: env.signals must name a signal model and a regime model directory, received ${JSON.stringify(signals)}`);
  }
  return manifest as PolicyManifest;
}

function checkedMlp(dir: string): Mlp {
  const mlp = loadMlp(dir);
  const inputs = mlp.layers[0]?.inputs;
  const outputs = mlp.layers[mlp.layers.length - 1]?.outputs;
  if (inputs !== OBSERVATION_SIZE || outputs !== ACTION_COUNT) throw new Error(`${dir}: the network maps ${inputs} features to ${outputs} actions; the layout "${ENV_LAYOUT}" needs ${OBSERVATION_SIZE} → ${ACTION_COUNT}`);
  return mlp;
}

/** A policy loaded from a directory: `act`, `actBatch` and `explain`, with what it is and how it runs. */
export interface LoadedPolicy {
  /** Returns the action for one raw observation (pure-TS forward pass, no TF.js call). */
  act(observation: ArrayLike<number>): number;
  /** Writes the actions of `rows` raw observations into `out` (one TF.js call when loaded with `tf`). */
  actBatch(observations: Float32Array, rows: number, out?: Int32Array): Int32Array;
  /** Returns the decision with its explanation (opt-in; integrated gradients in pure TS). */
  explain(observation: ArrayLike<number>, options?: Omit<ExplainOptions, 'action'>): DecisionExplanation;
  readonly policy: ExecutionPolicy;
  readonly manifest: PolicyManifest;
  /** Where decisions run, for the status bar: e.g. "js-forward (single decision), wasm (batch)". */
  readonly backend: string;
  /** The TF.js model (when a tf module was given), for batches and benchmarks. */
  readonly model: TF.LayersModel | null;
}

/**
 * Loads the policy in `dir`. Single decisions (`act`, `explain`) run as a pure-TS forward pass;
 * with `tf`, `actBatch` runs one TF.js call per batch on its active backend.
 */
export async function loadPolicy(dir: string, tf?: Tf): Promise<LoadedPolicy> {
  const manifest = readManifest(dir);
  const normaliser = readJson<NormaliserState>(dir, 'normaliser.json');
  const mlp = checkedMlp(dir);
  let model: TF.LayersModel | null = null;
  let batch: ((x: Float32Array, rows: number) => Float32Array) | undefined;
  if (tf) {
    const m = await loadModel(tf, dir);
    model = m;
    batch = (x, rows) => predictBatch(tf, m, x, rows, mlp.layers[0]?.inputs ?? 0);
  }
  const policy = new ExecutionPolicy(mlp, manifest.outputKind, normaliser, batch);
  return {
    act: (o) => policy.act(o),
    actBatch: (o, rows, out) => policy.actBatch(o, rows, out),
    explain: (o, options) => policy.explain(o, options),
    policy,
    manifest,
    backend: tf ? `js-forward (single decision), ${tf.getBackend()} (batch)` : 'js-forward',
    model,
  };
}

/** Loads the policy in `dir` for single decisions only (pure TS, synchronous, no TF.js). */
export function loadPolicySync(dir: string): { policy: ExecutionPolicy; manifest: PolicyManifest } {
  const manifest = readManifest(dir);
  const normaliser = readJson<NormaliserState>(dir, 'normaliser.json');
  return { policy: new ExecutionPolicy(checkedMlp(dir), manifest.outputKind, normaliser), manifest };
}

/**
 * The policy folders under `root`'s resources/models that hold a readable manifest, as
 * `resources/models/NAME` (the way a backtest's `rl:` entry and a branch name them), sorted.
 */
export function shippedPolicies(root: string): string[] {
  const dir = join(root, 'resources', 'models');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .filter((name) => {
      try {
        readManifest(join(dir, name));
        return true;
      } catch {
        return false;
      }
    })
    .sort()
    .map((name) => `resources/models/${name}`);
}
