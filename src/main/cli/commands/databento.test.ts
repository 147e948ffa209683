import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CliError } from '../output';
import { registerDatabento } from './databento';

const FILE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../shared/data/cme/ESM4_2024-05-08T000000-000002_mbo.dbn.zst');

/** Runs `cockpit databento verify --file <file> --json` in-process; returns the exit code and the JSON report. */
async function verify(file: string): Promise<{ exitCode: number; report: Record<string, unknown> }> {
  const program = new Command().exitOverride();
  registerDatabento(program);
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['databento', 'verify', '--file', file, '--json'], { from: 'user' });
  } finally {
    vi.restoreAllMocks();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { exitCode, report: JSON.parse(stdout) as Record<string, unknown> };
}

describe('databento verify command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'databento-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('printsTheRecordsAndTheFinalQuoteOfTheEsSample', async () => {
    const { exitCode, report } = await verify(FILE);
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ records: 13_796, finalBestBid: '5214.00', finalBestAsk: '5214.25', symbols: ['ESM4'], instrumentId: 5602 });
  });

  it('turnsATruncatedFileIntoACliErrorNamingIt', async () => {
    const cut = join(dir, 'cut.dbn.zst');
    writeFileSync(cut, readFileSync(FILE).subarray(0, 50_000));
    await expect(verify(cut)).rejects.toThrow(CliError);
    await expect(verify(cut)).rejects.toThrow(/cut\.dbn\.zst: .*\(truncated\)/);
  });
});
