/**
 * What a session runs on: a venue that shows its book, and what the kernel needs to know of the
 * instrument. The simulator is one (`simSessionMarket`); a recorded LOBSTER day is another
 * (`lobsterSessionMarket`, on the Node side, which reads the files). The kernel is the same on both.
 */

import type { L2Snapshot } from '../book/types';
import type { VolumeProfile } from '../execution/schedules';
import type { Scenario } from '../sim/scenario';
import { createSimVenue } from '../sim/sim-venue';
import type { Venue } from '../venue/types';
import { NS_PER_SECOND } from '../core/clock';

/** A venue a session can run on: it trades and shows its book (the market's and the agents' orders). */
export interface SessionVenue extends Venue {
  bestBid(): number | undefined;
  bestAsk(): number | undefined;
  l2(levels: number): L2Snapshot;
}

export interface SessionMarket {
  readonly venue: SessionVenue;
  /** The market's name as the session reports it: a scenario's name, or `lobster:FILE`. */
  readonly name: string;
  readonly symbol: string;
  /** Currency per price unit, for display (a simulator tick; $0.0001 on LOBSTER). */
  readonly priceUnit: number;
  /** Price units per tick, the step orders are priced in (1 on the simulator, 100 on LOBSTER). */
  readonly tickSize: number;
  /** The day's open, ns since midnight. */
  readonly openNs: number;
  /** The intraday volume shape VWAP follows. */
  readonly volumeProfile: VolumeProfile;
  /** Whether the venue reports the agents' own fills as trades on its tape (the simulator does; a replay does not). */
  readonly venuePrintsAgentFills: boolean;
}

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
