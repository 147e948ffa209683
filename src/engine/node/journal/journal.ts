import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DepthView, EngineEvent } from '../../contract/events';
import type { RiskSample } from '../../kernel/snapshot';
import type { SessionEnd, TimelineMarker, TimelineMarkers } from '../../replay/replay.contract';
import type { LimitsPatch } from '../../risk/limits';
import { migrate, SCHEMA_VERSION } from './schema';

/** Marks a SQLite file as a cockpit journal ("TCJ1"); a file without it is not ours. */
export const APPLICATION_ID = 0x54434a31;
/** A session writes a snapshot of its state once this many events have followed the last one, so a seek reads at most this many events. */
export const SNAPSHOT_EVERY_EVENTS = 5_000;
/** A session records the book's top levels and the limits' use once this much simulated time (ns) has passed since the last sample: what a replay's depth ladder and limit bars show between them. */
export const SAMPLE_EVERY_NS = 500_000_000;
/** Markers of one kind a timeline gets at most; past it they are thinned evenly (the count says how many there were). */
export const MARKERS_PER_KIND = 2_000;
/** Whether a session whose last event is `lastSeq` writes a snapshot now, its last one being as of `snapshotSeq` (0: none yet). */
export function snapshotDue(lastSeq: number, snapshotSeq: number): boolean {
  return lastSeq - snapshotSeq >= SNAPSHOT_EVERY_EVENTS;
}
/** Events per INSERT statement: one call into SQLite per 16 rows costs about two thirds of one per row (`cockpit bench journal`). */
const ROWS_PER_INSERT = 16;
/** The 16 bytes every SQLite 3 database file starts with. */
const SQLITE_HEADER = 'SQLite format 3\u0000';

/** A file a session was built from, with its SHA-256 so a replay can tell it is the same one. */
export interface HashedFile {
  readonly path: string;
  readonly sha256: string;
}

/** What a session ran on: a simulator scenario (shipped by name, or a file), or a recorded day. */
export type JournalMarket =
  | { readonly kind: 'sim'; readonly scenario: string; readonly file: HashedFile }
  | { readonly kind: 'lobster'; readonly messages: HashedFile; readonly orderbook: HashedFile };

/** What is needed to rebuild a session, written when it starts. */
export interface JournalMeta {
  readonly sessionId: string;
  readonly seed: number;
  /** Wall time the session started, ISO 8601. */
  readonly createdAt: string;
  readonly appVersion: string;
  readonly market: JournalMarket;
  /** Where in the day the session started, ns since midnight (the market's open or its first message when not told). */
  readonly startNs: number;
  /** Simulated seconds per wall second at the start. */
  readonly speed: number;
  /** The policy the learned agent ran: its directory and the hash of its files. */
  readonly policy: { readonly dir: string; readonly sha256: string };
  /** The agents the session started with and their parameters (AgentSpec as the kernel takes them). */
  readonly agents: readonly unknown[];
  /** The risk limits at the start (RiskLimits). */
  readonly limits: unknown;
  /** The dynamic-risk monitor's configuration (DynamicRiskConfig), or null when the session ran without one. */
  readonly dynamicRisk: unknown;
  /** The session this one is a what-if branch of; absent for a session that is no branch. */
  readonly parent?: JournalParent;
  /** The policies the learned agent switched to after `policy`, in order (a branch's, and its parent's before the branch point); absent when none. */
  readonly policySwitches?: readonly PolicySwitch[];
  /** The market signal the session kept: its direction and regime model directories with the hash of their files; absent when it kept none. */
  readonly signal?: { readonly model: { readonly dir: string; readonly sha256: string }; readonly regimes: { readonly dir: string; readonly sha256: string } };
}

/** A policy the learned agent switched to: it decides with it from its first decision after simulated time `afterTs`. */
export interface PolicySwitch {
  readonly afterTs: number;
  readonly dir: string;
  readonly sha256: string;
}

