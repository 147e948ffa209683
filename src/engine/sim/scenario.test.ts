import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import { EventQueue } from './event-queue';
import { parseScenario, ScenarioError } from './scenario';
import type { ScenarioInput } from './scenario';

const valid: ScenarioInput = {
  name: 'tiny',
  description: 'a test scenario',
  instrument: { symbol: 'T', tickSize: 0.01, lotSize: 1, startPriceTicks: 1000 },
  session: { openSeconds: 34_200, durationSeconds: 600 },
  fundamental: { volatilityBpsPerMinute: 5, volOfVol: 0.3, volMeanReversionMinutes: 30, jumpRatePerHour: 0, jumpSizeBps: 0, stepMs: 1000 },
  zeroIntelligence: {
    limitRate: 1,
    marketRate: 0.1,
    cancelRate: 0.1,
    placement: { law: 'lognormal', median: 5, sigma: 0.5 },
    limitSize: { law: 'fixed', value: 10 },
    marketSize: { law: 'empirical', quantiles: [1, 5, 20] },
  },
  marketMakers: { count: 1, requoteMs: 500, spreadTicks: 2, levels: 1, levelSpacingTicks: 1, size: { law: 'fixed', value: 10 }, inventorySkewTicksPerLot: 0.01, maxInventory: 100, volatilityWidening: 0 },
  informed: { count: 0, rate: 0, thresholdTicks: 1, size: { law: 'fixed', value: 1 } },
  momentum: { count: 0, rate: 0, fastSeconds: 1, slowSeconds: 2, thresholdTicks: 1, size: { law: 'fixed', value: 1 } },
  meanReversion: { count: 0, rate: 0, fastSeconds: 1, slowSeconds: 2, thresholdTicks: 1, size: { law: 'fixed', value: 1 } },
  hawkes: { baseRate: 0.1, alpha: 0.5, beta: 1, sidePersistence: 0.5, size: { law: 'fixed', value: 5 } },
  backstop: { distanceTicks: 50, size: 10 },
};

function errorOf(json: unknown): ScenarioError {
  try {
    parseScenario(json, 'bad.json');
  } catch (err) {
    if (err instanceof ScenarioError) return err;
    throw err;
  }
  throw new Error('expected a ScenarioError');
}

describe('scenario schema', () => {
  it('acceptsAValidScenarioAndFillsDefaults', () => {
    const s = parseScenario(valid, 'ok.json');
    expect(s.events).toEqual([]);
    expect(s.zeroIntelligence.latency).toEqual({ entryMs: 0, marketDataMs: 0, jitterMs: 0 });
    expect(s.agentFills).toBe('queue');
    expect(parseScenario({ ...valid, agentFills: 'trade-through' }, 'ok.json').agentFills).toBe('trade-through');
    expect(errorOf({ ...valid, agentFills: 'sometimes' }).problems.join()).toMatch(/^agentFills:/);
  });

  it('namesTheFileAndPathOfAnUnknownKey', () => {
    const e = errorOf({ ...valid, marketMakers: { ...valid.marketMakers, spreed: 3 } });
    expect(e.message).toContain('bad.json');
    expect(e.message).toMatch(/marketMakers.*spreed/);
  });

  it('namesTheKeyOfANegativeRate', () => {
    expect(errorOf({ ...valid, zeroIntelligence: { ...valid.zeroIntelligence, cancelRate: -1 } }).problems.join()).toMatch(/^zeroIntelligence\.cancelRate:/);
  });

  it('namesTheKeyOfAProbabilityAboveOne', () => {
    expect(errorOf({ ...valid, hawkes: { ...valid.hawkes, sidePersistence: 1.5 } }).problems.join()).toMatch(/hawkes\.sidePersistence/);
  });

  it('refusesASpreadUnderOneTick', () => {
    expect(errorOf({ ...valid, marketMakers: { ...valid.marketMakers, spreadTicks: 0 } }).problems.join()).toMatch(/marketMakers\.spreadTicks/);
  });

  it('refusesAnExplosiveHawkesProcessAndAnEventOutsideTheSession', () => {
    const e = errorOf({
      ...valid,
      hawkes: { ...valid.hawkes, alpha: 2, beta: 1 },
      events: [{ kind: 'fundamentalJump', atSeconds: 9999, bps: -10 }],
    });
    expect(e.problems.join('\n')).toMatch(/hawkes\.alpha/);
    expect(e.problems.join('\n')).toMatch(/events\[0\]\.atSeconds/);
  });
});

describe('EventQueue', () => {
  it('popsByTimeThenBySchedulingOrder', () => {
    const q = new EventQueue(16);
    const rng = new Rng(1);
    const pushed: Array<[number, number]> = [];
    for (let i = 0; i < 2000; i++) {
      const t = rng.int(50);
      q.push(t, i, 0, i);
      pushed.push([t, i]);
    }
    pushed.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const popped: Array<[number, number]> = [];
    while (q.pop()) popped.push([q.topTime, q.topTarget]);
    expect(popped).toEqual(pushed);
  });
});
