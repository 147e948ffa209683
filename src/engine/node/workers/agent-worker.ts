/**
 * An agent worker thread (agent-sandbox.ts): loads the strategy factory its spec names, builds the
 * agent's strategy when asked, and answers each decision on the port it is sent, raising the
 * shared flag after every reply so the engine thread, waiting on it, wakes.
 */

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Venue } from '../../venue/types';
import type { CockpitStrategy, StrategyFactory } from '../../execution/kernel';
import type { ExecutionFill } from '../../execution/types';
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
  raise(FLAG_LOAD, LOADED);
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

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