/** Where a what-if branch left its parent and what it changed there. */
export interface JournalParent {
  readonly sessionId: string;
  /** The branch's events 1..atSeq are the parent's. */
  readonly atSeq: number;
  /** Simulated time of event atSeq (ns since midnight): the change takes effect there. */
  readonly atTs: number;
  /** The session id the shared stream started under (its SessionStarted event names it): the first session of a chain of branches. */
  readonly rootSessionId: string;
  /** The learned agent's new policy, and the limits changed (recorded as a SetRiskLimits command by "what-if"); either may be null, not both. */
  readonly change: { readonly policy: { readonly dir: string; readonly sha256: string } | null; readonly limits: LimitsPatch | null };
}

export type { SessionEnd };

/** A command as the journal holds it: who sent it, what it was, when it took effect and its outcome. */
export interface JournalCommand {
  readonly wallTime: string;
  readonly name: string;
  readonly payload: unknown;
  readonly ok: boolean;
  readonly errorCode: string | null;
  /** Who sent it (the Electron window, a browser window and its address); null in schema-1 journals. */
  readonly by: string | null;
  /** The last event sequence number published before it took effect; null when it never reached the session (refused at the edge, or schema 1). */
  readonly afterSeq: number | null;
  /** Simulated time it took effect at, ns since midnight; null as for afterSeq. */
  readonly simTs: number | null;
}

/** Where a command took effect in the session's stream. */
export interface CommandPlace {
  readonly by: string;
  readonly afterSeq: number;
  readonly simTs: number;
}

/** A recorded session as a list shows it. */
export interface SessionSummary {
  readonly path: string;
  readonly meta: JournalMeta | null;
  readonly schema: number;
  readonly end: SessionEnd;
  readonly endedAt: string | null;
  readonly events: number;
  /** Simulated time of the first and last events (ns since midnight), null when there are none. */
  readonly firstTs: number | null;
  readonly lastTs: number | null;
}

/**
 * The session journal (schema.ts has its tables): every published event as a row
 * `{seq, ts, kind, payload}`, every command received with who sent it, the event it took effect
 * after and its result, and the metadata to rebuild the session, in one SQLite file in WAL mode.
 * Writes are batched: one transaction per flush of the engine loop (one frame, 16 ms), so a killed
 * process loses at most the batch it was writing. A clean close marks the session ended and
 * checkpoints the WAL into the one file; a file left `running` by a process that is gone ended
 * abnormally, and is read together with its WAL file.
 *
 * A file that is not SQLite, not a journal, truncated, or from a newer schema is refused with an
 * error that says which, and left byte for byte as it was.
 */
/** Appends an event's journal row to `out`: seq, ts and kind (its columns), then the rest as JSON. */
function pushEventRow(out: unknown[], e: EngineEvent): void {
  const { seq, ts, kind, ...payload } = e;
  out.push(seq, ts, kind, JSON.stringify(payload));
}

/** An event as its journal row holds it: seq, ts and kind in columns, the rest as JSON. */
export function eventRow(e: EngineEvent): readonly [seq: number, ts: number, kind: string, payload: string] {
  const row: unknown[] = [];
  pushEventRow(row, e);
  return row as unknown as [number, number, string, string];
}

export class Journal {
  /** The schema version this build writes. */
  static readonly SCHEMA = SCHEMA_VERSION;
  private readonly db: Database.Database;
  private readonly insertEvent: Database.Statement;
  private readonly insertEvents: Database.Statement;
  private readonly insertCommand: Database.Statement;
  private readonly writeEvents: (events: readonly EngineEvent[]) => void;

