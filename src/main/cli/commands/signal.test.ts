import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CliError } from '../output';
import { registerSignal } from './signal';

const DATA = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../shared/data/lobster');
const AMZN = [`${DATA}/AMZN_2012-06-21_34200000_57600000_message_1.csv.gz`, `${DATA}/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv.gz`];

/** Runs `cockpit signal …` in-process; returns the error it throws (if any) and stdout. */
async function run(...args: string[]): Promise<{ error: unknown; stdout: string }> {
  const program = new Command().exitOverride();
  program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  registerSignal(program);
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  let error: unknown;
  try {
    await program.parseAsync(['signal', ...args], { from: 'user' });
  } catch (err) {
    error = err;
  } finally {
    vi.restoreAllMocks();
  }
  process.exitCode = undefined;
  return { error, stdout };
}

describe('signal command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'signal-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refusesABadHorizon', async () => {
    for (const h of ['0', '-3', '2.5', 'ten']) {
      const { error } = await run('train', '--data', ...AMZN, '--horizon', h, '--model', 'mlp', '--out', join(dir, 'x'));
      expect(error).toBeInstanceOf(CliError);
      expect((error as Error).message).toBe(`--horizon must be a positive integer, received "${h}"`);
    }
  });

  it('refusesAnUnknownModelKind', async () => {
    const { error } = await run('train', '--data', ...AMZN, '--horizon', '50', '--model', 'forest', '--out', join(dir, 'x'));
    expect((error as Error).message).toBe('--model must be one of logreg, mlp, seq, received "forest"');
  });

  it('refusesAMissingFileOrAnOddDataList', async () => {
    const missing = await run('train', '--data', join(dir, 'GOOG_message_10.csv'), AMZN[1]!, '--horizon', '50', '--model', 'mlp', '--out', join(dir, 'x'));
    expect(missing.error).toBeInstanceOf(CliError);
    expect((missing.error as Error).message).toMatch(/^no such file: .*GOOG_message_10\.csv$/);
    const odd = await run('eval', '--model', dir, '--data', AMZN[0]!);
    expect((odd.error as Error).message).toBe('--data takes MESSAGES ORDERBOOK pairs, received 1 file');
    const swapped = await run('eval', '--model', dir, '--data', AMZN[1]!, AMZN[0]!);
    expect((swapped.error as Error).message).toMatch(/is not an orderbook file/);
  });

  it('refusesAModelDirectoryThatIsNotASignalModel', async () => {
    const notModel = join(dir, 'policy');
    mkdirSync(notModel);
    writeFileSync(join(notModel, 'model.json'), '{}');
    const { error } = await run('eval', '--model', notModel, '--data', ...AMZN);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(/policy is not a signal model: no signal\.json in it or in its subdirectories/);
    const nowhere = await run('eval', '--model', join(dir, 'nowhere'), '--data', ...AMZN);
    expect((nowhere.error as Error).message).toMatch(/no such directory/);
  });
});
