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

/** Runs `cockpit sessions …` in-process; returns stdout and the error it refused with (null when it ran). */
async function runSessions(...args: string[]): Promise<{ stdout: string; error: string | null }> {
  const program = new Command().exitOverride();
  registerSessions(program);
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['sessions', ...args], { from: 'user' });
    return { stdout, error: null };
  } catch (err) {
    if (err instanceof Error && err.name === 'CliError') return { stdout, error: err.message };
    throw err;
  } finally {
    vi.restoreAllMocks();
  }
}

/** Runs `cockpit sessions export …`; see runSessions. */
const runExport = (...args: string[]) => runSessions('export', ...args);

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

describe('sessions branch and compare commands', () => {
  const journals = (): string[] => readdirSync(sessionsDir(dataDir)).sort();

  it('branchesASessionPrintsTheComparisonAndListsTheBranchWithItsParent', async () => {
    const r = await runSessions('branch', 's1', '--at', '40', '--limit', 'perAgent.maxOrderLots=50', '--limit', 'session.maxOpenOrders=30', '--data-dir', dataDir);
    expect(r.error).toBeNull();
    const id = /^branch (\S+) of s1 at event 40: limits perAgent\.maxOrderLots=50, session\.maxOpenOrders=30$/m.exec(r.stdout)?.[1];
    expect(id).toBeDefined();
    expect(r.stdout).toContain(`journal ${join(sessionsDir(dataDir), `${id}.sqlite`)}`);
    expect(r.stdout).toMatch(/the streams part at event (\d+) \(the same up to \d+\)/);
    expect(r.stdout).toMatch(/^agent-1 TWAP sell 30k\s*\n {2}filled /m);
    const listed = await runSessions('list', '--data-dir', dataDir);
    expect(listed.stdout).toMatch(new RegExp(`${id}.*branch of s1 at seq 40`));
    // compare reads the two journals back and finds what the branch reported.
    const compared = await runSessions('compare', 's1', id!, '--json', '--data-dir', dataDir);
    const comparison = JSON.parse(compared.stdout) as { firstDivergenceSeq: number; a: { sessionId: string }; b: { sessionId: string } };
    expect(comparison.firstDivergenceSeq).toBe(Number(/part at event (\d+)/.exec(r.stdout)![1]));
    expect(comparison.firstDivergenceSeq).toBeGreaterThan(40);
    expect([comparison.a.sessionId, comparison.b.sessionId]).toEqual(['s1', id]);
    const human = await runSessions('compare', 's1', id!, '--data-dir', dataDir);
    expect(human.stdout).toMatch(/shortfall bps/);
  });

  it('printsTheBranchAsJson', async () => {
    const r = await runSessions('branch', 's1', '--at', '30', '--limit', 'perAgent.maxOpenOrders=2', '--json', '--data-dir', dataDir);
    expect(r.error).toBeNull();
    const result = JSON.parse(r.stdout) as { sessionId: string; path: string; parentId: string; atSeq: number; change: unknown; comparison: { agents: unknown[] } };
    expect(result).toMatchObject({ parentId: 's1', atSeq: 30, change: { policy: null, limits: { perAgent: { maxOpenOrders: 2 } } } });
    expect(existsSync(result.path)).toBe(true);
    expect(result.comparison.agents).toHaveLength(3);
  });

  it('comparesASessionWithItselfAsTheSame', async () => {
    const r = await runSessions('compare', 's1', 's1', '--data-dir', dataDir);
    expect(r.stdout.split('\n')[0]).toBe('the two streams are the same');
  });

  it.each([
    ['an unknown session', ['nope', '--at', '5', '--limit', 'perAgent.maxOrderLots=5'], /no recorded session "nope"/],
    ['no --at', ['s1', '--limit', 'perAgent.maxOrderLots=5'], /--at SEQ is required/],
    ['a SEQ that is no integer', ['s1', '--at', 'abc', '--limit', 'perAgent.maxOrderLots=5'], /--at must be a positive integer, received "abc"/],
    ['a SEQ of 0', ['s1', '--at', '0', '--limit', 'perAgent.maxOrderLots=5'], /--at must be a positive integer, received "0"/],
    ['a SEQ after the last event', ['s1', '--at', '999999', '--limit', 'perAgent.maxOrderLots=5'], /cannot branch session s1: the branch point must be one of the parent's events, a whole number from 1 to \d+; received 999999/],
    ['no change', ['s1', '--at', '5'], /a branch with no change is the parent/],
    ['a missing model folder', ['s1', '--at', '5', '--model', '/no/such/model'], /no policy folder at \/no\/such\/model/],
    ['a model for a session with no learned agent', ['s1', '--at', '5', '--model', '.'], /session s1 has no learned agent/],
    ['an unknown limit', ['s1', '--at', '5', '--limit', 'perAgent.maxBananas=3'], /unknown limit "perAgent.maxBananas"; the limits are perAgent.maxOrderLots, /],
    ['a limit that is no number', ['s1', '--at', '5', '--limit', 'perAgent.maxOrderLots=lots'], /expected perAgent.maxOrderLots=NUMBER, received "lots"/],
    ['a limit out of range', ['s1', '--at', '5', '--limit', 'perAgent.maxOrderLots=0'], /the limits cannot be set: perAgent.maxOrderLots: /],
    ['a limit given twice', ['s1', '--at', '5', '--limit', 'session.maxOpenOrders=3', '--limit', 'session.maxOpenOrders=4'], /--limit session.maxOpenOrders is given twice/],
    // The fixture's pause was recorded after event 50 but is not in its events: re-run, the session parts there.
    ['a parent that does not re-simulate to the point', ['s1', '--at', '55', '--limit', 'perAgent.maxOrderLots=5'], /does not re-simulate up to the branch point: it parts at event 51/],
    ['a file that is not a journal', ['notes', '--at', '5', '--limit', 'perAgent.maxOrderLots=5'], /not a SQLite database/],
  ])('refusesToBranchWritingNothing: %s', async (_what, args, message) => {
    const before = journals();
    const r = await runSessions('branch', ...args, '--data-dir', dataDir);
    expect(r.error).toMatch(message);
    expect(r.stdout).toBe('');
    expect(journals()).toEqual(before);
  });

  it('refusesToCompareAnUnknownSession', async () => {
    const r = await runSessions('compare', 's1', 'nope', '--data-dir', dataDir);
    expect(r.error).toMatch(/no recorded session "nope"/);
  });
});
