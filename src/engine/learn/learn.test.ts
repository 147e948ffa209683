import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import type { Tf } from './tf-mlp';
import { selectBackend } from '../node/models/tf-backend';
import { DqnLearner, DQN_DEFAULTS } from './dqn';
import { explainDecision, integratedGradients } from './explain';
import type { Mlp } from './mlp';
import { argmax, mlpForward, mlpOutputGradient } from './mlp';
import { RunningNormaliser } from './normaliser';
import { gae, PpoLearner, PPO_DEFAULTS, Rollout } from './ppo';
import { ReplayBuffer } from './replay';
import { assertNotTrainingSeeds, TRAINING_SEED_MIN, TrainingSeedStream } from './seeds';
import { toMlp } from './tf-mlp';
import { ACTION_COUNT, OBSERVATION_SIZE } from '../rl/env';

let tf: Tf;
beforeAll(async () => {
  tf = (await selectBackend('cpu')).tf;
});

/** A contextual bandit: x0 = ±1; action 2 pays 1 when x0 > 0, action 7 pays 1 when x0 < 0; every step ends the episode. */
function bandit(rng: Rng, rows: number, width: number): Float32Array {
  const obs = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    obs[r * width] = rng.chance(0.5) ? 1 : -1;
    obs[r * width + 1] = rng.next();
  }
  return obs;
}
const pay = (x0: number, a: number): number => ((x0 > 0 && a === 2) || (x0 < 0 && a === 7) ? 1 : 0);

function trainDqnOnBandit(seed: number): DqnLearner {
  const width = 4;
  const learner = new DqnLearner(tf, { ...DQN_DEFAULTS, hidden: [16], learningRate: 0.01, batchSize: 32, learningStarts: 64, rewardScale: 1, targetUpdateEvery: 20, epsilonDecaySteps: 200 }, width, 10, seed);
  const rng = new Rng(seed);
  const actions = new Int32Array(8);
  for (let t = 0; t < 60; t++) {
    const obs = bandit(rng, 8, width);
    learner.act(obs, 8, learner.epsilon(t * 8), rng, actions);
    const rewards = Array.from(actions, (a, r) => pay(obs[r * width] as number, a));
    learner.observe(obs, actions, rewards, obs, new Float32Array(8).fill(1), 8);
    if (learner.replay.size >= 64) for (let k = 0; k < 4; k++) learner.trainStep(rng);
  }
  return learner;
}

describe('learning building blocks', () => {
  it('replayBufferOverwritesTheOldestWhenFull', () => {
    const b = new ReplayBuffer(3, 1);
    for (let i = 0; i < 5; i++) b.add([i], i, i, [i], false);
    expect(b.size).toBe(3);
    expect(b.total).toBe(5);
    expect([0, 1, 2].map((i) => b.actionAt(i))).toEqual([3, 4, 2]);
    const s = b.sample(50, new Rng(1));
    expect(new Set(s.actions)).toEqual(new Set([2, 3, 4]));
    for (let j = 0; j < 50; j++) expect(s.observations[j]).toBe(s.actions[j]);
  });

  it('normaliserLearnsMeanAndVarianceAndRoundTripsItsState', () => {
    const n = new RunningNormaliser(2);
    const rng = new Rng(3);
    const xs = new Float32Array(2000 * 2);
    for (let i = 0; i < 2000; i++) {
      xs[2 * i] = 5 + 2 * rng.normal();
      xs[2 * i + 1] = -1 + 0.1 * rng.normal();
    }
    n.update(xs);
    const s = n.state();
    expect(s.mean[0]).toBeCloseTo(5, 0);
    expect(Math.sqrt(s.variance[0] as number)).toBeCloseTo(2, 0);
    expect(Math.sqrt(s.variance[1] as number)).toBeCloseTo(0.1, 1);
    const out = n.normalise([5, -1], new Float32Array(2), 1);
    expect(Math.abs(out[0] as number)).toBeLessThan(0.1);
    const again = RunningNormaliser.fromState(s).normalise([9, -0.8], new Float32Array(2), 1);
    expect(Array.from(again)).toEqual(Array.from(n.normalise([9, -0.8], new Float32Array(2), 1)));
    expect(n.normalise([1e6, 0], new Float32Array(2), 1)[0]).toBe(5);
  });

  it('trainingSeedStreamRefusesEvaluationAndValidationSeeds', () => {
    expect(() => new TrainingSeedStream(1)).toThrow(/not a training seed/);
    expect(() => new TrainingSeedStream(900_123)).toThrow(/not a training seed/);
    const s = new TrainingSeedStream(TRAINING_SEED_MIN);
    expect(s.next()).toBe(TRAINING_SEED_MIN);
    expect(() => assertNotTrainingSeeds([1, 2, 1_000_005])).toThrow(/not backtested on training seeds/);
    expect(() => assertNotTrainingSeeds([1, 2, 899_999, 900_001])).not.toThrow();
  });

  it('gaeMatchesDiscountedReturnsWhenLambdaIsOne', () => {
    const r = new Rollout(1, 3, 1);
    for (let t = 0; t < 3; t++) r.push(new Float32Array(1), [0], [0], [0], [1], [t === 2 ? 1 : 0]);
    const { returns } = gae(r, [100], 0.5, 1);
    expect(Array.from(returns)).toEqual([1.75, 1.5, 1]);
  });
});

