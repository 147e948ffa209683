/**
 * The trader's side of `cockpit bench risk`: a thread of its own that, at a set time on the process's
 * monotonic clock, stamps the time into shared memory and sends KillAll over a MessagePort, the way
 * the window's command reaches the engine thread (whatever that thread is doing).
 */

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';

/** What the worker is started with. */
export interface KillRequestData {
  /** When to send, `process.hrtime.bigint()` ns. */
  readonly at: bigint;
  /** `[0]`: when it sent, `process.hrtime.bigint()` ns (0 until then). */
  readonly stamp: BigInt64Array;
  readonly reason: string;
}

const parent = parentPort;
if (!parent) throw new Error('kill-request-worker runs in a worker thread, received no parent port');
const data = workerData as KillRequestData;

parent.once('message', (m: { port: MessagePort }) => {
  const send = (): void => {
    // Sleep to within a couple of ms, then spin to the moment.
    const left = Number(data.at - process.hrtime.bigint()) / 1e6;
    if (left > 2) {
      setTimeout(send, left - 2);
      return;
    }
    while (process.hrtime.bigint() < data.at) {
      // Spins to the moment.
    }
    Atomics.store(data.stamp, 0, process.hrtime.bigint());
    m.port.postMessage({ name: 'KillAll', payload: { reason: data.reason } });
    m.port.close();
  };
  send();
});
