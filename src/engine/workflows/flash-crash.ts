/**
 * The flash-crash comparison: the same execution agents on the flash-crash scenario, seed by seed,
 * with the dynamic-risk overlay (the monitor and the posture rules) and without it. For each seed it
 * records when the flash-crash alert fired against the crash's start, how the agents' posture
 * changed, each agent's implementation shortfall (the unfilled rest charged at the horizon's mid)
 * and worst drawdown, and what the audit (risk/audit.ts) found; the summary gives means with 95%
 * intervals and the paired differences (with − without) on the same seeds. The false alarms are
 * counted on the calm scenario's full days with the same monitor.
 */

import { SequentialIds, type IdSource } from '../core/ids';
import { NS_PER_SECOND } from '../core/clock';
import type { EngineEvent, UnsequencedEvent } from '../contract/events';
import { Kernel, type AgentSpec } from '../execution/kernel';
import { meanCi, pairedDifference, type MeanWithCi } from '../execution/stats';
import { simSessionMarket } from '../kernel/market';
import { baselineStrategies } from '../kernel/strategies';
import { OrderAudit } from '../risk/audit';
import type { DynamicRisk } from '../risk/overlay';
import { DEFAULT_POSTURE_RULES, type DetectorName, type PostureRule } from '../risk/posture';
import { DEFAULT_LIMITS, type RiskLimits } from '../risk/limits';
import type { Scenario } from '../sim/scenario';
import { throwIfCancelled, type WorkflowContext } from './workflow';

export interface FlashCrashOptions {
  /** The flash-crash scenario: its first aggressive-selling event is the crash. */
  readonly scenario: Scenario;
  readonly seeds: readonly number[];
  /** A fresh monitor for each run with the overlay. */
  readonly monitor: () => DynamicRisk;
  readonly rules?: readonly PostureRule[];
  readonly limits?: RiskLimits;
  /** The agents; by default a TWAP, a POV and a VWAP working from five minutes before the crash. */
  readonly agents?: readonly AgentSpec[];
  /** The calm scenario and the seeds whose full days count the false alarms (none when absent). */
  readonly calm?: { readonly scenario: Scenario; readonly seeds: readonly number[] };
}

/** One agent's outcome in one run. */
export interface AgentRun {
  readonly name: string;
  readonly filled: number;
  readonly quantity: number;
  /** Implementation shortfall against the arrival mid, the unfilled rest charged at the horizon's mid, bps (positive = cost). */
  readonly shortfallBps: number;
  /** The lowest the order's value went against its arrival (fills at their prices, the rest marked to the mid), bps of the arrival notional (negative = loss). */
  readonly worstDrawdownBps: number;
}

export interface SeedRun {
  readonly seed: number;
  /** Seconds from the crash's start to the first flash-crash alert at or after it, null when none fired. */
  readonly alertAfterSeconds: number | null;
  /** Alerts of any detector that fired before the crash began. */
  readonly alertsBeforeCrash: number;
  /** Agent-seconds spent REDUCING or paused by the overlay, and the posture changes it made. */
  readonly heldAgentSeconds: number;
  readonly postureChanges: number;
  readonly withOverlay: readonly AgentRun[];
  readonly without: readonly AgentRun[];
  /** Breaches the audit found, with the overlay and without (both must be 0). */
  readonly breaches: number;
}

export interface FlashCrashReport {
  readonly scenario: string;
  readonly seeds: readonly number[];
  readonly crashAtSeconds: number;
  readonly rules: readonly PostureRule[];
  readonly runs: readonly SeedRun[];
  /** Share of seeds whose flash-crash alert fired within the first five minutes of the crash. */
  readonly detected: number;
  /** Over the seeds whose alert fired; null when none did. */
  readonly alertAfterSeconds: MeanWithCi | null;
  readonly agents: ReadonlyArray<{
    readonly name: string;
    readonly shortfallWith: MeanWithCi;
    readonly shortfallWithout: MeanWithCi;
    readonly shortfallDifference: MeanWithCi;
    readonly drawdownWith: MeanWithCi;
    readonly drawdownWithout: MeanWithCi;
    readonly drawdownDifference: MeanWithCi;
  }>;
  readonly breaches: number;
  readonly falseAlarms: { readonly scenario: string; readonly seeds: readonly number[]; readonly hours: number; readonly byDetector: Readonly<Record<DetectorName, number>> } | null;
}

/** Five minutes before the crash; half an hour of horizon, through the crash and the recovery. */
const LEAD_SECONDS = 300;
const HORIZON_SECONDS = 1_800;
/** The crash counts as detected when the alert fires within this long of its start. */
const DETECTION_SECONDS = 300;

