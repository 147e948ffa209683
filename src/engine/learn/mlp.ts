/**
 * A small multilayer perceptron held as plain Float32Arrays, with a forward pass and the gradient of
 * one output with respect to the input in pure TypeScript. It mirrors a TF.js `Sequential` of
 * `Dense` layers (kernel [in, out], row-major), so a saved model runs here without TensorFlow.js:
 * one decision costs a few microseconds instead of a TF.js call's fixed overhead.
 */

/** An activation a layer may use. */
export type Activation = 'relu' | 'tanh' | 'linear';

/** One dense layer: y = act(x·W + b), W is [inputs, outputs] row-major. */
export interface DenseLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly activation: Activation;
}

/** A stack of dense layers. */
export interface Mlp {
  readonly layers: readonly DenseLayer[];
}

/** Returns the input width of `mlp`. */
export function mlpInputs(mlp: Mlp): number {
  return (mlp.layers[0] as DenseLayer).inputs;
}

/** Returns the output width of `mlp`. */
export function mlpOutputs(mlp: Mlp): number {
  return (mlp.layers[mlp.layers.length - 1] as DenseLayer).outputs;
}

function act(a: Activation, z: number): number {
  return a === 'relu' ? (z > 0 ? z : 0) : a === 'tanh' ? Math.tanh(z) : z;
}

/** Writes the outputs of `mlp` for input `x` into `out` (allocates when not given) and returns it. */
export function mlpForward(mlp: Mlp, x: ArrayLike<number>, out?: Float32Array): Float32Array {
  let cur: ArrayLike<number> = x;
  for (let l = 0; l < mlp.layers.length; l++) {
    const layer = mlp.layers[l] as DenseLayer;
    const last = l === mlp.layers.length - 1;
    const y = last && out ? out : new Float32Array(layer.outputs);
    const { kernel: w, bias: b, inputs: n, outputs: m } = layer;
    for (let j = 0; j < m; j++) y[j] = b[j] as number;
    for (let i = 0; i < n; i++) {
      const xi = cur[i] as number;
      if (xi === 0) continue;
      const row = i * m;
      for (let j = 0; j < m; j++) y[j] = (y[j] as number) + xi * (w[row + j] as number);
    }
    if (layer.activation !== 'linear') for (let j = 0; j < m; j++) y[j] = act(layer.activation, y[j] as number);
    cur = y;
  }
  return cur as Float32Array;
}

/** Returns output `k` of `mlp` at `x` and writes ∂output_k/∂x into `grad` (exact backpropagation). */
export function mlpOutputGradient(mlp: Mlp, x: ArrayLike<number>, k: number, grad: Float64Array): number {
  const acts: Float64Array[] = [Float64Array.from(x as ArrayLike<number>)];
  const pre: Float64Array[] = [];
  for (const layer of mlp.layers) {
    const cur = acts[acts.length - 1] as Float64Array;
    const z = new Float64Array(layer.outputs);
    for (let j = 0; j < layer.outputs; j++) z[j] = layer.bias[j] as number;
    for (let i = 0; i < layer.inputs; i++) {
      const xi = cur[i] as number;
      const row = i * layer.outputs;
      for (let j = 0; j < layer.outputs; j++) z[j] = (z[j] as number) + xi * (layer.kernel[row + j] as number);
    }
    pre.push(z);
    acts.push(z.map((v) => act(layer.activation, v)));
  }
  const top = mlp.layers.length - 1;
  let delta = new Float64Array((mlp.layers[top] as DenseLayer).outputs);
  delta[k] = 1;
  for (let l = top; l >= 0; l--) {
    const layer = mlp.layers[l] as DenseLayer;
    const z = pre[l] as Float64Array;
    const a = acts[l + 1] as Float64Array;
    for (let j = 0; j < layer.outputs; j++) {
      const d = layer.activation === 'relu' ? ((z[j] as number) > 0 ? 1 : 0) : layer.activation === 'tanh' ? 1 - (a[j] as number) ** 2 : 1;
      delta[j] = (delta[j] as number) * d;
    }
    const prev = new Float64Array(layer.inputs);
    for (let i = 0; i < layer.inputs; i++) {
      let s = 0;
      const row = i * layer.outputs;
      for (let j = 0; j < layer.outputs; j++) s += (layer.kernel[row + j] as number) * (delta[j] as number);
      prev[i] = s;
    }
    delta = prev;
  }
  grad.set(delta);
  return (acts[acts.length - 1] as Float64Array)[k] as number;
}

/** Returns the index of the largest value (the first on ties). */
export function argmax(xs: ArrayLike<number>, offset = 0, length = xs.length - offset): number {
  let best = 0;
  let bestV = -Infinity;
  for (let i = 0; i < length; i++) {
    const v = xs[offset + i] as number;
    if (v > bestV) {
      bestV = v;
      best = i;
    }
  }
  return best;
}

/** Returns softmax(xs) as a new array. */
export function softmax(xs: ArrayLike<number>): Float64Array {
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, xs[i] as number);
  const out = new Float64Array(xs.length);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += out[i] = Math.exp((xs[i] as number) - m);
  for (let i = 0; i < xs.length; i++) out[i] = (out[i] as number) / s;
  return out;
}
