import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from './journal';
import { listSessions, recoverSessions } from './sessions';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Starts the writer, waits until it has committed `batches` batches, kills it with SIGKILL; returns the last seq it said was committed. */
async function killMidSession(path: string, batches: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'journal-writer.ts'), path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let seen = 0;
    let last = 0;
    let buffered = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        last = Number(line);
        seen += 1;
        if (seen === batches) child.kill('SIGKILL');
      }
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(last) : reject(new Error(`the writer exited before it was killed: ${stderr}`))));
  });
}

describe('a journal whose host is killed mid-session', () => {
  it('keepsEveryCommittedBatchAndIsMarkedAsEndedAbnormally', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'journal-crash-'));
    dirs.push(dataDir);
    const path = join(dataDir, 'sessions', 'crash.sqlite');
    const committed = await killMidSession(path, 60);
    expect(committed).toBeGreaterThan(0);
    expect(existsSync(`${path}-wal`), 'the cut-off session left its WAL file').toBe(true);

    const read = Journal.open(path);
    expect(read.integrity()).toEqual([]);
    const events = read.events();
    // Every batch the writer said was committed is there, in sequence, and at most the one it was writing is not.
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    expect(events.length).toBeGreaterThanOrEqual(committed);
    // What the writer had not yet reported is at most the batch it committed before it could say so: events of the
    // next frame (16 ms × speed 50 of simulated time), counted here from the last reported event, so within two frames.
    const unreported = events.filter((e) => e.seq > committed);
    if (unreported.length > 0) expect(unreported.at(-1)!.ts - events[committed - 1]!.ts).toBeLessThanOrEqual(2 * 0.016 * 50 * 1e9);
    expect(read.end().end).toBe('abnormal');
    read.close();

    // The next start marks it in the file and folds the WAL in: the main file alone then holds every event.
    expect(recoverSessions(dataDir)).toEqual([path]);
    expect(existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0).toBe(0);
    const [entry] = listSessions(dataDir);
    expect(entry).toMatchObject({ ok: true, end: 'abnormal', events: events.length });
  }, 60_000);
});
