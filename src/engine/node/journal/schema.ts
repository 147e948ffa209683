/**
 * The journal's tables, one migration per schema version. A new journal runs them all from 0; an
 * older one is brought up by the ones after its version (Journal.recover). `user_version` holds the
 * version reached.
 *
 * 1: meta (key → text), events (seq, ts, kind, payload JSON), commands (wall time, name, payload, outcome).
 * 2: meta values are JSON, and hold what rebuilds the session (market files with hashes, policy
 *    hash, agents, limits, start, speed), how it ended and the writer's pid; a command records who
 *    sent it, the last event sequence number before it took effect and the simulated time.
 * 3: snapshots (seq, ts, payload JSON): the session's whole state as of event `seq`, written every
 *    so many events, so that any moment is reached from the nearest one before it.
 * 4: samples (ts, seq, depth JSON, risk JSON): the book's top levels and the limits' use as a live
 *    batch carries them (sampled state, not events), every so much simulated time, so that a replay
 *    feeds every panel what the live session fed it.
 */

import type Database from 'better-sqlite3';

const MIGRATIONS: readonly ((db: Database.Database) => void)[] = [
  (db) =>
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE events (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL);
      CREATE TABLE commands (id INTEGER PRIMARY KEY AUTOINCREMENT, wall_time TEXT NOT NULL, name TEXT NOT NULL,
                             payload TEXT NOT NULL, ok INTEGER NOT NULL, error_code TEXT);
    `),
  (db) => {
    db.exec(`
      ALTER TABLE commands ADD COLUMN by TEXT;
      ALTER TABLE commands ADD COLUMN after_seq INTEGER;
      ALTER TABLE commands ADD COLUMN sim_ts INTEGER;
    `);
    // Schema 1's meta values were plain text: numbers stay numbers, the rest become JSON strings.
    const rows = db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>;
    const put = db.prepare('UPDATE meta SET value = ? WHERE key = ?');
    for (const r of rows) put.run(JSON.stringify(r.key === 'seed' && /^\d+$/.test(r.value) ? Number(r.value) : r.value), r.key);
    // Schema 1 did not record whether a session closed or was cut off (a new journal has no rows yet).
    if (rows.length > 0) db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('end', ?)").run(JSON.stringify('unknown'));
  },
  (db) => db.exec('CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, payload TEXT NOT NULL)'),
  (db) => db.exec('CREATE TABLE samples (ts INTEGER PRIMARY KEY, seq INTEGER NOT NULL, depth TEXT NOT NULL, risk TEXT)'),
];

/** The schema version this build writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Runs the migrations after version `from` and sets `user_version` to the latest. */
export function migrate(db: Database.Database, from: number): void {
  for (let v = from; v < MIGRATIONS.length; v++) MIGRATIONS[v]!(db);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}
