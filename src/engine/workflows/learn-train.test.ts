import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeVenue } from '../execution/testing/fake-venue';
import { DqnLearner, DQN_DEFAULTS } from '../learn/dqn';
import type { Tf } from '../learn/tf-mlp';
import type { EnvMarket } from '../rl/env';
import { ACTION_COUNT, ENV_LAYOUT, OBSERVATION_SIZE } from '../rl/env';
import type { PolicyEnvSettings } from '../node/models/policy-files';
import { DEFAULT_POLICY_NAME, loadModel, loadPolicy, readJson, saveModel, writeJson } from '../node/models/policy-files';
import type { TrainState } from './learn-train';
import { envSlot, scheduleDriftTerm, train } from './learn-train';
import { WorkflowCancelled } from './workflow';
import { cardFromRun } from './train-card';
import { selectBackend } from '../node/models/tf-backend';

const S = 1_000_000_000;
const fake: EnvMarket = { tickSize: 1, venuePrintsAgentFills: false, preTradeNs: 10 * S, open: (seed) => ({ venue: new FakeVenue(seed), startNs: 10 * S }) };
const env: PolicyEnvSettings = { side: 'sell', quantity: 300, horizonSeconds: 120, steps: 12, preTradeSeconds: 10, impactPenalty: 1 };
const SHIPPED = join(__dirname, '..', '..', '..', 'resources', 'models', DEFAULT_POLICY_NAME);

