/**
 * The backtest workflow in a worker thread of its own, as the window runs it: the engine loop
 * never waits for it. It reads its options from `workerData`, reports progress, and stops when it
 * is sent `cancel` (its episode workers are terminated with it). See `runBacktestInThread`.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { backtest, type BacktestOptions } from './backtest';
import type { FromBacktestThread, ToBacktestThread } from './in-thread';
import { WorkflowCancelled } from './workflow';

const port = parentPort;
if (!port) throw new Error('backtest-thread runs in a worker thread, received no parent port');

const controller = new AbortController();
const post = (m: FromBacktestThread): void => port.postMessage(m);
port.on('message', (m: ToBacktestThread) => {
  if (m.t === 'cancel' && !controller.signal.aborted) controller.abort(m.reason);
});

backtest(workerData as BacktestOptions, { signal: controller.signal, onProgress: (p) => post({ t: 'progress', ...p }) }).then(
  (report) => post({ t: 'done', report }),
  (err: unknown) => {
    if (controller.signal.aborted || err instanceof WorkflowCancelled) post({ t: 'cancelled' });
    else post({ t: 'failed', message: err instanceof Error ? err.message : String(err) });
  },
);
