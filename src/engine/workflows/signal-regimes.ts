/**
 * `cockpit signal regimes`: fits the regime detector (k-means on per-minute volatility, spread,
 * trade count and touch imbalance) to real LOBSTER days, names each regime, and reads the same
 * per-minute summaries from the simulator's scenarios, to say how each scenario maps onto the real
 * regimes. Writes the model (`regimes.json`) and the report.
 */

import { basename, join } from 'node:path';
import type { LobsterFilePair } from '../node/files/lobster-files';
import { streamLobsterPair } from '../node/files/lobster-files';
import { loadScenario } from '../node/files/sim-scenarios';
import { writeJson } from '../node/models/policy-files';
import { BUY, SimMarket } from '../sim/market';
import { classifyRegime, fitRegimeModel, REGIME_FEATURE_DOCS, REGIME_FEATURES, RegimeTracker } from '../signals/regime';
import type { RegimeModel, RegimePoint } from '../signals/regime';
import { flatRowFromL2, lobsterTrade } from '../signals/sources';
import { SignalDataError } from './signal-data';
import type { WorkflowContext } from './workflow';
import { throwIfCancelled } from './workflow';

export interface SignalRegimesOptions {
  readonly data: readonly LobsterFilePair[];
  readonly scenarios: readonly string[];
  /** Simulated minutes per scenario from its open (default 120). */
  readonly minutes?: number;
  readonly k?: number;
  readonly seed?: number;
  readonly out?: string;
}

/** Where the buckets of one source fell, and their mean raw summaries. */
export interface RegimeShares {
  readonly source: string;
  readonly kind: 'real' | 'sim';
  readonly buckets: number;
  /** Share of buckets per regime name. */
  readonly shares: Readonly<Record<string, number>>;
  /** The regime most of its buckets fall in. */
  readonly dominant: string;
  /** Mean of each summary feature over its buckets (raw, not standardised). */
  readonly means: Readonly<Record<string, number>>;
}

export interface SignalRegimesReport {
  readonly model: RegimeModel;
  /** Each regime's centroid in raw units (exp of the logs where it helps reading): volatility bps per minute, spread bps, trades per minute, |imbalance|. */
  readonly regimes: ReadonlyArray<{ readonly name: string; readonly volBpsPerMinute: number; readonly spreadBps: number; readonly tradesPerMinute: number; readonly absImbalance: number }>;
  readonly real: readonly RegimeShares[];
  readonly sim: readonly RegimeShares[];
  readonly simMinutes: number;
  readonly seed: number;
}

function shares(model: RegimeModel, source: string, kind: 'real' | 'sim', points: readonly RegimePoint[]): RegimeShares {
  const counts = new Map<string, number>(model.names.map((n) => [n, 0]));
  const sums = new Array<number>(REGIME_FEATURES.length).fill(0);
  for (const p of points) {
    const name = model.names[classifyRegime(model, p.values)] as string;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    p.values.forEach((v, j) => (sums[j]! += v));
  }
  const n = Math.max(1, points.length);
  const out: Record<string, number> = {};
  let dominant = model.names[0] as string;
  for (const [name, c] of counts) {
    out[name] = c / n;
    if (c > (counts.get(dominant) ?? 0)) dominant = name;
  }
  const means: Record<string, number> = {};
  REGIME_FEATURES.forEach((f, j) => (means[f] = sums[j]! / n));
  return { source, kind, buckets: points.length, shares: out, dominant, means };
}

/** Returns the per-minute summaries of a LOBSTER day. */
export async function lobsterRegimePoints(pair: LobsterFilePair): Promise<RegimePoint[]> {
  const tracker = new RegimeTracker();
  const points: RegimePoint[] = [];
  await streamLobsterPair(pair, (m, row) => {
    const p = tracker.onEvent(m.timeNs, row, lobsterTrade(m));
    if (p) points.push(p);
  });
  return points;
}

