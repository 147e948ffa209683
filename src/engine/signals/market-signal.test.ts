import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../node/files/sim-scenarios';
import { DEFAULT_REGIME_DIR, loadMarketSignalModels, loadSignalModel, loadSignalModelSync } from '../node/models/signal-files';
import { selectBackend } from '../node/models/tf-backend';
import { createSimVenue } from '../sim/sim-venue';
import { episodeKernel } from '../execution/runner';
import { MarketObserver, warmUp } from '../execution/market-observer';
import type { ExecutionStrategy, MarketView } from '../execution/types';
import { createSignalFeatures } from './features';
import { MarketSignal, signalSlots } from './market-signal';
import { flatRowFromL2 } from './sources';
import { ExecutionEnv, OBSERVATION_FIELDS } from '../rl/env';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const LOB1 = `${ROOT}/resources/models/lob1-signal`;
const REGIMES = `${ROOT}/${DEFAULT_REGIME_DIR}`;
const S = 1_000_000_000;

describe('the market signal', () => {
  it('loadsTheShippedDenseModelWithoutTfjsToTheSamePredictions', async () => {
    const { tf } = await selectBackend('cpu');
    const viaTf = (await loadSignalModel(LOB1, tf)).predictor();
    const sync = loadSignalModelSync(LOB1).predictor();
    const features = createSignalFeatures({ levels: 1, tickSize: 1 });
    viaTf.bind(features.names);
    sync.bind(features.names);
    const venue = createSimVenue(loadScenario('calm'), 5);
    const row = new Float64Array(4);
    for (let i = 0; i < 200; i++) {
      venue.elapse(50_000_000);
      features.onEvent(venue.now(), flatRowFromL2(venue.l2(1), 1, row));
      viaTf.observe(features.vector());
      sync.observe(features.vector());
      const a = viaTf.predict();
      const b = sync.predict();
      expect(b.down).toBeCloseTo(a.down, 5);
      expect(b.up).toBeCloseTo(a.up, 5);
    }
  });

  it('readsWhatTheModelSaysOnTheVenuesOwnBookAtEveryEvent', () => {
    // The kernel's signal keeps the book from the venue's events; run directly on the venue's book
    // after every event (steps of 50 µs: one timestamp each), the model says the same.
    const models = loadMarketSignalModels(LOB1, REGIMES);
    const venue = createSimVenue(loadScenario('calm'), 7);
    const signal = new MarketSignal(models, 1);
    signal.resync(venue);
    const direct = createSignalFeatures({ levels: 5, tickSize: 1 });
    const predictor = models.predictor().bind(direct.names);
    expect(signal.reading()).toBeNull();
    const row = new Float64Array(20);
    let compared = 0;
    for (let i = 0; i < 200_000; i++) {
      const r = venue.elapse(50_000);
      if (r.events.length === 0) continue;
      expect(new Set(r.events.map((e) => e.ts)).size).toBe(1);
      signal.push(r.events);
      let size = 0;
      let buys = 0;
      for (const e of r.events) {
        if (e.kind !== 'TradePrinted') continue;
        size += e.size;
        buys += e.aggressor === 'buy' ? e.size : -e.size;
      }
      direct.onEvent(r.events[0]!.ts, flatRowFromL2(venue.l2(5), 5, row), size > 0 ? { size, aggressor: buys >= 0 ? 'buy' : 'sell' } : undefined);
      predictor.observe(direct.vector());
      const p = predictor.predict();
      const reading = signal.reading()!;
      expect(reading.down).toBeCloseTo(p.down, 9);
      expect(reading.up).toBeCloseTo(p.up, 9);
      expect(reading.direction).toBeCloseTo(p.up - p.down, 9);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
    expect(signal.reading()!.model).toBe('lob1-signal');
  });

  it('givesEveryAgentsViewTheReadingAndTheRegimeOnceAMinuteHasClosed', () => {
    const models = loadMarketSignalModels(LOB1, REGIMES);
    const venue = createSimVenue(loadScenario('volatile'), 11);
    const signal = new MarketSignal(models, 1);
    signal.resync(venue);
    const observer = new MarketObserver();
    warmUp(venue, observer, 90 * S, S, signal);
    const views: MarketView[] = [];
    const strategy: ExecutionStrategy = {
      name: 'watcher',
      decide: (view) => {
        views.push(view);
        return { action: { kind: 'hold', size: 0, price: null }, cancels: [], orders: [], reason: 'watching', inputs: {} };
      },
    };
    const kernel = episodeKernel({ venue, strategy, parent: { side: 'sell', quantity: 100, horizonNs: 60 * S }, tickSize: 1, decisionIntervalNs: 10 * S, observer, signal });
    kernel.elapse(60 * S);
    expect(views.length).toBeGreaterThan(3);
    for (const v of views) {
      expect(v.signal).toBeDefined();
      expect(v.signal!.ts).toBeLessThanOrEqual(v.ts);
      expect(v.signal!.regime).not.toBeNull();
      expect(models.regimes!.names).toContain(v.signal!.regime!.name);
      expect(Math.abs(v.signal!.regimeStress)).toBeLessThan(1);
    }
    // The reading moves with the market.
    expect(new Set(views.map((v) => v.signal!.direction)).size).toBeGreaterThan(1);
    expect(kernel.signalReading()).toEqual(signal.reading());
  });

  it('fillsTheObservationsSignalSlotsFromTheReadingOnlyWhenTheEnvKeepsASignal', () => {
    const models = loadMarketSignalModels(LOB1, REGIMES);
    const market = { tickSize: 1, venuePrintsAgentFills: true, preTradeNs: 90 * S, open: (seed: number) => ({ venue: createSimVenue(loadScenario('calm'), seed), startNs: 34_200 * S + 90 * S }) };
    const parent = { side: 'sell' as const, quantity: 400, horizonNs: 120 * S };
    const i0 = OBSERVATION_FIELDS.indexOf('signal0');
    const with_ = new ExecutionEnv({ market, parent, steps: 4, marketSignal: () => new MarketSignal(models, 1) });
    const without = new ExecutionEnv({ market, parent, steps: 4 });
    const seen: number[] = [];
    let obs = with_.reset(3);
    const plain = without.reset(3);
    expect([plain[i0], plain[i0 + 1]]).toEqual([0, 0]);
    for (let t = 0; t < 4; t++) {
      const session = with_.current!;
      const view = session.observe();
      expect(view.signal).toBeDefined();
      const [direction, stress] = signalSlots(view);
      expect(obs[i0]).toBeCloseTo(direction, 6);
      expect(obs[i0 + 1]).toBeCloseTo(stress, 6);
      seen.push(obs[i0]!);
      obs = with_.step(3).observation;
    }
    expect(seen.some((x) => x !== 0)).toBe(true);
  });
});
