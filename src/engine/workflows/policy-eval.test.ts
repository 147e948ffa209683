import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_DIR } from '../node/models/policy-files';
import { readCard } from '../node/models/policy-card';
import { evaluate } from './policy-eval';

const SHIPPED = join(__dirname, '..', '..', '..', DEFAULT_POLICY_DIR);
const dir = mkdtempSync(join(tmpdir(), 'cockpit-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the evaluate workflow', () => {
  it('comparesThePolicyWithTheBaselinesAndWritesTheTableIntoItsCardOnce', async () => {
    const model = join(dir, 'policy');
    cpSync(SHIPPED, model, { recursive: true });
    const before = readCard(model)?.evaluations.length ?? 0;
    const options = { model, market: { kind: 'sim', scenario: 'calm' }, seeds: '1..2', workers: 0, title: 'calm, two seeds', writeCard: true } as const;
    const e = await evaluate(options);
    expect(e.rows.map((r) => r.strategy)).toEqual(['twap', 'vwap', 'ac', `rl (${relative(process.cwd(), model)})`]);
    expect(e.rows.every((r) => r.episodes === 2)).toBe(true);
    expect(e.command).toMatch(/^cockpit backtest --scenario calm --pre-trade \d+s --seeds 1\.\.2 --strategies twap,vwap,ac,rl:/);
    expect(e.verdict).toMatch(/^(WINS|does not win on every criterion): /);
    await evaluate(options);
    const card = readCard(model);
    expect(card?.evaluations.length).toBe(before + 1);
    expect(card?.evaluations.at(-1)?.title).toBe('calm, two seeds');
  }, 60_000);

  it('refusesSeedsThatAreNotHeldOutAndAStartOnTheSimulator', async () => {
    await expect(evaluate({ model: SHIPPED, market: { kind: 'sim', scenario: 'calm' }, seeds: '899999..900000' })).rejects.toThrow('held-out evaluation seeds lie below 900000');
    await expect(evaluate({ model: SHIPPED, market: { kind: 'sim', scenario: 'calm' }, seeds: '1', startNs: 1 })).rejects.toThrow('--start is for a historical --venue here');
    await expect(evaluate({ model: join(dir, 'none'), market: { kind: 'sim', scenario: 'calm' }, seeds: '1' })).rejects.toThrow('no policy.json');
    const aborted = new AbortController();
    aborted.abort('not now');
    await expect(evaluate({ model: SHIPPED, market: { kind: 'sim', scenario: 'calm' }, seeds: '1' }, { signal: aborted.signal })).rejects.toThrow('cancelled: not now');
  });
});