/** The default agents, starting `startAfterSeconds` after the open. */
export function flashCrashAgents(startAfterSeconds: number): AgentSpec[] {
  return [
    { name: 'TWAP sell 20k', strategy: 'twap', side: 'sell', quantity: 20_000, horizonSeconds: HORIZON_SECONDS, intervalSeconds: 10, startAfterSeconds },
    { name: 'POV 10% sell 15k', strategy: 'pov', side: 'sell', quantity: 15_000, horizonSeconds: HORIZON_SECONDS, intervalSeconds: 10, startAfterSeconds },
    { name: 'VWAP buy 20k', strategy: 'vwap', side: 'buy', quantity: 20_000, horizonSeconds: HORIZON_SECONDS, intervalSeconds: 10, startAfterSeconds },
  ];
}

/** Seconds after the open the scenario's crash begins (its first aggressive selling). */
export function crashStartSeconds(scenario: Scenario): number {
  const crash = (scenario.events ?? []).find((e) => e.kind === 'aggressiveSelling');
  if (!crash) throw new Error(`scenario "${scenario.name}" has no aggressive-selling event to compare around`);
  return crash.atSeconds;
}

/** Runs the comparison; see the module comment. */
export async function flashCrashComparison(options: FlashCrashOptions, context: WorkflowContext = {}): Promise<FlashCrashReport> {
  const crashAt = crashStartSeconds(options.scenario);
  const agents = options.agents ?? flashCrashAgents(crashAt - LEAD_SECONDS);
  const rules = options.rules ?? DEFAULT_POSTURE_RULES;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const runs: SeedRun[] = [];
  const calmSeeds = options.calm?.seeds ?? [];
  const total = options.seeds.length + calmSeeds.length;
  const endSeconds = Math.max(...agents.map((a) => a.startAfterSeconds + a.horizonSeconds)) + 60;
  for (const seed of options.seeds) {
    throwIfCancelled(context.signal);
    const withOverlay = runOnce(options.scenario, seed, agents, limits, endSeconds, { monitor: options.monitor(), rules });
    const without = runOnce(options.scenario, seed, agents, limits, endSeconds, null);
    const openNs = options.scenario.session.openSeconds * NS_PER_SECOND;
    const crashNs = openNs + crashAt * NS_PER_SECOND;
    // The detection: the first flash-crash alert from the crash's start on (earlier ones are false alarms, counted apart).
    const firstCrash = withOverlay.alerts.find((a) => a.detector === 'flash-crash' && a.ts >= crashNs);
    runs.push({
      seed,
      alertAfterSeconds: firstCrash ? (firstCrash.ts - crashNs) / NS_PER_SECOND : null,
      alertsBeforeCrash: withOverlay.alerts.filter((a) => a.ts < crashNs).length,
      heldAgentSeconds: withOverlay.heldNs / NS_PER_SECOND,
      postureChanges: withOverlay.postureChanges,
      withOverlay: withOverlay.agents,
      without: without.agents,
      breaches: withOverlay.breaches + without.breaches,
    });
    context.onProgress?.({ done: runs.length, total });
    await yieldToLoop();
  }
  let falseAlarms: FlashCrashReport['falseAlarms'] = null;
  if (options.calm) {
    const byDetector: Record<DetectorName, number> = { 'flash-crash': 0, 'spread-blowout': 0, 'depth-vacuum': 0, 'volatile-regime': 0 };
    for (const [i, seed] of calmSeeds.entries()) {
      throwIfCancelled(context.signal);
      const r = runOnce(options.calm.scenario, seed, [], limits, options.calm.scenario.session.durationSeconds, { monitor: options.monitor(), rules });
      for (const a of r.alerts) byDetector[a.detector] += 1;
      context.onProgress?.({ done: options.seeds.length + i + 1, total });
      await yieldToLoop();
    }
    falseAlarms = { scenario: options.calm.scenario.name, seeds: calmSeeds, hours: (calmSeeds.length * options.calm.scenario.session.durationSeconds) / 3_600, byDetector };
  }
  const bySeed = (pick: (r: SeedRun) => readonly AgentRun[], i: number, f: (a: AgentRun) => number): Map<number, number> => new Map(runs.map((r) => [r.seed, f(pick(r)[i] as AgentRun)]));
  const alertTimes = runs.flatMap((r) => (r.alertAfterSeconds === null ? [] : [r.alertAfterSeconds]));
  return {
    scenario: options.scenario.name,
    seeds: options.seeds,
    crashAtSeconds: crashAt,
    rules,
    runs,
    detected: runs.filter((r) => r.alertAfterSeconds !== null && r.alertAfterSeconds >= 0 && r.alertAfterSeconds <= DETECTION_SECONDS).length / Math.max(1, runs.length),
    alertAfterSeconds: alertTimes.length > 0 ? meanCi(alertTimes) : null,
    agents: agents.map((a, i) => {
      const sw = bySeed((r) => r.withOverlay, i, (x) => x.shortfallBps);
      const so = bySeed((r) => r.without, i, (x) => x.shortfallBps);
      const dw = bySeed((r) => r.withOverlay, i, (x) => x.worstDrawdownBps);
      const dd = bySeed((r) => r.without, i, (x) => x.worstDrawdownBps);
      return {
        name: a.name,
        shortfallWith: meanCi([...sw.values()]),
        shortfallWithout: meanCi([...so.values()]),
        shortfallDifference: pairedDifference(sw, so),
        drawdownWith: meanCi([...dw.values()]),
        drawdownWithout: meanCi([...dd.values()]),
        drawdownDifference: pairedDifference(dw, dd),
      };
    }),
    breaches: runs.reduce((n, r) => n + r.breaches, 0),
    falseAlarms,
  };
}

