import { describe, expect, it } from 'vitest';
import { MarketObserver, warmUp } from '../execution/market-observer';
import { episodeMetrics } from '../execution/metrics';
import { runEpisode } from '../execution/runner';
import { FakeVenue } from '../execution/testing/fake-venue';
import type { ParentOrder } from '../execution/types';
import type { EnvMarket, ExecutionEnvConfig } from './env';
import { TwapStrategy } from '../execution/strategies';
import { ACTION_COUNT, ACTIONS, encodeObservation, ExecutionEnv, OBSERVATION_FIELDS, OBSERVATION_SIZE, TWAP_ACTION, twapSlice, VecExecutionEnv } from './env';
import { PolicyStrategy } from './env-policy';

const S = 1_000_000_000;
const market: EnvMarket = {
  tickSize: 1,
  venuePrintsAgentFills: false,
  preTradeNs: 10 * S,
  open: (seed) => ({ venue: new FakeVenue(seed), startNs: 10 * S }),
};
const parent: ParentOrder = { side: 'sell', quantity: 300, horizonNs: 120 * S };
const config: ExecutionEnvConfig = { market, parent, steps: 12 };

function rollout(env: ExecutionEnv, seed: number, policy: (t: number) => number) {
  const observations = [Array.from(env.reset(seed))];
  const rewards: number[] = [];
  let last;
  for (let t = 0; t < config.steps; t++) {
    const r = env.step(policy(t));
    observations.push(Array.from(r.observation));
    rewards.push(r.reward);
    last = r;
  }
  return { observations, rewards, last: last! };
}

