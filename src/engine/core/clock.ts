/**
 * Time inside the engine: integer nanoseconds (a `number`, exact up to about 104 days) since the
 * session's epoch. The engine never reads the wall clock; a `Clock` is passed in.
 */
export interface Clock {
  /** Returns the current time in nanoseconds since the session's epoch. */
  now(): number;
}

/** A clock that only moves when told to: the simulator's and the replay's clock. */
export class ManualClock implements Clock {
  private t: number;

  constructor(startNs = 0) {
    this.t = startNs;
  }

  now(): number {
    return this.t;
  }

  /** Moves the clock to `ns`; time never runs backwards. */
  advanceTo(ns: number): void {
    if (!Number.isSafeInteger(ns)) throw new Error(`clock time must be an integer nanosecond count, received ${ns}`);
    if (ns < this.t) throw new Error(`clock cannot move back from ${this.t} ns to ${ns} ns`);
    this.t = ns;
  }
}

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
