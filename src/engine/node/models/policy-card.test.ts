import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { policyReport } from './policy-card';
import { DEFAULT_POLICY_NAME } from './policy-files';

const SHIPPED = join(__dirname, '..', '..', '..', '..', 'resources', 'models', DEFAULT_POLICY_NAME);
const dir = mkdtempSync(join(tmpdir(), 'cockpit-card-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the policy report the window shows', () => {
  it('readsTheShippedCardWithItsHeldOutTables', () => {
    const r = policyReport(SHIPPED);
    expect(r.name).toBe(DEFAULT_POLICY_NAME);
    expect(r.trainedOn).toContain('calm');
    expect(r.steps).toBeGreaterThan(0);
    expect(r.notes[0]).toMatch(/^Summary: /);
    const titles = r.evaluations.map((e) => e.title);
    for (const scenario of ['calm', 'volatile', 'thin', 'GOOG']) expect(titles.some((t) => t.startsWith(scenario))).toBe(true);
    for (const e of r.evaluations) {
      expect(e.rows.map((row) => row['strategy'])).toEqual(['twap', 'vwap', 'ac', expect.stringMatching(/^rl \(/)]);
      expect(e.verdict.length).toBeGreaterThan(0);
      expect(e.wins).toBe(e.verdict.startsWith('WINS'));
      expect(e.command).toMatch(/^cockpit backtest /);
    }
  });

  it('saysWhichFileAndWhatIsWrongWithABadCard', () => {
    expect(() => policyReport(join(dir, 'absent'))).toThrow(/cannot read the model card .*absent.*model-card\.json/);
    writeFileSync(join(dir, 'model-card.json'), '{"name": "x", ');
    expect(() => policyReport(dir)).toThrow(/cannot read the model card .*JSON/);
    writeFileSync(join(dir, 'model-card.json'), JSON.stringify({ name: 'x', algorithm: 'PPO', scenarios: ['calm'], steps: -3, wallSeconds: 1, backend: 'cpu', trainCommand: '', notes: [], evaluations: [] }));
    expect(() => policyReport(dir)).toThrow(/is not one this build writes: steps: /);
    writeFileSync(join(dir, 'model-card.json'), JSON.stringify({ name: 'x', algorithm: 'PPO', scenarios: ['calm'], steps: 3, wallSeconds: 1, backend: 'cpu', trainCommand: '', notes: [], evaluations: [{ title: 't', command: 'c', rows: [{ a: [1] }], verdict: 'v' }] }));
    expect(() => policyReport(dir)).toThrow(/evaluations\.0\.rows\.0\.a: /);
    writeFileSync(join(dir, 'model-card.json'), JSON.stringify({ name: 'x', algorithm: 'PPO', scenarios: ['calm'], steps: 3, wallSeconds: 1, backend: 'cpu', trainCommand: '', notes: [], evaluations: [{ title: 't', command: 'c', rows: [], verdict: 'WINS' }] }));
    expect(() => policyReport(dir)).toThrow(/evaluations\.0\.wins: /);
  });
});
