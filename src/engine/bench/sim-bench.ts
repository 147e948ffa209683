/**
 * The simulator's benchmark: a full session of a scenario run background-only (raw kernel speed),
 * and the same session stepped through the `Venue` one decision interval at a time with market
 * events on (what a learning environment sees). Wall time from `performance.now()`.
 */

import { performance } from 'node:perf_hooks';
import { NS_PER_SECOND } from '../core/clock';
import { SimMarket } from '../sim/market';
import { createSimVenue } from '../sim/sim-venue';
import type { Scenario } from '../sim/scenario';

export interface SimBenchReport {
  readonly scenario: string;
  readonly seed: number;
  readonly sessionSeconds: number;
  /** Kernel events (queue pops) of one background-only session. */
  readonly events: number;
  /** Book operations (submissions and cancels) of that session. */
  readonly messages: number;
  /** Wall time of the background-only session. */
  readonly daySeconds: number;
  readonly eventsPerSecond: number;
  readonly messagesPerSecond: number;
  /** Events and messages together per wall second. */
  readonly totalPerSecond: number;
  /** Simulated seconds per step of the venue run. */
  readonly stepSeconds: number;
  readonly steps: number;
  readonly stepsPerSecond: number;
  readonly eventsPerStep: number;
  /** Venue events (fills, trades, level changes) handed out per step. */
  readonly venueEventsPerStep: number;
  /** Wall time of the stepped session. */
  readonly steppedDaySeconds: number;
}

/** Runs the benchmark on one core (after one warm-up session). */
export function benchSim(scenario: Scenario, seed = 1, stepSeconds = 1, warmup = true): SimBenchReport {
  const sessionNs = Math.round(scenario.session.durationSeconds * NS_PER_SECOND);
  if (warmup) new SimMarket(scenario, seed + 1000).runUntil(Math.round(scenario.session.openSeconds * NS_PER_SECOND) + sessionNs);

  const t0 = performance.now();
  const m = new SimMarket(scenario, seed);
  m.runUntil(m.openNs + sessionNs);
  const daySeconds = (performance.now() - t0) / 1000;

  const stepNs = Math.round(stepSeconds * NS_PER_SECOND);
  const steps = Math.floor(sessionNs / stepNs);
  const t1 = performance.now();
  const venue = createSimVenue(scenario, seed);
  let venueEvents = 0;
  for (let i = 0; i < steps; i++) venueEvents += venue.elapse(stepNs).events.length;
  const steppedDaySeconds = (performance.now() - t1) / 1000;

  return {
    scenario: scenario.name,
    seed,
    sessionSeconds: scenario.session.durationSeconds,
    events: m.eventsProcessed,
    messages: m.messages,
    daySeconds,
    eventsPerSecond: Math.round(m.eventsProcessed / daySeconds),
    messagesPerSecond: Math.round(m.messages / daySeconds),
    totalPerSecond: Math.round((m.eventsProcessed + m.messages) / daySeconds),
    stepSeconds,
    steps,
    stepsPerSecond: Math.round(steps / steppedDaySeconds),
    eventsPerStep: venue.market.eventsProcessed / steps,
    venueEventsPerStep: venueEvents / steps,
    steppedDaySeconds,
  };
}