describe('DQN and PPO learn', () => {
  it('dqnLearnsTheBestActionOfAContextualBandit', () => {
    const learner = trainDqnOnBandit(11);
    const q = learner.qValues(new Float32Array([1, 0.5, 0, 0, -1, 0.5, 0, 0]), 2);
    expect(argmax(q, 0, 10)).toBe(2);
    expect(argmax(q, 10, 10)).toBe(7);
  });

  it('dqnIsReproducibleForOneSeedOnOneBackend', () => {
    const a = trainDqnOnBandit(5).qValues(new Float32Array([1, 0.2, 0, 0]), 1);
    const b = trainDqnOnBandit(5).qValues(new Float32Array([1, 0.2, 0, 0]), 1);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('ppoLearnsTheBestActionOfAContextualBandit', () => {
    const width = 4;
    const learner = new PpoLearner(tf, { ...PPO_DEFAULTS, hidden: [16], learningRate: 0.01, rolloutSteps: 16, minibatchSize: 64, rewardScale: 1, entropyCoef: 0 }, width, 10, 3);
    const rng = new Rng(9);
    const rollout = new Rollout(8, 16, width);
    const actions = new Int32Array(8);
    for (let u = 0; u < 15; u++) {
      while (!rollout.full) {
        const raw = bandit(rng, 8, width);
        learner.normaliser.update(raw, 8);
        const x = learner.normalise(raw, 8);
        const { logProbs, values } = learner.act(x, 8, rng, actions);
        rollout.push(x, actions, logProbs, values, Array.from(actions, (a, r) => pay(raw[r * width] as number, a)), new Float32Array(8).fill(1));
      }
      learner.update(rollout, new Float32Array(8), rng);
      rollout.clear();
    }
    const x = learner.normalise(new Float32Array([1, 0.5, 0, 0, -1, 0.5, 0, 0]), 2);
    const logits = learner.policy.predict(tf.tensor2d(x, [2, width])) as ReturnType<typeof tf.tensor2d>;
    const l = logits.dataSync();
    expect(argmax(l, 0, 10)).toBe(2);
    expect(argmax(l, 10, 10)).toBe(7);
  });
});

describe('pure forward pass and explanations', () => {
  let mlp: Mlp;
  beforeAll(() => {
    const learner = new DqnLearner(tf, { ...DQN_DEFAULTS, hidden: [8, 8] }, OBSERVATION_SIZE, ACTION_COUNT, 21);
    mlp = toMlp(learner.online);
  });

  it('pureForwardMatchesTfjs', async () => {
    const learner = new DqnLearner(tf, { ...DQN_DEFAULTS, hidden: [8, 8] }, OBSERVATION_SIZE, ACTION_COUNT, 21);
    const x = Float32Array.from({ length: OBSERVATION_SIZE }, (_, i) => Math.sin(i));
    const a = learner.online.predict(tf.tensor2d(x, [1, OBSERVATION_SIZE])) as ReturnType<typeof tf.tensor2d>;
    const b = mlpForward(toMlp(learner.online), x);
    Array.from(a.dataSync()).forEach((v, i) => expect(b[i]).toBeCloseTo(v, 5));
  });

  it('gradientMatchesFiniteDifferences', () => {
    const x = Float32Array.from({ length: OBSERVATION_SIZE }, (_, i) => Math.cos(i));
    const g = new Float64Array(OBSERVATION_SIZE);
    mlpOutputGradient(mlp, x, 3, g);
    const h = 1e-3;
    for (const i of [0, 5, 10, OBSERVATION_SIZE - 1]) {
      const up = Float64Array.from(x);
      const dn = Float64Array.from(x);
      up[i] = (up[i] as number) + h;
      dn[i] = (dn[i] as number) - h;
      expect(g[i]).toBeCloseTo(((mlpForward(mlp, up)[3] as number) - (mlpForward(mlp, dn)[3] as number)) / (2 * h), 2);
    }
  });

  it('integratedGradientsSumToTheOutputDifference', () => {
    const x = Float32Array.from({ length: OBSERVATION_SIZE }, (_, i) => 1.5 * Math.sin(3 * i + 1));
    const ig = integratedGradients(mlp, x, new Float32Array(OBSERVATION_SIZE), 4, 64);
    const total = ig.reduce((a, b) => a + b, 0);
    const diff = (mlpForward(mlp, x)[4] as number) - (mlpForward(mlp, new Float32Array(OBSERVATION_SIZE))[4] as number);
    expect(Math.abs(total - diff)).toBeLessThan(0.02 * Math.max(0.1, Math.abs(diff)));
    const e = explainDecision(mlp, 'q-values', x, x, { steps: 32 });
    expect(e.features).toHaveLength(OBSERVATION_SIZE);
    expect(Math.abs(e.attributionSum - (e.output - e.baselineOutput))).toBeLessThan(0.05 * Math.max(0.1, Math.abs(e.output - e.baselineOutput)));
    expect(e.text.length).toBeGreaterThan(10);
  });
});
