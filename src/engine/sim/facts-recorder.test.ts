import { describe, expect, it } from 'vitest';
import { NS_PER_SECOND } from '../core/clock';
import { FactsRecorder } from './facts-recorder';

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