let tf: Tf;
let dir: string;
beforeAll(async () => {
  tf = (await selectBackend('cpu')).tf;
  dir = mkdtempSync(join(tmpdir(), 'cockpit-learn-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(algo: 'dqn' | 'ppo', steps: number, out: string, resume: boolean) {
  return train(runOptions(algo, steps, out, resume));
}

function runOptions(algo: 'dqn' | 'ppo', steps: number, out: string, resume: boolean): Parameters<typeof train>[0] {
  return {
    tf,
    backend: 'cpu',
    algo,
    scenarios: ['fake'],
    markets: { fake },
    steps,
    seed: 3,
    out,
    resume,
    env,
    envs: 2,
    checkpointEvery: 48,
    validationEpisodes: 1,
    dqn: { hidden: [8], learningStarts: 24, batchSize: 16, replayCapacity: 1_000 },
    ppo: { hidden: [8], rolloutSteps: 12, minibatchSize: 12, epochs: 1 },
  };
}

describe('the schedule-drift reward', () => {
  it('paysForesightOnTheDeviationFromTheScheduleOnly', () => {
    // 1,000 lots in 10 steps: 50 due at the midpoint of the first interval.
    const term = (before: number, after: number, m1: number): number => scheduleDriftTerm('sell', 1_000, 10, 1, before, after, 100, m1, 100);
    expect(term(50, 50, 99)).toBeCloseTo(0, 12); // on schedule: the move is TWAP's too
    expect(term(100, 100, 99)).toBeCloseTo(((-1 * 50 * -1) / 100 / 1_000) * 10_000, 9); // 50 ahead, then the price fell 1%: +5 bps
    expect(term(0, 0, 99)).toBeLessThan(0); // behind before a fall
    expect(term(0, 0, 101)).toBeGreaterThan(0); // behind before a rise
    expect(scheduleDriftTerm('buy', 1_000, 10, 1, 100, 100, 100, 101, 100)).toBeGreaterThan(0); // a buyer ahead before a rise
  });
});

describe('training runs', () => {
  it('resumeContinuesTheStepCountFromTheLastCheckpoint', async () => {
    const out = join(dir, 'dqn');
    const first = await run('dqn', 96, out, false);
    expect(first.state.step).toBe(96);
    const second = await run('dqn', 192, out, true);
    expect(second.state.step).toBe(192);
    expect(second.state.resumedAt).toEqual([96]);
    expect(second.state.episodes).toBe(192 / env.steps);
    expect(second.state.seedCursor).toBeGreaterThan(first.state.seedCursor);
    expect(readJson<TrainState>(join(out, 'checkpoint'), 'state.json').step).toBe(192);
    await expect(run('ppo', 300, out, true)).rejects.toThrow(/is dqn/);
  });

  for (const algo of ['ppo', 'dqn'] as const) {
    it(`${algo}ResumeIsBitIdenticalToAnUninterruptedRun`, async () => {
      const weights = (out: string): Buffer => readFileSync(join(out, 'model.weights.bin'));
      const whole = await run(algo, 192, join(dir, `${algo}-whole`), false);
      const first = await run(algo, 96, join(dir, `${algo}-split`), false);
      // 96 steps are 48 iterations of 2 envs: four whole 12-step episodes (and PPO rollouts).
      expect(first.state.exact?.envs).toBe(2);
      const resumed = await run(algo, 192, join(dir, `${algo}-split`), true);
      expect(resumed.state.resumedAt).toEqual([96]);
      expect(resumed.state.validation).toEqual(whole.state.validation);
      expect(resumed.state.seedCursor).toBe(whole.state.seedCursor);
      expect(weights(join(dir, `${algo}-split`)).equals(weights(join(dir, `${algo}-whole`)))).toBe(true);
      for (const net of algo === 'ppo' ? ['policy', 'value'] : ['online', 'target']) {
        expect(readFileSync(join(dir, `${algo}-split`, 'checkpoint', `${net}.weights.bin`)).equals(readFileSync(join(dir, `${algo}-whole`, 'checkpoint', `${net}.weights.bin`)))).toBe(true);
      }
    });
  }

  for (const algo of ['ppo', 'dqn'] as const) {
    it(`${algo}StopsWhenCancelledWithAResumePointAResumeContinuesFrom`, async () => {
      const out = join(dir, `${algo}-cancelled`);
      const controller = new AbortController();
      const options = { ...runOptions(algo, 192, out, false), onProgress: (p: { step: number }) => p.step >= 60 && controller.abort('the trader stopped it') };
      await expect(train(options, { signal: controller.signal })).rejects.toThrow(new WorkflowCancelled('the trader stopped it at step 60; --resume continues from the checkpoint'));
      const saved = readJson<TrainState>(join(out, 'checkpoint'), 'state.json');
      expect(saved.step).toBe(60);
      expect(existsSync(join(out, 'policy.json'))).toBe(false);
      const resumed = await run(algo, 192, out, true);
      expect(resumed.state).toMatchObject({ step: 192, resumedAt: [60] });
      expect(existsSync(join(out, 'policy.json'))).toBe(true);
    });
  }

  it('resumesAFinishMidEpisodeWithFreshEpisodes', async () => {
    const out = join(dir, 'ppo-mid');
    const first = await run('ppo', 90, out, false);
    expect(first.state.step).toBe(90);
    expect(first.state.exact).toBeUndefined();
    const second = await run('ppo', 180, out, true);
    expect(second.state.step).toBe(180);
    expect(second.state.seedCursor).toBeGreaterThan(first.state.seedCursor);
  });

  it('ppoRunWritesALoadableModelDirectory', async () => {
    const out = join(dir, 'ppo');
    await run('ppo', 96, out, false);
    const { policy, manifest } = await loadPolicy(out);
    expect(manifest.outputKind).toBe('logits');
    const a = policy.act(new Float32Array(OBSERVATION_SIZE).fill(0.3));
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(ACTION_COUNT);
  });

  it('ppoRunIsReproducibleForOneSeedOnOneBackend', async () => {
    const weights = (out: string): Buffer => readFileSync(join(out, 'model.weights.bin'));
    await run('ppo', 96, join(dir, 'ppo-a'), false);
    await run('ppo', 96, join(dir, 'ppo-b'), false);
    expect(weights(join(dir, 'ppo-b')).equals(weights(join(dir, 'ppo-a')))).toBe(true);
    expect(readJson<TrainState>(join(dir, 'ppo-b', 'checkpoint'), 'state.json').validation).toEqual(readJson<TrainState>(join(dir, 'ppo-a', 'checkpoint'), 'state.json').validation);
    await train({ ...runOptions('ppo', 96, join(dir, 'ppo-c'), false), seed: 4 });
    expect(weights(join(dir, 'ppo-c')).equals(weights(join(dir, 'ppo-a')))).toBe(false);
  });

  it('trainsOnARecordedDayButValidatesOnTheScenariosOnly', async () => {
    const day = 'lobster:DAY_message_1.csv';
    const mixed = await train({ ...runOptions('ppo', 48, join(dir, 'mixed'), false), scenarios: ['fake', day], markets: { fake, [day]: fake } });
    expect(mixed.state.scenarios).toEqual(['fake', day]);
    expect(mixed.state.validation.length).toBeGreaterThan(0);
    for (const v of mixed.state.validation) expect(Object.keys(v.byScenario)).toEqual(['fake']);
    const card = cardFromRun('mixed', mixed, 'cpu', 'cockpit train …');
    expect(card.trainingSeeds.rule).toContain(`on a recorded day (${day})`);
    expect(card.validationSeeds.use).toContain('never on a recorded day');
    expect(cardFromRun('fake-only', await run('ppo', 24, join(dir, 'fake-only'), false), 'cpu', '').validationSeeds.use).not.toContain('recorded day');
    await expect(train({ ...runOptions('ppo', 48, join(dir, 'day-only'), false), scenarios: [day], markets: { [day]: fake } })).rejects.toThrow(/validates on simulator scenarios only/);
    const unvalidated = await train({ ...runOptions('ppo', 48, join(dir, 'day-only'), false), scenarios: [day], markets: { [day]: fake }, validationEpisodes: 0 });
    expect(unvalidated.selected).toBe('last');
  });

  it('trainsBothSidesInPairsOnEachMarketAndValidatesEachSide', async () => {
    const both: PolicyEnvSettings = { ...env, bothSides: true };
    // Pairs: env 2j on market j mod k with the policy's side, env 2j + 1 on the same market with the other.
    expect(Array.from({ length: 6 }, (_, i) => envSlot(i, 2, both))).toEqual([
      { market: 0, side: 'sell' },
      { market: 0, side: 'buy' },
      { market: 1, side: 'sell' },
      { market: 1, side: 'buy' },
      { market: 0, side: 'sell' },
      { market: 0, side: 'buy' },
    ]);
    expect(envSlot(5, 2, env)).toEqual({ market: 1, side: 'sell' });
    expect(envSlot(1, 1, { ...env, side: 'buy', bothSides: true })).toEqual({ market: 0, side: 'sell' });
    const day = 'lobster:DAY_message_1.csv';
    const r = await train({ ...runOptions('ppo', 48, join(dir, 'both'), false), env: both, envs: 4, scenarios: ['fake', day], markets: { fake, [day]: fake } });
    expect(r.env.bothSides).toBe(true);
    for (const v of r.state.validation) expect(Object.keys(v.byScenario)).toEqual(['fake', 'fake/buy']);
    expect(cardFromRun('both', r, 'cpu', '').validationSeeds.use).toContain('scenario (never on a recorded day trained on) and side');
    // A resume must train the same sides.
    await expect(train({ ...runOptions('ppo', 96, join(dir, 'both'), true), envs: 4, scenarios: ['fake', day], markets: { fake, [day]: fake } })).rejects.toThrow(/--resume: the checkpoint trained in/);
  });

  it('saveThenLoadGivesIdenticalOutputs', async () => {
    const learner = new DqnLearner(tf, { ...DQN_DEFAULTS, hidden: [16, 16] }, OBSERVATION_SIZE, ACTION_COUNT, 7);
    const raw = Float32Array.from({ length: 4 * OBSERVATION_SIZE }, (_, i) => Math.sin(i));
    learner.normaliser.update(raw, 4);
    const out = join(dir, 'roundtrip');
    await saveModel(tf, learner.online, out);
    writeJson(out, 'normaliser.json', learner.normaliser.state());
    writeJson(out, 'policy.json', { algo: 'dqn', outputKind: 'q-values', layout: ENV_LAYOUT, env });
    const before = learner.qValues(raw, 4);
    const { policy, model } = await loadPolicy(out, tf);
    const x = learner.normaliser.normalise(raw, new Float32Array(raw.length), 4);
    const after = (model!.predict(tf.tensor2d(x, [4, OBSERVATION_SIZE])) as ReturnType<typeof tf.tensor2d>).dataSync();
    expect(Array.from(after)).toEqual(Array.from(before));
    for (let r = 0; r < 4; r++) {
      const js = policy.outputs(raw.subarray(r * OBSERVATION_SIZE, (r + 1) * OBSERVATION_SIZE));
      js.forEach((v, k) => expect(v).toBeCloseTo(before[r * ACTION_COUNT + k] as number, 5));
    }
    expect(Array.from(policy.actBatch(raw, 4))).toEqual([0, 1, 2, 3].map((r) => policy.act(raw.subarray(r * OBSERVATION_SIZE, (r + 1) * OBSERVATION_SIZE))));
  });

  it('refusesAPolicySavedForAnotherLayout', async () => {
    const out = join(dir, 'roundtrip');
    const manifest = readJson<Record<string, unknown>>(out, 'policy.json');
    const old = join(dir, 'old-layout');
    await saveModel(tf, await loadModel(tf, out), old);
    writeJson(old, 'normaliser.json', readJson(out, 'normaliser.json'));
    writeJson(old, 'policy.json', { ...manifest, layout: undefined });
    await expect(loadPolicy(old)).rejects.toThrow(/trained for the observation and action layout "of an earlier version"; this build runs "schedule-9\.obs-13"/);
    writeJson(old, 'policy.json', { ...manifest, algo: 'a2c' });
    await expect(loadPolicy(old)).rejects.toThrow(/algo must be "dqn" or "ppo"/);
  });

  it('shippedPolicyLoadsActsAndExplains', async () => {
    const { policy, manifest } = await loadPolicy(SHIPPED, tf);
    expect(manifest.env.steps).toBeGreaterThan(0);
    const obs = Float32Array.from([0.5, 0.55, 0.3, 0.5, 0.5, 0, 0.2, 0.5, -0.05, 0, 0.2, 0, 0]);
    const a = policy.act(obs);
    expect(Number.isInteger(a) && a >= 0 && a < ACTION_COUNT).toBe(true);
    const e = policy.explain(obs);
    expect(e.action).toBe(a);
    expect(e.features.map((f) => f.feature)).toContain('scheduleDeviation');
    expect(Math.abs(e.attributionSum - (e.output - e.baselineOutput))).toBeLessThan(0.05 * Math.max(0.5, Math.abs(e.output - e.baselineOutput)));
    expect(e.text).toMatch(/:/);
  });
});
