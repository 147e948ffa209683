/**
 * The stylized facts of a real LOBSTER day, measured by the same `FactsRecorder` as the simulator:
 * mid each minute from the orderbook rows, spread and touch depth each second, and visible
 * executions (type 4) as aggressive trades, grouped by timestamp and side into aggressive orders.
 */

import { FactsRecorder } from '../sim/facts-recorder';
import type { MarketFacts, SignRun, TopOfBook } from '../sim/facts-recorder';
import type { LobsterFilePair } from '../node/files/lobster-files';
import { streamLobsterPair } from '../node/files/lobster-files';
import { LOBSTER_UNITS_PER_TICK } from '../data/lobster';

/** NASDAQ's continuous session, ns after midnight. */
export const SESSION_OPEN_NS = 34_200 * 1e9;
export const SESSION_CLOSE_NS = 57_600 * 1e9;

/** Measures a LOBSTER day's facts over the regular session. */
export async function measureRealFacts(
  pair: LobsterFilePair,
  startNs = SESSION_OPEN_NS,
  endNs = SESSION_CLOSE_NS,
): Promise<{ readonly facts: MarketFacts; readonly runs: readonly SignRun[] }> {
  const cur = { bid: NaN, ask: NaN, bidSize: 0, askSize: 0 };
  const top: TopOfBook = {
    bid: () => cur.bid,
    ask: () => cur.ask,
    bidSize: () => cur.bidSize,
    askSize: () => cur.askSize,
  };
  const rec = new FactsRecorder(top, startNs, endNs);
  await streamLobsterPair(pair, (m, row) => {
    rec.advance(m.timeNs);
    const midBefore = (cur.bid + cur.ask) / 2;
    const askS = row[1]!;
    const bidS = row[3]!;
    cur.ask = askS > 0 ? row[0]! / LOBSTER_UNITS_PER_TICK : NaN;
    cur.askSize = askS;
    cur.bid = bidS > 0 ? row[2]! / LOBSTER_UNITS_PER_TICK : NaN;
    cur.bidSize = bidS;
    if (m.kind === 'execute' && m.timeNs >= startNs) {
      rec.trade(m.timeNs, m.side === 'buy' ? -1 : 1, m.size, midBefore, (cur.bid + cur.ask) / 2);
    }
  });
  const facts = rec.finish();
  return { facts, runs: rec.signRuns() };
}
