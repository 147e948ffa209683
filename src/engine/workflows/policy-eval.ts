/**
 * Evaluation of a trained policy against the baselines for its model card: the backtest's own
 * machinery (worker pool for the baselines, `withPolicyEpisodes` for the policy) on held-out seeds,
 * with the policy's paired differences to TWAP and to VWAP seed by seed, and a verdict that says
 * plainly where it does not win. Wins means: mean shortfall lower than both, the 95% CI of each paired
 * difference excluding zero, and timing risk no higher than theirs.
 */

import type { BacktestSpec, BaselineName, SeedResult } from '../execution/backtest';
import { summarise } from '../execution/backtest';
import { describeSeeds } from '../core/seed-list';
import { DEFAULT_UNFILLED_PENALTY_BPS } from '../execution/metrics';
import { pairedDifference } from '../execution/stats';
import type { MarketSpec } from '../node/files/backtest-markets';
import { runBacktest } from '../node/workers/backtest-pool';
import type { PolicyEntry } from './policy-backtest';
import { withPolicyEpisodes } from './policy-backtest';
import type { CardEvaluation } from '../node/models/policy-card';
import { NS_PER_SECOND as SECOND } from '../core/clock';

/** One evaluation's figures. */
export interface PolicyEvaluation extends CardEvaluation {
  readonly policyShortfall: number;
  readonly vsTwap: { readonly mean: number; readonly ci95: readonly [number, number] | null };
  readonly vsVwap: { readonly mean: number; readonly ci95: readonly [number, number] | null };
}

function fmt(c: { mean: number; ci95: readonly [number, number] | null } | null): string {
  if (!c) return 'n/a';
  return c.ci95 ? `${c.mean.toFixed(2)} [${c.ci95[0].toFixed(2)}, ${c.ci95[1].toFixed(2)}]` : c.mean.toFixed(2);
}

/** Runs TWAP, VWAP, AC and the policy on `seeds` of `market` and summarises them (see the module comment). */
export async function evaluatePolicy(
  market: MarketSpec,
  parent: BacktestSpec['parent'],
  decisionIntervalNs: number,
  seeds: readonly number[],
  policy: PolicyEntry,
  title: string,
  command: string,
  workers?: number,
): Promise<PolicyEvaluation> {
  const baselines: BaselineName[] = ['twap', 'vwap', 'ac'];
  const spec: BacktestSpec = { parent, strategies: baselines, decisionIntervalNs, povRate: 0.1, acLambdaPerBps: 0.005, unfilledPenaltyBps: DEFAULT_UNFILLED_PENALTY_BPS };
  const outcome = await runBacktest(market, spec, seeds, workers === undefined ? {} : { workers });
  const results: SeedResult[] = await withPolicyEpisodes(market, spec, seeds, [policy], outcome.results);
  const names = [...baselines, policy.name] as BaselineName[];
  const reports = summarise(names, results);
  const bySeed = (name: string): Map<number, number> => new Map(results.map((r) => [r.seed, (r.episodes.find((e) => e.strategy === name) as SeedResult['episodes'][number]).metrics.shortfallBps]));
  const rl = bySeed(policy.name);
  const vsTwap = pairedDifference(rl, bySeed('twap'));
  const vsVwap = pairedDifference(rl, bySeed('vwap'));
  const rows = reports.map((s) => {
    const own = bySeed(s.name);
    const dv = s.name === 'vwap' ? null : pairedDifference(own, bySeed('vwap'));
    return {
      strategy: s.name === policy.name ? `rl (${policy.name.slice(3)})` : s.name,
      episodes: s.episodes,
      'shortfall bps [95% CI]': fmt(s.shortfallBps),
      'vs TWAP bps [95% CI]': s.name === 'twap' ? '—' : fmt(s.vsTwapBps),
      'vs VWAP bps [95% CI]': dv ? fmt(dv) : '—',
      'timing risk bps': Number(s.timingRiskBps.toFixed(2)),
      'impact bps': s.impactBps ? s.impactBps.mean.toFixed(2) : 'n/a',
      'fill rate': `${(s.fillRate * 100).toFixed(1)}%`,
    };
  });
  const get = (n: string) => reports.find((s) => s.name === n) as (typeof reports)[number];
  const p = get(policy.name);
  const excludesZeroBelow = (c: { ci95: readonly [number, number] | null }): boolean => c.ci95 !== null && c.ci95[1] < 0;
  const lowerRisk = p.timingRiskBps <= get('twap').timingRiskBps && p.timingRiskBps <= get('vwap').timingRiskBps;
  const wins = excludesZeroBelow(vsTwap) && excludesZeroBelow(vsVwap) && lowerRisk;
  const parts: string[] = [];
  parts.push(excludesZeroBelow(vsTwap) ? `beats TWAP by ${(-vsTwap.mean).toFixed(2)} bps (CI excludes 0)` : vsTwap.mean < 0 ? `lower than TWAP by ${(-vsTwap.mean).toFixed(2)} bps but the CI includes 0 (not significant)` : `does NOT beat TWAP (${vsTwap.mean.toFixed(2)} bps costlier)`);
  parts.push(excludesZeroBelow(vsVwap) ? `beats VWAP by ${(-vsVwap.mean).toFixed(2)} bps (CI excludes 0)` : vsVwap.mean < 0 ? `lower than VWAP by ${(-vsVwap.mean).toFixed(2)} bps but the CI includes 0` : `does NOT beat VWAP (${vsVwap.mean.toFixed(2)} bps costlier)`);
  parts.push(lowerRisk ? 'timing risk no higher than TWAP/VWAP' : `timing risk HIGHER (${p.timingRiskBps.toFixed(2)} vs TWAP ${get('twap').timingRiskBps.toFixed(2)}, VWAP ${get('vwap').timingRiskBps.toFixed(2)})`);
  return {
    title,
    command,
    seeds: describeSeeds(seeds),
    rows,
    verdict: `${wins ? 'WINS' : 'does not win on every criterion'}: ${parts.join('; ')}. Horizon ${parent.horizonNs / SECOND} s, decisions every ${decisionIntervalNs / SECOND} s.`,
    wins,
    policyShortfall: p.shortfallBps.mean,
    vsTwap: { mean: vsTwap.mean, ci95: vsTwap.ci95 },
    vsVwap: { mean: vsVwap.mean, ci95: vsVwap.ci95 },
  };
}
