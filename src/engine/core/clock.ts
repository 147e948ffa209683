/**
 * Time inside the engine: integer nanoseconds (a `number`, exact up to about 104 days) since the
 * session day's midnight. The engine never reads the wall clock: the simulator's clock moves only
 * when told to elapse.
 */

export const NS_PER_MS = 1_000_000;
export const NS_PER_SECOND = 1_000_000_000;

/** Formats nanoseconds since midnight as HH:MM:SS.mmm. */
export function formatClock(ns: number): string {
  const totalMs = Math.floor(ns / NS_PER_MS);
  const ms = totalMs % 1000;
  const totalS = Math.floor(totalMs / 1000);
  const s = totalS % 60;
  const m = Math.floor(totalS / 60) % 60;
  const h = Math.floor(totalS / 3600);
  return `${pad(h)}:${pad(m)}:${pad(s)}.${String(ms).padStart(3, '0')}`;
}

/**
 * Reads a time of day, "H:MM", "HH:MM" or "HH:MM:SS" (hours 0–23), as ns since midnight; throws
 * naming what it expects. The one grammar for every start time the CLI, the window and the contract
 * take.
 */
export function parseTimeOfDay(text: string): number {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) throw new Error(`a time of day HH:MM[:SS] is expected, received "${text}"`);
  return (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)) * NS_PER_SECOND;
}

/** A time of day as the contract carries it: "HH:MM" or "HH:MM:SS", zero-padded (what `formatTimeOfDay` writes). */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

/** Writes ns since midnight as "HH:MM", or "HH:MM:SS" when the seconds are not zero. */
export function formatTimeOfDay(ns: number): string {
  const s = Math.floor(ns / NS_PER_SECOND);
  const hhmm = `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}`;
  return s % 60 === 0 ? hhmm : `${hhmm}:${pad(s % 60)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
