/**
 * The calibration search (`cockpit sim fit`): Nelder–Mead, a derivative-free optimiser, over a
 * scenario's parameters, minimising the diagnostics' distance to the real days
 * (`sim/diagnostics.ts`). Each evaluation simulates the same seeds and the same touch probes
 * (common random numbers, so two parameter sets differ by their parameters, not by their luck); the
 * real days are measured once. Each parameter moves inside its bounds through a logistic map of an
 * unbounded coordinate, so the simplex never leaves them. The best point evaluated is kept, whatever
 * the simplex's last state; it is checked afterwards on other seeds by `cockpit sim diagnostics`.
 *
 * The objective is the distance against the days' own values plus the distance against their
 * interval range (both 0 when every figure lies inside the days' values), a figure the simulator
 * cannot measure counting as 10.
 */

import { nelderMead } from '../risk/dynamic/fit';
import { compareFigures } from '../sim/diagnostics';
import type { DiagnosticComparison, RealDayFigures } from '../sim/diagnostics';
import type { MetaorderPlan } from '../sim/facts';
import { DEFAULT_METAORDERS } from '../sim/facts';
import { parseScenario } from '../sim/scenario';
import type { ScenarioInput } from '../sim/scenario';
import { simulateFigures } from './sim-diagnostics';
import type { TouchPlan } from './sim-diagnostics';
import type { WorkflowContext } from './workflow';
import { throwIfCancelled } from './workflow';

/** One searched parameter: a dotted path into the scenario file and its bounds. */
export interface FitParameter {
  readonly path: string;
  readonly lo: number;
  readonly hi: number;
  /** Rounded to a whole number when written. */
  readonly integer?: boolean;
}

/** The parameters `cockpit sim fit` searches by default: the order flow's mix, the makers' anchoring and the fundamental's tails. */
export const DEFAULT_FIT_PARAMETERS: readonly FitParameter[] = [
  { path: 'marketMakers.fundamentalWeight', lo: 0, hi: 1 },
  { path: 'marketMakers.spreadTicks', lo: 6, hi: 40, integer: true },
  { path: 'marketMakers.size.median', lo: 20, hi: 300 },
  { path: 'marketMakers.requoteMs', lo: 100, hi: 3000 },
  { path: 'zeroIntelligence.limitRate', lo: 0.3, hi: 4 },
  { path: 'zeroIntelligence.marketRate', lo: 0.005, hi: 0.5 },
  { path: 'zeroIntelligence.cancelRate', lo: 0.02, hi: 2 },
  { path: 'zeroIntelligence.placement.median', lo: 8, hi: 80 },
  { path: 'hawkes.baseRate', lo: 0.005, hi: 0.4 },
  { path: 'informed.rate', lo: 0.05, hi: 3 },
  { path: 'informed.thresholdTicks', lo: 0.5, hi: 30 },
  { path: 'fundamental.volOfVol', lo: 0.1, hi: 1.5 },
  { path: 'fundamental.volMeanReversionMinutes', lo: 1, hi: 60 },
  { path: 'fundamental.jumpRatePerHour', lo: 0.1, hi: 6 },
];

/**
 * Parses a searched parameter written as `path=lo..hi`, with `:int` after it for a whole number
 * (`marketMakers.spreadTicks=6..40:int`); throws saying what was received and what was expected.
 */
