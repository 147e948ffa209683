import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { CliError } from '../output';
import { parseRealDays, registerSim } from './sim';

/** Runs `cockpit sim …` in-process; returns the error it threw (or null), stdout and the exit code. */
async function sim(...args: string[]): Promise<{ error: unknown; stdout: string; exitCode: number }> {
  const program = new Command().exitOverride();
  registerSim(program);
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  let error: unknown = null;
  try {
    await program.parseAsync(['sim', ...args], { from: 'user' });
  } catch (err) {
    error = err;
  } finally {
    vi.restoreAllMocks();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { error, stdout, exitCode };
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

describe('sim diagnostics command errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-diagnostics-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('refusesAnUnknownRealDayNamingTheKnownOnes', async () => {
    const r = await sim('diagnostics', '--scenario', 'calm', '--seeds', '1', '--real', 'GOOG,TSLA');
    expect(r.error).toBeInstanceOf(CliError);
    expect(message(r.error)).toMatch(/no LOBSTER day "TSLA", expected some of AAPL, AMZN, GOOG/);
    expect(r.stdout).toBe('');
  });

  it('refusesARealDayListedTwiceAndAnEmptyList', () => {
    expect(() => parseRealDays('goog,GOOG')).toThrow(/lists a day twice/);
    expect(() => parseRealDays(' , ')).toThrow(/must list LOBSTER days/);
    expect(parseRealDays('goog, aapl')).toEqual(['GOOG', 'AAPL']);
  });

  it('refusesBadSeedsAndAnUnknownScenario', async () => {
    const seeds = await sim('diagnostics', '--scenario', 'calm', '--seeds', '5..1');
    expect(seeds.error).toBeInstanceOf(CliError);
    expect(message(seeds.error)).toMatch(/--seeds/);
    const scenario = await sim('diagnostics', '--scenario', join(dir, 'missing.json'), '--seeds', '1');
    expect(scenario.error).toBeInstanceOf(Error);
    expect(message(scenario.error)).toMatch(/missing\.json/);
  });

  it('refusesAMissingDataFolderBeforeSimulatingAnything', async () => {
    const r = await sim('diagnostics', '--scenario', 'calm', '--seeds', '1', '--real', 'AAPL', '--data', join(dir, 'no-such-folder'), '--touch-seeds', '1', '--touch-real-seeds', '0');
    expect(r.error).toBeInstanceOf(CliError);
    expect(message(r.error)).toMatch(/no-such-folder/);
    expect(r.stdout).toBe('');
  });

  it('refusesABadTouchSizeAndWait', async () => {
    const size = await sim('diagnostics', '--scenario', 'calm', '--seeds', '1', '--touch-size', '0');
    expect(message(size.error)).toMatch(/--touch-size must be a positive integer, received "0"/);
    const wait = await sim('diagnostics', '--scenario', 'calm', '--seeds', '1', '--touch-wait', 'soon');
    expect(message(wait.error)).toMatch(/--touch-wait/);
  });

  it('refusesABadSearchedParameterBeforeSimulatingAnything', async () => {
    const r = await sim('fit', '--scenario', 'calm', '--out', join(dir, 'fit.json'), '--param', 'marketMakers.spreadTicks=40..6');
    expect(r.error).toBeInstanceOf(CliError);
    expect(message(r.error)).toMatch(/marketMakers\.spreadTicks.*lo below hi, received 40 and 6/);
  });

  it('refusesAFitWithoutAnOutputFile', async () => {
    const r = await sim('fit', '--scenario', 'calm');
    expect(message(r.error)).toMatch(/--out/);
  });
});
