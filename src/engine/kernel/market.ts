/**
 * What a session runs on: a venue that shows its book, and what the kernel needs to know of the
 * instrument. The simulator is one (`simSessionMarket`); a recorded LOBSTER day is another
 * (`lobsterSessionMarket`, on the Node side, which reads the files). The kernel is the same on both.
 */

import type { SessionMarket } from '../execution/kernel';
import type { Scenario } from '../sim/scenario';
import { createSimVenue } from '../sim/sim-venue';
import { NS_PER_SECOND } from '../core/clock';

export type { SessionMarket } from '../execution/kernel';

/** The simulator on `scenario` and `seed`: prices in ticks, VWAP on the scenario's intraday profile. */
export function simSessionMarket(scenario: Scenario, seed: number): SessionMarket {
  const openNs = scenario.session.openSeconds * NS_PER_SECOND;
  const intraday = scenario.intraday ?? { bucketSeconds: scenario.session.durationSeconds, profile: [1] };
  return {
    venue: createSimVenue(scenario, seed),
    name: scenario.name,
    symbol: scenario.instrument.symbol,
    priceUnit: scenario.instrument.tickSize,
    tickSize: 1,
    openNs,
    volumeProfile: { originNs: openNs, bucketNs: intraday.bucketSeconds * NS_PER_SECOND, weights: intraday.profile },
    venuePrintsAgentFills: true,
  };
}
