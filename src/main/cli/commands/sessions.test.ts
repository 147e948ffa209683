import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../../engine/contract/events';
import { schemaOneJournal, testMeta, testSessionEvents } from '../../../engine/node/journal/fixtures/test-journal';
import { Journal } from '../../../engine/node/journal/journal';
import { sessionsDir } from '../../../engine/node/journal/sessions';
import { registerSessions } from './sessions';

/** Runs `cockpit sessions export …` in-process; returns stdout and the error it refused with (null when it ran). */
async function runExport(...args: string[]): Promise<{ stdout: string; error: string | null }> {
  const program = new Command().exitOverride();
  registerSessions(program);
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['sessions', 'export', ...args], { from: 'user' });
    return { stdout, error: null };
  } catch (err) {
    if (err instanceof Error && err.name === 'CliError') return { stdout, error: err.message };
    throw err;
  } finally {
    vi.restoreAllMocks();
  }
}

let dataDir: string;
let out: string;
let events: EngineEvent[];
const count = (kind: EngineEvent['kind']): number => events.filter((e) => e.kind === kind).length;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sessions-cli-'));
  out = join(dataDir, 'out');
  mkdirSync(out);
  events = testSessionEvents();
  const journal = Journal.create(join(sessionsDir(dataDir), 's1.sqlite'), testMeta);
  journal.append(events);
  journal.recordCommand('2026-01-02T00:00:01.000Z', 'PauseSession', { reason: 'look, "closer"' }, true, null, { by: 'electron window', afterSeq: 50, simTs: events[49]!.ts });
  journal.recordCommand('2026-01-02T00:00:02.000Z', 'KillAll', { reason: 'done' }, true, null, { by: 'electron window', afterSeq: 60, simTs: events[59]!.ts });
  journal.close();
  schemaOneJournal(join(sessionsDir(dataDir), 'old.sqlite'));
  writeFileSync(join(sessionsDir(dataDir), 'notes.sqlite'), 'not a journal, just text long enough to fill a SQLite header of 100 bytes. '.repeat(3));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('sessions export command', () => {
  it('writesEveryFillDecisionAndActionAsJsonLinesToStdout', async () => {
    const r = await runExport('s1', '--format', 'jsonl', '--data-dir', dataDir);
    expect(r.error).toBeNull();
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; agentName?: string });
    expect(lines.filter((l) => l.type === 'fill').length).toBe(count('OrderFilled'));
    expect(lines.filter((l) => l.type === 'decision').length).toBe(count('DecisionMade'));
    expect(lines.filter((l) => l.type === 'action').length).toBe(2);
    expect(lines.find((l) => l.type === 'fill')?.agentName).toEqual(expect.any(String));
  });

  it('writesThreeCsvFilesUnderTheOutPrefixForAll', async () => {
    const prefix = join(out, 's1');
    const r = await runExport('s1', '--format', 'csv', '--out', prefix, '--data-dir', dataDir);
    expect(r.error).toBeNull();
    const rows = (name: string): number => readFileSync(`${prefix}-${name}.csv`, 'utf8').split('\r\n').length - 2;
    expect([rows('fills'), rows('decisions'), rows('actions')]).toEqual([count('OrderFilled'), count('DecisionMade'), 2]);
    expect(readFileSync(`${prefix}-actions.csv`, 'utf8')).toContain('"look, ""closer"""');
    expect(r.stdout).toContain(`wrote ${count('OrderFilled')} rows to ${prefix}-fills.csv`);
    expect(r.stdout).toContain(`wrote 2 rows to ${prefix}-actions.csv`);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp')), 'no temp file is left').toEqual([]);
  });

  it('writesOneKindAsCsvToStdout', async () => {
    const r = await runExport('s1', '--format', 'csv', '--what', 'actions', '--data-dir', dataDir);
    expect(r.error).toBeNull();
    expect(r.stdout.split('\r\n')[0]).toBe('wallTime,time,simTsNs,afterSeq,by,name,reason,ok,errorCode,payload');
    expect(r.stdout.split('\r\n').length - 2).toBe(2);
  });

  it('exportsTheActionsASchemaOneJournalRecorded', async () => {
    const file = join(out, 'old.jsonl');
    const r = await runExport('old', '--format', 'jsonl', '--out', file, '--data-dir', dataDir);
    expect(r.error).toBeNull();
    expect(r.stdout).toBe(`wrote 1 row to ${file}\n`);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { type: 'action', wallTime: '2026-11-30T10:00:01.000Z', time: null, simTsNs: null, afterSeq: null, by: null, name: 'KillAll', reason: 'x', ok: true, errorCode: null, payload: { reason: 'x' } },
    ]);
  });

  it('refusesCsvOfAllWithoutAnOutPrefixAskingForWhat', async () => {
    const r = await runExport('s1', '--format', 'csv', '--data-dir', dataDir);
    expect(r.error).toMatch(/--out PREFIX.*or choose --what fills\|decisions\|actions/);
    expect(r.stdout).toBe('');
  });

  it.each([
    ['an unknown session', ['nope', '--format', 'jsonl'], /no recorded session "nope"/],
    ['a file that is not a journal', ['notes', '--format', 'jsonl'], /not a SQLite database/],
    ['an unknown format', ['s1', '--format', 'xml'], /--format must be one of csv, jsonl, received "xml"/],
    ['an unknown selection', ['s1', '--format', 'csv', '--what', 'orders'], /--what must be one of fills, decisions, actions, all, received "orders"/],
    ['no format', ['s1'], /--format csv\|jsonl is required/],
  ])('refusesWithoutWritingTheOutFile: %s', async (_what, args, message) => {
    const file = join(out, 'refused.jsonl');
    const r = await runExport(...args, '--out', file, '--data-dir', dataDir);
    expect(r.error).toMatch(message);
    expect(existsSync(file)).toBe(false);
    expect(r.stdout).toBe('');
  });

  it('leavesAnExistingOutFileAsItWasWhenItRefuses', async () => {
    const file = join(out, 'kept.jsonl');
    writeFileSync(file, 'earlier export\n');
    const r = await runExport('notes', '--format', 'jsonl', '--out', file, '--data-dir', dataDir);
    expect(r.error).toMatch(/not a SQLite database/);
    expect(readFileSync(file, 'utf8')).toBe('earlier export\n');
  });
});
