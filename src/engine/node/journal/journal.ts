import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EngineEvent } from '../../contract/events';

/** Marks a SQLite file as a cockpit journal ("TCJ1"); a file without it is not ours. */
const APPLICATION_ID = 0x54434a31;
const SCHEMA_VERSION = 1;

export interface JournalMeta {
  readonly sessionId: string;
  readonly seed: number;
  readonly createdAt: string;
  readonly appVersion: string;
}

/**
 * The session journal: every published event as a row `{seq, ts, kind, payload}`, and every
 * command received with its result, in one SQLite file. Writes are batched in one transaction per
 * flush. Opening a file that is not a cockpit journal fails with an error that says so and leaves
 * the file untouched.
 */
export class Journal {
  private readonly db: Database.Database;
  private readonly insertEvent: Database.Statement;
  private readonly insertCommand: Database.Statement;
  private readonly writeEvents: (events: readonly EngineEvent[]) => void;

  private constructor(
    readonly path: string,
    db: Database.Database,
  ) {
    this.db = db;
    this.insertEvent = db.prepare('INSERT INTO events (seq, ts, kind, payload) VALUES (?, ?, ?, ?)');
    this.insertCommand = db.prepare('INSERT INTO commands (wall_time, name, payload, ok, error_code) VALUES (?, ?, ?, ?, ?)');
    this.writeEvents = db.transaction((events: readonly EngineEvent[]) => {
      for (const e of events) {
        const { seq, ts, kind, ...payload } = e;
        this.insertEvent.run(seq, ts, kind, JSON.stringify(payload));
      }
    });
  }

  /** Creates a new journal at `path`; fails if a file is already there. */
  static create(path: string, meta: JournalMeta, nativeBinding?: string): Journal {
    if (existsSync(path)) throw new Error(`journal ${path} already exists; a new session needs a new file`);
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, nativeBinding ? { nativeBinding } : {});
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE events (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL);
      CREATE TABLE commands (id INTEGER PRIMARY KEY AUTOINCREMENT, wall_time TEXT NOT NULL, name TEXT NOT NULL,
                             payload TEXT NOT NULL, ok INTEGER NOT NULL, error_code TEXT);
    `);
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    for (const [k, v] of Object.entries(meta)) put.run(k, String(v));
    return new Journal(path, db);
  }

  /** Opens an existing journal read-only, checking that it is one. */
  static open(path: string, nativeBinding?: string): Journal {
    if (!existsSync(path)) throw new Error(`no journal at ${path}`);
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
      const appId = db.pragma('application_id', { simple: true });
      if (appId !== APPLICATION_ID) {
        db.close();
        throw new Error(`${path} is not a cockpit journal (application_id ${String(appId)}, expected ${APPLICATION_ID})`);
      }
      const version = db.pragma('user_version', { simple: true });
      if (version !== SCHEMA_VERSION) {
        db.close();
        throw new Error(`${path} is journal schema ${String(version)}; this cockpit reads schema ${SCHEMA_VERSION}`);
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (/not a database|file is not a database/i.test(msg)) throw new Error(`${path} is not a SQLite database`);
      throw err;
    }
    return new Journal(path, db);
  }

  /** Appends events in one transaction. */
  append(events: readonly EngineEvent[]): void {
    if (events.length > 0) this.writeEvents(events);
  }

  /** Records a command as received, with whether it was carried out. */
  recordCommand(wallTime: string, name: string, payload: unknown, ok: boolean, errorCode: string | null): void {
    this.insertCommand.run(wallTime, name, JSON.stringify(payload ?? null), ok ? 1 : 0, errorCode);
  }

  /** Returns the session's metadata. */
  meta(): Record<string, string> {
    const rows = this.db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>;
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  /** Returns the events with seq in [from, to], in order. */
  events(from = 1, to = Number.MAX_SAFE_INTEGER): EngineEvent[] {
    const rows = this.db.prepare('SELECT seq, ts, kind, payload FROM events WHERE seq BETWEEN ? AND ? ORDER BY seq').all(from, to) as Array<{
      seq: number;
      ts: number;
      kind: string;
      payload: string;
    }>;
    return rows.map((r) => ({ seq: r.seq, ts: r.ts, kind: r.kind, ...(JSON.parse(r.payload) as object) }) as EngineEvent);
  }

  /** Returns the recorded commands in order. */
  commands(): Array<{ name: string; payload: unknown; ok: boolean; errorCode: string | null }> {
    const rows = this.db.prepare('SELECT name, payload, ok, error_code FROM commands ORDER BY id').all() as Array<{
      name: string;
      payload: string;
      ok: number;
      error_code: string | null;
    }>;
    return rows.map((r) => ({ name: r.name, payload: JSON.parse(r.payload) as unknown, ok: r.ok === 1, errorCode: r.error_code }));
  }

  close(): void {
    this.db.close();
  }
}
