/**
 * Plays a recorded session back as the stream a live session sends: event batches in sequence,
 * each frame's worth at the chosen speed (0.1× to 100× simulated seconds per wall second, or as fast
 * as possible), paused, stepped event by event, or moved to any moment from the nearest snapshot.
 * It reads a recorded stream and cannot send anything anywhere: it has no venue and no gate.
 */

import type { EngineEvent, EventBatch } from '../contract/events';

/** What the player reads: a journal (node/journal/journal.ts) or anything that answers the same way. */
export interface RecordedStream {
  /** The last event's seq (events are numbered 1..lastSeq without gaps). */
  readonly lastSeq: number;
  /** The events with seq in [from, to], in order. */
  events(from: number, to: number): EngineEvent[];
  /** The nearest snapshot at or before `seq` (null when none) and the events after it up to `seq`. */
  seek(seq: number): { readonly snapshot: { readonly seq: number; readonly ts: number; readonly state: unknown } | null; readonly events: EngineEvent[] };
  /** The last event's seq at or before simulated time `ts` (0 before the first). */
  seqAt(ts: number): number;
}

/** Simulated seconds per wall second, or as fast as the window takes batches. */
export type ReplaySpeed = number | 'max';
export const REPLAY_SPEED_MIN = 0.1;
export const REPLAY_SPEED_MAX = 100;
/** Events one frame delivers at most (at 'max', or when a recording is dense). */
export const REPLAY_BATCH_MAX = 20_000;

export type ReplayState = 'paused' | 'playing' | 'ended';

/** Where a seek lands: the state to show (a snapshot, or none: from the start) and the events after it. */
export interface ReplayPosition {
  readonly seq: number;
  readonly simTimeNs: number;
  readonly snapshot: unknown;
  readonly events: readonly EngineEvent[];
}

export class ReplayPlayer {
  private seq = 0;
  private simNs: number;
  private speedValue: ReplaySpeed = 1;
  private playing = false;

  /** `startNs`: the session's start (simulated ns since midnight), where time stands before the first event. */
  constructor(
    private readonly stream: RecordedStream,
    startNs: number,
  ) {
    this.simNs = startNs;
  }

  get state(): ReplayState {
    if (this.seq >= this.stream.lastSeq) return 'ended';
    return this.playing ? 'playing' : 'paused';
  }

  /** The last event delivered. */
  get position(): number {
    return this.seq;
  }

  get simTimeNs(): number {
    return this.simNs;
  }

  get speed(): ReplaySpeed {
    return this.speedValue;
  }

  play(): void {
    this.playing = true;
  }

  pause(): void {
    this.playing = false;
  }

  /** Sets the speed; throws saying the range on anything else. */
  setSpeed(speed: ReplaySpeed): void {
    if (speed !== 'max' && !(Number.isFinite(speed) && speed >= REPLAY_SPEED_MIN && speed <= REPLAY_SPEED_MAX)) {
      throw new Error(`a replay plays from ${REPLAY_SPEED_MIN}× to ${REPLAY_SPEED_MAX}× or as fast as possible ('max'), received ${String(speed)}`);
    }
    this.speedValue = speed;
  }

  /** Advances a playing replay by `wallMs` of wall time; returns the batch of events now due, or null when none is. */
  advance(wallMs: number): EventBatch | null {
    if (!this.playing || this.seq >= this.stream.lastSeq) return null;
    if (this.speedValue === 'max') return this.deliver(Math.min(this.stream.lastSeq, this.seq + REPLAY_BATCH_MAX), null);
    const to = this.simNs + Math.round(wallMs * 1e6 * this.speedValue);
    const last = Math.min(this.stream.seqAt(to), this.seq + REPLAY_BATCH_MAX);
    if (last <= this.seq) {
      this.simNs = to;
      return null;
    }
    // A frame cut short by the batch cap keeps time at its last event, so the next frame goes on from there.
    return this.deliver(last, last === this.stream.seqAt(to) ? to : null);
  }

  /** Delivers the next `n` events (default one), playing or paused. */
  step(n = 1): EventBatch | null {
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`a step is a whole number of events, at least 1, received ${n}`);
    if (this.seq >= this.stream.lastSeq) return null;
    return this.deliver(Math.min(this.stream.lastSeq, this.seq + n), null);
  }

  /** Moves to just after event `seq` (0: the start): what the window shows there, built from the nearest snapshot. */
  seekTo(seq: number): ReplayPosition {
    if (!Number.isSafeInteger(seq) || seq < 0 || seq > this.stream.lastSeq) throw new Error(`a replay of ${this.stream.lastSeq} events seeks to an event from 0 to ${this.stream.lastSeq}, received ${seq}`);
    const found = seq === 0 ? { snapshot: null, events: [] } : this.stream.seek(seq);
    this.seq = seq;
    const last = found.events.at(-1);
    if (last !== undefined) this.simNs = last.ts;
    else if (found.snapshot !== null) this.simNs = found.snapshot.ts;
    return { seq, simTimeNs: this.simNs, snapshot: found.snapshot?.state ?? null, events: found.events };
  }

  /** Moves to simulated time `ts`: after the last event at or before it. */
  seekToTime(ts: number): ReplayPosition {
    const position = this.seekTo(this.stream.seqAt(ts));
    this.simNs = Math.max(this.simNs, ts);
    return { ...position, simTimeNs: this.simNs };
  }

  private deliver(last: number, simNs: number | null): EventBatch {
    const events = this.stream.events(this.seq + 1, last);
    const firstSeq = this.seq + 1;
    this.seq = last;
    this.simNs = simNs ?? events.at(-1)?.ts ?? this.simNs;
    // At the end it stops, as a player does: a seek back from there shows the moment, paused.
    if (last >= this.stream.lastSeq) this.playing = false;
    return { firstSeq, lastSeq: last, simTimeNs: this.simNs, events };
  }
}
