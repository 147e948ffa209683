import { createRequire } from 'node:module';
import type * as TF from '@tensorflow/tfjs';

/** The TensorFlow.js backends, in the order they are tried. */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendSelection {
  readonly name: BackendName;
  /** One line for the status bar and the CLI: what runs and why the better ones do not. */
  readonly detail: string;
  readonly tf: typeof TF;
}

const load = createRequire(__filename);

/**
 * Selects the fastest TensorFlow.js backend this machine has: the native GPU build
 * (`@tensorflow/tfjs-node-gpu`), the native CPU build (`@tensorflow/tfjs-node`), WebAssembly, then
 * plain JavaScript. The native builds are optional dependencies whose install downloads
 * libtensorflow; where that failed they are simply absent. `prefer` restricts the choice (tests
 * pin 'cpu' or 'wasm').
 */
export async function selectBackend(prefer?: BackendName): Promise<BackendSelection> {
  const skipped: string[] = [];
  const order: BackendName[] = prefer ? [prefer] : ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
  for (const name of order) {
    try {
      const tf = await tryBackend(name);
      const why = skipped.length ? ` (${skipped.join('; ')})` : '';
      return { name, detail: `${describe(name)}${why}`, tf };
    } catch (err) {
      skipped.push(`${name}: ${shortReason(err)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.join('; ')}`);
}

async function tryBackend(name: BackendName): Promise<typeof TF> {
  if (name === 'tensorflow-gpu' || name === 'tensorflow') {
    const tf = load(name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node') as typeof TF;
    if (!(await tf.setBackend('tensorflow'))) throw new Error('backend did not start');
    await tf.ready();
    return tf;
  }
  const tf = load('@tensorflow/tfjs') as typeof TF;
  if (name === 'wasm') load('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend(name))) throw new Error('backend did not start');
  await tf.ready();
  return tf;
}

function describe(name: BackendName): string {
  switch (name) {
    case 'tensorflow-gpu':
      return 'TensorFlow native, GPU (CUDA)';
    case 'tensorflow':
      return 'TensorFlow native, CPU';
    case 'wasm':
      return 'WebAssembly';
    case 'cpu':
      return 'plain JavaScript';
  }
}

function shortReason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Cannot find module/.test(msg)) return 'not installed';
  return msg.split('\n')[0]?.slice(0, 120) ?? 'failed';
}
