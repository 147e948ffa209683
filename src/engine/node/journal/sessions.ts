/**
 * The recorded sessions of a data folder: `<dataDir>/sessions/*.sqlite`, one journal each. Listing
 * reads them without changing them; a file that cannot be read as a journal is listed with why.
 */

import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SessionListing } from '../../replay/replay.contract';
import type { StartSessionMarket } from '../../kernel/session.contract';
import { Journal, type JournalMarket, type SessionSummary } from './journal';

/** A recorded session, or a file in the sessions folder that is not one and why. */
export type SessionEntry = ({ readonly ok: true } & SessionSummary) | { readonly ok: false; readonly path: string; readonly problem: string };

/** The folder a data folder keeps its sessions' journals in. */
export function sessionsDir(dataDir: string): string {
  return join(dataDir, 'sessions');
}

/** The journal file of session `sessionId` in `dataDir`. */
export function journalPath(dataDir: string, sessionId: string): string {
  return join(sessionsDir(dataDir), `${sessionId}.sqlite`);
}

/** Returns a new session's id: the wall time it began (so a folder's names sort oldest first), then `suffix`. */
export function sessionIdAt(wall: Date, suffix: string): string {
  return `${wall.toISOString().replace(/[:.]/g, '-').replace('Z', '')}-${suffix}`;
}

/** Lists the journals of `dataDir`, oldest first (their names start with the wall time they began). */
export function listSessions(dataDir: string, nativeBinding?: string): SessionEntry[] {
  const dir = sessionsDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sqlite'))
    .sort()
    .map((f): SessionEntry => {
      const path = join(dir, f);
      try {
        const journal = Journal.open(path, nativeBinding);
        try {
          return { ok: true, ...journal.summary() };
        } finally {
          journal.close();
        }
      } catch (err) {
        return { ok: false, path, problem: err instanceof Error ? err.message : String(err) };
      }
    });
}

/**
 * Brings the journals of `dataDir` up to date, as the engine does when it starts: a session whose
 * writer is gone is marked as ended abnormally (its WAL folded in), an older schema migrated.
 * Files that are not journals are left as they are. Returns the paths changed.
 */
export function recoverSessions(dataDir: string, nativeBinding?: string): string[] {
  const dir = sessionsDir(dataDir);
  if (!existsSync(dir)) return [];
  const changed: string[] = [];
  for (const f of readdirSync(dir).filter((name) => name.endsWith('.sqlite')).sort()) {
    const path = join(dir, f);
    try {
      // Read-only first: most journals need nothing, and are left as they are.
      const journal = Journal.open(path, nativeBinding);
      const needed = journal.needsRecovery();
      journal.close();
      if (!needed) continue;
      const done = Journal.recover(path, nativeBinding);
      if (done.markedAbnormal || done.migratedFrom !== null) changed.push(path);
    } catch {
      // Not a journal we can read: listSessions lists it with its problem; nothing to recover.
    }
  }
  return changed;
}

/** The scenario or the recorded day a session ran on, in words: `calm`, `lobster:GOOG_…_message_10.csv`. */
export function marketLabel(market: JournalMarket): string {
  return market.kind === 'sim' ? market.scenario : `lobster:${market.messages.path.split(/[\\/]/).pop() ?? market.messages.path}`;
}

/** A recorded session's market as StartSession would be given it (a scenario given by path is named by its file). */
export function startMarketOf(market: JournalMarket, seed: number): StartSessionMarket {
  if (market.kind === 'lobster') return { kind: 'lobster', day: basename(market.messages.path) };
  return { kind: 'sim', scenario: basename(market.scenario).replace(/\.json$/, ''), seed };
}

/** A session's id: its journal's file name without `.sqlite`. */
export function sessionIdOf(path: string): string {
  return basename(path).replace(/\.sqlite$/, '');
}

/** Returns the journal of session `id` in `dataDir`, or throws saying where it looked (ids are file names, never paths). */
export function sessionPath(dataDir: string, id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id) || id.includes('..')) throw new Error(`"${id}" is not a session id (the name of a journal in the sessions folder)`);
  const path = journalPath(dataDir, id);
  if (!existsSync(path)) throw new Error(`no recorded session "${id}" in ${sessionsDir(dataDir)}`);
  return path;
}

/** The sessions of `dataDir` as the window lists them. */
export function sessionListings(dataDir: string, nativeBinding?: string): SessionListing[] {
  return listSessions(dataDir, nativeBinding).map((e): SessionListing => {
    if (!e.ok) return { id: sessionIdOf(e.path), createdAt: null, market: '—', agents: [], firstTs: null, lastTs: null, events: 0, end: 'unknown', parent: null, problem: e.problem };
    const meta = e.meta;
    const agents = (meta?.agents ?? []).map((a) => (typeof a === 'object' && a !== null && typeof (a as { name?: unknown }).name === 'string' ? (a as { name: string }).name : '?'));
    const parent = meta?.parent ?? null;
    return {
      id: sessionIdOf(e.path),
      createdAt: meta?.createdAt ?? null,
      market: meta === null ? `schema ${e.schema}` : marketLabel(meta.market),
      agents,
      firstTs: e.firstTs,
      lastTs: e.lastTs,
      events: e.events,
      end: e.end,
      parent: parent === null ? null : { sessionId: parent.sessionId, atSeq: parent.atSeq },
      problem: null,
    };
  });
}
