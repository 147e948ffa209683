import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_METAORDERS, simulateSeedFacts } from '../../sim/facts';
import { ScenarioError } from '../../sim/scenario';
import { createSimVenue } from '../../sim/sim-venue';
import { calibrateFromLobster } from '../../workflows/sim-calibrate';
import { lobsterSamplePair } from './sim-lobster-stream';
import { listScenarios, loadScenario } from './sim-scenarios';

const DATA = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../shared/data/lobster');
const tmp = mkdtempSync(join(tmpdir(), 'sim-scenarios-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('scenario files', () => {
  it('listsAndLoadsEveryShippedScenario', () => {
    const names = listScenarios();
    expect(names).toEqual(expect.arrayContaining(['calm', 'volatile', 'thin', 'trending', 'flash-crash']));
    for (const n of names) expect(loadScenario(n).name).toBe(n);
  });

  it('calmInformedMakesAMinutesOrderFlowSayLessAboutTheNextMinuteThanCalm', () => {
    // The real days measure about 0 (AAPL −0.05, AMZN 0.04, GOOG −0.00); calm's informed traders are too slow.
    const plan = { ...DEFAULT_METAORDERS, fractions: [0.001] };
    const meanCorr = (name: string): number => {
      const scenario = loadScenario(name);
      const corr = [1, 2, 3].map((seed) => simulateSeedFacts(scenario, seed, plan).facts.flowReturnCorr);
      return corr.reduce((a, b) => a + b, 0) / corr.length;
    };
    const calm = meanCorr('calm');
    const informed = meanCorr('calm-informed');
    expect(calm).toBeGreaterThan(0.14);
    expect(informed).toBeLessThan(calm - 0.05);
    expect(informed).toBeLessThan(0.14);
  }, 60_000);

  it('namesTheFileAndKeyOfABadScenario', () => {
    const file = join(tmp, 'bad.json');
    const json = JSON.parse(readFileSync(join(fileURLToPath(new URL('.', import.meta.url)), '../../../../resources/scenarios/calm.json'), 'utf8'));
    json.informed.rate = -2;
    writeFileSync(file, JSON.stringify(json));
    expect(() => loadScenario(file)).toThrow(ScenarioError);
    expect(() => loadScenario(file)).toThrow(/bad\.json[\s\S]*informed\.rate/);
    expect(() => loadScenario('no-such-scenario')).toThrow(/expected one of: .*calm/);
  });

  it('calibratesTheMsftSliceIntoAValidScenario', async () => {
    const out = join(tmp, 'msft.json');
    const run = await calibrateFromLobster({ pair: lobsterSamplePair(DATA, 'MSFT', 50, 37_800_000), out });
    const m = run.measurements;
    expect(m.messages).toBe(1000);
    expect(m.spreadTicks.median).toBeGreaterThanOrEqual(1);
    expect(m.depthProfile.bids).toHaveLength(50);
    expect(m.rates.limitBuy + m.rates.limitSell).toBeGreaterThan(0);
    expect(m.limitSizeQuantiles).toHaveLength(21);
    const s = loadScenario(out);
    expect(s.name).toBe('calibrated-msft');
    expect(s.instrument.startPriceTicks).toBeGreaterThan(2000);
    const v = createSimVenue(s, 1, { marketEvents: false });
    v.elapse(s.session.durationSeconds * 1e9);
    expect(v.bestBid()).toBeLessThan(v.bestAsk()!);
  });
});
