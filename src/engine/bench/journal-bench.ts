/**
 * `cockpit bench journal`: how fast the session journal takes a session's events, beside a plain
 * batched SQLite insert of the same rows (already serialised, same table, same pragmas), which is
 * the limit on this machine. The events are a real session's: the calm simulator with the default
 * agents, run until there are enough of them.
 */

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NS_PER_SECOND } from '../core/clock';
import { SequentialIds } from '../core/ids';
import type { EngineEvent } from '../contract/events';
import { simSessionMarket } from '../kernel/market';
import { DEFAULT_AGENTS, DEFAULT_LIMITS, SessionKernel } from '../kernel/session-kernel';
import { baselineStrategies } from '../kernel/strategies';
import { loadScenario, scenarioFile } from '../node/files/sim-scenarios';
import { hashedFile } from '../node/journal/hashes';
import { eventRow, Journal, SNAPSHOT_EVERY_EVENTS, snapshotDue, type JournalMeta } from '../node/journal/journal';

export interface JournalBenchOptions {
  /** Events to journal (a session run until it has published this many). */
  readonly events: number;
  /** Events per transaction (the engine loop writes one batch per frame). */
  readonly batch: number;
  /** Runs of each; the median is reported. */
  readonly repetitions: number;
  readonly seed: number;
}

export interface WriteFigures {
  readonly eventsPerSecond: number;
  readonly bytesPerEvent: number;
  readonly runsEventsPerSecond: readonly number[];
}

export interface JournalBenchReport {
  readonly setup: JournalBenchOptions & { readonly scenario: string; readonly simulatedSeconds: number };
  /** The journal: events serialised and written as the engine does (Journal.append). */
  readonly eventsPerSecond: number;
  /** File size after a clean close (the WAL checkpointed into it), per event. */
  readonly bytesPerEvent: number;
  readonly journal: WriteFigures;
  /** The same rows already serialised, inserted in batches of the same size with one prepared statement. */
  readonly plainInsert: WriteFigures;
  /** journal / plainInsert events per second. */
  readonly ratio: number;
}

/**
 * Returns `n` events of calm sessions with the default agents: the day of seed `seed`, then of the
 * seeds after it while more are needed (a calm day publishes about 97,000), numbered on as one stream.
 */
export function sessionEvents(n: number, seed: number, onSnapshot?: (seq: number, ts: number, state: unknown) => void): { events: EngineEvent[]; simulatedSeconds: number } {
  const calm = loadScenario('calm');
  const events: EngineEvent[] = [];
  let seconds = 0;
  for (let s = seed; events.length < n; s++) {
    const kernel = new SessionKernel(
      { ids: new SequentialIds(), strategies: baselineStrategies },
      { sessionId: 'bench', seed: s, market: simSessionMarket(calm, s), speed: 1, agents: DEFAULT_AGENTS, limits: DEFAULT_LIMITS },
    );
    kernel.subscribe((e) => {
      if (events.length < n) events.push({ ...e, seq: events.length + 1 });
    });
    let snapshotAt = events.length;
    kernel.start();
    for (let t = 0; t < calm.session.durationSeconds && events.length < n; t += 60) {
      kernel.elapse(60 * NS_PER_SECOND);
      seconds += 60;
      // As the engine loop does: a snapshot once SNAPSHOT_EVERY_EVENTS events have followed the last.
      if (onSnapshot !== undefined && snapshotDue(events.length, snapshotAt)) {
        snapshotAt = events.length;
        onSnapshot(events.length, kernel.now(), kernel.snapshot());
      }
    }
  }
  return { events, simulatedSeconds: seconds };
}

