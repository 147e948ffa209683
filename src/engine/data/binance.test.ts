import { describe, expect, it } from 'vitest';
import { createOrderBook } from '../book/order-book';
import { BTCUSDT, BTCUSDT_USDM, BinanceBookRebuild, BinanceFormatError, decimalToUnits, levelOrderId, parseBinanceLine, unitsToDecimal } from './binance';
import type { BinanceRecord } from './binance';

describe('decimal strings', () => {
  it('convertsToIntegerUnitsWithoutFloatError', () => {
    expect(decimalToUnits('61837.63000000', 2)).toBe(6_183_763);
    // 0.29 × 100 is 28.999999999999996 in doubles.
    expect(decimalToUnits('0.29000000', 2)).toBe(29);
    expect(decimalToUnits('0.00001000', 5)).toBe(1);
    expect(decimalToUnits('3.78826000', 6)).toBe(3_788_260);
    expect(decimalToUnits('0.00000000', 6)).toBe(0);
    expect(decimalToUnits('42', 2)).toBe(4_200);
  });

  it('refusesDigitsBeyondTheStepAndAnythingButPlainDecimals', () => {
    expect(decimalToUnits('25.42618900', 5)).toBeNaN();
    for (const bad of ['', '.5', '5.', '-1.00', '1e5', '1,00', ' 1.00', '1.0a']) expect(decimalToUnits(bad, 2), bad).toBeNaN();
  });

  it('formatsUnitsBackToDecimals', () => {
    expect(unitsToDecimal(6_183_763, 2)).toBe('61837.63');
    expect(unitsToDecimal(7, 6)).toBe('0.000007');
    expect(unitsToDecimal(0, 2)).toBe('0.00');
  });
});

describe('capture lines', () => {
  it('readsTheFourKindsOfRecord', () => {
    const depth = parseBinanceLine(
      '1723161253937085768 {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255208,"s":"BTCUSDT","U":50093239189,"u":50093239202,"b":[["61737.63000000","0.00000000"]],"a":[["61837.64000000","1.54698000"]]}}',
      BTCUSDT,
      'f',
      1,
    );
    expect(depth).toEqual({
      kind: 'depth',
      localNs: 1_723_161_253_937_085_768n,
      eventMs: 1_723_161_255_208,
      firstUpdateId: 50_093_239_189,
      finalUpdateId: 50_093_239_202,
      bids: [[6_173_763, 0]],
      asks: [[6_183_764, 1_546_980]],
    });
    const ticker = parseBinanceLine('1 {"stream":"btcusdt@bookTicker","data":{"u":7,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}}', BTCUSDT, 'f', 2);
    expect(ticker).toEqual({ kind: 'ticker', localNs: 1n, updateId: 7, bidPrice: 6_183_763, bidSize: 3_788_260, askPrice: 6_183_764, askSize: 1_546_980 });
    const trade = parseBinanceLine('2 {"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":3735683259,"p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}}', BTCUSDT, 'f', 3);
    expect(trade).toEqual({ kind: 'trade', localNs: 2n, tradeId: 3_735_683_259, tradeMs: 1_723_161_255_342, price: 6_183_763, size: 20_000, buyerIsMaker: true });
    const snapshot = parseBinanceLine('3 {"lastUpdateId":50093239218,"bids":[["61837.63000000","3.78826000"]],"asks":[["61837.64000000","1.54698000"]]}', BTCUSDT, 'f', 4);
    expect(snapshot).toEqual({ kind: 'snapshot', localNs: 3n, lastUpdateId: 50_093_239_218, bids: [[6_183_763, 3_788_260]], asks: [[6_183_764, 1_546_980]] });
  });

  it('readsTheUsdmCaptureInMicrosecondsWithPreviousFinalIdsAndMarkPrices', () => {
    const depth = parseBinanceLine(
      '1680652700600379 {"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1680652700610,"T":1680652700603,"s":"BTCUSDT","U":2710246765629,"u":2710246765882,"pu":2710246765597,"b":[["28018.90","0.080"]],"a":[["28220.20","0.452"]]}}',
      BTCUSDT_USDM,
      'f',
      1,
      'us',
    );
    expect(depth).toEqual({
      kind: 'depth',
      localNs: 1_680_652_700_600_379_000n,
      eventMs: 1_680_652_700_610,
      firstUpdateId: 2_710_246_765_629,
      finalUpdateId: 2_710_246_765_882,
      previousFinalUpdateId: 2_710_246_765_597,
      bids: [[280_189, 80]],
      asks: [[282_202, 452]],
    });
    const mark = (p: string): BinanceRecord => parseBinanceLine(`1 {"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":5,"s":"BTCUSDT","p":"${p}"}}`, BTCUSDT_USDM, 'f', 2, 'us');
    expect(mark('28147.27373413')).toEqual({ kind: 'mark', localNs: 1000n, eventMs: 5, markPrice: 281_473 });
    expect(mark('28147.25000000')).toMatchObject({ markPrice: 281_473 });
    expect(mark('28147.24999999')).toMatchObject({ markPrice: 281_472 });
    expect(mark('28147')).toMatchObject({ markPrice: 281_470 });
  });

  it('namesFileAndLineOnAMalformedLine', () => {
    const cases: Array<[string, RegExp]> = [
      ['{"stream":"x"}', /expected "<local receive time ns> <JSON>"/],
      ['5 {not json', /expected JSON after the local time/],
      ['5 {"stream":"btcusdt@kline","data":{}}', /expected a stream ending in/],
      ['5 {"stream":"btcusdt@bookTicker","data":{"u":7,"b":"61837.635","B":"1","a":"61837.64","A":"1"}}', /bookTicker b as a decimal string on the BTCUSDT tick/],
      ['5 {"stream":"btcusdt@depth@100ms","data":{"E":1,"U":9,"u":8,"b":[],"a":[]}}', /depth U <= u/],
      ['5 {"stream":"btcusdt@trade","data":{"t":1,"T":1,"p":"1.00","q":"1.00","m":"yes"}}', /trade m as a boolean/],
    ];
    for (const [line, expected] of cases) {
      let caught: unknown;
      try {
        parseBinanceLine(line, BTCUSDT, 'capture.jsonl.gz', 17);
      } catch (err) {
        caught = err;
      }
      expect(caught, line).toBeInstanceOf(BinanceFormatError);
      expect((caught as Error).message, line).toMatch(/^capture\.jsonl\.gz:17: /);
      expect((caught as Error).message, line).toMatch(expected);
    }
  });
});

