/**
 * Explanations of a policy decision: the observation by named feature, the action values (DQN
 * Q-values) or probabilities (PPO softmax), integrated-gradients attributions of the chosen
 * action's value (DQN) or logit (PPO) to each feature, and one line a trader can read.
 *
 * Integrated gradients (Sundararajan et al. 2017): attribution_i = (x_i − x'_i) · mean over the
 * midpoints α_k = (k + ½)/m of ∂f/∂x_i(x' + α_k(x − x')), with f the network's output for the
 * chosen action and x the normalised observation. The baseline x' is 0 after normalisation, i.e.
 * the training mean observation. By the completeness axiom the attributions sum to
 * f(x) − f(x') up to the Riemann error of m steps. Gradients are exact (pure-TS backpropagation),
 * so an explanation costs m small backward passes and no TF.js call.
 */

import { REGIME_STRESS } from '../contract/events';
import { ACTIONS, describeAction, OBSERVATION_FIELDS } from '../rl/env';
import type { Mlp } from './mlp';
import { mlpForward, mlpOutputGradient, softmax } from './mlp';

/** What a network's outputs mean. */
export type OutputKind = 'q-values' | 'logits';

/** One feature's part in a decision. */
export interface FeatureAttribution {
  readonly feature: string;
  /** The raw observation value. */
  readonly value: number;
  /** Its normalised value (what the network saw). */
  readonly normalised: number;
  /** Integrated-gradients attribution to the chosen action's output, in the output's units. */
  readonly attribution: number;
}

/** A decision with its explanation. */
export interface DecisionExplanation {
  readonly action: number;
  readonly actionLabel: string;
  /** Q-values (DQN, in scaled reward units) or probabilities (PPO), one per action. */
  readonly actionValues: readonly number[];
  readonly valueKind: 'q-value' | 'probability';
  /** The chosen action's output at x and at the baseline, and the attributions' sum. */
  readonly output: number;
  readonly baselineOutput: number;
  readonly attributionSum: number;
  /** By feature, in observation order. */
  readonly features: readonly FeatureAttribution[];
  readonly baseline: string;
  readonly steps: number;
  /** The features that weigh most, as readable phrases with their shares of the attribution ("order flow against us (+52%)"). */
  readonly why: string;
  /** The action's label and `why`, as one line. */
  readonly text: string;
}

/** Returns integrated-gradients attributions of output `k` at `x` against baseline `x0`, with `steps` midpoints. */
export function integratedGradients(mlp: Mlp, x: ArrayLike<number>, x0: ArrayLike<number>, k: number, steps: number): Float64Array {
  const n = x.length;
  const sum = new Float64Array(n);
  const g = new Float64Array(n);
  const p = new Float64Array(n);
  for (let s = 0; s < steps; s++) {
    const a = (s + 0.5) / steps;
    for (let i = 0; i < n; i++) p[i] = (x0[i] as number) + a * ((x[i] as number) - (x0[i] as number));
    mlpOutputGradient(mlp, p, k, g);
    for (let i = 0; i < n; i++) sum[i] = (sum[i] as number) + (g[i] as number);
  }
  for (let i = 0; i < n; i++) sum[i] = (((x[i] as number) - (x0[i] as number)) * (sum[i] as number)) / steps;
  return sum;
}

/** Returns a short label of action `a` ("sell 1 slice ahead, +1 rested"). */
export function actionLabel(a: number, side: 'buy' | 'sell' = 'sell'): string {
  const spec = ACTIONS[a];
  if (!spec) return `unknown action ${a}`;
  return `${side} ${describeAction(spec)}`;
}

/** How a decision is explained: integration steps, the trader's side, the action (the best by default), and whether the signal slots hold the market signal. */
export interface ExplainOptions {
  readonly steps?: number;
  readonly side?: 'buy' | 'sell';
  readonly action?: number;
  /** The policy observes the market signal (signal0: direction, signal1: regime stress): its share is always said. */
  readonly signalSlots?: boolean;
}