describe('ExecutionEnv', () => {
  it('documentsNineActionsAndThirteenObservationFields', () => {
    expect(ACTION_COUNT).toBe(9);
    expect(ACTIONS[0]).toEqual({ urgency: 'patient', lead: 0 });
    expect(ACTIONS[TWAP_ACTION]).toEqual({ urgency: 'on-schedule', lead: 0 });
    expect(ACTIONS[8]).toEqual({ urgency: 'ahead', lead: 2 });
    expect(OBSERVATION_SIZE).toBe(13);
    expect(OBSERVATION_FIELDS[8]).toBe('scheduleDeviation');
    expect(OBSERVATION_FIELDS[10]).toBe('orderFlow');
  });

  it('tradesExactlyAsTwapWhenItAlwaysTakesTheTwapAction', () => {
    for (const seed of [4, 5, 6]) {
      const env = new ExecutionEnv(config);
      env.reset(seed);
      for (let t = 0; t < config.steps; t++) env.step(TWAP_ACTION);
      const { venue, startNs } = market.open(seed);
      const observer = new MarketObserver();
      warmUp(venue, observer, startNs - venue.now(), S);
      const twap = runEpisode({ venue, strategy: new TwapStrategy(), parent, tickSize: 1, decisionIntervalNs: parent.horizonNs / config.steps, observer });
      expect(env.current!.fills.map((f) => [f.ts, f.price, f.size])).toEqual(twap.fills.map((f) => [f.ts, f.price, f.size]));
    }
  });

  it('letsAPatientOrderLagAndAnAheadOrderLead', () => {
    const slice = twapSlice(parent.quantity, config.steps);
    // At most two slices are due by the third decision: a patient order never crosses for them,
    // where TWAP crosses whatever its resting slice did not fill.
    const kinds = (action: number, seed: number): string[] => {
      const env = new ExecutionEnv({ ...config, recordDecisions: true });
      env.reset(seed);
      for (let t = 0; t < 3; t++) env.step(action);
      return env.current!.decisions.map((d) => d.action.kind);
    };
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    for (const seed of seeds) expect(kinds(0, seed)).not.toContain('cross');
    expect(seeds.some((seed) => kinds(TWAP_ACTION, seed).includes('cross'))).toBe(true);
    const ahead = new ExecutionEnv(config);
    ahead.reset(9);
    const r = ahead.step(6);
    // One slice crossed at once, beyond the schedule (nothing was due yet).
    expect(r.info.filled).toBeGreaterThanOrEqual(slice);
    expect(r.observation[8]).toBeGreaterThan(0);
  });

  it('chargesTheTrackingErrorToTheScheduleAndNothingOnIt', () => {
    const slice = twapSlice(parent.quantity, config.steps);
    const env = new ExecutionEnv({ ...config, trackingPenalty: 3 });
    env.reset(2);
    const r = env.step(6);
    const dev = (r.info.filled - parent.quantity / config.steps) / slice;
    expect(dev).toBeGreaterThan(0);
    expect(r.info.trackingPenalty).toBeCloseTo((3 * dev * dev) / config.steps, 9);
    expect(() => new ExecutionEnv({ ...config, trackingPenalty: -1 })).toThrow(/trackingPenalty/);
  });

  it('chargesTheInventoryStillHeldSoTradingAheadPaysLess', () => {
    const env = new ExecutionEnv({ ...config, inventoryPenalty: 4 });
    const charged = (action: number): number[] => {
      env.reset(2);
      const out: number[] = [];
      for (let t = 0; t < config.steps; t++) {
        const r = env.step(action);
        const held = r.info.quantityLeft / parent.quantity;
        expect(r.info.inventoryPenalty).toBeCloseTo(r.done ? 0 : (4 * held * held) / config.steps, 9);
        out.push(r.info.inventoryPenalty);
      }
      return out;
    };
    const twap = charged(TWAP_ACTION).reduce((a, b) => a + b, 0);
    const ahead = charged(6).reduce((a, b) => a + b, 0);
    // TWAP holds (1 − k/steps) of the order after step k: about a third of the weight in all.
    expect(twap).toBeGreaterThan(4 * 0.25);
    expect(twap).toBeLessThan(4 * 0.4);
    expect(ahead).toBeLessThan(twap);
    expect(() => new ExecutionEnv({ ...config, inventoryPenalty: Number.NaN })).toThrow(/inventoryPenalty/);
  });

  it('readsOrderFlowFromTheTradersSide', () => {
    const env = new ExecutionEnv(config);
    env.reset(3);
    const view = env.current!.observe();
    const out = new Float32Array(OBSERVATION_SIZE);
    const slice = twapSlice(parent.quantity, config.steps);
    encodeObservation({ ...view, recentVolume: 100, recentSignedVolume: 60 }, slice, parent.horizonNs / config.steps, out);
    expect(out[10]).toBeCloseTo(0.6, 6); // buyers lifting: in a seller's favour
    encodeObservation({ ...view, parent: { ...parent, side: 'buy' }, recentVolume: 100, recentSignedVolume: 60 }, slice, parent.horizonNs / config.steps, out);
    expect(out[10]).toBeCloseTo(-0.6, 6);
    encodeObservation({ ...view, recentVolume: 0, recentSignedVolume: 0 }, slice, parent.horizonNs / config.steps, out);
    expect(out[10]).toBe(0);
  });

  it('returnsObservationsOfTheDocumentedShapeAndRanges', () => {
    const env = new ExecutionEnv(config);
    const { observations } = rollout(env, 3, (t) => (t * 7) % ACTION_COUNT);
    for (const o of observations) {
      expect(o.length).toBe(OBSERVATION_SIZE);
      for (const x of o) expect(Number.isFinite(x)).toBe(true);
      const [timeLeft, qtyLeft, spread, bid, ask, imb, vol, rv, dev, move] = o as number[];
      for (const x of [timeLeft!, qtyLeft!, spread!, bid!, ask!, vol!, rv!]) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
      }
      for (const x of [imb!, dev!, move!]) expect(Math.abs(x)).toBeLessThanOrEqual(1);
    }
    expect(observations[0]![0]).toBe(1);
    expect(observations[0]![1]).toBe(1);
    expect(observations.at(-1)![0]).toBe(0);
  });

  it('isDeterministicPerSeed', () => {
    const policy = (t: number): number => [1, 4, 7, 8, 0, 3][t % 6]!;
    const a = rollout(new ExecutionEnv(config), 42, policy);
    const b = rollout(new ExecutionEnv(config), 42, policy);
    expect(b).toEqual(a);
    const c = rollout(new ExecutionEnv(config), 43, policy);
    expect(c.observations).not.toEqual(a.observations);
  });

  it('endsExactlyAtTheHorizonAndRefusesAnotherStep', () => {
    const env = new ExecutionEnv(config);
    env.reset(1);
    for (let t = 0; t < config.steps - 1; t++) expect(env.step(2).done).toBe(false);
    const last = env.step(2);
    expect(last.done).toBe(true);
    expect(last.info.ts).toBe(env.current!.endNs);
    expect(() => env.step(2)).toThrow(/episode is over after 12 steps/);
    expect(() => new ExecutionEnv(config).step(0)).toThrow(/before reset/);
    env.reset(1);
    expect(() => env.step(9)).toThrow(/action must be an integer in \[0, 9\), received 9/);
  });

  it('executesOrPenalisesAllTheQuantityAndRewardsSumToMinusTheShortfall', () => {
    for (const [name, policy] of [
      ['patient', () => 0],
      ['twap', () => TWAP_ACTION],
      ['mixed', (t: number) => (t % 2 === 0 ? 8 : 1)],
    ] as const) {
      const env = new ExecutionEnv({ ...config, parent: { ...parent, quantity: 600, limitPrice: 9_995 }, trackingPenalty: 2, inventoryPenalty: 3 });
      env.reset(8);
      let sum = 0;
      let impact = 0;
      let tracking = 0;
      let inventory = 0;
      let info;
      for (let t = 0; t < config.steps; t++) {
        const r = env.step(policy(t));
        sum += r.reward;
        impact += r.info.impactPenalty;
        tracking += r.info.trackingPenalty;
        inventory += r.info.inventoryPenalty;
        info = r.info;
      }
      const session = env.current!;
      const m = episodeMetrics({ side: 'sell', quantity: 600, arrivalMid: session.arrivalMid, endMid: session.lastMid, fills: session.fills, counterfactualEndMid: null });
      expect(info!.shortfallBps).toBeCloseTo(m.shortfallBps, 9);
      expect(sum + impact + tracking + inventory).toBeCloseTo(-m.shortfallBps, 9);
      if (name === 'mixed') expect(tracking).toBeGreaterThan(0);
      expect(inventory).toBeGreaterThan(0);
      expect(info!.filled + info!.quantityLeft).toBe(600);
      if (info!.quantityLeft > 0) expect(info!.terminalPenalty).toBeGreaterThan(0);
    }
  });

  it('chargesTheAdverseMoveItsOwnCrossingCauses', () => {
    const env = new ExecutionEnv({ ...config, parent: { ...parent, quantity: 3000 } });
    env.reset(2);
    // Crossing one 250-lot slice ahead of schedule walks several 40-lot levels and drops the bid.
    const r = env.step(6);
    expect(r.info.impactPenalty).toBeGreaterThan(0);
    env.reset(2);
    expect(env.step(1).info.impactPenalty).toBe(0);
  });
});

