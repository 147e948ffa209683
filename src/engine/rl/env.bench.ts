import { bench, describe } from 'vitest';
import { findVolumeFile, readMinuteVolumes, simMarket } from '../node/files/backtest-markets';
import { loadScenario } from '../node/files/sim-scenarios';
import { FakeVenue } from '../execution/testing/fake-venue';
import type { EnvMarket } from './env';
import { ACTION_COUNT, VecExecutionEnv } from './env';

const S = 1_000_000_000;
const horizonNs = 10 * 60 * S;
const parent = { side: 'sell' as const, quantity: 2000, horizonNs };
const volumeFile = findVolumeFile();
const calm = simMarket(loadScenario('calm'), { kind: 'sim', scenario: 'calm', preTradeNs: 60 * S, horizonNs, volumeFile }, readMinuteVolumes(volumeFile));
const fake: EnvMarket = { tickSize: 1, venuePrintsAgentFills: false, preTradeNs: 10 * S, open: (seed) => ({ venue: new FakeVenue(seed), startNs: 10 * S }) };

/** Steps 8 envs for 100 vector steps (800 env steps, 20 per episode: resets included). */
function run(market: EnvMarket): void {
  const vec = new VecExecutionEnv({ market, parent, steps: 20 }, 8);
  vec.reset(1);
  const actions = new Int32Array(8);
  for (let k = 0; k < 100; k++) {
    for (let i = 0; i < 8; i++) actions[i] = (k * 7 + i) % ACTION_COUNT;
    vec.step(actions);
  }
}

describe('execution env: 800 env steps of 30 s (8 envs, resets included)', () => {
  bench('calm simulator', () => run(calm), { iterations: 3 });
  bench('fake venue (environment overhead)', () => run(fake), { iterations: 3 });
});
