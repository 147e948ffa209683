import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { meanCi } from '../../../engine/execution/stats';
import { CliError } from '../output';
import { registerBacktestCompare } from './backtest';

const dir = mkdtempSync(join(tmpdir(), 'cockpit-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a report file of strategies with the given per-seed shortfalls (seeds 1, 2, …) and returns its path. */
function report(name: string, strategies: Record<string, readonly number[] | undefined>): string {
  const path = join(dir, `${name}.json`);
  const rows = Object.entries(strategies).map(([n, xs]) => ({ name: n, episodes: xs?.length ?? 0, ...(xs === undefined ? {} : { seedShortfallsBps: xs.map((x, i) => ({ seed: i + 1, shortfallBps: x })) }) }));
  writeFileSync(path, JSON.stringify({ scenario: 'calm', strategies: rows }));
  return path;
}

/** Runs `cockpit backtest-compare …` in-process; returns the error it throws (if any) and stdout. */
async function run(...args: string[]): Promise<{ error: unknown; stdout: string }> {
  const program = new Command().exitOverride();
  program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  registerBacktestCompare(program);
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  let error: unknown;
  try {
    await program.parseAsync(['backtest-compare', ...args], { from: 'user' });
  } catch (err) {
    error = err;
  } finally {
    vi.restoreAllMocks();
  }
  return { error, stdout };
}

describe('cockpit backtest-compare', () => {
  it('printsThePairedDifferenceOfTwoStrategiesSeedBySeed', async () => {
    const a = [3, 5, 1, 7];
    const b = [2, 2, 2, 2];
    const file = report('two', { twap: [0, 0, 0, 0], 'rl:x': a, 'rl:y': b });
    const { error, stdout } = await run(file, 'rl:x', 'rl:y', '--json');
    expect(error).toBeUndefined();
    const out = JSON.parse(stdout) as { n: number; mean: number; ci95: [number, number]; scenario: string; a: string; b: string };
    const expected = meanCi(a.map((x, i) => x - b[i]!));
    expect(out).toMatchObject({ scenario: 'calm', a: 'rl:x', b: 'rl:y', n: 4, mean: 2 });
    expect(out.ci95[0]).toBeCloseTo(expected.ci95![0], 12);
    expect(out.ci95[1]).toBeCloseTo(expected.ci95![1], 12);
    const human = await run(file, 'rl:x', 'rl:y');
    expect(human.stdout).toContain(`calm: rl:x − rl:y = +2.00 bps [${expected.ci95![0] >= 0 ? '+' : '−'}${Math.abs(expected.ci95![0]).toFixed(2)}, +${expected.ci95![1].toFixed(2)}], n = 4`);
  });

  it('saysWhatIsMissingInsteadOfComparing', async () => {
    const file = report('old', { twap: undefined, 'rl:x': [1, 2] });
    const missing = await run(file, 'rl:x', 'twap');
    expect(missing.error).toBeInstanceOf(CliError);
    expect(String(missing.error)).toMatch(/"twap" has no per-seed shortfalls .*rerun/);
    const unknown = await run(file, 'rl:x', 'vwap');
    expect(String(unknown.error)).toMatch(/has no strategy "vwap"; it has twap, rl:x/);
    const nofile = await run(join(dir, 'absent.json'), 'a', 'b');
    expect(String(nofile.error)).toMatch(/cannot read the backtest report/);
  });
});