interface OnceResult {
  readonly agents: AgentRun[];
  readonly alerts: Array<{ detector: DetectorName; ts: number }>;
  readonly heldNs: number;
  readonly postureChanges: number;
  readonly breaches: number;
}

/** Runs the agents on `scenario`/`seed` from the open for `seconds`, with the overlay or without; measures each agent from the events. */
function runOnce(scenario: Scenario, seed: number, agents: readonly AgentSpec[], limits: RiskLimits, seconds: number, overlay: { monitor: DynamicRisk; rules: readonly PostureRule[] } | null): OnceResult {
  const audit = new OrderAudit(limits);
  const alerts: OnceResult['alerts'] = [];
  let heldNs = 0;
  let postureChanges = 0;
  const heldSince = new Map<string, number>();
  const ids = new SequentialIds();
  const agentIds: string[] = [];
  const idSource: IdSource = { next: (kind) => { const id = ids.next(kind); agentIds.push(id); return id; } };
  const track = agents.map((spec) => ({ spec, arrival: NaN, start: NaN, end: NaN, endMid: NaN, value: 0, filled: 0, worst: 0 }));
  let seq = 0;
  let mid = NaN;
  const mark = (ts: number): void => {
    for (const t of track) {
      if (!(t.arrival > 0) || ts < t.start || ts > t.end) continue;
      const sign = t.spec.side === 'sell' ? 1 : -1;
      // Fills at their prices against the arrival, the rest of the order marked to the mid.
      const v = t.value + sign * (mid - t.arrival) * (t.spec.quantity - t.filled);
      if (v < t.worst) t.worst = v;
    }
  };
  const onEvent = (e: UnsequencedEvent): void => {
    audit.see({ ...e, seq: ++seq } as EngineEvent);
    const i = agentIds.indexOf('agentId' in e ? (e.agentId as string) : '');
    const t = i >= 0 ? track[i] : undefined;
    switch (e.kind) {
      case 'QuoteChanged':
        mid = (e.bid + e.ask) / 2;
        mark(e.ts);
        break;
      case 'AgentStarted':
        if (t) {
          t.arrival = e.arrivalMid;
          t.start = e.startNs;
          t.end = e.endNs;
        }
        break;
      case 'OrderFilled':
        if (t && e.side === t.spec.side) {
          t.filled += e.size;
          t.value += (t.spec.side === 'sell' ? 1 : -1) * (e.price - t.arrival) * e.size;
          mark(e.ts);
        }
        break;
      case 'RiskAlert':
        // The alert names the agents the posture rules moved (held on a firing, given back on a clear).
        if (e.edge === 'fired') alerts.push({ detector: e.detector, ts: e.ts });
        for (const id of e.agents) {
          if (e.edge === 'fired' && !heldSince.has(id)) {
            heldSince.set(id, e.ts);
            postureChanges += 1;
          } else if (e.edge === 'cleared' && heldSince.has(id)) {
            heldNs += e.ts - (heldSince.get(id) as number);
            heldSince.delete(id);
            postureChanges += 1;
          }
        }
        break;
      case 'AgentStateChanged':
        if (e.state === 'done' && t) t.endMid = mid;
        break;
      default:
        break;
    }
  };
  const kernel = new Kernel(
    { ids: idSource, strategies: baselineStrategies },
    { market: simSessionMarket(scenario, seed), agents, limits, onEvent, ...(overlay ? { dynamic: overlay.monitor, postureRules: overlay.rules } : {}) },
  );
  kernel.start();
  kernel.elapse(seconds * NS_PER_SECOND);
  for (const since of heldSince.values()) heldNs += kernel.now() - since;
  return {
    agents: track.map((t) => {
      const sign = t.spec.side === 'sell' ? 1 : -1;
      const notional = t.arrival * t.spec.quantity;
      const endMid = Number.isNaN(t.endMid) ? mid : t.endMid;
      // Cost: what the fills gave up against the arrival, plus the unfilled rest at the last mid.
      const cost = -(t.value + sign * (endMid - t.arrival) * (t.spec.quantity - t.filled));
      return { name: t.spec.name, filled: t.filled, quantity: t.spec.quantity, shortfallBps: (cost / notional) * 10_000, worstDrawdownBps: (t.worst / notional) * 10_000 };
    }),
    alerts,
    heldNs,
    postureChanges,
    breaches: audit.report().breaches.length,
  };
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
