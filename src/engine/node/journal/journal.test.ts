import { afterEach, describe, expect, it } from 'vitest';
import { simSessionMarket } from '../../kernel/market';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { Journal } from './journal';
import { SequentialIds } from '../../core/ids';
import { NS_PER_SECOND } from '../../core/clock';
import { DEFAULT_AGENTS, DEFAULT_LIMITS, SessionKernel } from '../../kernel/session-kernel';
import { baselineStrategies } from '../../kernel/strategies';
import { loadScenario } from '../files/sim-scenarios';
import type { EngineEvent } from '../../contract/events';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'journal-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const meta = { sessionId: 's1', seed: 1, createdAt: '2026-01-02T00:00:00.000Z', appVersion: 'test' };

describe('journal', () => {
  it('readsBackEveryEventAsPublished', () => {
    const kernel = new SessionKernel(
      { ids: new SequentialIds(), strategies: baselineStrategies },
      { sessionId: 's1', seed: 1, market: simSessionMarket(loadScenario('calm'), 1), speed: 5, agents: DEFAULT_AGENTS, limits: DEFAULT_LIMITS },
    );
    const events: EngineEvent[] = [];
    kernel.subscribe((e) => events.push(e));
    kernel.start();
    kernel.elapse(200 * NS_PER_SECOND);
    const path = join(tempDir(), 'sessions', 's1.sqlite');
    const journal = Journal.create(path, meta);
    journal.append(events.slice(0, 10));
    journal.append(events.slice(10));
    journal.recordCommand('2026-01-02T00:00:01.000Z', 'KillAll', { reason: 'x' }, true, null);
    journal.close();

    const read = Journal.open(path);
    expect(read.events()).toEqual(events);
    expect(read.events(5, 6).map((e) => e.seq)).toEqual([5, 6]);
    expect(read.meta()).toMatchObject({ sessionId: 's1', seed: '1' });
    expect(read.commands()).toEqual([{ name: 'KillAll', payload: { reason: 'x' }, ok: true, errorCode: null }]);
    read.close();
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
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refusesAFileThatIsNotSqlite', () => {
    const path = join(tempDir(), 'notes.sqlite');
    writeFileSync(path, 'this is not a database, just some text that is long enough '.repeat(20));
    expect(() => Journal.open(path)).toThrow(/not a SQLite database/);
  });
});
