/**
 * The train workflow (`cockpit train`): a training run (learn-train.ts), its model card, and the
 * finished policy's held-out evaluation per simulator scenario written into that card.
 */

import { basename, resolve } from 'node:path';
import type { BackendSelection } from '../node/models/tf-backend';
import { writeCard } from '../node/models/policy-card';
import { isHistoricalMarket } from '../node/files/backtest-markets';
import { parseSeedList } from '../core/seed-list';
import { VALIDATION_SEED_MIN } from '../learn/seeds';
import type { TrainResult, TrainRunOptions } from './learn-train';
import { train } from './learn-train';
import { cardFromRun } from './train-card';
import type { PolicyEvaluation } from './policy-eval';
import { evaluate } from './policy-eval';
import type { WorkflowContext } from './workflow';

export interface TrainPolicyOptions extends Omit<TrainRunOptions, 'tf' | 'backend'> {
  /** The TF.js backend the run trains on (the caller chooses it: `selectBackend`). */
  readonly backend: BackendSelection;
  /** Held-out seeds ("A..B", below 900000) the finished policy is evaluated on per scenario, or null to skip. */
  readonly evalSeeds: string | null;
  /** The command that reproduces the run, for its model card. */
  readonly command: string;
}

/** What `cockpit train` reports. */
export interface TrainReport {
  readonly out: string;
  readonly backend: string;
  readonly backendDetail: string;
  readonly result: TrainResult;
  /** The held-out evaluation per scenario written into the card (empty without eval seeds). */
  readonly evaluations: readonly PolicyEvaluation[];
}

/** Throws unless `evalSeeds` is a seed list wholly below the validation seeds (what a run may be evaluated on). */
export function checkEvalSeeds(evalSeeds: string): void {
  if (parseSeedList(evalSeeds, { flag: '--eval-seeds' }).some((k) => k >= VALIDATION_SEED_MIN)) {
    throw new Error(`--eval-seeds must lie below ${VALIDATION_SEED_MIN} (held out from training and validation), received "${evalSeeds}"`);
  }
}

export async function trainPolicy(options: TrainPolicyOptions, context: WorkflowContext = {}): Promise<TrainReport> {
  const { backend, evalSeeds, command, ...run } = options;
  if (evalSeeds !== null) checkEvalSeeds(evalSeeds);
  const out = resolve(run.out);
  const result = await train({ ...run, out, tf: backend.tf, backend: backend.name }, context);
  writeCard(out, cardFromRun(basename(out), result, `${backend.name} (training); js-forward (single decisions at inference)`, command));
  const evaluations: PolicyEvaluation[] = [];
  if (evalSeeds !== null) {
    for (const scenario of run.scenarios.filter((s) => !isHistoricalMarket(s))) evaluations.push(await evaluate({ model: out, market: { kind: 'sim', scenario }, seeds: evalSeeds, writeCard: true }, context));
  }
  return { out, backend: backend.name, backendDetail: backend.detail, result, evaluations };
}
