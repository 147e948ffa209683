import { parentPort, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SequentialIds } from '../../engine/core/ids';
import { DEFAULT_SESSION, createSession, type SessionKernel } from '../../engine/kernel/session-kernel';
import { decodeCommandMessage } from '../../engine/contract/validate';
import { fail, type CommandResult } from '../../engine/contract/result';
import type { EngineEvent } from '../../engine/contract/events';
import type { HostInfo } from '../../engine/contract/index';
import { Journal } from '../../engine/node/journal';
import { selectBackend } from '../../engine/node/tf-backend';
import type { EngineOptions, ToWorkerMessage, WorkerMessage } from './protocol';

/** The wall-clock period of the engine loop: one event batch per frame at most. */
const FRAME_MS = 16;

const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread');
const options = workerData as EngineOptions;

function post(msg: WorkerMessage): void {
  port!.postMessage(msg);
}

async function main(): Promise<void> {
  const backend = await selectBackend(options.backend);
  const wall = new Date();
  const sessionId = `${wall.toISOString().replace(/[:.]/g, '-').replace('Z', '')}-s${options.seed}`;
  const config = { ...DEFAULT_SESSION, sessionId, seed: options.seed, speed: options.speed ?? DEFAULT_SESSION.speed };
  const kernel: SessionKernel = createSession(config, new SequentialIds());

  let journal: Journal | null = null;
  if (options.dataDir) {
    const path = join(options.dataDir, 'sessions', `${sessionId}.sqlite`);
    journal = Journal.create(path, { sessionId, seed: options.seed, createdAt: wall.toISOString(), appVersion: options.appVersion }, options.sqliteBinding);
  }
  const host: HostInfo = {
    version: options.appVersion,
    backend: backend.name,
    backendDetail: backend.detail,
    journalPath: journal?.path ?? null,
  };

  let pending: EngineEvent[] = [];
  let batchFrom = 1;
  kernel.subscribe((e) => pending.push(e));
  kernel.start();

  const flush = (): void => {
    const events = pending;
    pending = [];
    journal?.append(events);
    const lastSeq = batchFrom + events.length - 1;
    post({ t: 'events', batch: { firstSeq: batchFrom, lastSeq, simTimeNs: kernel.clockSource.now(), events } });
    batchFrom = lastSeq + 1;
  };

  let lastWall = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const dtMs = now - lastWall;
    lastWall = now;
    if (kernel.clockRunning) kernel.elapse(Math.round(dtMs * 1e6 * kernel.currentSpeed));
    flush();
  }, FRAME_MS);

  port!.on('message', (msg: ToWorkerMessage) => {
    if (msg.t === 'stop') {
      clearInterval(timer);
      flush();
      journal?.close();
      process.exit(0);
    }
    const decoded = decodeCommandMessage(msg);
    let result: CommandResult<unknown>;
    if (!decoded.ok) {
      result = { ok: false, error: decoded.error };
    } else {
      try {
        result = kernel.execute(decoded.command);
        if (result.ok && decoded.command.name === 'GetSnapshot') {
          // The snapshot covers every event up to lastSeq, including ones not yet flushed.
          result = { ok: true, value: { ...(result.value as object), host } };
        }
      } catch (err) {
        result = fail('INTERNAL', `engine failed on ${decoded.command.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    journal?.recordCommand(new Date().toISOString(), typeof msg.name === 'string' ? msg.name.slice(0, 64) : '(malformed)', decoded.ok ? decoded.command.payload : null, result.ok, result.ok ? null : result.error.code);
    post({ t: 'res', id: decoded.id, result });
  });

  post({ t: 'ready', sessionId, journalPath: journal?.path ?? null, backend: backend.name });
}

main().catch((err: unknown) => {
  post({ t: 'fatal', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
