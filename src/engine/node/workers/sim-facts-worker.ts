/**
 * A worker thread of `runSeedFacts`: simulates the seeds it is given and posts each seed's facts.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { simulateSeedFacts } from '../../sim/facts';
import type { Scenario } from '../../sim/scenario';

const data = workerData as { readonly scenario: Scenario; readonly seeds: readonly number[] };
for (const seed of data.seeds) parentPort?.postMessage(simulateSeedFacts(data.scenario, seed));
