import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, truncateSync, statSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { Journal } from './journal';
import { schemaOneJournal, testMeta as meta, testSessionEvents } from './fixtures/test-journal';
import { listSessions, recoverSessions } from './sessions';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'journal-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('journal', () => {
  it('readsBackEveryEventTheMetaAndWhereEachCommandTookEffect', () => {
    const events = testSessionEvents();
    const path = join(tempDir(), 'sessions', 's1.sqlite');
    const journal = Journal.create(path, meta);
    journal.append(events.slice(0, 10));
    journal.append(events.slice(10));
    journal.recordCommand('2026-01-02T00:00:01.000Z', 'KillAll', { reason: 'x' }, true, null, { by: 'browser window 127.0.0.1', afterSeq: 10, simTs: events[9]!.ts });
    journal.recordCommand('2026-01-02T00:00:02.000Z', 'Nonsense', null, false, 'UNKNOWN_COMMAND');
    expect(journal.end().end).toBe('running');
    journal.close();

    const read = Journal.open(path);
    expect(read.events()).toEqual(events);
    expect(read.events(5, 6).map((e) => e.seq)).toEqual([5, 6]);
    expect(read.meta()).toEqual(meta);
    expect(read.end().end).toBe('clean');
    expect(read.commands()).toEqual([
      { wallTime: '2026-01-02T00:00:01.000Z', name: 'KillAll', payload: { reason: 'x' }, ok: true, errorCode: null, by: 'browser window 127.0.0.1', afterSeq: 10, simTs: events[9]!.ts },
      { wallTime: '2026-01-02T00:00:02.000Z', name: 'Nonsense', payload: null, ok: false, errorCode: 'UNKNOWN_COMMAND', by: null, afterSeq: null, simTs: null },
    ]);
    expect(read.summary()).toMatchObject({ events: events.length, firstTs: events[0]!.ts, lastTs: events.at(-1)!.ts, schema: Journal.SCHEMA });
    read.close();
  });

  it('seeksFromTheNearestSnapshotAtOrBeforeAMoment', () => {
    const events = testSessionEvents();
    const journal = Journal.create(join(tempDir(), 's.sqlite'), meta);
    journal.append(events);
    journal.appendSnapshot(100, events[99]!.ts, { lastSeq: 100, marker: 'a' });
    journal.appendSnapshot(300, events[299]!.ts, { lastSeq: 300, marker: 'b' });
    const early = journal.seek(50);
    expect(early.snapshot).toBeNull();
    expect(early.events.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const between = journal.seek(250);
    expect(between.snapshot).toEqual({ seq: 100, ts: events[99]!.ts, state: { lastSeq: 100, marker: 'a' } });
    expect(between.events.map((e) => e.seq)).toEqual(Array.from({ length: 150 }, (_, i) => i + 101));
    expect(journal.seek(300)).toMatchObject({ snapshot: { seq: 300 }, events: [] });
    journal.close();
  });

  it('givesTheSampleNearestBeforeAMomentAndTheTimelineMarkers', () => {
    const events = testSessionEvents();
    const path = join(tempDir(), 's.sqlite');
    const journal = Journal.create(path, meta);
    journal.append(events);
    const depth = (p: number) => ({ bids: [[p, 10]] as Array<[number, number]>, asks: [[p + 1, 10]] as Array<[number, number]> });
    journal.appendSample(10, events[9]!.ts, depth(100), undefined);
    journal.appendSample(50, events[49]!.ts, depth(200), undefined);
    journal.recordCommand('2026-01-02T00:00:01.000Z', 'PauseAgent', { agentId: 'agent-2', reason: 'too fast' }, true, null, { by: 'window', afterSeq: 30, simTs: events[29]!.ts });
    journal.recordCommand('2026-01-02T00:00:02.000Z', 'GetSnapshot', {}, true, null, { by: 'window', afterSeq: 31, simTs: events[30]!.ts });
    journal.recordCommand('2026-01-02T00:00:03.000Z', 'KillAgent', { agentId: 'nobody', reason: 'x' }, false, 'REJECTED', { by: 'window', afterSeq: 32, simTs: events[31]!.ts });
    expect(journal.sampleAt(events[9]!.ts - 1, 9)).toBeNull();
    expect(journal.sampleAt(events[40]!.ts, 41)?.depth.bids[0]).toEqual([100, 10]);
    expect(journal.sampleAt(events.at(-1)!.ts, events.length)?.depth.bids[0]).toEqual([200, 10]);
    // A sample is never ahead of the event shown, even at the same simulated time.
    expect(journal.sampleAt(events[49]!.ts, 49)?.depth.bids[0]).toEqual([100, 10]);

    const { counts, markers } = journal.markers();
    const fills = events.filter((e) => e.kind === 'OrderFilled');
    const denials = events.filter((e) => e.kind === 'OrderDenied');
    expect(fills.length).toBeGreaterThan(0);
    expect(counts).toEqual({ fill: fills.length, denial: denials.length, alert: 0, action: 1 });
    expect(markers.filter((m) => m.kind === 'fill').map((m) => m.seq)).toEqual(fills.map((e) => e.seq));
    // The pause is marked at the first event after it took effect; the snapshot read and the refused kill are not actions on the session.
    expect(markers.filter((m) => m.kind === 'action')).toEqual([{ kind: 'action', seq: 31, ts: events[29]!.ts, label: 'PauseAgent by window: too fast' }]);
    expect(markers.map((m) => m.seq)).toEqual([...markers.map((m) => m.seq)].sort((a, b) => a - b));
    journal.close();
  });

  it('findsTheLastEventAtOrBeforeASimulatedTime', () => {
    const events = testSessionEvents();
    const journal = Journal.create(join(tempDir(), 's.sqlite'), meta);
    journal.append(events);
    const direct = (ts: number): number => events.filter((e) => e.ts <= ts).at(-1)?.seq ?? 0;
    for (const ts of [events[0]!.ts - 1, events[0]!.ts, events[137]!.ts, events[137]!.ts + 1, events.at(-1)!.ts, events.at(-1)!.ts + 1e9]) expect(journal.seqAt(ts)).toBe(direct(ts));
    journal.close();
  });

  it('checkpointsACleanCloseIntoItsOneFile', () => {
    const path = join(tempDir(), 's.sqlite');
    const journal = Journal.create(path, meta);
    journal.append(testSessionEvents());
    expect(existsSync(`${path}-wal`)).toBe(true);
    journal.close();
    expect(existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0).toBe(0);
    // The main file alone holds the session: a copy without its WAL reads in full.
    const copy = join(tempDir(), 'copy.sqlite');
    copyFileSync(path, copy);
    const read = Journal.open(copy);
    expect(read.events().length).toBe(testSessionEvents().length);
    read.close();
  });

  it('readsASchemaOneJournalAndMigratesItToThisSchema', () => {
    const dataDir = tempDir();
    const path = join(dataDir, 'sessions', 'old.sqlite');
    mkdirSync(join(dataDir, 'sessions'));
    schemaOneJournal(path);
    const old = Journal.open(path);
    expect(old.schema).toBe(1);
    expect(old.meta()).toBeNull();
    expect(old.end().end).toBe('unknown');
    expect(old.commands()).toEqual([{ wallTime: '2026-11-30T10:00:01.000Z', name: 'KillAll', payload: { reason: 'x' }, ok: true, errorCode: null, by: null, afterSeq: null, simTs: null }]);
    old.close();

    expect(recoverSessions(dataDir)).toEqual([path]);
    const migrated = Journal.open(path);
    expect(migrated.schema).toBe(Journal.SCHEMA);
    expect(migrated.end().end).toBe('unknown');
    expect(migrated.events()).toEqual([{ seq: 1, ts: 36_000_000_000_000, kind: 'SessionStateChanged', state: 'running' }]);
    expect(migrated.commands()[0]).toMatchObject({ name: 'KillAll', by: null, afterSeq: null });
    migrated.close();
    expect(recoverSessions(dataDir), 'a second start has nothing to do').toEqual([]);
  });

  it('refusesToOverwriteAnExistingFile', () => {
    const path = join(tempDir(), 'taken.sqlite');
    writeFileSync(path, 'precious');
    expect(() => Journal.create(path, meta)).toThrow(/already exists/);
    expect(readFileSync(path, 'utf8')).toBe('precious');
  });

  it('refusesAForeignSqliteDatabaseAndLeavesItUntouched', () => {
    const path = join(tempDir(), 'foreign.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);');
    db.close();
    const before = readFileSync(path);
    expect(() => Journal.open(path)).toThrow(/not a cockpit journal/);
    expect(() => Journal.recover(path)).toThrow(/not a cockpit journal/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refusesAFileThatIsNotSqliteAndLeavesItUntouched', () => {
    const path = join(tempDir(), 'notes.sqlite');
    writeFileSync(path, 'this is not a database, just some text that is long enough '.repeat(20));
    const before = readFileSync(path);
    expect(() => Journal.open(path)).toThrow(/not a SQLite database/);
    expect(() => Journal.recover(path)).toThrow(/not a SQLite database/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refusesATruncatedJournalAndLeavesItUntouched', () => {
    const path = join(tempDir(), 'cut.sqlite');
    const journal = Journal.create(path, meta);
    journal.append(testSessionEvents());
    journal.close();
    truncateSync(path, Math.floor(statSync(path).size / 2));
    const before = readFileSync(path);
    expect(() => Journal.open(path)).toThrow(/truncated SQLite database: \d+ bytes where its header says \d+ pages of 4096/);
    expect(() => Journal.recover(path)).toThrow(/truncated/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refusesAJournalOfANewerSchemaAndLeavesItUntouched', () => {
    const path = join(tempDir(), 'future.sqlite');
    Journal.create(path, meta).close();
    const db = new Database(path);
    db.pragma(`user_version = ${Journal.SCHEMA + 1}`);
    db.close();
    const before = readFileSync(path);
    expect(() => Journal.open(path)).toThrow(`is journal schema ${Journal.SCHEMA + 1}, newer than this cockpit reads (${Journal.SCHEMA})`);
    expect(() => Journal.recover(path)).toThrow(/newer than this cockpit reads/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('listsTheSessionsOfADataFolderWithTheFilesItCannotRead', () => {
    const dataDir = tempDir();
    const dir = join(dataDir, 'sessions');
    const journal = Journal.create(join(dir, 'a.sqlite'), meta);
    journal.append(testSessionEvents());
    journal.close();
    writeFileSync(join(dir, 'b.sqlite'), 'not a journal at all, but long enough to have a header of a hundred bytes. '.repeat(3));
    const entries = listSessions(dataDir);
    expect(entries.map((e) => e.ok)).toEqual([true, false]);
    expect(entries[0]).toMatchObject({ ok: true, end: 'clean', meta: { sessionId: 's1', market: { kind: 'sim', scenario: 'calm' } } });
    expect(entries[1]).toMatchObject({ ok: false, problem: expect.stringContaining('not a SQLite database') });
    expect(listSessions(join(dataDir, 'none'))).toEqual([]);
  });
});
