import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { startWorker } from '../../engine/node/workers/worker-script';
import type { EventBatch } from '../../engine/contract/events';
import type { HostMessage } from '../../engine/contract/wire';
import type { CommandError, CommandResult } from '../../engine/contract/result';
import { validateCommand, type Decoded } from '../../engine/contract/validate';
import type { ValidCommand } from '../../engine/contract/index';
import type { EngineOptions, ReplayWorkerOptions, SessionHandover, ToWorkerMessage, WorkerMessage } from './protocol';

/** One window's connection to the engine: what it sends in, and where its replies go. */
export interface EngineClient {
  /** Carries out a command message the transport decoded at the contract's edge (`decodeCommandText` or `decodeCommandMessage`); a refused one is answered with its error. */
  receive(decoded: Decoded): void;
  close(): void;
}

/** What a transport connects windows to: the engine host itself, or the router in front of it (session-router.ts). */
export interface EngineEndpoint {
  connect(send: (msg: HostMessage) => void, by: string): EngineClient;
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
   * `workerPath` is the built worker (the engine's, or a replay's with ReplayWorkerOptions); tests
   * pass the TypeScript source and `sourceLoader`, a module that lets `require` load TypeScript
   * (tsx's `tsx/cjs`).
   */
  constructor(options: EngineOptions | ReplayWorkerOptions, workerPath = join(__dirname, 'engine-worker.js'), sourceLoader?: string) {
    this.worker = startWorker(sourceLoader === undefined ? { file: workerPath } : { file: workerPath, loader: sourceLoader }, options);
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

  /** Validates a raw command (Electron's IPC hands over name and payload) from `by` and resolves with its result. */
  request(name: unknown, payload: unknown, by = 'cockpit window'): Promise<CommandResult<unknown>> {
    const v = validateCommand(name, payload);
    if (!v.ok) return Promise.resolve(this.refuse(name, v.error));
    return this.execute(v.command, by);
  }

  /** Sends a validated command from `by` (who sent it, recorded with the changes it makes) to the engine and resolves with its result. */
  execute(command: ValidCommand, by: string): Promise<CommandResult<unknown>> {
    if (this.exited) return Promise.resolve({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: 'the engine is not running' } });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      if (!this.post({ t: 'cmd', id, command, by })) {
        this.pending.delete(id);
        resolve({ ok: false, error: { code: 'INTERNAL', message: `the engine could not be handed ${command.name}` } });
      }
    });
  }

  /** Connects a window (`by` names it in the record of what it changes); `send` delivers the host's messages to it. */
  connect(send: (msg: HostMessage) => void, by: string): EngineClient {
    const onBatch = (batch: EventBatch): void => send({ t: 'events', batch });
    this.batchListeners.add(onBatch);
    return {
      receive: (decoded: Decoded) => {
        if (!decoded.ok) {
          send({ t: 'res', id: decoded.id, result: this.refuse(null, decoded.error) });
          return;
        }
        void this.execute(decoded.command, by).then((result) => send({ t: 'res', id: decoded.id, result }));
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

  /** Stops the engine, flushing its journal; `handover`: it ends for a session a window started (recorded on its audit trail first). */
  async stop(handover?: SessionHandover): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.post(handover === undefined ? { t: 'stop' } : { t: 'stop', handover });
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 3000).unref());
    await Promise.race([done, timeout]);
    if (!this.exited) await this.worker.terminate();
  }

  /** Answers a command the edge refused, and tells the engine so its journal records it. */
  refuse(name: unknown, error: CommandError): CommandResult<unknown> {
    if (!this.exited) this.post({ t: 'refused', name: typeof name === 'string' ? name.slice(0, 64) : '(malformed)', code: error.code });
    return { ok: false, error };
  }

  /** Hands a message to the engine's thread; false when it cannot be carried (it never throws). */
  private post(msg: ToWorkerMessage): boolean {
    try {
      this.worker.postMessage(msg);
      return true;
    } catch {
      return false;
    }
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
