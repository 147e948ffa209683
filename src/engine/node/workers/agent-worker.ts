/**
 * An agent worker thread (agent-sandbox.ts): loads the strategy factory its spec names, builds the
 * agent's strategy when asked, and answers each decision on the port it is sent, raising the
 * shared flag after every reply so the engine thread, waiting on it, wakes.
 */

import { MessageChannel, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Venue } from '../../venue/types';
import type { CockpitStrategy, StrategyFactory } from '../../execution/kernel';
import type { ExecutionFill, MarketView, StrategyStep } from '../../execution/types';
import { FLAG_LOAD, FLAG_REPLY, LOAD_FAILED, LOADED, loadStrategyFactory, type AgentWorkerData, type FromAgentWorker, type ToAgentWorker } from './agent-sandbox';

const parent = parentPort;
if (!parent) throw new Error('agent-worker runs in a worker thread, received no parent port');
const data = workerData as AgentWorkerData;

/** Stands in for the market's venue: a strategy acts only through the steps it returns. */
const noVenue = new Proxy({} as Venue, {
  get(_target, key) {
    throw new Error(`a sandboxed strategy has no venue (it read venue.${String(key)}); it acts through the steps it returns`);
  },
});

parent.once('message', (m: { port: MessagePort }) => serve(m.port));

function raise(index: number, value: number): void {
  Atomics.store(data.flag, index, value);
  Atomics.notify(data.flag, index);
}

function serve(port: MessagePort): void {
  let factory: StrategyFactory;
  try {
    factory = loadStrategyFactory(data);
  } catch (err) {
    port.postMessage({ id: 0, ok: false, message: messageOf(err) } satisfies FromAgentWorker);
    raise(FLAG_LOAD, LOAD_FAILED);
    return;
  }
  void warmUpMessages().then(() => raise(FLAG_LOAD, LOADED));
  let strategy: CockpitStrategy | null = null;
  const fills: ExecutionFill[] = [];

  const answer = (m: ToAgentWorker): FromAgentWorker => {
    if (m.kind === 'build') {
      strategy = factory(m.spec, { market: { ...m.context.market, venue: noVenue }, parent: m.context.parent, startNs: m.context.startNs });
      return { id: m.id, ok: true, kind: 'built', name: strategy.name };
    }
    fills.length = Math.min(fills.length, m.fillsFrom);
    for (const f of m.fills) fills.push(f);
    if (strategy === null) throw new Error('asked to decide before its strategy was built');
    const step = strategy.decide({ ...m.view, fills });
    return { id: m.id, ok: true, kind: 'decided', step, explanation: strategy.lastExplanation?.() ?? null };
  };

  port.on('message', (m: ToAgentWorker) => {
    let reply: FromAgentWorker;
    try {
      reply = answer(m);
    } catch (err) {
      reply = { id: m.id, ok: false, message: messageOf(err) };
    }
    try {
      port.postMessage(reply);
    } catch (err) {
      port.postMessage({ id: m.id, ok: false, message: `its answer could not be sent back: ${messageOf(err)}` } satisfies FromAgentWorker);
    }
    raise(FLAG_REPLY, m.id);
  });
}

/** Round trips sent through a channel of the worker's own as it loads. */
const WARM_UP_MESSAGES = 30;

/**
 * Sends decision-shaped messages through a channel of the worker's own, so the first real ones do
 * not pay for the cold paths of receiving, dispatching and answering a message (a fresh worker's
 * first round trips took 10 to 25 ms, against a 20 ms deadline).
 */
function warmUpMessages(): Promise<void> {
  const { port1, port2 } = new MessageChannel();
  const view = sampleView();
  const step: StrategyStep = { cancels: [], orders: [{ style: 'passive', size: 10, price: 1001, tif: 'GTC' }], action: { kind: 'post', size: 10, price: 1001 }, reason: 'warm-up', inputs: { mid: view.mid } };
  return new Promise<void>((resolve) => {
    let answered = 0;
    port2.on('message', (m: ToAgentWorker) => port2.postMessage({ id: m.id, ok: true, kind: 'decided', step, explanation: null } satisfies FromAgentWorker));
    port1.on('message', () => {
      if (++answered < WARM_UP_MESSAGES) return;
      port1.close();
      resolve();
    });
    for (let id = 1; id <= WARM_UP_MESSAGES; id++) port1.postMessage({ id, kind: 'decide', view, fillsFrom: 0, fills: view.fills } satisfies ToAgentWorker);
  });
}

/** A market view of the usual size: ten levels a side, a working order, a fill. */
function sampleView(): MarketView {
  const levels = (from: number, step: number): Array<[number, number]> => Array.from({ length: 10 }, (_, i): [number, number] => [from + step * i, 40 + i]);
  return {
    ts: 34_260_000_000_000,
    parent: { side: 'sell', quantity: 30_000, horizonNs: 3_600_000_000_000 },
    startNs: 34_215_000_000_000,
    endNs: 37_815_000_000_000,
    timeLeftNs: 3_555_000_000_000,
    elapsed: 0.0125,
    nextDecisionInNs: 30_000_000_000,
    filled: 10,
    quantityLeft: 29_990,
    working: 10,
    arrivalMid: 1000.5,
    bestBid: 1000,
    bestAsk: 1001,
    mid: 1000.5,
    spread: 1,
    tickSize: 1,
    depth: { bids: levels(1000, -1), asks: levels(1001, 1) },
    bidSizeAtTouch: 40,
    askSizeAtTouch: 40,
    imbalance: 0,
    recentVolume: 1_000,
    recentSignedVolume: -20,
    recentVolumeWindowNs: 60_000_000_000,
    marketVolumeSinceStart: 12_345,
    volatilityBpsPerSqrtS: 1.2,
    openOrders: [{ id: 2, side: 'sell', price: 1001, size: 10, filled: 0, remaining: 10, acceptedAt: 34_230_000_000_000, sizeAhead: 30 }],
    fills: [{ orderId: 1, side: 'sell', price: 1000, size: 10, liquidity: 'taker', remaining: 0, ts: 34_215_000_000_000, midBefore: 1000.5 }],
    lastRefusal: null,
    urgency: 1,
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
