import { describe, expect, it } from 'vitest';
import {
  LOBSTER_EMPTY_ASK_PRICE,
  LOBSTER_EMPTY_BID_PRICE,
  LobsterDay,
  LobsterFormatError,
  levelsFromFileName,
  parseLobsterTime,
  parseMessageLine,
  parseOrderbookBytes,
  parseOrderbookLine,
} from './lobster';

function formatError(fn: () => unknown): LobsterFormatError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LobsterFormatError) return err;
    throw err;
  }
  throw new Error('expected a LobsterFormatError, nothing was thrown');
}

describe('time text', () => {
  it('parsesNineDecimalsIntoExactNanoseconds', () => {
    expect(parseLobsterTime('34200.004241176')).toBe(34_200_004_241_176);
  });

  it('padsShortFractionsInsteadOfScalingAFloat', () => {
    // LOBSTER drops trailing zeros: 34200.2070117 has 7 decimals. As a float × 1e9 it is 34200207011699.996.
    expect(parseLobsterTime('34200.2070117')).toBe(34_200_207_011_700);
    expect(parseLobsterTime('34200.18960767')).toBe(34_200_189_607_670);
    expect(parseLobsterTime('57599.9')).toBe(57_599_900_000_000);
    expect(parseLobsterTime('36023')).toBe(36_023_000_000_000);
  });

  it('keepsEveryNanosecondWhereFloatsWouldRound', () => {
    // Number('34200.173594288') × 1e9 is 34200173594287.996: truncating a float loses a nanosecond (1,865 GOOG rows).
    expect(parseLobsterTime('34200.173594288')).toBe(34_200_173_594_288);
    expect(parseLobsterTime('57599.999999999')).toBe(57_599_999_999_999);
    expect(parseLobsterTime('0.000000001')).toBe(1);
  });

  it('readsMoreThanNineDecimalsRoundingHalfUpOnTheTenth', () => {
    // The time from a real LOBSTER message file: twelve decimals, the tenth a 0.
    expect(parseLobsterTime('43002.632812672004')).toBe(43_002_632_812_672);
    expect(parseLobsterTime('34200.0042411764')).toBe(34_200_004_241_176);
    expect(parseLobsterTime('34200.0042411765')).toBe(34_200_004_241_177);
    // Below half stays down however many 9s follow; exactly half goes up.
    expect(parseLobsterTime('34200.00424117649999999999')).toBe(34_200_004_241_176);
    expect(parseLobsterTime('34200.00424117650000000000')).toBe(34_200_004_241_177);
    // The carry runs into the seconds.
    expect(parseLobsterTime('34200.9999999995')).toBe(34_201_000_000_000);
    expect(parseLobsterTime('34200.99999999949')).toBe(34_200_999_999_999);
  });

  it('readsARealRowWithTwelveDecimalsLikeItsNineDecimalNeighbour', () => {
    // An AMZN row with its time written to twelve places.
    const m = parseMessageLine('34200.190226476000,4,11885113,21,2238100,1', 'm.csv', 3);
    expect(m).toEqual(parseMessageLine('34200.190226476,4,11885113,21,2238100,1', 'm.csv', 3));
  });

  it('refusesMalformedTimesWithTheReason', () => {
    for (const bad of ['34200.', '.5', '34200.00a', '-1.0', '+1.0', '', '1e5', '3.42e4', '34200,1', ' 34200.5', '34200.5 ', '12345678.5']) {
      expect(() => parseLobsterTime(bad), bad).toThrow(LobsterFormatError);
    }
    const e = formatError(() => parseMessageLine('-34200.5,1,9,10,100,1', 'm.csv', 12));
    expect(e.line).toBe(12);
    expect(e.message).toContain('time as seconds after midnight');
  });
});

