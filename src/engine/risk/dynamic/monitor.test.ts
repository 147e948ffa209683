import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng';
import { join } from 'node:path';
import { readDynamicRiskConfig, DYNAMIC_RISK_FILE } from '../../node/files/dynamic-risk-file';
import type { MarketSample } from '../overlay';
import { DynamicRiskMonitor, type DynamicRiskConfig } from './monitor';

const S = 1e9;
const CONFIG: DynamicRiskConfig = {
  ewma: { lambda: 0.99 },
  garch: { omega: 0.01, alpha: 0.05, beta: 0.94 },
  flashCrash: { k: 8, windowSeconds: 30, holdSeconds: 60 },
  spreadBlowout: { multiple: 4, minTicks: 4, medianSeconds: 600, holdSeconds: 30 },
  depthVacuum: { fraction: 0.1, medianSeconds: 600, holdSeconds: 30 },
};

/** A calm market: the mid a random walk of 1 bp/√s, a spread of 2 ticks, 1,000 lots a side; `shock` changes a sample. */
function market(seconds: number, seed: number, shock: (t: number, s: MarketSample) => MarketSample = (_t, s) => s): MarketSample[] {
  const rng = new Rng(seed);
  let mid = 10_000;
  const out: MarketSample[] = [];
  for (let t = 0; t < seconds; t++) {
    mid *= Math.exp(1e-4 * rng.normal());
    out.push(shock(t, { ts: (34_200 + t) * S, mid, spread: 2, bidDepth: 1_000 + 100 * rng.normal(), askDepth: 1_000 + 100 * rng.normal() }));
  }
  return out;
}

function edges(config: DynamicRiskConfig, samples: readonly MarketSample[]) {
  const m = new DynamicRiskMonitor(config);
  return { monitor: m, edges: samples.flatMap((s) => m.sample(s).map((e) => ({ ...e, t: s.ts / S - 34_200 }))) };
}

describe('DynamicRiskMonitor', () => {
  it('staysQuietOnACalmMarket', () => {
    expect(edges(CONFIG, market(7_200, 1)).edges).toEqual([]);
  });

  it('firesOnAFlashCrashWithinItsWindowAndClearsAfterItsHold', () => {
    // From t = 3,000 the mid falls 2% in 60 s, then stays.
    const crash = market(4_000, 2, (t, s) => ({ ...s, mid: s.mid * Math.exp(-0.02 * Math.min(1, Math.max(0, (t - 3_000) / 60))) }));
    const { edges: e, monitor } = edges(CONFIG, crash);
    const fired = e.find((x) => x.detector === 'flash-crash' && x.edge === 'fired');
    expect(fired?.t).toBeGreaterThan(3_000);
    expect(fired?.t).toBeLessThan(3_030);
    expect(fired?.reason).toMatch(/^the mid fell \d+\.\d bps in 30 s: \d+\.\dσ of the forecast \d+\.\d\d bps\/√s \(fires at 8σ\)$/);
    const cleared = e.find((x) => x.detector === 'flash-crash' && x.edge === 'cleared');
    // It clears no sooner than its 60 s hold after firing, and at the latest 60 s after the 30 s move has left the fall behind.
    expect(cleared?.t).toBeGreaterThanOrEqual((fired?.t ?? 0) + 60);
    expect(cleared?.t).toBeLessThan(3_060 + 30 + 60 + 2);
    expect(monitor.view().detectors[0]).toMatchObject({ name: 'flash-crash', firing: false, threshold: 8, unit: 'σ' });
    expect(monitor.view().garchBpsPerSqrtS).toBeGreaterThan(0);
  });

  it('firesOnASpreadBlowOutAndADepthVacuum', () => {
    const wide = market(2_000, 3, (t, s) => (t >= 1_500 && t < 1_520 ? { ...s, spread: 12 } : s));
    const spread = edges(CONFIG, wide).edges.filter((x) => x.detector === 'spread-blowout');
    expect(spread.map((x) => [x.edge, x.t])).toEqual([
      ['fired', 1_500],
      ['cleared', 1_549],
    ]);
    expect(spread[0]?.reason).toBe('the spread is 12 ticks, 6.0× its 600 s median of 2.0 (fires at 4× and 4 ticks)');
    const thin = market(2_000, 4, (t, s) => (t >= 1_500 && t < 1_600 ? { ...s, bidDepth: 50 } : s));
    const depth = edges(CONFIG, thin).edges.filter((x) => x.detector === 'depth-vacuum');
    expect(depth.map((x) => [x.edge, x.t])).toEqual([
      ['fired', 1_500],
      ['cleared', 1_629],
    ]);
    expect(depth[0]?.reason).toMatch(/^the bid shows 50 lots in its top 5 levels, 5% of its 600 s median of \d+ \(fires at 10%\)$/);
  });

  it('skipsAMissingMidWithoutFiringOrPoisoningTheForecast', () => {
    const gaps = market(3_000, 5, (t, s) => (t % 97 === 0 ? { ...s, mid: NaN, spread: NaN } : s));
    const { edges: e, monitor } = edges(CONFIG, gaps);
    expect(e.filter((x) => x.detector === 'flash-crash')).toEqual([]);
    expect(Number.isFinite(monitor.view().ewmaBpsPerSqrtS)).toBe(true);
  });

  it('refusesImpossibleParameters', () => {
    expect(() => new DynamicRiskMonitor({ ...CONFIG, garch: { omega: 0.01, alpha: 0.5, beta: 0.6 } })).toThrow(/α \+ β must be at most 1/);
    expect(() => new DynamicRiskMonitor({ ...CONFIG, flashCrash: { ...CONFIG.flashCrash, k: -1 } })).toThrow();
  });

  it('shipsParametersThatPassTheSchema', () => {
    const config = readDynamicRiskConfig(join(__dirname, '../../../..', DYNAMIC_RISK_FILE));
    expect(config.garch.alpha + config.garch.beta).toBeLessThan(1);
    expect(new DynamicRiskMonitor(config).view().models).toMatch(/^EWMA λ 0\.99\d+; GARCH\(1,1\)/);
  });
});

describe('the volatile-regime detector', () => {
  it('firesWhileTheMarketSignalsRegimeIsVolatileAndClearsAfterItsHold', () => {
    const m = new DynamicRiskMonitor({ ...CONFIG, volatileRegime: { stress: 0.5, holdSeconds: 5 } });
    const samples = market(100, 3, (t, s) => ({ ...s, regime: t < 20 ? { name: 'calm', stress: -0.55 } : t < 50 ? { name: 'volatile', stress: 0.81 } : { name: 'tight', stress: -0.17 } }));
    const fired: Array<{ t: number; edge: string }> = [];
    samples.forEach((s, t) => {
      for (const e of m.sample(s)) if (e.detector === 'volatile-regime') fired.push({ t, edge: e.edge });
    });
    expect(fired).toEqual([
      { t: 20, edge: 'fired' },
      { t: 54, edge: 'cleared' },
    ]);
    const view = m.view().detectors.find((d) => d.name === 'volatile-regime');
    expect(view?.firing).toBe(false);
    expect(view?.reason).toContain('tight');
  });

  it('staysSilentWhereTheSessionKeepsNoSignal', () => {
    const m = new DynamicRiskMonitor(CONFIG);
    for (const s of market(200, 4)) expect(m.sample(s).filter((e) => e.detector === 'volatile-regime')).toEqual([]);
    expect(m.view().detectors.find((d) => d.name === 'volatile-regime')?.value).toBeNull();
  });
});
