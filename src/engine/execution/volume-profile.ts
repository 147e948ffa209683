/**
 * The intraday volume profile from per-minute executed volume (the shared
 * `lobster_2012-06-21_per_minute_exec_volume.csv`): parsing, normalising, and the profiles VWAP
 * uses. Pure: the file is read in `node/`.
 */

import type { VolumeProfile } from './schedules';

/** Per-minute executed volume of one ticker, from the first minute in the file. */
export interface MinuteVolumes {
  readonly ticker: string;
  /** The first minute's start, in ns after midnight. */
  readonly originNs: number;
  /** Total executed lots per minute (visible + hidden), in order, one per minute without gaps. */
  readonly volumes: readonly number[];
}

const HEADER = ['ticker', 'date', 'minute_start_et', 'visible_exec_shares', 'hidden_exec_shares', 'total_exec_shares', 'exec_messages', 'vwap'];
const NS_PER_MINUTE = 60_000_000_000;

/** Parses the per-minute volume CSV; throws naming the line, what it received and what it expected. */
export function parseMinuteVolumes(text: string, file = '<volume csv>'): Map<string, MinuteVolumes> {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const head = lines[0];
  if (head === undefined || head !== HEADER.join(',')) throw new Error(`${file}:1: expected the header "${HEADER.join(',')}", received "${head ?? '<empty file>'}"`);
  const byTicker = new Map<string, { originNs: number; volumes: number[] }>();
  for (let i = 1; i < lines.length; i++) {
    const f = (lines[i] as string).split(',');
    const [ticker, , minute, , , total] = f;
    const m = minute === undefined ? null : /^(\d{2}):(\d{2})$/.exec(minute);
    const v = Number(total);
    if (f.length !== HEADER.length || ticker === undefined || m === null || !Number.isFinite(v) || v < 0) {
      throw new Error(`${file}:${i + 1}: expected "${HEADER.join(',')}" with HH:MM minutes and a non-negative total, received "${lines[i]}"`);
    }
    const ns = (Number(m[1]) * 60 + Number(m[2])) * NS_PER_MINUTE;
    let t = byTicker.get(ticker);
    if (!t) byTicker.set(ticker, (t = { originNs: ns, volumes: [] }));
    const expected = t.originNs + t.volumes.length * NS_PER_MINUTE;
    if (ns !== expected) throw new Error(`${file}:${i + 1}: expected ${ticker}'s minutes in order without gaps (minute ${expected / NS_PER_MINUTE}), received ${minute}`);
    t.volumes.push(v);
  }
  if (byTicker.size === 0) throw new Error(`${file}: expected at least one data row, received none`);
  const out = new Map<string, MinuteVolumes>();
  for (const [ticker, t] of byTicker) out.set(ticker, { ticker, originNs: t.originNs, volumes: t.volumes });
  return out;
}

/** Returns weights summing to 1. */
export function normalise(weights: readonly number[]): number[] {
  let s = 0;
  for (const w of weights) s += w;
  if (!(s > 0)) throw new Error(`a volume profile needs a positive total, received ${s}`);
  return weights.map((w) => w / s);
}

/**
 * Returns the average of the normalised per-minute profiles of `tickers` (all of them when omitted),
 * as a profile on the clock of the day (ns after midnight, one-minute buckets). The tickers must
 * share their first minute and length.
 */
export function averageProfile(days: ReadonlyMap<string, MinuteVolumes>, tickers?: readonly string[]): VolumeProfile {
  const pick = tickers ?? [...days.keys()];
  if (pick.length === 0) throw new Error('an average profile needs at least one ticker, received none');
  let origin: number | undefined;
  let sum: number[] | undefined;
  for (const t of pick) {
    const d = days.get(t);
    if (!d) throw new Error(`no volume profile for ticker "${t}", expected one of ${[...days.keys()].join(', ')}`);
    if (origin === undefined || sum === undefined) {
      origin = d.originNs;
      sum = new Array<number>(d.volumes.length).fill(0);
    }
    if (d.originNs !== origin || d.volumes.length !== sum.length) {
      throw new Error(`profiles to average must cover the same minutes, "${t}" starts at ${d.originNs} ns with ${d.volumes.length} minutes, expected ${origin} ns and ${sum.length}`);
    }
    const w = normalise(d.volumes);
    for (let i = 0; i < w.length; i++) sum[i] = (sum[i] as number) + (w[i] as number) / pick.length;
  }
  return { originNs: origin as number, bucketNs: NS_PER_MINUTE, weights: sum as number[] };
}

/**
 * Returns the profile VWAP uses on a historical day of `ticker`: the average of the other tickers'
 * profiles of that day (leave one out), so the schedule never uses the traded stock's own realised
 * volume. With no other ticker, the ticker's own profile (look-ahead; the caller should say so).
 */
export function leaveOneOutProfile(days: ReadonlyMap<string, MinuteVolumes>, ticker: string): { profile: VolumeProfile; lookAhead: boolean } {
  const others = [...days.keys()].filter((t) => t !== ticker);
  if (others.length > 0) return { profile: averageProfile(days, others), lookAhead: false };
  return { profile: averageProfile(days, [ticker]), lookAhead: true };
}
