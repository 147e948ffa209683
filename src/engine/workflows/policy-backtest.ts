/**
 * Trained policies in `cockpit backtest`: `rl:MODEL_DIR` entries of `--strategies`, and fixed
 * tactics, `fixed:URGENCY+LEAD` (one action of the RL action space held for the whole episode, such
 * as `fixed:on-schedule+2`: the ablation a learned policy has to beat besides the baselines). The baselines
 * run in the backtest's worker pool as usual; each policy then runs on the same seeds in this
 * thread (pure-TS forward pass per decision), on a venue rebuilt from the same seed and warmed up the
 * same way, and its episodes join the seed results, so the report's paired differences to TWAP
 * and its statistics treat it exactly like a baseline. Its metrics use the seed's agent-free
 * counterfactual from the backtest.
 */

import { resolve } from 'node:path';
import type { BacktestSpec, EpisodeSummary, SeedResult } from '../execution/backtest';
import { runSummarisedEpisode } from '../execution/backtest';
import { MarketObserver, warmUpTo } from '../execution/market-observer';
import { assertNotTrainingSeeds } from '../learn/seeds';
import { ACTIONS } from '../rl/env';
import { PolicyStrategy } from '../rl/env-policy';
import type { MarketSpec } from '../node/files/backtest-markets';
import { loadMarket } from '../node/files/backtest-markets';
import type { PolicyManifest, PolicySignals } from '../node/models/policy-files';
import { marketSignalMaker } from '../node/models/signal-files';
import { signalSlots } from '../signals/market-signal';
import { loadPolicySync } from '../node/models/policy-files';
import { NS_PER_SECOND as SECOND } from '../core/clock';
import { throwIfCancelled } from './workflow';

/** A policy named in `--strategies`: a trained model (`rl:DIR`) or a fixed action (`fixed:URGENCY+LEAD`). */
export type PolicyEntry =
  /** `name` as given, e.g. "rl:resources/models/ppo-exec-v5" (the report's strategy name). */
  | { readonly name: string; readonly dir: string }
  /** `action` indexes `ACTIONS`; `name` is "fixed:URGENCY+LEAD". */
  | { readonly name: string; readonly action: number };

/** The `fixed:` names of the actions, by index: "fixed:patient+0" … "fixed:ahead+2". */
export const FIXED_TACTICS: readonly string[] = ACTIONS.map((a) => `fixed:${a.urgency}+${a.lead}`);

/** Splits `--strategies` into the baseline list (text, as before) and the `rl:DIR` and `fixed:` entries. */
export function splitPolicyStrategies(text: string): { baselines: string; policies: PolicyEntry[] } {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const policies: PolicyEntry[] = [];
  const rest: string[] = [];
  for (const p of parts) {
    const lower = p.toLowerCase();
    if (lower.startsWith('rl:')) {
      const dir = p.slice(3);
      if (dir.length === 0) throw new Error(`"${p}" in --strategies names no model directory, expected rl:MODEL_DIR`);
      if (!policies.some((q) => q.name === p)) policies.push({ name: p, dir: resolve(dir) });
    } else if (lower.startsWith('fixed:')) {
      const action = FIXED_TACTICS.indexOf(lower);
      if (action < 0) throw new Error(`"${p}" in --strategies is no fixed tactic; expected one of ${FIXED_TACTICS.join(', ')}`);
      if (!policies.some((q) => q.name === lower)) policies.push({ name: lower, action });
    } else rest.push(p);
  }
  return { baselines: rest.join(','), policies };
}

/** Loads a policy entry: its action function and decisions per episode for this backtest. */
function openEntry(p: PolicyEntry, spec: BacktestSpec): { readonly act: (obs: Float32Array) => number; readonly steps: number; readonly signals?: PolicySignals } {
  const parent = spec.parent;
  const steps = Math.round(parent.horizonNs / spec.decisionIntervalNs);
  if (steps < 1 || steps * spec.decisionIntervalNs !== parent.horizonNs) throw new Error(`${p.name}: the horizon must be a whole number of decision intervals`);
  if ('action' in p) {
    const action = p.action;
    return { act: () => action, steps };
  }
  let lp: { manifest: PolicyManifest; policy: ReturnType<typeof loadPolicySync>['policy'] };
  try {
    lp = loadPolicySync(p.dir);
  } catch (err) {
    throw new Error(`${p.name}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const trainedInterval = lp.manifest.env.horizonSeconds / lp.manifest.env.steps;
  if (Math.abs(spec.decisionIntervalNs / SECOND - trainedInterval) > 1e-9 && steps !== lp.manifest.env.steps) {
    throw new Error(`${p.name} was trained with ${lp.manifest.env.steps} decisions per episode (every ${trainedInterval} s over ${lp.manifest.env.horizonSeconds} s); pass --interval ${trainedInterval}s --horizon ${lp.manifest.env.horizonSeconds}s, received ${steps} decisions`);
  }
  const policy = lp.policy;
  const signals = lp.manifest.env.signals;
  return { act: (obs) => policy.act(obs), steps, ...(signals === undefined ? {} : { signals }) };
}

/** Returns `results` with every policy's episode added to each seed (see the module comment). */
export async function withPolicyEpisodes(
  market: MarketSpec,
  spec: BacktestSpec,
  seeds: readonly number[],
  policies: readonly PolicyEntry[],
  results: readonly SeedResult[],
  context: { readonly onEpisode?: () => void; readonly signal?: AbortSignal } = {},
): Promise<SeedResult[]> {
  if (policies.length === 0) return [...results];
  if (market.kind === 'sim') assertNotTrainingSeeds(seeds);
  const runs = policies.map((p) => ({ entry: p, ...openEntry(p, spec) }));
  const loaded = await loadMarket(market);
  return results.map((r) => {
    const episodes: EpisodeSummary[] = [...r.episodes];
    for (const run of runs) {
      const { venue, startNs } = loaded.open(r.seed);
      const observer = new MarketObserver();
      // A policy trained on the market signal sees it kept from the warm-up on, as in training.
      const signal = run.signals === undefined ? undefined : marketSignalMaker(run.signals, loaded.tickSize)();
      signal?.resync(venue);
      warmUpTo(venue, observer, startNs, spec.sampleStepNs ?? SECOND, signal);
      // The report keys strategies by name; a policy's name is its rl:DIR or fixed: entry.
      const strategy = new PolicyStrategy({ name: run.entry.name, policy: run.act, steps: run.steps, ...(signal === undefined ? {} : { signals: signalSlots }) });
      episodes.push(runSummarisedEpisode(loaded, spec, { venue, strategy, observer, agentId: 'rl', seed: r.seed, startNs, counterfactualEndMid: r.counterfactualEndMid, ...(signal === undefined ? {} : { signal }) }));
      context.onEpisode?.();
      throwIfCancelled(context.signal);
    }
    return { ...r, episodes };
  });
}
