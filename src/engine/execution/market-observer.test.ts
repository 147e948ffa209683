import { describe, expect, it } from 'vitest';
import { MarketObserver } from './market-observer';

const S = 1_000_000_000;

describe('MarketObserver', () => {
  it('signsRecentVolumeByAggressorAndForgetsPrintsOutOfTheWindow', () => {
    const o = new MarketObserver({ recentVolumeWindowNs: 10 * S });
    o.addTrade(1 * S, 30, 'buy');
    o.addTrade(2 * S, 10, 'sell');
    o.addTrade(3 * S, 5); // aggressor unknown: volume, not flow
    expect(o.recentVolume(4 * S)).toBe(45);
    expect(o.recentSignedVolume(4 * S)).toBe(20);
    // The venue prints the agent's own passive sell, lifted by a buyer; the session takes it back from both.
    o.addTrade(3 * S, 10, 'buy');
    o.removeOwnTrade(3 * S, 10, 'buy');
    expect(o.recentVolume(4 * S)).toBe(45);
    expect(o.recentSignedVolume(4 * S)).toBe(20);
    // Past the window of the first two prints.
    expect(o.recentSignedVolume(12.5 * S)).toBe(0);
    expect(o.recentVolume(12.5 * S)).toBe(5);
    expect(o.recentSignedVolume(20 * S)).toBe(0);
    expect(o.recentVolume(20 * S)).toBe(0);
  });

  it('keepsTheFlowThroughItsBufferGrowing', () => {
    const o = new MarketObserver({ recentVolumeWindowNs: 1_000 * S });
    for (let i = 0; i < 1_000; i++) o.addTrade(i * S, 1, i % 4 === 0 ? 'sell' : 'buy');
    expect(o.recentVolume(999 * S)).toBe(1_000);
    expect(o.recentSignedVolume(999 * S)).toBe(750 - 250);
  });
});
