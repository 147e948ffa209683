/**
 * Runs one episode: a strategy works a parent order on a venue from the venue's current time to the
 * horizon, deciding every `decisionIntervalNs`, and the session sweeps what is left at the horizon.
 * Also runs the agent-free counterfactual that market impact is measured against.
 */

import type { Venue } from '../venue/types';
import { RiskGate } from '../risk/gate';
import { episodeLimits, type RiskLimits } from '../risk/limits';
import { MarketObserver, venueMid } from './market-observer';
import { ExecutionSession } from './session';
import type { ExecutionSessionOptions, SessionRejects } from './session';
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
  readonly onDenied?: ExecutionSessionOptions['onDenied'];
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

/** Runs `strategy` on `venue` for `parent`, starting at the venue's current time. */
export function runEpisode(options: EpisodeOptions): EpisodeRecord {
  const session = new ExecutionSession({
    venue: options.venue,
    gate: new RiskGate(options.limits ?? episodeLimits(options.parent.quantity)),
    parent: options.parent,
    agentId: options.agentId ?? options.strategy.name,
    tickSize: options.tickSize,
    decisionIntervalNs: options.decisionIntervalNs,
    observer: options.observer ?? new MarketObserver(),
    recordDecisions: options.recordDecisions,
    venuePrintsAgentFills: options.venuePrintsAgentFills,
    onDenied: options.onDenied,
  });
  while (!session.atHorizon && session.filled < options.parent.quantity) {
    session.apply(options.strategy.decide(session.observe()));
    session.advance(options.decisionIntervalNs);
  }
  // A finished order waits out the horizon so every episode ends at the same time.
  if (!session.atHorizon) session.advance(session.endNs - options.venue.now());
  session.sweep();
  return {
    strategy: options.strategy.name,
    parent: options.parent,
    startNs: session.startNs,
    endNs: session.endNs,
    arrivalMid: session.arrivalMid,
    endMid: venueMid(options.venue, session.lastMid),
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
