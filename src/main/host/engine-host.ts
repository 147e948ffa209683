import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { EventBatch } from '../../engine/contract/events';
import type { HostMessage } from '../../engine/contract/wire';
import type { CommandResult } from '../../engine/contract/result';
import type { EngineOptions, ToWorkerMessage, WorkerMessage } from './protocol';

/** One window's connection to the engine: what it sends in, and where its replies go. */
export interface EngineClient {
  /** Sends a raw command message from the window (validated in the engine). */
  receive(raw: unknown): void;
  close(): void;
}

export interface StartedEngine {
  readonly sessionId: string;
  readonly journalPath: string | null;
  readonly backend: string;
}

/**
 * Runs the engine in a worker thread, off the event loop that serves the window, and connects any
 * number of windows to it: each gets the replies to its own commands and every event batch.
 */
export class EngineHost {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, (result: CommandResult<unknown>) => void>();
  private readonly batchListeners = new Set<(batch: EventBatch) => void>();
  private readonly started: Promise<StartedEngine>;
  private exited = false;

  /**
   * `workerPath` is the built worker; tests pass the TypeScript source and `sourceLoader`, a module
   * that lets `require` load TypeScript (tsx's `tsx/cjs`).
   */
  constructor(options: EngineOptions, workerPath = join(__dirname, 'engine-worker.js'), sourceLoader?: string) {
    this.worker = sourceLoader
      ? new Worker(`require(${JSON.stringify(sourceLoader)}); require(${JSON.stringify(workerPath)});`, { eval: true, workerData: options })
      : new Worker(workerPath, { workerData: options });
    this.started = new Promise((resolve, reject) => {
      this.worker.on('message', (msg: WorkerMessage) => {
        if (msg.t === 'ready') resolve({ sessionId: msg.sessionId, journalPath: msg.journalPath, backend: msg.backend });
        else if (msg.t === 'fatal') reject(new Error(msg.message));
        else this.dispatch(msg);
      });
      this.worker.on('error', (err) => reject(err));
      this.worker.on('exit', (code) => {
        this.exited = true;
        for (const reply of this.pending.values()) reply({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: `the engine stopped (exit code ${code})` } });
        this.pending.clear();
        reject(new Error(`the engine stopped before it was ready (exit code ${code})`));
      });
    });
  }

  /** Resolves once the engine runs its session. */
  ready(): Promise<StartedEngine> {
    return this.started;
  }

  /** Sends a raw command and resolves with its result; `raw` is validated in the engine. */
  request(name: unknown, payload: unknown): Promise<CommandResult<unknown>> {
    if (this.exited) return Promise.resolve({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: 'the engine is not running' } });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.post({ t: 'cmd', id, name, payload });
    });
  }

  /** Connects a window; `send` delivers the host's messages to it. */
  connect(send: (msg: HostMessage) => void): EngineClient {
    const onBatch = (batch: EventBatch): void => send({ t: 'events', batch });
    this.batchListeners.add(onBatch);
    return {
      receive: (raw: unknown) => {
        const msg = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
        const clientId = typeof msg.id === 'number' && Number.isSafeInteger(msg.id) && msg.id >= 0 ? msg.id : null;
        if (msg.t !== 'cmd' || clientId === null) {
          send({ t: 'res', id: clientId, result: { ok: false, error: { code: 'MALFORMED_MESSAGE', message: 'expected {t: "cmd", id: non-negative integer, name, payload}' } } });
          return;
        }
        void this.request(msg.name, msg.payload).then((result) => send({ t: 'res', id: clientId, result }));
      },
      close: () => {
        this.batchListeners.delete(onBatch);
      },
    };
  }

  /** Subscribes to event batches. */
  onBatch(listener: (batch: EventBatch) => void): () => void {
    this.batchListeners.add(listener);
    return () => this.batchListeners.delete(listener);
  }

  /** Stops the engine, flushing its journal. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.post({ t: 'stop' });
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 3000).unref());
    await Promise.race([done, timeout]);
    if (!this.exited) await this.worker.terminate();
  }

  private post(msg: ToWorkerMessage): void {
    this.worker.postMessage(msg);
  }

  private dispatch(msg: HostMessage): void {
    if (msg.t === 'events') {
      for (const l of this.batchListeners) l(msg.batch);
      return;
    }
    if (msg.id === null) return;
    const reply = this.pending.get(msg.id);
    if (reply) {
      this.pending.delete(msg.id);
      reply(msg.result);
    }
  }
}
