import { describe, expect, it } from 'vitest';
import { simSessionMarket } from './market';
import { join, resolve } from 'node:path';
import { SequentialIds } from '../core/ids';
import { NS_PER_SECOND } from '../core/clock';
import type { EngineEvent } from '../contract/events';
import { loadScenario } from '../node/files/sim-scenarios';
import { DEFAULT_POLICY_NAME, loadPolicySync } from '../node/models/policy-files';
import { OBSERVATION_FIELDS } from '../rl/env';
import { DEFAULT_LIMITS, SessionKernel, type AgentSpec } from './session-kernel';
import { LearnedStrategy } from './learned-strategy';

const dir = join(resolve(__dirname, '../../..'), 'resources', 'models', DEFAULT_POLICY_NAME);

function run(explain: boolean): EngineEvent[] {
  const { policy, manifest } = loadPolicySync(dir);
  const env = manifest.env;
  const spec: AgentSpec = { name: 'learned', strategy: 'rl', side: env.side, quantity: env.quantity, horizonSeconds: env.horizonSeconds, intervalSeconds: env.horizonSeconds / env.steps, startAfterSeconds: env.preTradeSeconds };
  const kernel = new SessionKernel(
    { ids: new SequentialIds(), strategies: () => new LearnedStrategy({ name: DEFAULT_POLICY_NAME, policy, steps: env.steps, side: env.side, explain }) },
    { sessionId: 's', seed: 3, market: simSessionMarket(loadScenario('calm'), 3), speed: 5, agents: [spec], limits: DEFAULT_LIMITS },
  );
  const events: EngineEvent[] = [];
  kernel.subscribe((e) => events.push(e));
  kernel.start();
  kernel.elapse((env.preTradeSeconds + env.horizonSeconds + 30) * NS_PER_SECOND);
  return events;
}

describe('the shipped policy in the session', () => {
  it('explainsEachDecisionWithValuesAttributionsAndItsSentence', () => {
    const events = run(true);
    const decisions = events.filter((e) => e.kind === 'DecisionMade');
    const explained = decisions.filter((d) => d.explanation !== null);
    expect(explained.length).toBeGreaterThan(5);
    for (const d of explained) {
      const x = d.explanation!;
      expect(x.values).toHaveLength(x.actions.length);
      expect(x.chosen).toBeGreaterThanOrEqual(0);
      expect(x.chosen).toBeLessThan(x.actions.length);
      expect(Object.keys(x.attributions).sort()).toEqual([...OBSERVATION_FIELDS].sort());
      // What it did, the action it chose, then the features that weighed most.
      expect(d.reason).toMatch(/^(crossed the spread for \d+|rested \d+ at the touch|kept its resting order|cancelled \d+ resting|waited)/);
      expect(d.reason).toContain(`(${x.actions[x.chosen]}): `);
    }
    expect(events.some((e) => e.kind === 'AgentStateChanged' && e.state === 'done')).toBe(true);
  });

  it('tradesTheSameWhetherOrNotItExplains', () => {
    const withExplanations = run(true).filter((e) => e.kind === 'OrderFilled' || e.kind === 'OrderAccepted');
    const without = run(false).filter((e) => e.kind === 'OrderFilled' || e.kind === 'OrderAccepted');
    expect(without.length).toBeGreaterThan(0);
    expect(without.map(({ seq: _s, ...rest }) => rest)).toEqual(withExplanations.map(({ seq: _s, ...rest }) => rest));
  });
});