describe('message rows', () => {
  it('readsEverySevenTypes', () => {
    const kinds = ['submit', 'cancel', 'delete', 'execute', 'executeHidden', 'cross'] as const;
    kinds.forEach((kind, i) => {
      const m = parseMessageLine(`34200.5,${i + 1},${i === 4 ? 0 : 77},10,5853300,-1`, 'm.csv', i + 1);
      expect(m).toEqual({ kind, timeNs: 34_200_500_000_000, orderId: i === 4 ? 0 : 77, size: 10, price: 5853300, side: 'sell' });
    });
    expect(parseMessageLine('34200.004241176,1,16113575,18,5853300,1', 'm.csv', 1)).toMatchObject({ side: 'buy' });
  });

  it('readsTheThreeHaltPhasesFromThePriceColumn', () => {
    expect(parseMessageLine('36023,7,0,0,-1,-1', 'm.csv', 1)).toEqual({ kind: 'halt', timeNs: 36_023_000_000_000, phase: 'halted' });
    expect(parseMessageLine('36323,7,0,0,0,-1', 'm.csv', 2)).toEqual({ kind: 'halt', timeNs: 36_323_000_000_000, phase: 'quoting' });
    expect(parseMessageLine('36723,7,0,0,1,-1', 'm.csv', 3)).toEqual({ kind: 'halt', timeNs: 36_723_000_000_000, phase: 'resumed' });
  });

  it('refusesAHaltWithAnotherPrice', () => {
    const e = formatError(() => parseMessageLine('36023,7,0,0,2,-1', 'm.csv', 9));
    expect(e.message).toContain('trading halt');
  });

  it('ignoresATrailingCarriageReturn', () => {
    expect(parseMessageLine('34200.5,3,9,1,100,1\r', 'm.csv', 1)).toMatchObject({ kind: 'delete', price: 100 });
  });

  it('namesFileLineWhatCameAndWhatWasExpected', () => {
    const e = formatError(() => parseMessageLine('34200.5,1,9,10,100', 'GOOG_message_10.csv', 42));
    expect(e.file).toBe('GOOG_message_10.csv');
    expect(e.line).toBe(42);
    expect(e.received).toBe('34200.5,1,9,10,100');
    expect(e.message).toMatch(/^GOOG_message_10\.csv:42: expected a message row "time,type,orderId,size,price,direction".*received "34200\.5,1,9,10,100"$/);
  });

  it('refusesAHeaderRowSayingLobsterFilesHaveNone', () => {
    const e = formatError(() => parseMessageLine('Time,Type,OrderID,Size,Price,Direction', 'm.csv', 1));
    expect(e.line).toBe(1);
    expect(e.expected).toMatch(/LOBSTER files have no header row$/);
    const b = formatError(() => parseOrderbookLine('AskPrice1,AskSize1,BidPrice1,BidSize1', 1, 'b.csv', 1));
    expect(b.expected).toBe('4 integer fields (a 1-level orderbook row); LOBSTER files have no header row');
    // A malformed data row does not get the hint.
    expect(formatError(() => parseMessageLine('34200.5,1,9,10,100', 'm.csv', 2)).expected).not.toContain('header');
  });

  it('refusesMalformedRows', () => {
    const bad = [
      '',
      '34200.5,1,9,10,100,1,7', // a seventh column
      '34200.5,1,9,10,100,1,', // a trailing comma
      '34200.5,8,9,10,100,1', // type 8
      '34200.5,0,9,10,100,1', // type 0
      '34200.5,1,9,10,100,0', // direction 0
      '34200.5,1,9,0,100,1', // size 0
      '34200.5,1,0,10,100,1', // order id 0 on a submission
      '34200.5,1,9,10,-100,1', // negative price
      '34200.5,1,9,1.5,100,1', // a decimal size
      '34200.5;1;9;10;100;1', // another separator
      'time,type,orderId,size,price,direction', // a header
      '34200.5,1,9,,100,1', // an empty field
    ];
    bad.forEach((line, i) => {
      const e = formatError(() => parseMessageLine(line, 'm.csv', i + 1));
      expect(e.line, line).toBe(i + 1);
    });
  });
});

