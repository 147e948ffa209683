import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LobsterDay } from '../data/lobster';
import { LobsterDay as Day, LOBSTER_UNITS_PER_TICK } from '../data/lobster';
import { loadLobsterDay } from '../node/files/lobster-files';
import { createSignalFeatures, featureNames } from './features';
import { flatRowFromL2, lobsterTrade } from './sources';

const DATA = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/lobster');
const GOOG = {
  messages: `${DATA}/GOOG_2012-06-21_34200000_57600000_message_10.csv.gz`,
  orderbook: `${DATA}/GOOG_2012-06-21_34200000_57600000_orderbook_10.csv.gz`,
  levels: 10,
};

/** Every feature of event i recomputed from scratch from the rows and messages, windows summed directly. */
function direct(day: LobsterDay, i: number, levels: number): Map<string, number> {
  const tick = LOBSTER_UNITS_PER_TICK;
  const row = (j: number) => day.row(j);
  const mid2 = (j: number) => row(j)[0]! + row(j)[2]!;
  const out = new Map<string, number>();
  const r = row(i);
  for (const d of [1, 2, 3, 5, 10].filter((x) => x <= levels)) {
    let a = 0;
    let b = 0;
    for (let l = 0; l < d; l++) {
      a += r[4 * l + 1]!;
      b += r[4 * l + 3]!;
    }
    out.set(`imbalance_${d}`, (b - a) / (b + a));
  }
  out.set('spread', (r[0]! - r[2]!) / tick);
  out.set('microprice', ((r[0]! * r[3]! + r[2]! * r[1]!) / (r[3]! + r[1]!) - mid2(i) / 2) / tick);
  const ofi = (j: number): number => {
    if (j === 0) return 0;
    const p = row(j - 1);
    const c = row(j);
    let e = 0;
    if (c[2]! >= p[2]!) e += c[3]!;
    if (c[2]! <= p[2]!) e -= p[3]!;
    if (c[0]! <= p[0]!) e -= c[1]!;
    if (c[0]! >= p[0]!) e += p[1]!;
    return e;
  };
  const sumOver = (w: number, f: (j: number) => number): number => {
    let s = 0;
    for (let j = Math.max(0, i - w + 1); j <= i; j++) s += f(j);
    return s;
  };
  const count = (w: number) => Math.min(w, i + 1);
  const meanDepth = sumOver(100, (j) => row(j)[1]! + row(j)[3]!) / 2 / count(100);
  out.set('ofi_10', sumOver(10, ofi) / meanDepth);
  out.set('ofi_100', sumOver(100, ofi) / meanDepth);
  out.set('vol_100', Math.sqrt(sumOver(100, (j) => (j === 0 ? 0 : ((mid2(j) - mid2(j - 1)) / tick) ** 2))) / 2);
  out.set('midChange_10', i >= 10 ? (mid2(i) - mid2(i - 10)) / 2 / tick : (mid2(i) - mid2(0)) / 2 / tick);
  out.set('midChange_100', i >= 100 ? (mid2(i) - mid2(i - 100)) / 2 / tick : (mid2(i) - mid2(0)) / 2 / tick);
  out.set('midVsMean_10', (mid2(i) - sumOver(10, mid2) / count(10)) / 2 / tick);
  out.set('midVsMean_100', (mid2(i) - sumOver(100, mid2) / count(100)) / 2 / tick);
  const tr = (j: number) => lobsterTrade(day.message(j));
  const buy = sumOver(100, (j) => (tr(j)?.aggressor === 'buy' ? tr(j)!.size : 0));
  const sell = sumOver(100, (j) => (tr(j)?.aggressor === 'sell' ? tr(j)!.size : 0));
  out.set('tradeFlow_100', buy + sell > 0 ? (buy - sell) / (buy + sell) : 0);
  out.set('volume_100', Math.log1p(sumOver(100, (j) => tr(j)?.size ?? 0) / meanDepth));
  out.set('trades_100', sumOver(100, (j) => (tr(j) ? 1 : 0)) / count(100));
  // Depletion: the largest size at the touch price since it became the touch (walking back while the price holds).
  const depletion = (p: number, q: number): number => {
    let peak = row(i)[q]!;
    for (let j = i - 1; j >= 0 && row(j)[p] === row(i)[p]; j--) peak = Math.max(peak, row(j)[q]!);
    return 1 - row(i)[q]! / peak;
  };
  out.set('depletionBid', depletion(2, 3));
  out.set('depletionAsk', depletion(0, 1));
  out.set('timeOfDay', (day.timeAt(i) - 34_200e9) / (23_400e9));
  return out;
}

describe('signal features', () => {
  it('matchTheDirectComputationOnTheGoogDay', async () => {
    const day = await loadLobsterDay(GOOG);
    for (const levels of [10, 5, 1]) {
      const f = createSignalFeatures({ levels, tickSize: LOBSTER_UNITS_PER_TICK });
      expect(f.names).toEqual(featureNames(levels));
      // A slice at the open (windows filling) and one at midday (every window full).
      const checks = new Set<number>();
      for (let i = 0; i < 400; i += 7) checks.add(i);
      for (let i = 70_000; i < 70_600; i += 11) checks.add(i);
      for (let i = 0; i < 70_600; i++) {
        const m = day.message(i);
        f.onEvent(m.timeNs, day.row(i), lobsterTrade(m));
        if (!checks.has(i)) continue;
        const want = direct(day, i, levels);
        const got = f.vector();
        f.names.forEach((name, k) => {
          const w = want.get(name)!;
          // Windowed sums are of integers: exact. Ratios and the time of day may differ in the last bit.
          if (Math.abs(got[k]! - w) > 1e-9 * Math.max(1, Math.abs(w))) throw new Error(`event ${i}, ${levels} levels, ${name}: incremental ${got[k]} but direct ${w}`);
        });
      }
    }
  });

  it('giveOnlyTheDepthTheSourceCarries', () => {
    expect(featureNames(1).filter((n) => n.startsWith('imbalance'))).toEqual(['imbalance_1']);
    expect(featureNames(5).filter((n) => n.startsWith('imbalance'))).toEqual(['imbalance_1', 'imbalance_2', 'imbalance_3', 'imbalance_5']);
    const f = createSignalFeatures({ levels: 1, tickSize: 1 });
    expect(() => f.value('imbalance_5')).toThrow(/no feature "imbalance_5" for a 1-level source/);
  });

  it('keepTheLastQuoteWhenASideEmpties', () => {
    const f = createSignalFeatures({ levels: 1, tickSize: 1 });
    f.onEvent(0, [101, 5, 99, 15]);
    const spread = f.value('spread');
    expect(spread).toBe(2);
    expect(f.value('imbalance_1')).toBe(0.5);
    f.onEvent(1, [0, 0, 99, 15]);
    expect(f.value('spread')).toBe(2);
    expect(f.mid()).toBe(100);
    expect([...f.vector()].every(Number.isFinite)).toBe(true);
  });

  it('readTheSimulatorsBookLikeALobsterRow', () => {
    const row = flatRowFromL2({ bids: [[99, 10], [98, 3]], asks: [[101, 4]] }, 2);
    expect([...row]).toEqual([101, 4, 99, 10, 0, 0, 98, 3]);
    const day = Day.fromLines(1, ['34200.1,4,7,3,1000000,1'], ['1000100,5,1000000,7']);
    expect(lobsterTrade(day.message(0))).toEqual({ size: 3, aggressor: 'sell' });
  });
});