describe('VecExecutionEnv', () => {
  it('stepsManyEnvsIntoFlatArraysAndResetsFinishedOnesOnTheirNextSeed', () => {
    const n = 3;
    const vec = new VecExecutionEnv(config, n);
    const first = vec.reset(100);
    expect(first).toBeInstanceOf(Float32Array);
    expect(first.length).toBe(n * OBSERVATION_SIZE);
    const solo = new ExecutionEnv(config);
    expect(Array.from(first.subarray(OBSERVATION_SIZE, 2 * OBSERVATION_SIZE))).toEqual(Array.from(solo.reset(101)));
    let r;
    for (let t = 0; t < config.steps; t++) {
      r = vec.step(new Int32Array([1, 5, 8]));
      expect(r.rewards).toBeInstanceOf(Float32Array);
      expect(r.rewards.length).toBe(n);
      expect(r.dones.length).toBe(n);
      expect(Array.from(r.dones)).toEqual(t === config.steps - 1 ? [1, 1, 1] : [0, 0, 0]);
    }
    // Env 2's second episode runs on seed 100 + 1·3 + 2.
    expect(Array.from(r!.observations.subarray(2 * OBSERVATION_SIZE))).toEqual(Array.from(solo.reset(105)));
    expect(r!.infos[0]!.shortfallBps).toBeDefined();
    expect(() => vec.step([1, 2])).toThrow(/one action per env \(3\), received 2/);
  });
});

describe('PolicyStrategy', () => {
  it('tradesInTheBacktestExactlyAsInTheEnvironment', () => {
    const policy = (obs: Float32Array): number => ((obs[8] as number) < 0 ? 6 : 1);
    const env = new ExecutionEnv(config);
    let obs = env.reset(21);
    for (let t = 0; t < config.steps; t++) obs = env.step(policy(obs)).observation;
    const envFills = env.current!.fills.map((f) => [f.ts, f.price, f.size]);

    const { venue, startNs } = market.open(21);
    const observer = new MarketObserver();
    warmUp(venue, observer, startNs - venue.now(), S);
    const record = runEpisode({ venue, strategy: new PolicyStrategy({ name: 'rule', policy, steps: config.steps }), parent, tickSize: 1, decisionIntervalNs: parent.horizonNs / config.steps, observer });
    expect(record.fills.map((f) => [f.ts, f.price, f.size])).toEqual(envFills);
    expect(record.decisions[0]?.inputs).toHaveProperty('scheduleDeviation');
    expect(record.decisions[0]?.reason).toMatch(/^policy \(patient/);
  });
});
