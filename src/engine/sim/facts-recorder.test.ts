import { describe, expect, it } from 'vitest';
import { NS_PER_SECOND } from '../core/clock';
import { Rng } from '../core/rng';
import { FactsRecorder, varianceRatio } from './facts-recorder';

const MIN = 60 * NS_PER_SECOND;

/** A book whose mid the test sets; spread 2 ticks, 10 lots a side. */
function book() {
  const state = { mid: 1_000 };
  return { state, top: { bid: () => state.mid - 1, ask: () => state.mid + 1, bidSize: () => 10, askSize: () => 10 } };
}

describe('FactsRecorder order flow', () => {
  it('correlatesAMinutesOrderFlowWithTheNextMinutesReturn', () => {
    const { state, top } = book();
    const r = new FactsRecorder(top, 0, 40 * MIN);
    // Minute k's flow is +1 or −1; the mid then moves that way over minute k + 1 (predictable flow).
    const signs = Array.from({ length: 40 }, (_, k) => ((k * 7) % 3 === 0 ? 1 : -1) as 1 | -1);
    for (let k = 0; k < 40; k++) {
      r.advance(k * MIN + 1);
      if (k > 0) state.mid += 2 * signs[k - 1]!;
      r.trade(k * MIN + 30 * NS_PER_SECOND, signs[k]!, 5, state.mid, state.mid);
    }
    const f = r.finish();
    expect(f.flowMinutes.length).toBe(f.nextReturns.length);
    expect(f.flowMinutes.length).toBeGreaterThan(30);
    expect(f.flowReturnCorr).toBeGreaterThan(0.99);
  });

  it('findsNoCorrelationWhenTheMoveIgnoresTheFlowAndNoneWithoutTrades', () => {
    const { state, top } = book();
    const r = new FactsRecorder(top, 0, 40 * MIN);
    for (let k = 0; k < 40; k++) {
      r.advance(k * MIN + 1);
      state.mid += k % 2 === 0 ? 2 : -2; // alternates whatever the flow
      r.trade(k * MIN + 30 * NS_PER_SECOND, Math.floor(k / 2) % 2 === 0 ? 1 : -1, 5, state.mid, state.mid);
    }
    expect(Math.abs(r.finish().flowReturnCorr)).toBeLessThan(0.2);
    const quiet = new FactsRecorder(book().top, 0, 10 * MIN);
    expect(quiet.finish().flowReturnCorr).toBeNaN();
  });
});

describe('varianceRatio', () => {
  /** A price path whose 1-second log steps follow x_t = φ·x_{t−1} + ε_t. */
  function path(phi: number, n: number, seed: number): number[] {
    const rng = new Rng(seed);
    const out = [10_000];
    let x = 0;
    for (let i = 1; i < n; i++) {
      x = phi * x + (rng.next() - 0.5) * 1e-4;
      out.push(out[i - 1]! * Math.exp(x));
    }
    return out;
  }

  it('isAboutOneForARandomWalkBelowForATrendAndAboveForABounce', () => {
    const n = 6 * 23_400;
    expect(varianceRatio(path(0, n, 1), 10, 60)).toBeGreaterThan(0.85);
    expect(varianceRatio(path(0, n, 1), 10, 60)).toBeLessThan(1.15);
    expect(varianceRatio(path(0.8, n, 2), 10, 60)).toBeLessThan(0.85);
    expect(varianceRatio(path(-0.8, n, 3), 10, 60)).toBeGreaterThan(1.15);
    expect(varianceRatio([1, 1, 1], 1, 2)).toBeNaN();
  });

  it('isRecordedFromTheMidSampledEachSecond', () => {
    const mids = path(0.8, 3 * 3600, 4);
    let i = 0;
    const top = { bid: () => mids[i]! - 1, ask: () => mids[i]! + 1, bidSize: () => 1, askSize: () => 1 };
    const r = new FactsRecorder(top, 0, (mids.length - 1) * 1e9);
    for (i = 0; i < mids.length; i++) r.advance(i * 1e9 + 1);
    expect(r.finish().varianceRatio10s).toBeCloseTo(varianceRatio(mids.slice(0, mids.length), 10, 60), 6);
  });
});
