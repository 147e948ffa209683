/**
 * A recorded session made runnable again: its market, agents, limits and dynamic-risk monitor
 * rebuilt from the journal's meta, after checking that the files it ran on are the same ones (by
 * their SHA-256). What cannot be rebuilt is an error saying why. A what-if branch is rebuilt as it
 * ran: under its first session's id (the stream it shares begins with that SessionStarted), its
 * learned agent switching policy where the meta's `policySwitches` say.
 */

import { existsSync } from 'node:fs';
import { z } from 'zod';
import { simSessionMarket } from '../../kernel/market';
import type { SessionConfig, StrategyFactory } from '../../kernel/session-kernel';
import { riskLimitsSchema, type RiskLimits } from '../../risk/limits';
import { DynamicRiskMonitor, dynamicRiskConfigSchema } from '../../risk/dynamic/monitor';
import { baselineStrategies, switchStrategiesAt } from '../../kernel/strategies';
import { isLearned } from '../../kernel/learned-strategy';
import { lobsterSessionMarket } from '../files/backtest-markets';
import { loadScenario } from '../files/sim-scenarios';
import { liveStrategies } from '../workers/live-strategies';
import { marketSignalMaker } from '../models/signal-files';
import { loadPolicySync, observesSignal } from '../models/policy-files';
import { sha256Dir, sha256File } from './hashes';
import type { HashedFile, JournalMeta } from './journal';

const agentSpecSchema = z
  .object({
    name: z.string(),
    strategy: z.string(),
    side: z.enum(['buy', 'sell']),
    quantity: z.number().positive(),
    horizonSeconds: z.number().positive(),
    intervalSeconds: z.number().positive(),
    startAfterSeconds: z.number().nonnegative(),
  })
  .strict();

/** Throws unless `file` is still at its path with the bytes it had. */
function checkSame(file: HashedFile, what: string): void {
  if (!existsSync(file.path)) throw new Error(`the session ran on ${what} ${file.path}, which is no longer there`);
  const now = sha256File(file.path);
  if (now !== file.sha256) throw new Error(`${what} ${file.path} has changed since the session ran (SHA-256 ${now.slice(0, 12)}…, recorded ${file.sha256.slice(0, 12)}…)`);
}

/** Returns the kernel configuration and strategies that re-run the session `meta` describes. */
export async function recordedSessionConfig(meta: JournalMeta): Promise<{ config: SessionConfig; strategies: StrategyFactory }> {
  const agents = z.array(agentSpecSchema).safeParse(meta.agents);
  if (!agents.success) throw new Error(`the journal's agents cannot be read: ${agents.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const limits = riskLimitsSchema.safeParse(meta.limits);
  if (!limits.success) throw new Error(`the journal's limits cannot be read: ${limits.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const dynamic = meta.dynamicRisk === null || meta.dynamicRisk === undefined ? null : dynamicRiskConfigSchema.safeParse(meta.dynamicRisk);
  if (dynamic !== null && !dynamic.success) throw new Error(`the journal's dynamic-risk configuration cannot be read: ${dynamic.error.issues.map((i) => i.message).join('; ')}`);
  let market: SessionConfig['market'];
  if (meta.market.kind === 'sim') {
    checkSame(meta.market.file, 'the scenario file');
    market = simSessionMarket(loadScenario(meta.market.file.path), meta.seed, meta.startNs);
  } else {
    checkSame(meta.market.messages, 'the LOBSTER message file');
    checkSame(meta.market.orderbook, 'the LOBSTER orderbook file');
    market = await lobsterSessionMarket(meta.market.messages.path, { startNs: meta.startNs });
  }
  const usesPolicy = agents.data.some(isLearned);
  const switches = meta.policySwitches ?? [];
  if (usesPolicy) for (const p of [meta.policy, ...switches]) checkPolicy(p);
  // The market signal the session kept, from the same model files.
  if (meta.signal) for (const d of [meta.signal.model, meta.signal.regimes]) checkPolicy(d, 'signal model');
  const signal = meta.signal ? marketSignalMaker({ model: meta.signal.model.dir, regimes: meta.signal.regimes.dir }, market.tickSize)() : undefined;
  const config: SessionConfig = {
    sessionId: meta.parent?.rootSessionId ?? meta.sessionId,
    seed: meta.seed,
    market,
    speed: meta.speed,
    agents: agents.data,
    limits: limits.data as RiskLimits,
    ...(dynamic !== null && dynamic.success ? { dynamic: new DynamicRiskMonitor(dynamic.data) } : {}),
    ...(signal === undefined ? {} : { signal, learnedObservesSignal: usesPolicy && observesSignal(loadPolicySync(meta.policy.dir).manifest) }),
  };
  if (!usesPolicy) return { config, strategies: baselineStrategies };
  // The same strategies the live agents decided with, here in this thread.
  const strategies = switches.reduce<StrategyFactory>((before, s) => switchStrategiesAt(before, liveStrategies({ policyDir: s.dir }), s.afterTs, isLearned), liveStrategies({ policyDir: meta.policy.dir }));
  return { config, strategies };
}

/** Throws unless the model folder (the policy's, or a signal model's) is still there with the files it had. */
function checkPolicy(model: { readonly dir: string; readonly sha256: string }, what = 'policy'): void {
  if (!existsSync(model.dir)) throw new Error(`the session's ${what} ${model.dir} is no longer there`);
  const now = sha256Dir(model.dir);
  if (now !== model.sha256) throw new Error(`the ${what} ${model.dir} has changed since the session ran (SHA-256 ${now.slice(0, 12)}…, recorded ${model.sha256.slice(0, 12)}…)`);
}
