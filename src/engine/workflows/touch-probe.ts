/**
 * What resting at the touch is worth on a venue: at each seed's start, for each side, one limit
 * order of `size` lots joins the best price of its own side (a buy at the best bid, a sell at the
 * best ask) and waits `waitNs`; the probe records how much of it filled and how the mid moved over
 * the wait, against the order (up for a sell, down for a buy), in bps of the mid at joining.
 *
 * On a real book a passive order fills mostly when the price is coming through it (adverse
 * selection): the mid then moves against the order, and when it does not fill the price has usually
 * run away from it. A simulator in which uninformed flow fills resting orders without the price
 * moving makes waiting at the touch cheaper than it is, and a policy trained there learns patience
 * that real books do not pay for. `cockpit sim touch` runs this on a scenario or a LOBSTER day.
 */

import type { WorkflowContext } from './workflow';
import { throwIfCancelled } from './workflow';
import type { Side } from '../book/types';
import { NS_PER_SECOND } from '../core/clock';
import { timeUntilStart } from '../execution/market-observer';
import { meanCi } from '../execution/stats';
import { costSign } from '../execution/types';
import type { MeanWithCi } from '../execution/stats';
import type { Venue } from '../venue/types';
import type { MarketSpec } from '../node/files/backtest-markets';
import { loadMarket } from '../node/files/backtest-markets';

/** One side's figures, or both sides pooled. */
export interface TouchProbeSide {
  /** Probes that ran (a seed whose book had no two-sided touch at the start is skipped). */
  readonly n: number;
  /** Share of probes with any fill. */
  readonly anyFill: number;
  /** Share of probes filled in full. */
  readonly fullFill: number;
  /** Mean filled share of the order. */
  readonly filledShare: number;
  /** Mid move over the wait against the order, bps, when it filled at all (null: never). */
  readonly adverseIfFilledBps: MeanWithCi | null;
  /** The same when nothing filled (null: always filled). */
  readonly adverseIfNotBps: MeanWithCi | null;
}

export interface TouchProbeReport {
  readonly size: number;
  readonly waitSeconds: number;
  readonly seeds: readonly number[];
  readonly buy: TouchProbeSide;
  readonly sell: TouchProbeSide;
  readonly both: TouchProbeSide;
}

interface Probe {
  readonly filled: number;
  readonly adverseBps: number;
}

/** What the probe runs: `size` lots at the touch for `waitNs`, on each of `seeds` of `market`. */
export interface TouchProbeOptions {
  readonly market: MarketSpec;
  readonly seeds: readonly number[];
  readonly size: number;
  readonly waitNs: number;
}

/** Runs the probe (see the module comment); progress counts seeds, and an aborted signal stops it between seeds. */
export async function touchProbe(options: TouchProbeOptions, context: WorkflowContext = {}): Promise<TouchProbeReport> {
  throwIfCancelled(context.signal);
  const loaded = await loadMarket(options.market);
  return probeVenues((seed) => loaded.open(seed), options.seeds, options.size, options.waitNs, context);
}

/** Runs the probe on venues opened per seed, each at or before its start (see the module comment). */
export function probeVenues(open: (seed: number) => { venue: Venue; startNs: number }, seeds: readonly number[], size: number, waitNs: number, context: WorkflowContext = {}): TouchProbeReport {
  if (!Number.isSafeInteger(size) || size < 1) throw new Error(`the probe size must be a whole number of lots ≥ 1, received ${size}`);
  if (!Number.isSafeInteger(waitNs) || waitNs <= 0) throw new Error(`the wait must be a positive whole number of ns, received ${waitNs}`);
  const bySide: Record<Side, Probe[]> = { buy: [], sell: [] };
  for (const [k, seed] of seeds.entries()) {
    throwIfCancelled(context.signal);
    if (k > 0) context.onProgress?.({ done: k, total: seeds.length });
    for (const side of ['buy', 'sell'] as const) {
      const { venue, startNs } = open(seed);
      venue.elapse(timeUntilStart(venue, startNs));
      const bid = venue.bestBid();
      const ask = venue.bestAsk();
      if (bid === undefined || ask === undefined) continue;
      const mid0 = (bid + ask) / 2;
      const r = venue.submit({ kind: 'limit', id: 1, side, price: side === 'buy' ? bid : ask, size });
      if (!r.accepted) continue;
      let filled = r.fills.reduce((n, f) => n + f.size, 0);
      for (const e of venue.elapse(waitNs).events) if (e.kind === 'OrderFilled') filled += e.size;
      const bid1 = venue.bestBid();
      const ask1 = venue.bestAsk();
      if (bid1 === undefined || ask1 === undefined) continue;
      const move = (((bid1 + ask1) / 2 - mid0) / mid0) * 10_000;
      // Against the order: a rise hurts a sell, a fall a buy.
      bySide[side].push({ filled: Math.min(filled, size) / size, adverseBps: -costSign(side) * move });
    }
  }
  context.onProgress?.({ done: seeds.length, total: seeds.length });
  return {
    size,
    waitSeconds: waitNs / NS_PER_SECOND,
    seeds,
    buy: summarise(bySide.buy),
    sell: summarise(bySide.sell),
    both: summarise([...bySide.buy, ...bySide.sell]),
  };
}

function summarise(probes: readonly Probe[]): TouchProbeSide {
  const n = probes.length;
  const share = (f: (p: Probe) => boolean): number => (n === 0 ? NaN : probes.filter(f).length / n);
  const filled = probes.filter((p) => p.filled > 0).map((p) => p.adverseBps);
  const missed = probes.filter((p) => p.filled === 0).map((p) => p.adverseBps);
  return {
    n,
    anyFill: share((p) => p.filled > 0),
    fullFill: share((p) => p.filled >= 1),
    filledShare: n === 0 ? NaN : probes.reduce((s, p) => s + p.filled, 0) / n,
    adverseIfFilledBps: filled.length > 0 ? meanCi(filled) : null,
    adverseIfNotBps: missed.length > 0 ? meanCi(missed) : null,
  };
}