const snapshot = (lastUpdateId: number, bids: Array<[number, number]>, asks: Array<[number, number]>): BinanceRecord => ({ kind: 'snapshot', localNs: 0n, lastUpdateId, bids, asks });
const diff = (U: number, u: number, bids: Array<[number, number]>, asks: Array<[number, number]>): BinanceRecord => ({
  kind: 'depth',
  localNs: 0n,
  eventMs: 0,
  firstUpdateId: U,
  finalUpdateId: u,
  bids,
  asks,
});
const ticker = (u: number, bid: number, bidSize: number, ask: number, askSize: number): BinanceRecord => ({
  kind: 'ticker',
  localNs: 0n,
  updateId: u,
  bidPrice: bid,
  bidSize,
  askPrice: ask,
  askSize,
});

function rebuild(records: BinanceRecord[]): BinanceBookRebuild {
  const r = new BinanceBookRebuild(createOrderBook());
  for (const rec of records) r.onRecord(rec);
  return r;
}

describe('binance book rebuild', () => {
  it('buffersDiffsUntilTheSnapshotThenAppliesFromTheOneThatStraddlesIt', () => {
    const r = rebuild([
      diff(90, 99, [[100, 1]], []), // before the snapshot: dropped (u <= 100)
      diff(100, 104, [[100, 50]], []), // straddles 101
      snapshot(100, [[100, 10], [99, 10]], [[101, 10]]),
      diff(105, 106, [[99, 0]], [[101, 30]]),
    ]);
    expect(r.report()).toMatchObject({ diffsBuffered: 2, diffsDropped: 1, diffsApplied: 2, gaps: 0, crossedBooks: 0 });
    expect(r.orderBook.l2(5)).toEqual({ bids: [[100, 50]], asks: [[101, 30]] });
  });

  it('reportsAGapWhenADiffDoesNotFollowOnAndStopsApplying', () => {
    const r = rebuild([snapshot(100, [[100, 10]], [[101, 10]]), diff(101, 103, [[100, 5]], []), diff(105, 106, [[100, 7]], [])]);
    expect(r.report()).toMatchObject({ diffsApplied: 1, gaps: 1, diffsUnapplied: 1 });
    expect(r.inSync).toBe(false);
    expect(r.orderBook.depthAt('buy', 100)).toBe(5);
  });

  it('reportsAGapWhenNoDiffStraddlesTheSnapshot', () => {
    const r = rebuild([diff(105, 106, [[100, 7]], []), snapshot(100, [[100, 10]], [[101, 10]])]);
    expect(r.report()).toMatchObject({ diffsApplied: 0, gaps: 1, diffsUnapplied: 1 });
  });

  it('followsUsdmDiffsByTheirPreviousFinalIdThoughTheirIdsSkip', () => {
    const usdm = (U: number, u: number, pu: number, bids: Array<[number, number]>): BinanceRecord => ({ kind: 'depth', localNs: 0n, eventMs: 0, firstUpdateId: U, finalUpdateId: u, previousFinalUpdateId: pu, bids, asks: [] });
    const ok = rebuild([usdm(95, 104, 90, [[100, 50]]), snapshot(100, [[100, 10]], [[101, 10]]), usdm(110, 120, 104, [[100, 7]]), usdm(131, 140, 120, [[100, 8]])]);
    expect(ok.report()).toMatchObject({ diffsApplied: 3, gaps: 0 });
    expect(ok.orderBook.depthAt('buy', 100)).toBe(8);
    // A diff whose pu is not the last applied u is a gap, even when U = u + 1.
    const gap = rebuild([snapshot(100, [[100, 10]], [[101, 10]]), usdm(95, 104, 90, [[100, 5]]), usdm(105, 110, 103, [[100, 7]])]);
    expect(gap.report()).toMatchObject({ diffsApplied: 1, gaps: 1 });
    // The snapshot ends exactly where a diff ended: the next one (pu = lastUpdateId) bridges it though U skips past lastUpdateId + 1.
    const edge = rebuild([snapshot(100, [[100, 10]], [[101, 10]]), usdm(107, 112, 100, [[100, 3]])]);
    expect(edge.report()).toMatchObject({ diffsApplied: 1, gaps: 0 });
  });

  it('movesThePriceThroughTheOtherSideWithoutEverCrossing', () => {
    // The bid steps up to 101 and 102 where the asks were: applied bids-first it would trade.
    const r = rebuild([snapshot(10, [[100, 5]], [[101, 5], [102, 5], [103, 5]]), diff(11, 12, [[101, 2], [102, 4]], [[101, 0], [102, 0]])]);
    expect(r.report().crossedBooks).toBe(0);
    expect(r.orderBook.l2(5)).toEqual({ bids: [[102, 4], [101, 2], [100, 5]], asks: [[103, 5]] });
    expect(r.orderBook.order(levelOrderId('buy', 102))).toMatchObject({ size: 4 });
  });

  it('countsABookTheDiffsWouldCross', () => {
    const r = rebuild([snapshot(10, [[100, 5]], [[101, 5]]), diff(11, 11, [[101, 1]], [])]);
    expect(r.report().crossedBooks).toBe(1);
  });

  it('checksTickersOnlyAtADiffsFinalIdWhicheverArrivesFirst', () => {
    const r = rebuild([
      snapshot(10, [[100, 5]], [[102, 5]]),
      ticker(12, 101, 3, 102, 5), // before its diff
      ticker(11, 100, 5, 102, 5), // inside the diff's range: never checkable
      diff(11, 12, [[101, 3]], []),
      diff(13, 14, [], [[102, 2]]),
      ticker(14, 101, 3, 102, 2), // after its diff
      ticker(14, 101, 3, 102, 9), // same id, wrong size
    ]);
    const rep = r.report();
    expect(rep.tickerChecks).toBe(3);
    expect(rep.tickerMismatches).toBe(1);
    expect(rep.firstTickerMismatch).toEqual({ updateId: 14, ticker: { bid: 101, bidSize: 3, ask: 102, askSize: 9 }, book: { bid: 101, bidSize: 3, ask: 102, askSize: 2 } });
  });

  it('saysWhyACaptureCouldNotBeCheckedAtEachStage', () => {
    expect(rebuild([]).report().unverifiedReason).toBe('the capture holds no records');
    expect(rebuild([diff(101, 102, [[100, 5]], []), ticker(102, 100, 5, 101, 5)]).report().unverifiedReason).toMatch(/no REST depth snapshot.*1 depth diffs were held and none applied/);
    expect(rebuild([snapshot(100, [[100, 10]], [[101, 10]])]).report().unverifiedReason).toBe('no depth diff could be applied after the snapshot');
    expect(rebuild([snapshot(100, [[100, 10]], [[101, 10]]), diff(101, 102, [[100, 5]], [])]).report().unverifiedReason).toContain('never compared');
    expect(rebuild([snapshot(100, [[100, 10]], [[101, 10]]), diff(101, 102, [[100, 5]], []), ticker(102, 100, 5, 101, 10)]).report().unverifiedReason).toBeNull();
  });

  it('countsSizesOffTheExchangeLot', () => {
    const r = rebuild([snapshot(10, [[100, 15]], [[102, 20]])]);
    expect(r.report().offLotSizes).toBe(1);
  });
});
