/**
 * A backtest worker thread: builds the market once from `workerData`, then runs the pilot and seed
 * tasks it is sent, one at a time, reporting each finished episode for the progress bar.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { runPilot, runSeed } from '../../execution/backtest';
import type { BacktestWorkerData, ToBacktestWorker, FromBacktestWorker } from './backtest-pool';
import { loadMarket } from '../files/backtest-markets';

const port = parentPort;
if (!port) throw new Error('backtest-worker runs in a worker thread, received no parent port');

const data = workerData as BacktestWorkerData;
const post = (m: FromBacktestWorker): void => port.postMessage(m);
const marketReady = loadMarket(data.market);

port.on('message', (m: ToBacktestWorker) => {
  void handle(m);
});

async function handle(m: ToBacktestWorker): Promise<void> {
  try {
    const market = await marketReady;
    if (m.type === 'pilot') {
      const result = runPilot(market, data.spec, m.seed);
      post({ type: 'pilot-done', task: m.task, result });
    } else {
      const result = runSeed(market, data.spec, m.seed, m.acModel, (e) => post({ type: 'episode', seed: e.seed, strategy: e.strategy }));
      post({ type: 'seed-done', task: m.task, result });
    }
  } catch (err) {
    post({ type: 'error', task: m.task, message: err instanceof Error ? err.message : String(err) });
  }
}