/** Returns the readable phrase for a feature's raw value, or null when it says nothing useful. */
export function describeFeature(feature: string, v: number): string {
  const pct = (x: number): string => `${Math.round(Math.abs(x) * 100)}%`;
  switch (feature) {
    case 'timeLeft':
      return `${pct(v)} of the horizon left`;
    case 'quantityLeft':
      return `${pct(v)} of the order left`;
    case 'spread':
      return v > 0.6 ? 'spread wide' : v < 0.3 ? 'spread tight' : 'spread normal';
    case 'bidDepth':
      return v > 0.66 ? 'bid depth thick' : v < 0.33 ? 'bid depth thin' : 'bid depth normal';
    case 'askDepth':
      return v > 0.66 ? 'ask depth thick' : v < 0.33 ? 'ask depth thin' : 'ask depth normal';
    case 'imbalance':
      return v > 0.2 ? 'book leans to the bid' : v < -0.2 ? 'book leans to the ask' : 'book balanced';
    case 'volatility':
      return v > 0.5 ? 'volatility high' : v < 0.15 ? 'volatility low' : 'volatility moderate';
    case 'recentVolume':
      return v > 0.6 ? 'market volume heavy' : v < 0.3 ? 'market volume light' : 'market volume normal';
    case 'scheduleDeviation':
      return Math.abs(v) < 0.01 ? 'on schedule' : `${pct(v)} ${v > 0 ? 'ahead of' : 'behind'} schedule`;
    case 'priceMove':
      return v > 0.05 ? 'price moved in our favour' : v < -0.05 ? 'price moved against us' : 'price near arrival';
    case 'orderFlow':
      return v > 0.25 ? 'order flow with us' : v < -0.25 ? 'order flow against us' : 'order flow balanced';
    case 'signal0':
      return `signal ${v > 0.1 ? 'up' : v < -0.1 ? 'down' : 'flat'} (${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)})`;
    case 'signal1':
      return v >= REGIME_STRESS.volatile ? 'volatile regime' : v < REGIME_STRESS.calm ? 'calm regime' : 'ordinary regime';
    default:
      return `${feature} ${v.toFixed(2)}`;
  }
}

/** Explains the decision of `mlp` on raw observation `raw` (normalised as `normalised`). */
export function explainDecision(mlp: Mlp, kind: OutputKind, raw: ArrayLike<number>, normalised: Float32Array, options: ExplainOptions = {}): DecisionExplanation {
  const steps = options.steps ?? 32;
  const out = mlpForward(mlp, normalised);
  let action = options.action ?? 0;
  if (options.action === undefined) for (let i = 1; i < out.length; i++) if ((out[i] as number) > (out[action] as number)) action = i;
  const baseline = new Float32Array(normalised.length);
  const base = mlpForward(mlp, baseline);
  const ig = integratedGradients(mlp, normalised, baseline, action, steps);
  const features: FeatureAttribution[] = OBSERVATION_FIELDS.map((feature, i) => ({ feature, value: raw[i] as number, normalised: normalised[i] as number, attribution: ig[i] as number }));
  let sum = 0;
  for (const a of ig) sum += a;
  const label = actionLabel(action, options.side);
  const top = [...features].filter((f) => f.attribution !== 0).sort((a, b) => Math.abs(b.attribution) - Math.abs(a.attribution)).slice(0, 3);
  const total = top.reduce((s, f) => s + Math.abs(f.attribution), 0) || 1;
  const share = (f: FeatureAttribution, of: number): string => `${f.attribution >= 0 ? '+' : '−'}${Math.round((Math.abs(f.attribution) / of) * 100)}%`;
  const reasons = top.map((f) => `${describeFeature(f.feature, f.value)} (${share(f, total)})`);
  let why = reasons.length > 0 ? reasons.join(', ') : 'no feature stands out from the training mean';
  if (options.signalSlots === true) {
    // A policy trained on the market signal always says what the signal did, in shares of all the attributions.
    const all = features.reduce((n, f) => n + Math.abs(f.attribution), 0) || 1;
    const signal = features.filter((f) => f.feature === 'signal0' || f.feature === 'signal1');
    why += `; market signal: ${signal.map((f) => `${describeFeature(f.feature, f.value)} ${share(f, all)}`).join(', ')} of the decision`;
  }
  return {
    action,
    actionLabel: label,
    actionValues: kind === 'logits' ? Array.from(softmax(out)) : Array.from(out),
    valueKind: kind === 'logits' ? 'probability' : 'q-value',
    output: out[action] as number,
    baselineOutput: base[action] as number,
    attributionSum: sum,
    features,
    baseline: 'the training mean observation (0 after normalisation)',
    steps,
    why,
    text: `${label}: ${why}`,
  };
}
