/**
 * Market regimes: k-means on per-minute summaries of the book and the tape (realised volatility,
 * spread, trade count and touch imbalance), each cluster named for what its centroid is (volatile,
 * calm, thin, busy, one-sided…). Fed the same events as `SignalFeatures` (time, top-N row, print), so it runs
 * on a historical replay, in the simulator and live. Everything is relative (bps of the mid, counts
 * per minute), so instruments of any price compare. Pure and deterministic (seeded k-means++).
 */

import { z } from 'zod';
import { Rng } from '../core/rng';
import type { TradeTick } from './features';

/** The per-bucket summary the regimes are fitted on, in this order. */
export const REGIME_FEATURES = ['logVolBps', 'logSpreadBps', 'logTrades', 'absImbalance'] as const;
export const REGIME_FEATURE_DOCS: Readonly<Record<(typeof REGIME_FEATURES)[number], string>> = {
  logVolBps: 'log(1 + realised volatility of the mid over the bucket, bps: √Σ squared log returns between events)',
  logSpreadBps: 'log of the event-averaged spread, bps of the mid',
  logTrades: 'log(1 + prints in the bucket per minute)',
  absImbalance: 'event-averaged |best-level volume imbalance|',
};

/** One bucket's summary. */
export interface RegimePoint {
  /** Start of the bucket, ns. */
  readonly startNs: number;
  readonly values: readonly number[];
}

const NS_PER_MINUTE = 60_000_000_000;

/**
 * Summarises events into fixed time buckets (default one minute). `onEvent` returns the summary of a
 * bucket when an event falls past its end (a bucket with fewer than `minEvents` two-sided events gives none).
 */
export class RegimeTracker {
  readonly bucketNs: number;
  private readonly minEvents: number;
  private start = NaN;
  private events = 0;
  private sumR2 = 0;
  private sumSpreadBps = 0;
  private sumAbsImb = 0;
  private trades = 0;
  private lastMid = NaN;

  constructor(options: { readonly bucketNs?: number; readonly minEvents?: number } = {}) {
    this.bucketNs = options.bucketNs ?? NS_PER_MINUTE;
    this.minEvents = options.minEvents ?? 20;
    if (!(this.bucketNs > 0)) throw new Error(`bucketNs must be positive, received ${this.bucketNs}`);
  }

  /** Takes one event (row in LOBSTER's flat layout); returns the summary of the bucket it closed, if any. */
  onEvent(timeNs: number, row: ArrayLike<number>, trade?: TradeTick): RegimePoint | undefined {
    let closed: RegimePoint | undefined;
    if (Number.isNaN(this.start)) this.start = Math.floor(timeNs / this.bucketNs) * this.bucketNs;
    if (timeNs >= this.start + this.bucketNs) {
      closed = this.close();
      this.start = Math.floor(timeNs / this.bucketNs) * this.bucketNs;
    }
    const askP = row[0] as number;
    const askQ = row[1] as number;
    const bidP = row[2] as number;
    const bidQ = row[3] as number;
    if (trade !== undefined && trade.size > 0) this.trades++;
    if (askQ > 0 && bidQ > 0 && askP > bidP) {
      const mid = (askP + bidP) / 2;
      if (!Number.isNaN(this.lastMid)) {
        const r = Math.log(mid / this.lastMid);
        this.sumR2 += r * r;
      }
      this.lastMid = mid;
      this.sumSpreadBps += ((askP - bidP) / mid) * 1e4;
      this.sumAbsImb += Math.abs((bidQ - askQ) / (bidQ + askQ));
      this.events++;
    }
    return closed;
  }

  private close(): RegimePoint | undefined {
    const n = this.events;
    const minutes = this.bucketNs / NS_PER_MINUTE;
    const point =
      n >= this.minEvents
        ? {
            startNs: this.start,
            values: [Math.log1p(Math.sqrt(this.sumR2) * 1e4), Math.log(this.sumSpreadBps / n), Math.log1p(this.trades / minutes), this.sumAbsImb / n],
          }
        : undefined;
    this.events = 0;
    this.sumR2 = 0;
    this.sumSpreadBps = 0;
    this.sumAbsImb = 0;
    this.trades = 0;
    return point;
  }
}

