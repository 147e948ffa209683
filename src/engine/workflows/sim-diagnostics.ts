/**
 * The diagnostics run (`cockpit sim diagnostics`): a scenario's seeds and the real LOBSTER days,
 * measured by the same code (`sim/diagnostics.ts`: the facts recorder and the touch probe), side by
 * side with a verdict per figure and a distance.
 *
 * The simulator's figures: each seed's background day (facts and controlled metaorders, on worker
 * threads: node/workers/facts-pool.ts), averaged over the seeds; the touch probe pooled over its
 * own seeds, spread over the same times of day as a real day's probes (10:00 to 14:59 by default).
 * A real day's: its facts over the regular session and the touch probe on the historical venue,
 * seed k at 10:00 plus k waits rounded up to minutes, as `cockpit sim touch --venue`.
 */

import { existsSync } from 'node:fs';
import { NS_PER_SECOND } from '../core/clock';
import { DIAGNOSTIC_KEYS, compareFigures, dayIntervals, marketFigures, summariseSimFigures, touchFigures } from '../sim/diagnostics';
import type { DiagnosticComparison, Figures, RealDayFigures, SimFigures, TouchSummary } from '../sim/diagnostics';
import { DEFAULT_METAORDERS, simulateSeedFacts, summariseSim } from '../sim/facts';
import type { MetaorderPlan, SeedFacts } from '../sim/facts';
import type { Scenario } from '../sim/scenario';
import { createSimVenue } from '../sim/sim-venue';
import { runSeedFacts } from '../node/workers/facts-pool';
import { lobsterSamplePair } from '../node/files/sim-lobster-stream';
import { measureRealFacts } from './sim-real-facts';
import { probeVenues, touchProbe } from './touch-probe';
import type { WorkflowContext } from './workflow';
import { throwIfCancelled } from './workflow';

const MINUTE = 60 * NS_PER_SECOND;

/** The LOBSTER days the diagnostics can compare with, and their files' level counts. */
export const DIAGNOSTIC_DAYS: Readonly<Record<string, number>> = { AAPL: 1, AMZN: 1, GOOG: 10 };

/** The touch probe's set-up, the same on both sides. */
export interface TouchPlan {
  /** Lots the probe order rests. */
  readonly size: number;
  readonly waitNs: number;
  /** Probe seeds on the simulator (each probes both sides; see `simSpreadMinutes`). */
  readonly simSeeds: readonly number[];
  /** Probe seeds on a real day (seed k: 10:00 plus k waits, rounded up to minutes). */
  readonly realSeeds: readonly number[];
  /** The simulator's first probe time, ns after midnight. */
  readonly simStartNs: number;
  /**
   * The i-th of n simulator seeds probes at `simStartNs` plus ⌊i · simSpreadMinutes / n⌋ minutes, so
   * the probes cover the same times of day as a real day's (seed k at 10:00 plus k minutes); 0 puts
   * every probe at `simStartNs`, as `cockpit sim touch --scenario` does.
   */
  readonly simSpreadMinutes: number;
}

/** The probe behind the figures quoted in the README: 50 lots for 30 s, 300 seeds a side. */
export function defaultTouchPlan(): TouchPlan {
  const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
  return { size: 50, waitNs: 30 * NS_PER_SECOND, simSeeds: range(900_300, 900_599), realSeeds: range(0, 299), simStartNs: 10 * 3600 * NS_PER_SECOND, simSpreadMinutes: 300 };
}

/** Throws naming the first missing file of the days' LOBSTER pairs in `lobsterDir`. */
export function checkDayFiles(lobsterDir: string, days: readonly string[]): void {
  for (const day of days) {
    const levels = DIAGNOSTIC_DAYS[day];
    if (levels === undefined) throw new Error(`no LOBSTER day for "${day}": expected one of ${Object.keys(DIAGNOSTIC_DAYS).join(', ')}`);
    const pair = lobsterSamplePair(lobsterDir, day, levels);
    for (const file of [pair.messages, pair.orderbook]) if (!existsSync(file)) throw new Error(`the LOBSTER file ${file} is missing (the ${day} day of --data ${lobsterDir})`);
  }
}

