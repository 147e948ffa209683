/**
 * The model card of a finished training run: what was trained, on which seeds and days, and how the
 * shipped checkpoint was chosen. The card's file format is node/models/policy-card.ts.
 */

import { VALIDATION_SEED_MIN } from '../learn/seeds';
import { ACTION_COUNT, ENV_LAYOUT, OBSERVATION_SIZE } from '../rl/env';
import { isHistoricalMarket } from '../node/files/backtest-markets';
import type { ModelCard } from '../node/models/policy-card';
import type { TrainResult } from './learn-train';

const REWARD_TEXT: Record<TrainResult['reward'], string> = {
  'counterfactual-drift': 'env reward with each fill re-referenced to the agent-free mid of the same seed (exogenous drift removed; spread and own impact kept)',
  'schedule-drift': 'env reward with each fill re-referenced to the agent-free mid of the same seed, plus the agent-free drift earned on the deviation from the TWAP schedule (the shortfall less a term no action changes)',
  arrival: 'env reward (against the arrival mid)',
};

/** Builds the card of a finished training run. */
export function cardFromRun(name: string, r: TrainResult, backend: string, command: string): ModelCard {
  const days = [...new Set(r.state.scenarios.filter(isHistoricalMarket))];
  return {
    name,
    algorithm: r.state.algo === 'dqn' ? 'double DQN (target network, experience replay, ε-greedy, Huber loss)' : 'PPO (clipped objective, GAE(λ), value head, entropy bonus)',
    hyperparameters: r.hyperparameters,
    network:
      r.state.algo === 'dqn'
        ? `MLP ${OBSERVATION_SIZE} → ${r.hyperparameters.hidden.join(' → ')} (ReLU) → ${ACTION_COUNT} Q-values (layout ${ENV_LAYOUT})`
        : `MLP ${OBSERVATION_SIZE} → ${r.hyperparameters.hidden.join(' → ')} (tanh) → ${ACTION_COUNT} logits, separate value network (layout ${ENV_LAYOUT})`,
    env: { ...r.env, envs: r.envs, trainingReward: REWARD_TEXT[r.reward], observation: 'running-mean/variance normalised, clipped to ±5 (normaliser.json)' },
    scenarios: r.state.scenarios,
    steps: r.state.step,
    episodes: r.state.episodes,
    wallSeconds: Math.round(r.state.wallSeconds),
    backend,
    trainingSeeds: {
      first: r.firstTrainingSeed,
      lastExclusive: r.state.seedCursor,
      rule: `training seeds ≥ 1,000,000 (TrainingSeedStream refuses anything lower)${days.length ? `; on a recorded day (${days.join(', ')}) a seed draws the episode's start, a whole second of that day, so the day has no held-out episodes of its own` : ''}`,
    },
    validationSeeds: { seeds: r.validationSeeds, use: `model selection: greedy policy at each checkpoint, per ${days.length ? 'simulator scenario (never on a recorded day trained on)' : 'scenario'}${r.env.bothSides ? ' and side' : ''}; the best mean shortfall is shipped` },
    evaluationSeeds: { rule: `evaluation seeds lie below ${VALIDATION_SEED_MIN.toLocaleString('en-US')} and were never used in training or model selection` },
    selected: r.selected === 'best-validation' ? `best validation checkpoint (step ${r.state.best?.step ?? '?'})` : 'last step',
    validation: r.state.validation,
    resumedAt: r.state.resumedAt,
    trainCommand: command,
    evaluations: [],
    notes: [],
  };
}