export function parseFitParameter(text: string): FitParameter {
  const m = /^([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)=(-?[0-9.eE+-]+)\.\.(-?[0-9.eE+-]+)(:int)?$/.exec(text.trim());
  const lo = m === null ? NaN : Number(m[2]);
  const hi = m === null ? NaN : Number(m[3]);
  if (m === null || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`a searched parameter is written path=lo..hi or path=lo..hi:int (as marketMakers.spreadTicks=6..40:int), received "${text}"`);
  if (!(hi > lo)) throw new Error(`the bounds of "${m[1]}" must have lo below hi, received ${lo} and ${hi}`);
  return { path: m[1]!, lo, hi, ...(m[4] === undefined ? {} : { integer: true }) };
}

/** Reads a dotted path of a scenario file. */
export function readPath(s: ScenarioInput, path: string): number | undefined {
  let o: unknown = s;
  for (const k of path.split('.')) o = o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;
  return typeof o === 'number' ? o : undefined;
}

/** Returns a copy of a scenario file with a dotted path set (the objects on the way are copied, never shared). */
export function withPath(s: ScenarioInput, path: string, value: number): ScenarioInput {
  const keys = path.split('.');
  const copy = structuredClone(s) as unknown as Record<string, unknown>;
  let o = copy;
  for (const k of keys.slice(0, -1)) {
    const next = o[k];
    if (next === null || typeof next !== 'object') throw new Error(`the scenario has no object at "${k}" of the path "${path}"`);
    o = next as Record<string, unknown>;
  }
  o[keys[keys.length - 1]!] = value;
  return copy as unknown as ScenarioInput;
}

const logistic = (u: number): number => 1 / (1 + Math.exp(-u));
const logit = (p: number): number => Math.log(p / (1 - p));

/** Maps an unbounded coordinate into a parameter's bounds. */
export function toParameter(p: FitParameter, u: number): number {
  const x = p.lo + (p.hi - p.lo) * logistic(u);
  return p.integer ? Math.round(x) : Number(x.toPrecision(4));
}

/** Maps a parameter's value to its coordinate (values at or past a bound sit just inside it). */
export function toCoordinate(p: FitParameter, x: number): number {
  const t = (x - p.lo) / (p.hi - p.lo);
  return logit(Math.min(0.98, Math.max(0.02, t)));
}

/** Returns the scenario file a coordinate vector makes. */
export function scenarioAt(start: ScenarioInput, params: readonly FitParameter[], u: readonly number[]): ScenarioInput {
  let s = start;
  params.forEach((p, i) => (s = withPath(s, p.path, toParameter(p, u[i]!))));
  return s;
}

/** The objective: see the module comment. */
export function fitObjective(c: DiagnosticComparison): number {
  const cap = (x: number): number => (Number.isFinite(x) ? x : 10);
  const sum = (key: 'excess' | 'excessPoints'): number => Math.sqrt(c.rows.reduce((s, r) => s + cap(r[key]) ** 2, 0));
  return sum('excessPoints') + sum('excess');
}

export interface FitOptions {
  readonly start: ScenarioInput;
  readonly name: string;
  readonly params: readonly FitParameter[];
  readonly seeds: readonly number[];
  readonly touch: TouchPlan;
  readonly real: readonly RealDayFigures[];
  /** Simulated evaluations at most. */
  readonly evaluations: number;
  readonly metaorders?: MetaorderPlan;
  /** Told after each evaluation. */
  readonly onEvaluation?: (e: FitEvaluation) => void;
}

export interface FitEvaluation {
  readonly index: number;
  readonly objective: number;
  readonly distance: number;
  readonly distancePoints: number;
  readonly inRange: number;
  readonly parameters: Readonly<Record<string, number>>;
}

export interface FitResult {
  readonly scenario: ScenarioInput;
  readonly start: FitEvaluation;
  readonly best: FitEvaluation;
  readonly evaluations: readonly FitEvaluation[];
}

class BudgetSpent extends Error {}

/** Runs the search (see the module comment). */
export function fitScenario(options: FitOptions, context: WorkflowContext = {}): FitResult {
  const { params, start } = options;
  for (const p of params) {
    const v = readPath(start, p.path);
    if (v === undefined && p.path !== 'marketMakers.fundamentalWeight') throw new Error(`the scenario has no number at "${p.path}"`);
    if (!(p.hi > p.lo)) throw new Error(`the bounds of "${p.path}" must have lo below hi, received ${p.lo} and ${p.hi}`);
  }
  const u0 = params.map((p) => toCoordinate(p, readPath(start, p.path) ?? p.lo));
  const evaluations: FitEvaluation[] = [];
  let best: { u: readonly number[]; e: FitEvaluation } | null = null;
  const f = (u: readonly number[]): number => {
    if (evaluations.length >= options.evaluations) throw new BudgetSpent();
    throwIfCancelled(context.signal);
    const file = { ...scenarioAt(start, params, u), name: options.name };
    const scenario = parseScenario(file, `${options.name} (search point ${evaluations.length})`);
    const c = compareFigures(simulateFigures(scenario, options.seeds, options.touch, options.metaorders ?? DEFAULT_METAORDERS, context), options.real);
    const objective = fitObjective(c);
    const e: FitEvaluation = {
      index: evaluations.length,
      objective,
      distance: c.distance,
      distancePoints: c.distancePoints,
      inRange: c.inRange,
      parameters: Object.fromEntries(params.map((p, i) => [p.path, toParameter(p, u[i]!)])),
    };
    evaluations.push(e);
    options.onEvaluation?.(e);
    context.onProgress?.({ done: evaluations.length, total: options.evaluations });
    if (best === null || objective < best.e.objective) best = { u: [...u], e };
    return objective;
  };
  try {
    nelderMead(f, u0, { initialStep: 0.8, maxIterations: options.evaluations, tolerance: 1e-4 });
  } catch (err) {
    if (!(err instanceof BudgetSpent)) throw err;
  }
  const found = best as { u: readonly number[]; e: FitEvaluation } | null;
  if (found === null) throw new Error('the search made no evaluation: give it at least one');
  return { scenario: { ...scenarioAt(start, params, found.u), name: options.name }, start: evaluations[0]!, best: found.e, evaluations };
}
