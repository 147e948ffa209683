/**
 * Runs one episode: a strategy works a parent order on a venue from the venue's current time to the
 * horizon, deciding every `decisionIntervalNs`, and sweeps what is left at the horizon (or stops as
 * soon as the order is complete). The episode is the kernel with one agent, so its orders meet the
 * same gate and take the same path to the venue as a live session's.
 * Also runs the agent-free counterfactual that market impact is measured against.
 */

import type { Venue } from '../venue/types';
import { episodeLimits, type RiskLimits } from '../risk/limits';
import { NS_PER_SECOND } from '../core/clock';
import { Kernel, type AgentSpec } from './kernel';
import type { UnsequencedEvent } from '../contract/events';
import type { MarketSignal } from '../signals/market-signal';
import { MarketObserver, venueMid } from './market-observer';
import type { SessionRejects } from './session';
import type { Decision, ExecutionFill, ExecutionStrategy, ParentOrder } from './types';

/** What `runEpisode` runs. */
export interface EpisodeOptions {
  readonly venue: Venue;
  readonly strategy: ExecutionStrategy;
  readonly parent: ParentOrder;
  readonly agentId?: string;
  /** Price units per tick on the venue. */
  readonly tickSize: number;
  readonly decisionIntervalNs: number;
  /** An observer fed by a warm-up, so volatility and recent volume are known at the first decision. */
  readonly observer?: MarketObserver;
  readonly recordDecisions?: boolean;
  /** See `ExecutionSessionOptions.venuePrintsAgentFills`. */
  readonly venuePrintsAgentFills?: boolean;
  /** The hard limits every order meets; `episodeLimits(parent.quantity)` when not given. */
  readonly limits?: RiskLimits;
  /** Told of every order the gate denies, as a live session's kernel is. */
  readonly onDenied?: AgentSpec['onDenied'];
  /** Told of every event the episode's kernel publishes (none are built without it). */
  readonly onEvent?: (event: UnsequencedEvent) => void;
  /** The market's signal, already fed by the warm-up: the agent's views carry its reading. */
  readonly signal?: MarketSignal;
}

/** What happened in one episode, before any metric is taken. */
export interface EpisodeRecord {
  readonly strategy: string;
  readonly parent: ParentOrder;
  readonly startNs: number;
  readonly endNs: number;
  readonly arrivalMid: number;
  /** The mid at the horizon, after the final sweep. */
  readonly endMid: number;
  readonly filled: number;
  /** Sum of price × lots over the fills. */
  readonly notional: number;
  readonly fills: readonly ExecutionFill[];
  readonly decisions: readonly Decision[];
  readonly rejects: SessionRejects;
}

/** What an episode's kernel is built from; `finishWhenFilled` false keeps the agent deciding to its horizon (a training env's fixed-length episode). */
export type EpisodeKernelOptions = EpisodeOptions & { readonly finishWhenFilled?: boolean };

/** The kernel of one episode: `venue`, one agent working `parent` with `strategy` from the venue's current time, no quote grid (the venue moves from one decision to the next). */
export function episodeKernel(options: EpisodeKernelOptions): Kernel {
  const { venue, parent, strategy } = options;
  const agentId = options.agentId ?? strategy.name;
  return new Kernel(
    { ids: { next: () => agentId }, strategies: () => strategy },
    {
      market: { venue, name: 'episode', symbol: '', priceUnit: 1, tickSize: options.tickSize, openNs: 0, volumeProfile: { originNs: venue.now(), bucketNs: parent.horizonNs, weights: [1] }, venuePrintsAgentFills: options.venuePrintsAgentFills ?? false },
      agents: [
        {
          name: strategy.name,
          strategy: strategy.name,
          side: parent.side,
          quantity: parent.quantity,
          horizonSeconds: parent.horizonNs / NS_PER_SECOND,
          intervalSeconds: options.decisionIntervalNs / NS_PER_SECOND,
          startAfterSeconds: 0,
          parent,
          observer: options.observer ?? new MarketObserver(),
          ...(options.recordDecisions === undefined ? {} : { recordDecisions: options.recordDecisions }),
          ...(options.onDenied === undefined ? {} : { onDenied: options.onDenied }),
          ...(options.finishWhenFilled === undefined ? {} : { finishWhenFilled: options.finishWhenFilled }),
        },
      ],
      limits: options.limits ?? episodeLimits(parent.quantity),
      quoteGridNs: null,
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
  );
}

/** Throws the error of a decision the kernel stopped an episode's agent for: a live session stops a failing strategy and runs on, an episode of one fails with it. */
export function failIfStopped(kernel: Kernel): void {
  const outcome = kernel.agentOutcome(0);
  if (outcome?.state === 'killed') throw new Error(outcome.lastReason ?? 'the episode agent was stopped');
}

/** Runs `strategy` on `venue` for `parent`, starting at the venue's current time: the kernel with this one agent, on the episode's clock. */
export function runEpisode(options: EpisodeOptions): EpisodeRecord {
  const { venue, parent, strategy } = options;
  const kernel = episodeKernel(options);
  // The agent decides at the start and every interval, and sweeps what is left at the horizon.
  kernel.elapse(parent.horizonNs);
  failIfStopped(kernel);
  const session = kernel.agentSession(0);
  if (session === null) throw new Error('the episode ended before its agent started');
  return {
    strategy: strategy.name,
    parent,
    startNs: session.startNs,
    endNs: session.endNs,
    arrivalMid: session.arrivalMid,
    endMid: venueMid(venue, session.lastMid),
    filled: session.filled,
    notional: session.notional,
    fills: session.fills,
    decisions: session.decisions,
    rejects: session.rejects,
  };
}

/**
 * Lets `venue` run `horizonNs` with no agent, in steps of `stepNs`, and returns the mid at the end:
 * the price path the agent did not disturb, when the venue is rebuilt from the same seed.
 */
export function counterfactualEndMid(venue: Venue, horizonNs: number, stepNs: number): number {
  let mid = venueMid(venue, NaN);
  const end = venue.now() + horizonNs;
  while (venue.now() < end) {
    venue.elapse(Math.min(stepNs, end - venue.now()));
    mid = venueMid(venue, mid);
  }
  return mid;
}