/** Returns the per-minute summaries of `minutes` of a simulator scenario from its open (every book operation is an event). */
export function simRegimePoints(scenarioName: string, seed: number, minutes: number): RegimePoint[] {
  const scenario = loadScenario(scenarioName);
  const market = new SimMarket(scenario, seed);
  const tracker = new RegimeTracker();
  const points: RegimePoint[] = [];
  const row = new Float64Array(4);
  const trade = { size: 0, aggressor: undefined as 'buy' | 'sell' | undefined };
  market.setBookListener((r, ts, _owner, takerSide) => {
    if (!r.accepted) return;
    let size = 0;
    for (const f of r.fills) size += f.size;
    trade.size = size;
    trade.aggressor = size > 0 ? (takerSide === BUY ? 'buy' : 'sell') : undefined;
    flatRowFromL2(market.book.l2(1), 1, row);
    const p = tracker.onEvent(ts, row, size > 0 ? trade : undefined);
    if (p) points.push(p);
  });
  const end = market.openNs + minutes * 60_000_000_000;
  for (let t = market.openNs; t < end; t += 60_000_000_000) market.runUntil(Math.min(end, t + 60_000_000_000));
  return points;
}

/** Fits the regimes on the real days and maps the scenarios onto them; see the module comment. */
export async function fitSignalRegimes(options: SignalRegimesOptions, context: WorkflowContext = {}): Promise<SignalRegimesReport> {
  const k = options.k ?? 4;
  const seed = options.seed ?? 1;
  const minutes = options.minutes ?? 120;
  if (options.data.length === 0) throw new SignalDataError('no data: pass at least one MESSAGES ORDERBOOK pair');
  const realPoints: Array<[string, RegimePoint[]]> = [];
  for (const pair of options.data) {
    throwIfCancelled(context.signal);
    realPoints.push([basename(pair.messages).split('_')[0] ?? basename(pair.messages), await lobsterRegimePoints(pair)]);
  }
  const model = fitRegimeModel(
    realPoints.flatMap(([, p]) => p),
    k,
    seed,
  );
  const real = realPoints.map(([name, p]) => shares(model, name, 'real', p));
  const sim: RegimeShares[] = [];
  options.scenarios.forEach((name, i) => {
    throwIfCancelled(context.signal);
    sim.push(shares(model, name, 'sim', simRegimePoints(name, seed, minutes)));
    context.onProgress?.({ done: i + 1, total: options.scenarios.length });
  });
  const regimes = model.centroids.map((c, i) => {
    const raw = c.map((z, j) => z * model.std[j]! + model.mean[j]!);
    return { name: model.names[i] as string, volBpsPerMinute: Math.expm1(raw[0]!), spreadBps: Math.exp(raw[1]!), tradesPerMinute: Math.expm1(raw[2]!), absImbalance: raw[3]! };
  });
  const report: SignalRegimesReport = { model, regimes, real, sim, simMinutes: minutes, seed };
  if (options.out) {
    writeJson(options.out, 'regimes.json', model);
    writeJson(options.out, 'regimes-report.json', report);
  }
  return report;
}

/** Returns the report as markdown (regimes, real days, scenarios). */
export function regimesMarkdown(r: SignalRegimesReport): string {
  const names = r.model.names;
  const pct = (x: number | undefined): string => `${((x ?? 0) * 100).toFixed(0)}%`;
  const row = (s: RegimeShares): string => `| ${s.source} | ${s.kind} | ${s.buckets} | ${names.map((n) => pct(s.shares[n])).join(' | ')} | ${s.dominant} |`;
  return [
    `Regimes: k-means (k = ${names.length}, seed ${r.seed}) on one-minute buckets of: ${REGIME_FEATURES.map((f) => `${f} (${REGIME_FEATURE_DOCS[f]})`).join('; ')}. Standardised on the real days; names from the centroids.`,
    '',
    '| regime | volatility, bps/min | spread, bps | trades/min | abs imbalance |',
    '|---|---|---|---|---|',
    ...r.regimes.map((g) => `| ${g.name} | ${g.volBpsPerMinute.toFixed(1)} | ${g.spreadBps.toFixed(2)} | ${g.tradesPerMinute.toFixed(1)} | ${g.absImbalance.toFixed(2)} |`),
    '',
    `| source | kind | minutes | ${names.join(' | ')} | dominant |`,
    `|---|---|---|${names.map(() => '---|').join('')}---|`,
    ...r.real.map(row),
    ...r.sim.map(row),
    '',
    `Scenarios: the first ${r.simMinutes} simulated minutes from the open, seed ${r.seed}, every book operation an event.`,
    '',
  ].join('\n');
}

/** Writes the markdown beside the JSON when `out` is given. */
export function regimesReportFile(out: string): string {
  return join(out, 'REGIMES.md');
}