/** The meta of the bench's journals: a calm session of the default agents. */
function benchMeta(seed: number): JournalMeta {
  return {
    sessionId: 'bench',
    seed,
    createdAt: new Date().toISOString(),
    appVersion: 'bench',
    market: { kind: 'sim', scenario: 'calm', file: hashedFile(scenarioFile('calm')) },
    startNs: 0,
    speed: 1,
    policy: { dir: '', sha256: '' },
    agents: DEFAULT_AGENTS,
    limits: DEFAULT_LIMITS,
    dynamicRisk: null,
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Runs the journal and the plain insert `repetitions` times each, alternating, on fresh files. */
export function benchJournal(options: JournalBenchOptions): JournalBenchReport {
  const { events, simulatedSeconds } = sessionEvents(options.events, options.seed);
  const batches: EngineEvent[][] = [];
  for (let i = 0; i < events.length; i += options.batch) batches.push(events.slice(i, i + options.batch));
  // The reference's rows, serialised outside its timing: what the journal writes for each event.
  const rows = events.map(eventRow);
  const dir = mkdtempSync(join(tmpdir(), 'bench-journal-'));
  const journalRuns: number[] = [];
  const plainRuns: number[] = [];
  let journalBytes = 0;
  let plainBytes = 0;
  const meta = benchMeta(options.seed);
  try {
    for (let r = 0; r < options.repetitions; r++) {
      const jPath = join(dir, `journal-${r}.sqlite`);
      const journal = Journal.create(jPath, meta);
      let t = performance.now();
      for (const b of batches) journal.append(b);
      journalRuns.push(events.length / ((performance.now() - t) / 1_000));
      journal.close();
      journalBytes = statSync(jPath).size;

      const pPath = join(dir, `plain-${r}.sqlite`);
      const db = new Database(pPath);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec('CREATE TABLE events (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL)');
      const insert = db.prepare('INSERT INTO events (seq, ts, kind, payload) VALUES (?, ?, ?, ?)');
      const write = db.transaction((from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const row = rows[i]!;
          insert.run(row[0], row[1], row[2], row[3]);
        }
      });
      t = performance.now();
      for (let i = 0; i < rows.length; i += options.batch) write(i, Math.min(rows.length, i + options.batch));
      plainRuns.push(rows.length / ((performance.now() - t) / 1_000));
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      plainBytes = statSync(pPath).size;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const journal: WriteFigures = { eventsPerSecond: Math.round(median(journalRuns)), bytesPerEvent: Math.round((journalBytes / events.length) * 10) / 10, runsEventsPerSecond: journalRuns.map(Math.round) };
  const plainInsert: WriteFigures = { eventsPerSecond: Math.round(median(plainRuns)), bytesPerEvent: Math.round((plainBytes / events.length) * 10) / 10, runsEventsPerSecond: plainRuns.map(Math.round) };
  return {
    setup: { ...options, scenario: 'calm', simulatedSeconds },
    eventsPerSecond: journal.eventsPerSecond,
    bytesPerEvent: journal.bytesPerEvent,
    journal,
    plainInsert,
    ratio: Math.round((journal.eventsPerSecond / plainInsert.eventsPerSecond) * 100) / 100,
  };
}

export interface SeekBenchOptions {
  /** Events in the session sought in. */
  readonly events: number;
  /** Seeks, to moments spread evenly through the session in a shuffled order. */
  readonly seeks: number;
  readonly seed: number;
}

export interface SeekFigures {
  readonly medianMs: number;
  readonly maxMs: number;
  /** Events read per seek, on average. */
  readonly meanEventsRead: number;
}

export interface SeekBenchReport {
  readonly setup: SeekBenchOptions & { readonly snapshots: number; readonly snapshotEvery: number; readonly fileBytes: number };
  /** From the nearest snapshot (Journal.seek): the snapshot parsed and the events after it read. */
  readonly seekMs: SeekFigures;
  /** The reference: every event from the start read up to the moment (what a journal without snapshots needs). */
  readonly fromStartMs: SeekFigures;
}

/** Seeks in a journal of `events` events with the engine's snapshots, beside reading from the start. */
export function benchSeek(options: SeekBenchOptions): SeekBenchReport {
  const dir = mkdtempSync(join(tmpdir(), 'bench-seek-'));
  try {
    const path = join(dir, 'seek.sqlite');
    const journal = Journal.create(path, benchMeta(options.seed));
    const taken: { seq: number; ts: number; state: unknown }[] = [];
    const { events } = sessionEvents(options.events, options.seed, (seq, ts, state) => taken.push({ seq, ts, state }));
    for (let i = 0; i < events.length; i += 1_000) journal.append(events.slice(i, i + 1_000));
    for (const s of taken) journal.appendSnapshot(s.seq, s.ts, s.state);
    const snapshots = taken.length;
    journal.close();
    const fileBytes = statSync(path).size;
    const read = Journal.open(path);
    // Moments spread evenly, visited in an order that jumps about (a stride prime to the count).
    const targets = Array.from({ length: options.seeks }, (_, i) => Math.max(1, Math.round((((i * 7) % options.seeks) + 0.5) * (events.length / options.seeks))));
    const time = (f: (seq: number) => number): SeekFigures => {
      const ms: number[] = [];
      let readCount = 0;
      for (const seq of targets) {
        const t = performance.now();
        readCount += f(seq);
        ms.push(performance.now() - t);
      }
      return { medianMs: round2(median(ms)), maxMs: round2(Math.max(...ms)), meanEventsRead: Math.round(readCount / targets.length) };
    };
    const seekMs = time((seq) => read.seek(seq).events.length);
    const fromStartMs = time((seq) => read.events(1, seq).length);
    read.close();
    return { setup: { ...options, snapshots, snapshotEvery: SNAPSHOT_EVERY_EVENTS, fileBytes }, seekMs, fromStartMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
