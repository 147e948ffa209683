/**
 * Runs the simulator's calibration on LOBSTER files: streams the message and orderbook files into a
 * `CalibrationAccumulator`, optionally reads the per-minute volume file for the intraday profile,
 * and writes the scenario it makes (checked against the schema first).
 */

import type { WorkflowContext } from './workflow';
import { throwIfCancelled } from './workflow';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CalibrationAccumulator, profileFromMinutes, scenarioFromCalibration } from '../sim/calibrate';
import type { CalibrationMeasurements } from '../sim/calibrate';
import { parseScenario } from '../sim/scenario';
import type { ScenarioInput } from '../sim/scenario';
import { streamLobsterPair } from '../node/files/lobster-files';
import type { LobsterFilePair } from '../node/files/lobster-files';

export interface CalibrationRun {
  readonly measurements: CalibrationMeasurements;
  readonly scenario: ScenarioInput;
  readonly out: string;
}

/**
 * Returns the per-minute total executed shares of `ticker` from the volume file
 * (`ticker,date,minute_start_et,visible,hidden,total,…` with a header), in file order.
 */
export function readVolumeProfile(file: string, ticker: string): number[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const header = lines[0]?.split(',') ?? [];
  const col = header.indexOf('total_exec_shares');
  if (col < 0) throw new Error(`${file}: expected a header with total_exec_shares, received "${lines[0] ?? ''}"`);
  const out: number[] = [];
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    if (f[0] === ticker) out.push(Number(f[col]));
  }
  if (out.length === 0) throw new Error(`${file}: no rows for ticker ${ticker}`);
  return out;
}

/** Returns the ticker in a LOBSTER file name ("GOOG_2012-06-21_…"), or "SIM". */
export function tickerFromFileName(path: string): string {
  return /^([A-Z.]+)_\d{4}-\d{2}-\d{2}_/.exec(basename(path))?.[1] ?? 'SIM';
}

/** What a calibration reads and writes. */
export interface CalibrateOptions {
  readonly pair: LobsterFilePair;
  /** The scenario file to write. */
  readonly out: string;
  /** Default: calibrated-<ticker>. */
  readonly name?: string;
  /** A per-minute volume CSV for the intraday profile (default: from the messages). */
  readonly volumeFile?: string;
}

/** How many messages between progress reports and cancellation checks while the day is read. */
const CHECK_EVERY = 50_000;

/** Measures a LOBSTER pair, makes a scenario from it, validates it and writes it to `out`; progress counts messages read (total unknown: 0). */
export async function calibrateFromLobster(options: CalibrateOptions, context: WorkflowContext = {}): Promise<CalibrationRun> {
  const { pair, out } = options;
  throwIfCancelled(context.signal);
  const acc = new CalibrationAccumulator(pair.levels);
  let read = 0;
  await streamLobsterPair(pair, (m, row) => {
    acc.push(m, row);
    if (++read % CHECK_EVERY === 0) {
      throwIfCancelled(context.signal);
      context.onProgress?.({ done: read, total: 0 });
    }
  });
  throwIfCancelled(context.signal);
  const measurements = acc.result();
  const ticker = tickerFromFileName(pair.messages);
  const volumeProfile = options.volumeFile !== undefined ? profileFromMinutes(readVolumeProfile(options.volumeFile, ticker)) : undefined;
  const name = options.name ?? `calibrated-${ticker.toLowerCase()}`;
  const scenario = scenarioFromCalibration(measurements, {
    name,
    symbol: ticker,
    source: `${basename(pair.messages)} and ${basename(pair.orderbook)}`,
    ...(volumeProfile ? { volumeProfile } : {}),
  });
  parseScenario(scenario, out);
  writeFileSync(out, `${JSON.stringify(scenario, null, 2)}\n`);
  return { measurements, scenario, out };
}
