/**
 * The market's signal as the kernel keeps it: one per session or episode, fed with every event the
 * venue reports (`push`) and put back to the venue's book before each slice (`resync`, since a
 * venue does not report the liquidity the agents' own orders take). It computes the features, runs
 * the direction model on every event and the regime detector on every minute, and answers the
 * latest `SignalReading`: what every agent's `MarketView.signal` carries, what the RL observation's
 * signal slots are filled from (`signalSlots`), what the window shows and what the regime posture
 * rule watches. Pure: the same code on the simulator, a historical venue and live.
 */

import type { L2Snapshot } from '../book/types';
import type { SignalView } from '../contract/events';
import type { Venue, VenueEvent } from '../venue/types';
import { createSignalFeatures, type SignalFeatures } from './features';
import { directionSignal, type SignalModelSpec, type SignalPredictor } from './model';
import { RegimeDetector, type RegimeModel } from './regime';
import { VenueEventFeed } from './sources';

/** The signal after the last event (`SignalView`, as the window shows it) and the time of that event (simulated ns). */
export interface SignalReading extends SignalView {
  readonly ts: number;
}

/** The models a `MarketSignal` runs: a direction model (a fresh predictor per source) and, optionally, a regime model. */
export interface MarketSignalModels {
  readonly spec: SignalModelSpec;
  predictor(): SignalPredictor;
  readonly regimes: RegimeModel | null;
}

/** Levels a side the kept book is resynced from: more than any model reads, so levels that move up into the top are known. */
const RESYNC_LEVELS = 20;
/** Levels a side the features are computed over (the deepest any shipped model reads). */
const FEATURE_LEVELS = 5;

/** The market's signal; see the module comment. */
export class MarketSignal {
  private readonly features: SignalFeatures;
  private readonly predictor: SignalPredictor;
  private readonly detector: RegimeDetector | null;
  private readonly feed: VenueEventFeed;
  private readonly spec: SignalModelSpec;
  private lastTs = NaN;
  private cached: SignalReading | null = null;

  /** `tickSize`: price units per tick on the venue (1 on the simulator, 100 on LOBSTER). */
  constructor(models: MarketSignalModels, tickSize: number) {
    const levels = Math.max(FEATURE_LEVELS, models.spec.levels);
    this.spec = models.spec;
    this.features = createSignalFeatures({ levels, tickSize });
    this.predictor = models.predictor().bind(this.features.names);
    this.detector = models.regimes ? new RegimeDetector(models.regimes) : null;
    this.feed = new VenueEventFeed(levels, (ts, row, trade) => {
      this.features.onEvent(ts, row, trade);
      this.predictor.observe(this.features.vector());
      this.detector?.onEvent(ts, row, trade);
      this.lastTs = ts;
      this.cached = null;
    });
  }

  /** Puts the kept book back to what the venue shows now. */
  resync(venue: Pick<Venue, 'l2'>): void {
    this.resyncTo(venue.l2(RESYNC_LEVELS));
  }

  /** Puts the kept book back to `snapshot`. */
  resyncTo(snapshot: L2Snapshot): void {
    this.feed.resync(snapshot);
  }

  /** Takes a slice's events, in the venue's order. */
  push(events: readonly VenueEvent[]): void {
    this.feed.push(events);
  }

  /** The reading after the last event, or null before any. */
  reading(): SignalReading | null {
    if (this.cached !== null || Number.isNaN(this.lastTs)) return this.cached;
    const p = this.predictor.predict();
    const r = this.detector?.regime();
    const centroid = r === undefined ? undefined : this.detector?.model.centroids[r.index];
    this.cached = {
      ts: this.lastTs,
      model: this.spec.name,
      horizonEvents: this.spec.horizon,
      down: p.down,
      flat: p.flat,
      up: p.up,
      direction: directionSignal(p),
      warm: this.features.warm,
      regime: r === undefined ? null : { name: r.name, index: r.index, sinceNs: r.sinceNs },
      regimeStress: centroid === undefined ? 0 : Math.tanh(centroid[0] as number),
    };
    return this.cached;
  }
}

/** The RL observation's signal slots from a view's reading: [direction, regimeStress], zeros without a reading. */
export function signalSlots(view: { readonly signal?: SignalReading | null }): readonly [number, number] {
  const s = view.signal;
  return s ? [s.direction, s.regimeStress] : [0, 0];
}
