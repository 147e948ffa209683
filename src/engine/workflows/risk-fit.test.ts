import { describe, expect, it } from 'vitest';
import { NS_PER_SECOND } from '../core/clock';
import { loadScenario } from '../node/files/sim-scenarios';
import { createSimVenue } from '../sim/sim-venue';
import { riskFit, type RealDay } from './risk-fit';

const calm = loadScenario('calm');

/** A simulated hour standing in for a recorded day (the CLI fits on the LOBSTER files). */
function day(seed: number, levels: number): RealDay {
  return {
    name: `calm-${seed}`,
    levels,
    open: () => {
      const venue = createSimVenue(calm, seed);
      return Promise.resolve({ venue, tickSize: 1, startNs: venue.now(), endNs: venue.now() + 3_600 * NS_PER_SECOND });
    },
  };
}

describe('the dynamic-risk fit', () => {
  it('fitsTheModelsAndSetsEachThresholdPastWhatTheDaysReach', async () => {
    const r = await riskFit([day(1, 10), day(2, 1)]);
    expect(r.days.map((d) => d.samples)).toEqual([3_601, 3_601]);
    const g = r.pooled.garch;
    expect(g.omega).toBeGreaterThan(0);
    expect(g.alpha + g.beta).toBeLessThan(1);
    expect(r.config.garch).toEqual({ omega: g.omega, alpha: g.alpha, beta: g.beta });
    expect(r.config.ewma.lambda).toBe(r.pooled.ewma.lambda);
    for (const d of r.days) {
      expect(r.config.flashCrash.k).toBeGreaterThan(d.maxFlashSigma);
      expect(r.config.spreadBlowout.multiple).toBeGreaterThan(d.maxSpreadMultiple);
    }
    // Only the day that shows five levels measures the depth.
    expect(r.days[1]?.minDepthShare).toBeNull();
    expect(r.config.depthVacuum.fraction).toBeLessThan(r.days[0]?.minDepthShare as number);
    // Chosen on these days, the thresholds give them no alarm.
    expect(r.falseAlarms).toEqual([
      { name: 'calm-1', 'flash-crash': 0, 'spread-blowout': 0, 'depth-vacuum': 0 },
      { name: 'calm-2', 'flash-crash': 0, 'spread-blowout': 0, 'depth-vacuum': null },
    ]);
  });
});
