/**
 * Runs the backtest workflow in its own worker thread (backtest-thread.ts), with the same progress
 * sink and cancellation signal as a direct call: the window's RunBacktest goes through here, so a
 * long backtest never blocks the engine loop, and cancelling it ends the thread and its workers.
 */

import { findWorkerScript, startWorker } from '../node/workers/worker-script';
import type { BacktestOptions, BacktestReport } from './backtest';
import type { WorkflowContext, WorkflowProgress } from './workflow';
import { abortReason, WorkflowCancelled } from './workflow';

/** Messages to the backtest thread. */
export type ToBacktestThread = { readonly t: 'cancel'; readonly reason: string };
/** Messages from it. */
export type FromBacktestThread =
  | ({ readonly t: 'progress' } & WorkflowProgress)
  | { readonly t: 'done'; readonly report: BacktestReport }
  | { readonly t: 'failed'; readonly message: string }
  | { readonly t: 'cancelled' };

/** How long a cancelled thread may take to stop by itself before it is terminated. */
const CANCEL_GRACE_MS = 2_000;

export function runBacktestInThread(options: BacktestOptions, context: WorkflowContext = {}): Promise<BacktestReport> {
  const script = findWorkerScript('backtest-thread', __filename);
  if (script === null) return Promise.reject(new Error('the backtest thread is not built (no backtest-thread script beside the engine); run npm run build'));
  const signal = context.signal;
  if (signal?.aborted) return Promise.reject(new WorkflowCancelled(abortReason(signal)));
  const worker = startWorker(script, options);
  return new Promise<BacktestReport>((resolve, reject) => {
    let settled = false;
    let grace: ReturnType<typeof setTimeout> | null = null;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (grace !== null) clearTimeout(grace);
      outcome();
      void worker.terminate();
    };
    const cancelled = (): void => settle(() => reject(new WorkflowCancelled(signal ? abortReason(signal) : 'cancelled')));
    const onAbort = (): void => {
      worker.postMessage({ t: 'cancel', reason: abortReason(signal as AbortSignal) } satisfies ToBacktestThread);
      grace = setTimeout(cancelled, CANCEL_GRACE_MS);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: FromBacktestThread) => {
      if (m.t === 'progress') context.onProgress?.({ done: m.done, total: m.total });
      else if (m.t === 'done') settle(() => resolve(m.report));
      else if (m.t === 'cancelled') cancelled();
      else settle(() => reject(new Error(m.message)));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the backtest thread exited with code ${code} before it answered`))));
  });
}
