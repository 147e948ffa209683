import { describe, expect, it } from 'vitest';
import { NS_PER_SECOND } from '../core/clock';
import { loadScenario } from '../node/files/sim-scenarios';
import type { DynamicRisk } from '../risk/overlay';
import { crashStartSeconds, flashCrashAgents, flashCrashComparison } from './flash-crash';

const crash = loadScenario('flash-crash');
const S = NS_PER_SECOND;

/** A monitor that fires a flash crash `afterSeconds` after the scenario's crash begins, and clears a minute later. */
function scripted(afterSeconds: number): () => DynamicRisk {
  return () => {
    let edge = 0;
    const at = (crash.session.openSeconds + crashStartSeconds(crash) + afterSeconds) * S;
    return {
      sample: (s) => {
        if (edge === 0 && s.ts >= at) {
          edge = 1;
          return [{ detector: 'flash-crash', edge: 'fired', reason: 'scripted', value: 9, threshold: 6 }];
        }
        if (edge === 1 && s.ts >= at + 60 * S) {
          edge = 2;
          return [{ detector: 'flash-crash', edge: 'cleared', reason: 'scripted', value: 1, threshold: 6 }];
        }
        return [];
      },
      view: () => ({ ewmaBpsPerSqrtS: null, garchBpsPerSqrtS: null, models: 'scripted', detectors: [] }),
    };
  };
}

describe('the flash-crash comparison', () => {
  it('measuresTheAlertThePostureAndBothRunsOfEachSeed', async () => {
    const agents = flashCrashAgents(crashStartSeconds(crash) - 60).map((a) => ({ ...a, horizonSeconds: 300, quantity: 3_000 }));
    const report = await flashCrashComparison({ scenario: crash, seeds: [1, 2], monitor: scripted(20), agents });
    expect(report.crashAtSeconds).toBe(7_200);
    expect(report.runs.map((r) => r.alertAfterSeconds)).toEqual([20, 20]);
    expect(report.detected).toBe(1);
    expect(report.breaches).toBe(0);
    // Each of the three agents held for the minute the alert lasted, on each seed: six changes of posture a seed.
    for (const r of report.runs) {
      expect(r.postureChanges).toBe(6);
      expect(r.heldAgentSeconds).toBeCloseTo(180, 0);
      expect(r.withOverlay.map((a) => a.name)).toEqual(agents.map((a) => a.name));
      // Held through the crash, the overlay's sellers sold less into it than without.
      expect(r.withOverlay[0]!.worstDrawdownBps).toBeLessThanOrEqual(0);
    }
    expect(report.agents[0]!.shortfallDifference.n).toBe(2);
    expect(report.falseAlarms).toBeNull();
  });
});