/** A fitted regime model: standardisation, centroids (standardised) and their names (`regimes.json`). */
export const regimeModelSchema = z
  .object({
    format: z.literal('cockpit-regime-model'),
    features: z.array(z.string()).refine((f) => f.join() === REGIME_FEATURES.join(), `expected the features ${REGIME_FEATURES.join(', ')}`),
    mean: z.array(z.number()).length(REGIME_FEATURES.length),
    std: z.array(z.number().positive()).length(REGIME_FEATURES.length),
    centroids: z.array(z.array(z.number()).length(REGIME_FEATURES.length)).min(1),
    names: z.array(z.string().min(1)).min(1),
    bucketNs: z.number().positive(),
  })
  .refine((m) => m.names.length === m.centroids.length, 'one name per centroid');
export type RegimeModel = z.output<typeof regimeModelSchema>;

/** Parses a `regimes.json`; throws naming `source` and each bad key. */
export function parseRegimeModel(json: unknown, source: string): RegimeModel {
  const r = regimeModelSchema.safeParse(json);
  if (!r.success) throw new Error(`${source} is not a regime model: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

function dist2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2;
  return s;
}

function nearest(x: ArrayLike<number>, centroids: readonly (readonly number[])[]): number {
  let best = 0;
  let bestD = Infinity;
  centroids.forEach((c, k) => {
    const d = dist2(x, c);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  });
  return best;
}

/** Returns k-means centroids of `xs` (k-means++ seeding, Lloyd iterations, the best of `restarts` by inertia). */
export function kMeans(xs: readonly (readonly number[])[], k: number, seed: number, restarts = 8, iterations = 100): number[][] {
  if (xs.length < k) throw new Error(`k-means needs at least k = ${k} points, received ${xs.length}`);
  const rng = new Rng(seed);
  let best: number[][] = [];
  let bestInertia = Infinity;
  for (let r = 0; r < restarts; r++) {
    const c: number[][] = [[...(xs[rng.int(xs.length)] as number[])]];
    while (c.length < k) {
      const d = xs.map((x) => Math.min(...c.map((ci) => dist2(x, ci))));
      const total = d.reduce((a, b) => a + b, 0);
      let u = rng.next() * total;
      let pick = 0;
      while (pick < xs.length - 1 && u >= (d[pick] as number)) u -= d[pick++] as number;
      c.push([...(xs[pick] as number[])]);
    }
    const assign = new Int32Array(xs.length);
    for (let it = 0; it < iterations; it++) {
      let moved = false;
      xs.forEach((x, i) => {
        const a = nearest(x, c);
        if (a !== assign[i]) moved = true;
        assign[i] = a;
      });
      const sums = c.map((ci) => ci.map(() => 0));
      const counts = new Array<number>(k).fill(0);
      xs.forEach((x, i) => {
        const a = assign[i] as number;
        counts[a]!++;
        x.forEach((v, j) => (sums[a]![j]! += v));
      });
      sums.forEach((s, a) => {
        if (counts[a]! > 0) c[a] = s.map((v) => v / counts[a]!);
      });
      if (!moved && it > 0) break;
    }
    let inertia = 0;
    xs.forEach((x, i) => (inertia += dist2(x, c[assign[i] as number] as number[])));
    if (inertia < bestInertia) {
      bestInertia = inertia;
      best = c;
    }
  }
  return best;
}

/** The name of a regime set apart by a feature (index in `REGIME_FEATURES`), above or below average. */
const DISTINCT_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['volatile', 'calm'],
  ['thin', 'tight'],
  ['busy', 'quiet'],
  ['one-sided', 'balanced'],
];

/**
 * Names standardised centroids (feature order `REGIME_FEATURES`) for what they are: the most
 * volatile cluster is "volatile", the least volatile of the rest "calm", and each other one is
 * named for the feature that sets it most apart (the largest standardised value in size): "thin"
 * (wide spread) or "tight", "busy" (many trades) or "quiet", "one-sided" (a lopsided touch) or
 * "balanced". A repeated name gets a number.
 */
export function nameRegimes(centroids: readonly (readonly number[])[]): string[] {
  const names = new Array<string>(centroids.length).fill('');
  const left = new Set(centroids.map((_, k) => k));
  const take = (name: string, score: (c: readonly number[]) => number): void => {
    let best = -1;
    let bestS = -Infinity;
    for (const k of left) {
      const s = score(centroids[k] as number[]);
      if (s > bestS) {
        bestS = s;
        best = k;
      }
    }
    if (best >= 0) {
      names[best] = name;
      left.delete(best);
    }
  };
  take('volatile', (c) => c[0] as number);
  take('calm', (c) => -(c[0] as number));
  const used = new Map<string, number>([
    ['volatile', 1],
    ['calm', 1],
  ]);
  for (const k of [...left].sort((a, b) => a - b)) {
    const c = centroids[k] as number[];
    let j = 0;
    c.forEach((v, i) => {
      if (Math.abs(v) > Math.abs(c[j] as number)) j = i;
    });
    const pair = DISTINCT_NAMES[j] as readonly [string, string];
    const base = (c[j] as number) >= 0 ? pair[0] : pair[1];
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    names[k] = n === 1 ? base : `${base}-${n}`;
  }
  return names;
}

/** Fits a regime model of `k` clusters to bucket summaries (named by `nameRegimes`). */
export function fitRegimeModel(points: readonly RegimePoint[], k: number, seed: number, bucketNs = NS_PER_MINUTE): RegimeModel {
  const d = REGIME_FEATURES.length;
  if (points.length < k) throw new Error(`a ${k}-regime model needs at least ${k} buckets, received ${points.length}`);
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const p of points) p.values.forEach((v, j) => (mean[j]! += v / points.length));
  for (const p of points) p.values.forEach((v, j) => (std[j]! += (v - mean[j]!) ** 2 / points.length));
  const sd = std.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1));
  const z = points.map((p) => p.values.map((v, j) => (v - mean[j]!) / sd[j]!));
  const centroids = kMeans(z, k, seed);
  return { format: 'cockpit-regime-model', features: [...REGIME_FEATURES], mean, std: sd, centroids, names: nameRegimes(centroids), bucketNs };
}

/** Returns the index of the regime a bucket summary falls in. */
export function classifyRegime(model: RegimeModel, values: readonly number[]): number {
  return nearest(
    values.map((v, j) => (v - model.mean[j]!) / model.std[j]!),
    model.centroids,
  );
}

/** The regime in force: its name, its index in the model, and the start of the bucket it was read from. */
export interface Regime {
  readonly name: string;
  readonly index: number;
  readonly sinceNs: number;
}

/** Gives the named regime of the last complete bucket, fed event by event. */
export class RegimeDetector {
  readonly model: RegimeModel;
  private readonly tracker: RegimeTracker;
  private current: Regime | undefined;

  constructor(model: RegimeModel) {
    if (model.centroids.length !== model.names.length) throw new Error(`${model.centroids.length} centroids but ${model.names.length} names`);
    if (model.features.join() !== REGIME_FEATURES.join()) throw new Error(`regime model features ${model.features.join(', ')}, expected ${REGIME_FEATURES.join(', ')}`);
    this.model = model;
    this.tracker = new RegimeTracker({ bucketNs: model.bucketNs });
  }

  /** Takes one event; returns the new regime when a bucket closed, otherwise undefined. */
  onEvent(timeNs: number, row: ArrayLike<number>, trade?: TradeTick): Regime | undefined {
    const p = this.tracker.onEvent(timeNs, row, trade);
    if (!p) return undefined;
    const index = classifyRegime(this.model, p.values);
    this.current = { name: this.model.names[index] as string, index, sinceNs: p.startNs };
    return this.current;
  }

  /** Returns the regime of the last complete bucket (undefined before the first one closes). */
  regime(): Regime | undefined {
    return this.current;
  }
}
