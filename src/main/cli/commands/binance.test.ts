import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { registerBinance } from './binance';

const CRYPTO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../shared/data/crypto');
const SPOT = `${CRYPTO}/binance_spot_btcusdt_20240808_hftbacktest.jsonl.gz`;
const USDM = `${CRYPTO}/binance_usdm_btcusdt_20230404_0405_hftbacktest.jsonl.gz`;

/** Runs `cockpit binance verify --file <file> --json` in-process; returns the exit code, the JSON report and stderr. */
async function verify(file: string, ...extra: string[]): Promise<{ exitCode: number; report: Record<string, unknown>; stderr: string }> {
  const program = new Command().exitOverride();
  registerBinance(program);
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['binance', 'verify', '--file', file, '--json', ...extra], { from: 'user' });
  } finally {
    vi.restoreAllMocks();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { exitCode, report: JSON.parse(stdout) as Record<string, unknown>, stderr };
}

describe('binance verify command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'binance-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('passesTheSpotCaptureWithNoReason', async () => {
    const r = await verify(SPOT);
    expect(r.exitCode).toBe(0);
    expect(r.report.unverifiedReason).toBeNull();
    expect(r.report.tickerChecks).toBeGreaterThan(0);
    expect(r.stderr).toBe('');
  });

  it('readsTheUsdmCaptureOnItsTickWithLocalTimesInMicroseconds', async () => {
    const r = await verify(USDM, '--market', 'usdm');
    expect(r.exitCode).toBe(0);
    expect(r.report).toMatchObject({ symbol: 'BTCUSDT-USDM', gaps: 0, tickerMismatches: 0, crossedBooks: 0, unverifiedReason: null });
    // 23:58:20 → 00:06:54: about 514 s; read as ns it would be half a second.
    expect(r.report.spanNs as number).toBeGreaterThan(500e9);
  });

  it('failsAnEmptyGzipFileSayingItHoldsNoRecords', async () => {
    const empty = join(dir, 'empty.jsonl.gz');
    writeFileSync(empty, gzipSync(''));
    const r = await verify(empty);
    expect(r.exitCode).toBe(1);
    expect(r.report.records).toBe(0);
    expect(r.report.unverifiedReason).toBe('the capture holds no records');
    expect(r.stderr).toBe('cockpit: empty.jsonl.gz could not be verified: the capture holds no records\n');
  });

  it('failsTheSpotCaptureWithItsSnapshotLineRemoved', async () => {
    const lines = gunzipSync(readFileSync(SPOT)).toString('utf8').split('\n');
    const withoutSnapshot = lines.filter((l) => !l.includes('"lastUpdateId"'));
    expect(lines.length - withoutSnapshot.length).toBe(1);
    const file = join(dir, 'no-snapshot.jsonl.gz');
    writeFileSync(file, gzipSync(withoutSnapshot.join('\n')));
    const r = await verify(file);
    expect(r.exitCode).toBe(1);
    expect(r.report).toMatchObject({ snapshots: 0, diffsApplied: 0, gaps: 0, tickerMismatches: 0, tickerChecks: 0, diffsUnapplied: 3_451 });
    expect(r.report.unverifiedReason).toContain('no REST depth snapshot');
    expect(r.stderr).toMatch(/^cockpit: no-snapshot\.jsonl\.gz could not be verified: the capture holds no REST depth snapshot .*3,451 depth diffs were held and none applied\n$/);
  });
});