  private constructor(
    readonly path: string,
    db: Database.Database,
    readonly schema: number,
    writable: boolean,
  ) {
    this.db = db;
    // Statements for writing are prepared on writable journals only (read-only opens of schema 1 lack the columns).
    this.insertEvent = writable ? db.prepare('INSERT INTO events (seq, ts, kind, payload) VALUES (?, ?, ?, ?)') : (null as unknown as Database.Statement);
    this.insertEvents = writable ? db.prepare(`INSERT INTO events (seq, ts, kind, payload) VALUES ${Array<string>(ROWS_PER_INSERT).fill('(?, ?, ?, ?)').join(', ')}`) : (null as unknown as Database.Statement);
    this.insertCommand = writable
      ? db.prepare('INSERT INTO commands (wall_time, name, payload, ok, error_code, by, after_seq, sim_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      : (null as unknown as Database.Statement);
    const args: unknown[] = [];
    this.writeEvents = db.transaction((events: readonly EngineEvent[]) => {
      let i = 0;
      for (; i + ROWS_PER_INSERT <= events.length; i += ROWS_PER_INSERT) {
        args.length = 0;
        for (let j = i; j < i + ROWS_PER_INSERT; j++) pushEventRow(args, events[j]!);
        this.insertEvents.run(args);
      }
      for (; i < events.length; i++) {
        args.length = 0;
        pushEventRow(args, events[i]!);
        this.insertEvent.run(args);
      }
    });
  }

  /** Creates a new journal at `path`, recording `meta` and the writer's pid; fails if a file is already there. */
  static create(path: string, meta: JournalMeta, nativeBinding?: string): Journal {
    if (existsSync(path)) throw new Error(`journal ${path} already exists; a new session needs a new file`);
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, nativeBinding ? { nativeBinding } : {});
    db.pragma('journal_mode = WAL');
    // WAL with synchronous NORMAL: a committed batch survives the process being killed (not a power cut).
    db.pragma('synchronous = NORMAL');
    db.pragma(`application_id = ${APPLICATION_ID}`);
    migrate(db, 0);
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    db.transaction(() => {
      for (const [k, v] of Object.entries(meta)) put.run(k, JSON.stringify(v));
      put.run('end', JSON.stringify('running'));
      put.run('pid', JSON.stringify(process.pid));
    })();
    return new Journal(path, db, SCHEMA_VERSION, true);
  }

  /** Opens an existing journal read-only (with its WAL file, if the session did not close), checking that it is one. */
  static open(path: string, nativeBinding?: string): Journal {
    const { db, version } = openChecked(path, true, nativeBinding);
    return new Journal(path, db, version, false);
  }

  /**
   * Opens a journal to bring it up to date: migrates an older schema to this one and marks a
   * session whose writer is gone as ended abnormally, folding its WAL file into the one file.
   * Returns what it did. Refuses the same files `open` refuses, leaving them as they were.
   */
  static recover(path: string, nativeBinding?: string): { readonly migratedFrom: number | null; readonly markedAbnormal: boolean } {
    const { db, version } = openChecked(path, false, nativeBinding);
    try {
      const migratedFrom = version < SCHEMA_VERSION ? version : null;
      if (migratedFrom !== null) db.transaction(() => migrate(db, version))();
      const journal = new Journal(path, db, SCHEMA_VERSION, true);
      const markedAbnormal = journal.writerGone();
      if (markedAbnormal) journal.setEnd('abnormal');
      db.pragma('wal_checkpoint(TRUNCATE)');
      return { migratedFrom, markedAbnormal };
    } finally {
      db.close();
    }
  }

  /** Appends events in one transaction. */
  append(events: readonly EngineEvent[]): void {
    if (events.length > 0) this.writeEvents(events);
  }

  /** Records the session's state as of event `seq` (at simulated time `ts`): a snapshot replay seeks from. */
  appendSnapshot(seq: number, ts: number, snapshot: unknown): void {
    this.db.prepare('INSERT OR REPLACE INTO snapshots (seq, ts, payload) VALUES (?, ?, ?)').run(seq, ts, JSON.stringify(snapshot));
  }

