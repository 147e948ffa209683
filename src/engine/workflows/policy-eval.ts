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
import { DEFAULT_AC_LAMBDA } from '../execution/schedules';
import { pairedDifference } from '../execution/stats';
import type { MarketSpec } from '../node/files/backtest-markets';
import { runBacktest } from '../node/workers/backtest-pool';
import type { PolicyEntry } from './policy-backtest';
import { withPolicyEpisodes } from './policy-backtest';
import type { CardEvaluation } from '../node/models/policy-card';
import { formatTimeOfDay, NS_PER_SECOND as SECOND } from '../core/clock';
import { basename, relative, resolve } from 'node:path';
import { parseSeedList } from '../core/seed-list';
import { VALIDATION_SEED_MIN } from '../learn/seeds';
import { findVolumeFile } from '../node/files/backtest-markets';
import { readCard, writeCard } from '../node/models/policy-card';
import { loadPolicySync } from '../node/models/policy-files';
import { historicalMarketSpec } from './backtest';
import type { BacktestMarket } from './backtest';
import type { WorkflowContext } from './workflow';
import { throwIfCancelled } from './workflow';

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
  signal?: AbortSignal,
): Promise<PolicyEvaluation> {
  const baselines: BaselineName[] = ['twap', 'vwap', 'ac'];
  const spec: BacktestSpec = { parent, strategies: baselines, decisionIntervalNs, povRate: 0.1, acLambdaPerBps: DEFAULT_AC_LAMBDA, unfilledPenaltyBps: DEFAULT_UNFILLED_PENALTY_BPS };
  const outcome = await runBacktest(market, spec, seeds, { ...(workers === undefined ? {} : { workers }), ...(signal === undefined ? {} : { signal }) });
  throwIfCancelled(signal);
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

/** What `evaluate` runs: a model directory on held-out seeds of a scenario or slots of a recorded day. */
export interface EvaluateOptions {
  /** The model directory (as given; reported relative to the working directory). */
  readonly model: string;
  /** A simulator scenario, or a historical venue: a LOBSTER day by its message file, a DBN MBO file, a Binance capture. */
  readonly market: BacktestMarket;
  /** Held-out seeds as written ("A..B", "A" or "A,B,C"; the simulator's lie below 900000). */
  readonly seeds: string;
  /** Default: the side the policy was trained for. */
  readonly side?: 'buy' | 'sell';
  /** Default: the training env's on the simulator; on a recorded day 1800 s (LOBSTER), 0.5 s (Databento), 60 s (Binance). */
  readonly preTradeSeconds?: number;
  /** A recorded day: the start of seed 0 (time of day, ns). */
  readonly startNs?: number;
  readonly title?: string;
  /** Worker threads for the baselines. */
  readonly workers?: number;
  /** Adds the table to the model card (replacing one of the same title). */
  readonly writeCard?: boolean;
  readonly volumeFile?: string;
}

/**
 * The evaluate workflow (`cockpit evaluate`, and `cockpit train` after a run): the policy against
 * TWAP, VWAP and AC on held-out seeds, with the backtest command that reproduces the table.
 */
export async function evaluate(options: EvaluateOptions, context: WorkflowContext = {}): Promise<PolicyEvaluation> {
  throwIfCancelled(context.signal);
  const dir = resolve(options.model);
  const manifest = loadPolicySync(dir).manifest;
  const seeds = parseSeedList(options.seeds);
  const side = options.side ?? manifest.env.side;
  const horizonNs = manifest.env.horizonSeconds * SECOND;
  const interval = horizonNs / manifest.env.steps;
  // --start as the reproducing command and the table's title give it.
  const start = options.startNs === undefined ? null : formatTimeOfDay(options.startNs);
  const volumeFile = options.volumeFile ?? findVolumeFile();
  if (options.preTradeSeconds !== undefined && !(options.preTradeSeconds > 0)) throw new Error(`--pre-trade must be a positive number of seconds, received "${options.preTradeSeconds}"`);
  let market: MarketSpec;
  let where: string;
  let venueFlag: string | null = null;
  if (options.market.kind !== 'sim') {
    market = historicalMarketSpec(options.market, options.preTradeSeconds === undefined ? undefined : options.preTradeSeconds * SECOND, horizonNs, volumeFile, options.startNs).market;
    const pre = market.preTradeNs / SECOND;
    venueFlag = venueFlagOf(options.market);
    where = `--venue ${venueFlag} --pre-trade ${pre}s${start === null ? '' : ` --start ${start}`}`;
  } else {
    if (options.startNs !== undefined) throw new Error('--start is for a historical --venue here; held-out simulator seeds start where the policy trained');
    if (seeds.some((s) => s >= VALIDATION_SEED_MIN)) throw new Error(`held-out evaluation seeds lie below ${VALIDATION_SEED_MIN}, received "${options.seeds}"`);
    const pre = options.preTradeSeconds ?? manifest.env.preTradeSeconds;
    market = { kind: 'sim', scenario: options.market.scenario, preTradeNs: pre * SECOND, horizonNs, volumeFile };
    where = `--scenario ${options.market.scenario} --pre-trade ${pre}s`;
  }
  const scenario = options.market.kind === 'sim' ? options.market.scenario : null;
  const rel = relative(process.cwd(), dir) || '.';
  const command = `cockpit backtest ${where} --seeds ${options.seeds} --strategies twap,vwap,ac,rl:${rel} --side ${side} --qty ${manifest.env.quantity} --horizon ${manifest.env.horizonSeconds}s --interval ${interval / SECOND}s   # vs-VWAP column: cockpit evaluate --model ${rel} ${venueFlag !== null ? `--venue ${venueFlag}` : `--scenario ${scenario}`} --seeds ${options.seeds}${side === manifest.env.side ? '' : ` --side ${side}`}${start === null ? '' : ` --start ${start}`}`;
  const title = options.title ?? `${venueFlag !== null ? basename(venueFlag) : scenario}: ${side} ${manifest.env.quantity} over ${manifest.env.horizonSeconds} s, held-out seeds ${options.seeds}${start === null ? '' : ` from ${start}`}`;
  let evaluation: PolicyEvaluation;
  try {
    evaluation = await evaluatePolicy(market, { side, quantity: manifest.env.quantity, horizonNs }, interval, seeds, { name: `rl:${rel}`, dir }, title, command, options.workers, context.signal);
  } catch (err) {
    throw onTheTrainedHorizon(err, manifest.env.horizonSeconds);
  }
  if (options.writeCard) {
    const card = readCard(dir);
    if (!card) throw new Error(`no model-card.json in ${dir}`);
    const { policyShortfall: _p, vsTwap: _t, vsVwap: _v, ...entry } = evaluation;
    writeCard(dir, { ...card, evaluations: [...card.evaluations.filter((e) => e.title !== title), entry] });
  }
  return evaluation;
}

/**
 * A market's refusal of an episode that does not fit, said for evaluate: the backtest's advice to
 * shorten --horizon does not apply, the policy runs over the horizon it was trained for.
 */
function onTheTrainedHorizon(err: unknown, horizonSeconds: number): unknown {
  if (!(err instanceof Error) || !err.message.includes('no room for a')) return err;
  const refusal = err.message.replace(/; shorten --horizon or --pre-trade$/, '');
  return new Error(`${refusal}; the policy acts over the horizon it was trained for (${horizonSeconds} s, env.horizonSeconds in policy.json), which evaluate does not shorten`);
}

/** The `--venue` flag that names a historical market (the inverse of `parseVenueFlag`). */
function venueFlagOf(market: Exclude<BacktestMarket, { kind: 'sim' }>): string {
  switch (market.kind) {
    case 'lobster':
      return `lobster:${market.messages}`;
    case 'databento':
      return `databento:${market.file}`;
    case 'binance':
      return market.market === undefined ? `binance:${market.file}` : `binance-${market.market}:${market.file}`;
  }
}