describe('orderbook rows', () => {
  it('readsLevelsBestFirstInTheFileLayout', () => {
    const row = parseOrderbookLine('5859400,200,5853300,18,5859500,100,5853200,300', 2, 'b.csv', 1);
    expect(row).toEqual({
      asks: [
        { price: 5859400, size: 200 },
        { price: 5859500, size: 100 },
      ],
      bids: [
        { price: 5853300, size: 18 },
        { price: 5853200, size: 300 },
      ],
    });
  });

  it('dropsEmptyLevelSentinelsWithSizeZero', () => {
    const row = parseOrderbookLine(`5859400,200,5853300,18,${LOBSTER_EMPTY_ASK_PRICE},0,5853200,300,${LOBSTER_EMPTY_ASK_PRICE},0,${LOBSTER_EMPTY_BID_PRICE},0`, 3, 'b.csv', 1);
    expect(row.asks).toEqual([{ price: 5859400, size: 200 }]);
    expect(row.bids).toEqual([
      { price: 5853300, size: 18 },
      { price: 5853200, size: 300 },
    ]);
  });

  it('keepsSentinelsInTheFlatLayoutForTheReplay', () => {
    const text = `${LOBSTER_EMPTY_ASK_PRICE},0,${LOBSTER_EMPTY_BID_PRICE},0`;
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    const out = new Float64Array(4);
    parseOrderbookBytes(bytes, 0, bytes.length, 1, out, 'b.csv', 1);
    expect([...out]).toEqual([LOBSTER_EMPTY_ASK_PRICE, 0, LOBSTER_EMPTY_BID_PRICE, 0]);
  });

  it('refusesASentinelWithASizeOrARealLevelBelowASentinel', () => {
    expect(formatError(() => parseOrderbookLine(`${LOBSTER_EMPTY_ASK_PRICE},5,100,1`, 1, 'b.csv', 3)).message).toContain('size 0 beside the empty ask');
    expect(() => parseOrderbookLine(`${LOBSTER_EMPTY_ASK_PRICE},0,100,1,200,1,99,1`, 2, 'b.csv', 3)).toThrow(LobsterFormatError);
    expect(() => parseOrderbookLine('200,0,100,1', 1, 'b.csv', 3)).toThrow(LobsterFormatError);
  });

  it('refusesTheWrongNumberOfLevels', () => {
    const e = formatError(() => parseOrderbookLine('5859400,200,5853300,18', 10, 'GOOG_orderbook_10.csv', 7));
    expect(e.message).toBe('GOOG_orderbook_10.csv:7: expected 40 integer fields (a 10-level orderbook row), received "5859400,200,5853300,18"');
  });

  it('refusesAMessageRowGivenAsAnOrderbookRow', () => {
    expect(() => parseOrderbookLine('34200.004241176,1,16113575,18,5853300,1', 1, 'b.csv', 1)).toThrow(LobsterFormatError);
  });
});

describe('lobster day', () => {
  it('keepsMessagesAndRowsByIndexAndGrows', () => {
    const messages: string[] = [];
    const rows: string[] = [];
    for (let i = 0; i < 1500; i++) {
      messages.push(i === 700 ? '34200.0000007,7,0,0,-1,-1' : `34200.${String(i).padStart(9, '0')},1,${i + 1},10,${1000 - (i % 5)},1`);
      rows.push(`2000,5,${1000 - (i % 5)},${10 * (i + 1)}`);
    }
    const day = LobsterDay.fromLines(1, messages, rows);
    expect(day.length).toBe(1500);
    expect(day.message(1499)).toEqual({ kind: 'submit', timeNs: 34_200_000_001_499, orderId: 1500, size: 10, price: 996, side: 'buy' });
    expect(day.message(700)).toEqual({ kind: 'halt', timeNs: 34_200_000_000_700, phase: 'halted' });
    expect([...day.row(3)]).toEqual([2000, 5, 997, 40]);
    expect(() => day.row(1500)).toThrow(RangeError);
  });

  it('refusesATimeBeforeThePreviousRowsButKeepsRepeatedTimes', () => {
    // Real AMZN rows 2 and 3 share a time; row 3 is then moved back before row 2.
    const rows = ['2239500,100,2238100,21', '2239500,100,2237500,100', '2239500,100,2237500,100'];
    const repeated = LobsterDay.fromLines(1, ['34200.18960767,1,11885113,21,2238100,1', '34200.18960767,4,11885113,21,2238100,1', '34200.190226476,1,11534792,100,2237500,1'], rows);
    expect(repeated.length).toBe(3);
    const e = formatError(() => LobsterDay.fromLines(1, ['34200.18960767,1,11885113,21,2238100,1', '34200.190226476,1,11534792,100,2237500,1', '34200.017459617,5,0,1,2238200,-1'], rows, 'AMZN_message_1.csv'));
    expect(e.line).toBe(3);
    expect(e.message).toBe('AMZN_message_1.csv:3: expected a time at or after the previous row\'s 34200.190226476 (rows are in time order), received "34200.017459617,5,0,1,2238200,-1"');
  });

  it('readsTheLevelCountFromAFileName', () => {
    expect(levelsFromFileName('GOOG_2012-06-21_34200000_57600000_orderbook_10.csv.gz')).toBe(10);
    expect(levelsFromFileName('MSFT_2012-06-21_34200000_37800000_message_50.csv')).toBe(50);
    expect(levelsFromFileName('book.csv')).toBeUndefined();
  });
});