  /** Records the sampled state a live batch carried at simulated time `ts`, after event `seq`. */
  appendSample(seq: number, ts: number, depth: DepthView, risk: RiskSample | undefined): void {
    this.db.prepare('INSERT OR REPLACE INTO samples (ts, seq, depth, risk) VALUES (?, ?, ?, ?)').run(ts, seq, JSON.stringify(depth), risk === undefined ? null : JSON.stringify(risk));
  }

  /** Returns the last sample at or before simulated time `ts` and event `seq` (null when there is none, or the journal predates samples). */
  sampleAt(ts: number, seq: number): { readonly depth: DepthView; readonly risk: RiskSample | undefined } | null {
    if (this.schema < 4) return null;
    const row = this.db.prepare('SELECT depth, risk FROM samples WHERE ts <= ? AND seq <= ? ORDER BY ts DESC LIMIT 1').get(ts, seq) as { depth: string; risk: string | null } | undefined;
    if (row === undefined) return null;
    return { depth: JSON.parse(row.depth) as DepthView, risk: row.risk === null ? undefined : (JSON.parse(row.risk) as RiskSample) };
  }

  /**
   * Returns what a replay's timeline marks: fills, denials, risk alerts (the kill switch among
   * them) and human actions (commands that reached the session), each at its event; at most
   * MARKERS_PER_KIND of each kind, thinned evenly, with the full counts.
   */
  markers(): TimelineMarkers {
    const pick = (rows: TimelineMarker[], kind: TimelineMarker['kind']): TimelineMarker[] => {
      const own = rows.filter((r) => r.kind === kind);
      if (own.length <= MARKERS_PER_KIND) return own;
      const step = own.length / MARKERS_PER_KIND;
      return Array.from({ length: MARKERS_PER_KIND }, (_, i) => own[Math.floor(i * step)]!);
    };
    const rows = this.db
      .prepare("SELECT seq, ts, kind, payload FROM events WHERE kind IN ('OrderFilled', 'OrderDenied', 'RiskAlert', 'KillSwitchEngaged') ORDER BY seq")
      .all() as Array<{ seq: number; ts: number; kind: string; payload: string }>;
    const all: TimelineMarker[] = rows.map((r) => {
      const p = JSON.parse(r.payload) as Record<string, unknown>;
      if (r.kind === 'OrderFilled') return { kind: 'fill', seq: r.seq, ts: r.ts, label: `${String(p.agentId)} ${String(p.side)} ${String(p.size)} @ ${String(p.price)}` };
      if (r.kind === 'OrderDenied') return { kind: 'denial', seq: r.seq, ts: r.ts, label: `${String(p.agentId)} denied ${String(p.code)}` };
      if (r.kind === 'KillSwitchEngaged') return { kind: 'alert', seq: r.seq, ts: r.ts, label: `kill switch: ${String(p.reason)}` };
      return { kind: 'alert', seq: r.seq, ts: r.ts, label: `${String(p.detector)} ${String(p.edge)}: ${String(p.reason)}` };
    });
    // A human action is marked at the first event after it took effect (its place), read-only commands left out.
    for (const c of this.commands()) {
      if (!c.ok || c.afterSeq === null || c.simTs === null || c.name === 'GetSnapshot') continue;
      const reason = typeof (c.payload as { reason?: unknown } | null)?.reason === 'string' ? `: ${(c.payload as { reason: string }).reason}` : '';
      all.push({ kind: 'action', seq: c.afterSeq + 1, ts: c.simTs, label: `${c.name} by ${c.by ?? 'unknown'}${reason}` });
    }
    all.sort((a, b) => a.seq - b.seq);
    const counts = { fill: 0, denial: 0, alert: 0, action: 0 };
    for (const m of all) counts[m.kind] += 1;
    return { counts, markers: [...pick(all, 'fill'), ...pick(all, 'denial'), ...pick(all, 'alert'), ...pick(all, 'action')].sort((a, b) => a.seq - b.seq) };
  }

