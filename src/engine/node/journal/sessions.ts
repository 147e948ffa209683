/**
 * The recorded sessions of a data folder: `<dataDir>/sessions/*.sqlite`, one journal each. Listing
 * reads them without changing them; a file that cannot be read as a journal is listed with why.
 */

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Journal, type SessionSummary } from './journal';

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
