/**
 * The LOBSTER sample pairs the simulator's calibration and stylized facts read (streamed in
 * lockstep by `streamLobsterPair` in `lobster-files.ts`).
 */

import type { LobsterFilePair } from './lobster-files';

/** Returns the message and orderbook paths of a LOBSTER sample pair in `dir` for a ticker. */
export function lobsterSamplePair(dir: string, ticker: string, levels: number, endMs = 57_600_000, startMs = 34_200_000): LobsterFilePair {
  const base = `${dir}/${ticker}_2012-06-21_${startMs}_${endMs}`;
  return { messages: `${base}_message_${levels}.csv.gz`, orderbook: `${base}_orderbook_${levels}.csv.gz`, levels };
}
