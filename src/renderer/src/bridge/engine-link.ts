import type { CockpitApi, EventBatch } from '../../../engine/contract/index';
import type { CockpitStore } from '../store/cockpit-store';
import { addCockpitActivity, applyBatches, applySnapshot, type SnapshotCause } from '../store/reduce';
import type { ConnectionStatus } from '../store/types';

/** Runs a callback once, soon: on the next animation frame in the window. */
export type FrameScheduler = (flush: () => void) => void;

/** Timers, injectable for tests. */
export interface LinkTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface EngineLinkOptions {
  readonly scheduler: FrameScheduler;
  readonly timers?: LinkTimers;
  /** Delay before snapshot retry `n` (1-based) after a failure or a gap that persists. */
  readonly retryMs?: (attempt: number) => number;
}

/** Batches held while a snapshot is awaited; past this the oldest go (the next snapshot covers them). */
export const MAX_PENDING_BATCHES = 2_000;

const defaultTimers: LinkTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Returns a scheduler that flushes on the next animation frame, or after 250 ms when frames do not
 * come (a hidden window), so that queued batches never pile up unapplied.
 */
export function animationFrameScheduler(): FrameScheduler {
  return (flush) => {
    let done = false;
    const run = (): void => {
      if (done) return;
      done = true;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      flush();
    };
    const frame = requestAnimationFrame(run);
    const timer = setTimeout(run, 250);
  };
}

/**
 * Connects an engine API to the store. Batches are queued as they come and applied in one pass per
 * frame. The first snapshot, a reconnect and a gap in sequence numbers each ask for `GetSnapshot`;
 * batches that arrive meanwhile are held and applied on top of it, skipping what it already holds.
 */
export class EngineLink {
  private readonly timers: LinkTimers;
  private readonly retryMs: (attempt: number) => number;
  private queue: EventBatch[] = [];
  private held: EventBatch[] = [];
  private flushScheduled = false;
  private awaiting = true;
  private inFlight = false;
  private again: SnapshotCause | null = null;
  private attempt = 0;
  private retryTimer: unknown = null;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly api: CockpitApi,
    private readonly store: CockpitStore,
    private readonly options: EngineLinkOptions,
  ) {
    this.timers = options.timers ?? defaultTimers;
    this.retryMs = options.retryMs ?? ((n) => Math.min(5_000, 200 * 2 ** (n - 1)));
  }

  /** Starts listening and, once connected, asks for the first snapshot; returns the stop function. */
  start(): () => void {
    this.unsubscribe = this.api.onEvents((batch) => this.receive(batch));
    if (this.store.getState().connection.status === 'connected') this.resync('connect');
    return () => this.stop();
  }

  /** Reflects the transport's health; a fresh connection starts from a new snapshot. */
  connectionChanged(status: ConnectionStatus, detail: string | null): void {
    const before = this.store.getState().connection;
    if (before.status !== status || before.detail !== detail) {
      this.store.setState({ connection: { ...before, status, detail } });
    }
    if (status === 'connected' && before.status !== 'connected') {
      this.resync('connect');
    } else if (status !== 'connected' && before.status === 'connected') {
      this.awaiting = true;
      this.held = [];
      this.queue = [];
      this.store.setState((s) => addCockpitActivity({ ...s, sync: 'resyncing' }, 'warn', 'Engine link lost', detail));
    }
  }

  /**
   * Asks for a snapshot and rebuilds from it; batches are held meanwhile. `reset`: the stream
   * changed (a replay opened, closed or moved), so what came before the call was the old stream's
   * and is dropped; the new one's batches all come after it.
   */
  resync(cause: SnapshotCause): void {
    if (this.stopped) return;
    this.awaiting = true;
    if (cause === 'reset') {
      this.queue = [];
      this.held = [];
    }
    if (this.store.getState().sync === 'live') this.store.setState({ sync: 'resyncing' });
    if (this.inFlight) {
      // A reset outranks a gap, which outranks a reconnect: the answer on the way may be the old stream's.
      this.again = this.again === 'reset' || cause === 'reset' ? 'reset' : this.again === 'gap' ? 'gap' : cause;
      return;
    }
    if (this.retryTimer !== null) {
      this.timers.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    void this.fetchSnapshot(cause);
  }

  private stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
  }

  private receive(batch: EventBatch): void {
    if (this.stopped) return;
    // A stream that starts again from its first event is a new session (one a window started): rebuilt from its snapshot.
    if (batch.firstSeq === 1 && this.store.getState().lastSeq > 0 && !this.awaiting) this.resync('reset');
    this.queue.push(batch);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.options.scheduler(() => this.flush());
  }

  /** Applies everything queued since the last frame in one store update. */
  private flush(): void {
    this.flushScheduled = false;
    const batches = this.queue;
    this.queue = [];
    if (batches.length === 0 || this.stopped) return;
    if (this.awaiting) {
      this.hold(batches);
      return;
    }
    const before = this.store.getState();
    const outcome = applyBatches(before, batches);
    this.store.setState(outcome.state, true);
    if (outcome.rest.length > 0) {
      this.hold(outcome.rest);
      this.resync('gap');
    } else if (outcome.state.session?.id !== before.session?.id) {
      // A new session's agents and prices are only in its snapshot.
      this.resync('connect');
    }
  }

  private hold(batches: readonly EventBatch[]): void {
    this.held.push(...batches);
    if (this.held.length > MAX_PENDING_BATCHES) this.held.splice(0, this.held.length - MAX_PENDING_BATCHES);
  }

  private async fetchSnapshot(cause: SnapshotCause): Promise<void> {
    this.inFlight = true;
    const res = await this.api.invoke('GetSnapshot', {});
    this.inFlight = false;
    if (this.stopped) return;
    if (this.again !== null) {
      // A reconnect or another gap came while this one was on the way: its answer may be stale.
      const next = this.again;
      this.again = null;
      void this.fetchSnapshot(next);
      return;
    }
    if (!res.ok) {
      this.retry(cause, `${res.error.code}: ${res.error.message}`);
      return;
    }
    const base = applySnapshot(this.store.getState(), res.value.snapshot, res.value.host, cause);
    // A replay's snapshot is the nearest one before where it stands; the events from there come with it.
    const { catchUp } = res.value;
    const outcome = applyBatches(base, catchUp === undefined ? this.held : [catchUp, ...this.held]);
    this.held = [];
    if (outcome.rest.length > 0) {
      // The snapshot is older than what was held; ask again, a little later.
      this.store.setState({ ...outcome.state, sync: 'resyncing' }, true);
      this.hold(outcome.rest);
      this.retry('gap', `snapshot at seq ${res.value.snapshot.lastSeq} is behind held events from seq ${outcome.rest[0]!.firstSeq}`);
      return;
    }
    this.store.setState(outcome.state, true);
    this.attempt = 0;
    this.awaiting = false;
  }

  private retry(cause: SnapshotCause, why: string): void {
    this.attempt += 1;
    const delay = this.retryMs(this.attempt);
    if (this.attempt === 1 || this.attempt % 10 === 0) {
      console.warn(`engine link: snapshot attempt ${this.attempt} failed (${why}); retrying in ${delay} ms`);
    }
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      if (!this.inFlight) void this.fetchSnapshot(cause);
    }, delay);
  }
}