  /**
   * Returns what it takes to show the session as of event `seq`: the nearest snapshot at or before
   * it (null when there is none, or the journal predates snapshots: then every event from the start)
   * and the events after the snapshot up to `seq`.
   */
  seek(seq: number): { readonly snapshot: { readonly seq: number; readonly ts: number; readonly state: unknown } | null; readonly events: EngineEvent[] } {
    const row =
      this.schema >= 3 ? (this.db.prepare('SELECT seq, ts, payload FROM snapshots WHERE seq <= ? ORDER BY seq DESC LIMIT 1').get(seq) as { seq: number; ts: number; payload: string } | undefined) : undefined;
    const snapshot = row === undefined ? null : { seq: row.seq, ts: row.ts, state: JSON.parse(row.payload) as unknown };
    return { snapshot, events: this.events((snapshot?.seq ?? 0) + 1, seq) };
  }

  /** The last event's seq (0 when there is none). */
  get lastSeq(): number {
    return (this.db.prepare('SELECT MAX(seq) FROM events').pluck().get() as number | null) ?? 0;
  }

  /** Returns the last event's seq at or before simulated time `ts` (0 when none is): events are in time order, so this bisects the seq key. */
  seqAt(ts: number): number {
    const get = this.db.prepare('SELECT ts FROM events WHERE seq = ?').pluck();
    let lo = 0;
    let hi = this.lastSeq;
    // Invariant: event lo is at or before ts (0 stands for the start), event hi + 1 is after it.
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const at = get.get(mid) as number | undefined;
      if (at !== undefined && at <= ts) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Records a command as received, with whether it was carried out and, where it reached the session, where it took effect. */
  recordCommand(wallTime: string, name: string, payload: unknown, ok: boolean, errorCode: string | null, place: CommandPlace | null = null): void {
    this.insertCommand.run(wallTime, name, JSON.stringify(payload ?? null), ok ? 1 : 0, errorCode, place?.by ?? null, place?.afterSeq ?? null, place?.simTs ?? null);
  }

  /** Returns the session's metadata (null for a schema-1 journal, which recorded too little to rebuild it). */
  meta(): JournalMeta | null {
    const m = this.metaRows();
    if (this.schema < 2 || m.market === undefined) return null;
    const { end: _end, endedAt: _endedAt, pid: _pid, ...meta } = m;
    return meta as unknown as JournalMeta;
  }

  /** Returns how the session ended: a `running` journal whose writer is no longer alive ended abnormally. */
  end(): { readonly end: SessionEnd; readonly endedAt: string | null } {
    const m = this.metaRows();
    const recorded = (this.schema < 2 ? 'unknown' : (m.end ?? 'unknown')) as SessionEnd;
    const end = recorded === 'running' && this.writerGone() ? 'abnormal' : recorded;
    return { end, endedAt: typeof m.endedAt === 'string' ? m.endedAt : null };
  }

  /** Whether `recover` has something to do: an older schema, or a session recorded as running whose writer is gone. */
  needsRecovery(): boolean {
    return this.schema < SCHEMA_VERSION || this.writerGone();
  }

  /** Returns the list entry of this journal. */
  summary(): SessionSummary {
    const row = this.db.prepare('SELECT COUNT(*) AS n, MIN(ts) AS first, MAX(ts) AS last FROM events').get() as { n: number; first: number | null; last: number | null };
    return { path: this.path, meta: this.meta(), schema: this.schema, ...this.end(), events: row.n, firstTs: row.first, lastTs: row.last };
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

  /** Returns the recorded commands in the order they arrived. */
  commands(): JournalCommand[] {
    const placed = this.schema >= 2;
    const rows = this.db.prepare(`SELECT wall_time, name, payload, ok, error_code${placed ? ', by, after_seq, sim_ts' : ''} FROM commands ORDER BY id`).all() as Array<{
      wall_time: string;
      name: string;
      payload: string;
      ok: number;
      error_code: string | null;
      by?: string | null;
      after_seq?: number | null;
      sim_ts?: number | null;
    }>;
    return rows.map((r) => ({
      wallTime: r.wall_time,
      name: r.name,
      payload: JSON.parse(r.payload) as unknown,
      ok: r.ok === 1,
      errorCode: r.error_code,
      by: r.by ?? null,
      afterSeq: r.after_seq ?? null,
      simTs: r.sim_ts ?? null,
    }));
  }

  /** Checks the file with SQLite's integrity check; returns the problems found (empty when sound). */
  integrity(): string[] {
    const rows = this.db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  }

  /** Ends the session cleanly: marks it so, folds the WAL into the one file and closes it. */
  close(): void {
    if (!this.db.readonly && this.schema >= 2) {
      this.setEnd('clean');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    this.db.close();
  }

  private setEnd(end: SessionEnd): void {
    const put = this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    const endedAt = new Date().toISOString();
    this.db.transaction(() => {
      put.run('end', JSON.stringify(end));
      put.run('endedAt', JSON.stringify(endedAt));
    })();
  }

  /** Whether the session is recorded as running but the process that wrote it is gone. */
  private writerGone(): boolean {
    const m = this.metaRows();
    if (m.end !== 'running') return false;
    return typeof m.pid !== 'number' || !processAlive(m.pid);
  }

  private metaRows(): Record<string, unknown> {
    const rows = this.db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>;
    // Schema 1 wrote plain strings; schema 2 writes JSON.
    return Object.fromEntries(rows.map((r) => [r.key, this.schema < 2 ? r.value : (JSON.parse(r.value) as unknown)]));
  }
}

/** Whether a process with this pid is alive (ours counts as alive). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Opens `path` as a journal after checking, before SQLite touches it, that it is a whole SQLite
 * file; then that it is a cockpit journal of a schema this build reads. Throws saying which check failed.
 */
function openChecked(path: string, readonly: boolean, nativeBinding?: string): { db: Database.Database; version: number } {
  if (!existsSync(path)) throw new Error(`no journal at ${path}`);
  checkSqliteFile(path);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (err) {
    throw new Error(`${path} cannot be opened as a SQLite database: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const appId = db.pragma('application_id', { simple: true });
    if (appId !== APPLICATION_ID) throw new Error(`${path} is not a cockpit journal (application_id ${String(appId)}, expected ${APPLICATION_ID})`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new Error(`${path} is journal schema ${version}, newer than this cockpit reads (${SCHEMA_VERSION}); open it with a newer version`);
    if (version < 1) throw new Error(`${path} is a cockpit journal with no schema version`);
    // Reading the tables finds a file cut short (SQLITE_CORRUPT), which the header alone does not.
    db.prepare('SELECT COUNT(*) FROM events').get();
    db.prepare('SELECT COUNT(*) FROM meta').get();
    return { db, version };
  } catch (err) {
    db.close();
    const msg = err instanceof Error ? err.message : String(err);
    if (/malformed|corrupt|not a database/i.test(msg)) throw new Error(`${path} is a damaged SQLite database (${msg}); it is left as it was`);
    throw err;
  }
}

/** Throws unless `path` starts with the SQLite header and is as long as its header says. */
function checkSqliteFile(path: string): void {
  const size = statSync(path).size;
  const head = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (size < 100 || head.toString('latin1', 0, 16) !== SQLITE_HEADER) throw new Error(`${path} is not a SQLite database`);
  // Page size at offset 16 (1 means 65536); page count at offset 28, valid when the change counters at 24 and 92 agree.
  const rawPage = head.readUInt16BE(16);
  const pageSize = rawPage === 1 ? 65_536 : rawPage;
  const pages = head.readUInt32BE(28);
  if (pages > 0 && head.readUInt32BE(24) === head.readUInt32BE(92) && size < pages * pageSize) {
    throw new Error(`${path} is a truncated SQLite database: ${size} bytes where its header says ${pages} pages of ${pageSize}; it is left as it was`);
  }
}
