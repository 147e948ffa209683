/**
 * What a session runs on: a venue that shows its book, and what the kernel needs to know of the
 * instrument. The simulator is one (`simSessionMarket`); a recorded LOBSTER day is another
 * (`lobsterSessionMarket`, on the Node side, which reads the files). The kernel is the same on both.
 */

import type { SessionMarket } from '../execution/kernel';
import type { Scenario } from '../sim/scenario';
import { createSimVenue } from '../sim/sim-venue';
import { formatTimeOfDay, NS_PER_SECOND } from '../core/clock';

export type { SessionMarket } from '../execution/kernel';

/**
 * The simulator on `scenario` and `seed`: prices in ticks, VWAP on the scenario's intraday profile.
 * With `startNs` (ns since midnight) the scenario's market runs from its open to that time of day
 * before the session takes it, so the session (and its agents) start there, with the day's
 * scheduled events still ahead or already past as they fall.
 */
export function simSessionMarket(scenario: Scenario, seed: number, startNs?: number): SessionMarket {
  const openNs = scenario.session.openSeconds * NS_PER_SECOND;
  const closeNs = openNs + scenario.session.durationSeconds * NS_PER_SECOND;
  const intraday = scenario.intraday ?? { bucketSeconds: scenario.session.durationSeconds, profile: [1] };
  const venue = createSimVenue(scenario, seed);
  if (startNs !== undefined) {
    if (!Number.isSafeInteger(startNs) || startNs < openNs || startNs >= closeNs) {
      throw new Error(`a session on "${scenario.name}" starts between its open at ${formatTimeOfDay(openNs)} and its close at ${formatTimeOfDay(closeNs)}, received ${Number.isFinite(startNs) ? formatTimeOfDay(startNs) : String(startNs)}`);
    }
    if (startNs > venue.now()) venue.elapse(startNs - venue.now());
  }
  return {
    venue,
    name: scenario.name,
    symbol: scenario.instrument.symbol,
    priceUnit: scenario.instrument.tickSize,
    tickSize: 1,
    openNs,
    volumeProfile: { originNs: openNs, bucketNs: intraday.bucketSeconds * NS_PER_SECOND, weights: intraday.profile },
    venuePrintsAgentFills: true,
  };
}