/** Measures one real day's figures and intervals. */
export async function realDayFigures(lobsterDir: string, ticker: string, touch: TouchPlan, volumeFile: string, context: WorkflowContext = {}): Promise<RealDayFigures> {
  const levels = DIAGNOSTIC_DAYS[ticker];
  if (levels === undefined) throw new Error(`no LOBSTER day for "${ticker}": expected one of ${Object.keys(DIAGNOSTIC_DAYS).join(', ')}`);
  const pair = lobsterSamplePair(lobsterDir, ticker, levels);
  const { facts, runs } = await measureRealFacts(pair);
  throwIfCancelled(context.signal);
  const probe = await touchProbe(
    { market: { kind: 'lobster', messages: pair.messages, orderbook: pair.orderbook, levels, preTradeNs: 30 * MINUTE, horizonNs: touch.waitNs, volumeFile }, seeds: touch.realSeeds, size: touch.size, waitNs: touch.waitNs },
    context.signal === undefined ? {} : { signal: context.signal },
  );
  return { day: ticker, figures: marketFigures(facts, probe.both), intervals: dayIntervals(facts, runs, probe.both) };
}

/**
 * Reads the real days back from a diagnostics report's JSON (`cockpit sim diagnostics --json`),
 * where a figure that could not be measured was written as null; throws naming `source` and what
 * is missing.
 */
export function realDaysFromReport(json: unknown, source: string, days: readonly string[]): RealDayFigures[] {
  const real = (json as { real?: unknown } | null)?.real;
  if (!Array.isArray(real)) throw new Error(`${source}: expected a diagnostics report (cockpit sim diagnostics --json) with a "real" list, found none`);
  const num = (x: unknown, what: string): number => {
    if (x === null) return NaN;
    if (typeof x !== 'number') throw new Error(`${source}: ${what} must be a number or null, received ${JSON.stringify(x)}`);
    return x;
  };
  return days.map((day) => {
    const d = real.find((r: unknown) => (r as { day?: unknown }).day === day) as { figures?: Record<string, unknown>; intervals?: Record<string, { lo?: unknown; hi?: unknown }> } | undefined;
    if (d?.figures === undefined || d.intervals === undefined) throw new Error(`${source}: the report has no figures for ${day} (it has ${real.map((r: unknown) => String((r as { day?: unknown }).day)).join(', ')})`);
    const figures = {} as Figures;
    const intervals = {} as RealDayFigures['intervals'];
    for (const key of DIAGNOSTIC_KEYS) {
      figures[key] = num(d.figures[key] ?? null, `${day}.figures.${key}`);
      const i = d.intervals[key];
      intervals[key] = { lo: num(i?.lo ?? null, `${day}.intervals.${key}.lo`), hi: num(i?.hi ?? null, `${day}.intervals.${key}.hi`) };
    }
    return { day, figures, intervals };
  });
}

/** Runs the touch probe on a scenario (see the module comment); returns both sides pooled. */
export function simTouch(scenario: Scenario, touch: TouchPlan, context: WorkflowContext = {}): TouchSummary {
  const n = touch.simSeeds.length;
  const startOf = new Map(touch.simSeeds.map((seed, i) => [seed, touch.simStartNs + Math.floor((i * touch.simSpreadMinutes) / n) * MINUTE]));
  return probeVenues((seed) => ({ venue: createSimVenue(scenario, seed, { marketEvents: false }), startNs: startOf.get(seed)! }), touch.simSeeds, touch.size, touch.waitNs, context).both;
}

const NO_TOUCH: TouchSummary = { n: 0, anyFill: NaN, adverseIfFilledBps: null, adverseIfNotBps: null };

/** Turns seeds' facts and a pooled touch probe into the simulated figures. */
export function simFigures(seeds: readonly SeedFacts[], touch: TouchSummary): SimFigures {
  const perSeed: Figures[] = seeds.map((s) => marketFigures(s.facts, NO_TOUCH));
  const metaorders = seeds.some((s) => s.metaorders.length > 1) ? summariseSim(seeds).impactExponent : NaN;
  return summariseSimFigures(perSeed, { ...touchFigures(touch), impactExponentMetaorders: metaorders });
}

