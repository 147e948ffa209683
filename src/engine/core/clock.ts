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

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