/** Simulates a scenario's figures in this thread (the calibration search's evaluation). */
export function simulateFigures(scenario: Scenario, seeds: readonly number[], touch: TouchPlan, plan: MetaorderPlan = DEFAULT_METAORDERS, context: WorkflowContext = {}): SimFigures {
  const facts = seeds.map((s) => {
    throwIfCancelled(context.signal);
    return simulateSeedFacts(scenario, s, plan);
  });
  return simFigures(facts, simTouch(scenario, touch, context));
}

export interface DiagnosticsOptions {
  readonly scenario: Scenario;
  readonly seeds: readonly number[];
  readonly days: readonly string[];
  readonly lobsterDir: string;
  readonly volumeFile: string;
  readonly touch: TouchPlan;
  /** Worker threads for the seeds' facts (default 1). */
  readonly workers?: number;
  /** The real days already measured (read back by `realDaysFromReport`), instead of measuring them. */
  readonly real?: readonly RealDayFigures[];
}

export interface DiagnosticsReport extends DiagnosticComparison {
  readonly scenario: string;
  readonly seeds: readonly number[];
  readonly days: readonly string[];
  readonly touch: { readonly size: number; readonly waitSeconds: number; readonly simSeeds: number; readonly realSeeds: number; readonly simStart: string; readonly simEnd: string };
  readonly sim: SimFigures;
  readonly real: readonly RealDayFigures[];
  readonly seconds: number;
  readonly notes: readonly string[];
}

/** Notes printed with every diagnostics report. */
export const DIAGNOSTICS_NOTES: readonly string[] = [
  'sim: the mean over the seeds of each full simulated day (min and max over the seeds); the touch probe and the metaorder fit are pooled over all their seeds.',
  'range: the lowest lower to the highest upper bound of the real days 95% intervals; verdict "in (days)" inside the days own values, "in" inside the range, "out" outside it.',
  'distance: root sum of squares of each figure\'s distance outside the range, in widths of the range; distancePoints the same against the days own values.',
  'impactExponentRuns: sign runs of aggressive orders on both (LOBSTER has no metaorder labels); impactExponentMetaorders: controlled metaorders against the same-seed counterfactual, the simulator only, against the square-root law.',
  'Real data: LOBSTER sample files, courtesy of lobsterdata.com.',
];

/** Runs the diagnostics (see the module comment). */
export async function diagnosticsReport(options: DiagnosticsOptions, context: WorkflowContext = {}): Promise<DiagnosticsReport> {
  const started = performance.now();
  const { scenario, seeds, touch } = options;
  if (seeds.length === 0) throw new Error('the diagnostics need at least one simulator seed, received none');
  if (options.days.length === 0) throw new Error('the diagnostics need at least one real day, received none');
  if (options.real === undefined) checkDayFiles(options.lobsterDir, options.days);
  throwIfCancelled(context.signal);
  const facts = await runSeedFacts(scenario, seeds, {
    workers: options.workers ?? 1,
    ...(context.signal === undefined ? {} : { signal: context.signal }),
  });
  const sim = simFigures(facts, simTouch(scenario, touch, context));
  const real: RealDayFigures[] = options.real === undefined ? [] : [...options.real];
  if (options.real === undefined) for (const day of options.days) real.push(await realDayFigures(options.lobsterDir, day, touch, options.volumeFile, context));
  const comparison = compareFigures(sim, real);
  const hhmm = (ns: number): string => `${String(Math.floor(ns / (3600 * NS_PER_SECOND))).padStart(2, '0')}:${String(Math.floor((ns / MINUTE) % 60)).padStart(2, '0')}`;
  return {
    scenario: scenario.name,
    seeds,
    days: options.days,
    touch: { size: touch.size, waitSeconds: touch.waitNs / NS_PER_SECOND, simSeeds: touch.simSeeds.length, realSeeds: touch.realSeeds.length, simStart: hhmm(touch.simStartNs), simEnd: hhmm(touch.simStartNs + Math.floor(((touch.simSeeds.length - 1) * touch.simSpreadMinutes) / touch.simSeeds.length) * MINUTE) },
    ...comparison,
    sim,
    real,
    seconds: (performance.now() - started) / 1000,
    notes: DIAGNOSTICS_NOTES,
  };
}
