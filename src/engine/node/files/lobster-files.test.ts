import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createOrderBook } from '../../book/order-book';
import { LobsterFormatError } from '../../data/lobster';
import { FileReadError } from './gzip-lines';
import { LobsterVenue } from '../../venue/lobster-venue';
import { loadLobsterDay, verifyLobsterFiles } from './lobster-files';

/** The shared data folder beside the checkout (../shared/data from the repository root). */
const DATA = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../shared/data/lobster');

function pair(ticker: string, end: string, levels: number): { messages: string; orderbook: string; levels: number } {
  const base = `${DATA}/${ticker}_2012-06-21_34200000_${end}`;
  return { messages: `${base}_message_${levels}.csv.gz`, orderbook: `${base}_orderbook_${levels}.csv.gz`, levels };
}

describe('lobster sample files replay', () => {
  it.each([
    ['AMZN', 1, '57600000', 57_515],
    ['AAPL', 1, '57600000', 118_497],
    ['MSFT', 50, '37800000', 1_000],
    ['GOOG', 10, '57600000', 147_916],
  ] as const)('rebuildsEveryRowOf%sWith%iLevels', async (ticker, levels, end, rows) => {
    const r = await verifyLobsterFiles(pair(ticker, end, levels), createOrderBook());
    expect(r.rows).toBe(rows);
    expect(r.firstMismatch).toBeNull();
    expect(r.mismatchedRows).toBe(0);
    expect(r.matchedRows).toBe(rows);
    expect(r.anomalies).toEqual({ rejectedSubmits: 0, unmatchedReferences: 0, oversizedReductions: 0, deleteSizeDisagreements: 0 });
  });

  it('findsTheExecutedOrderAtTheFrontOfItsQueueAlmostAlways', async () => {
    const r = await verifyLobsterFiles(pair('AMZN', '57600000', 1), createOrderBook());
    expect(r.priority.executions).toBe(8_974);
    expect(r.priority.checked).toBeGreaterThan(4_000);
    expect(r.priority.share).toBeGreaterThan(0.99);
  });

  it('loadsADayIntoMemoryRowForRow', async () => {
    const day = await loadLobsterDay(pair('MSFT', '37800000', 50));
    expect(day.length).toBe(1_000);
    expect(day.message(0)).toEqual({ kind: 'submit', timeNs: 35_999_954_513_652, orderId: 46_527_655, size: 200, price: 308_700, side: 'buy' });
    expect(day.row(0).length).toBe(200);
  });
});

describe('lobster venue on a recorded day', () => {
  /** Quotes both sides at the touch of the MSFT slice and lets it run to the end in 10 ms steps. */
  async function quoteTheTouch(): Promise<{ fills: unknown[]; open: unknown; mismatched: number }> {
    const venue = new LobsterVenue(await loadLobsterDay(pair('MSFT', '37800000', 50)), { book: createOrderBook() });
    venue.submit({ kind: 'limit', id: 1, side: 'buy', price: venue.bestBid() ?? 0, size: 3_000 });
    venue.submit({ kind: 'limit', id: 2, side: 'sell', price: venue.bestAsk() ?? 0, size: 3_000 });
    const fills: unknown[] = [];
    for (;;) {
      const r = venue.elapse(10_000_000);
      for (const e of r.events) if (e.kind === 'OrderFilled') fills.push(e);
      if (r.exhausted) break;
    }
    return { fills, open: venue.openOrders(), mismatched: venue.replayReport().mismatchedRows };
  }

  it('fillsTheBidBehindTheRealQueueAndGivesTheSameFillsOnEveryRun', async () => {
    const first = await quoteTheTouch();
    expect(first.mismatched).toBe(0);
    // 5,345 lots were ahead of the bid at 308800: it fills only after the sellers got through them.
    expect(first.fills).toHaveLength(5);
    expect(first.fills[0]).toMatchObject({ orderId: 1, price: 308_800, size: 100, remaining: 2_900, ts: 36_000_419_575_196 });
    expect(first.open).toEqual([expect.objectContaining({ id: 2, filled: 0, sizeAhead: 1_500 })]);
    expect(await quoteTheTouch()).toEqual(first);
  });
});

describe('lobster file errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lobster-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, name.endsWith('.gz') ? gzipSync(text) : text);
    return path;
  };
  const book = '1010,100,1000,30\n1010,100,1000,30\n1010,100,1000,30\n';

  it('namesTheFileAndLineOfAMalformedMessage', async () => {
    const messages = write('bad_message_1.csv.gz', '34200.1,1,5,30,1000,1\n34200.2,5,0,1,1005,1\n34200.3,1,6,abc,1000,1\n');
    const orderbook = write('bad_orderbook_1.csv.gz', book);
    const err = await verifyLobsterFiles({ messages, orderbook, levels: 1 }, createOrderBook()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LobsterFormatError);
    expect((err as LobsterFormatError).message).toMatch(/^bad_message_1\.csv\.gz:3: expected .*received "34200\.3,1,6,abc,1000,1"$/);
  });

  it('namesTheOrderbookFileWhenGivenTheWrongLevelCount', async () => {
    const messages = write('ok_message_1.csv', '34200.1,1,5,30,1000,1\n');
    const orderbook = write('ok_orderbook_1.csv', '1010,100,1000,30\n');
    const err = await verifyLobsterFiles({ messages, orderbook, levels: 10 }, createOrderBook()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LobsterFormatError);
    expect((err as LobsterFormatError).file).toBe('ok_orderbook_1.csv');
    expect((err as LobsterFormatError).line).toBe(1);
    expect((err as LobsterFormatError).expected).toContain('40 integer fields');
  });

  it('namesTheFileThatEndsFirst', async () => {
    const messages = write('short_message_1.csv', '34200.1,1,5,30,1000,1\n34200.2,5,0,1,1005,1\n');
    const orderbook = write('long_orderbook_1.csv', book);
    const err = await verifyLobsterFiles({ messages, orderbook, levels: 1 }, createOrderBook()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LobsterFormatError);
    expect((err as LobsterFormatError).message).toBe('short_message_1.csv:3: expected a message row for orderbook row 3 of long_orderbook_1.csv, received "<end of file>"');
  });

  it('refusesSwappedFiles', async () => {
    const messages = write('swap_message_1.csv', '34200.1,1,5,30,1000,1\n');
    const orderbook = write('swap_orderbook_1.csv', '1010,100,1000,30\n');
    const err = await verifyLobsterFiles({ messages: orderbook, orderbook: messages, levels: 1 }, createOrderBook()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LobsterFormatError);
    expect((err as LobsterFormatError).file).toBe('swap_orderbook_1.csv');
  });

  it('reportsAFileThatIsNotGzipByName', async () => {
    const messages = join(dir, 'plain_message_1.csv.gz');
    writeFileSync(messages, 'not gzip at all\n');
    const orderbook = write('plain_orderbook_1.csv.gz', book);
    const err = await verifyLobsterFiles({ messages, orderbook, levels: 1 }, createOrderBook()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileReadError);
    expect((err as FileReadError).message).toContain('plain_message_1.csv.gz');
  });

  it('reportsAMissingFile', async () => {
    const orderbook = write('lonely_orderbook_1.csv', book);
    const err = await verifyLobsterFiles({ messages: join(dir, 'nowhere.csv'), orderbook, levels: 1 }, createOrderBook()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileReadError);
    expect((err as FileReadError).message).toContain('nowhere.csv');
  });
});

describe('lobster files as they really come', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lobster-real-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const amzn = pair('AMZN', '57600000', 1);
  /** The first `n` rows of the real AMZN level-1 files. */
  const head = (path: string, n: number): string[] => gunzipSync(readFileSync(path)).toString('latin1').split('\n').slice(0, n);
  const messageRows = head(amzn.messages, 2_000);
  const bookRows = head(amzn.orderbook, 2_000);
  const write = (name: string, rows: readonly string[], eol = '\n'): string => {
    const path = join(dir, name);
    const text = rows.length === 0 ? '' : `${rows.join(eol)}${eol}`;
    writeFileSync(path, name.endsWith('.gz') ? gzipSync(text) : text);
    return path;
  };
  const failure = (messages: string, orderbook: string): Promise<unknown> => verifyLobsterFiles({ messages, orderbook, levels: 1 }, createOrderBook()).catch((e: unknown) => e);

  it('readsCrlfFilesExactlyAsTheirLfOriginals', async () => {
    const lf = await verifyLobsterFiles({ messages: write('lf_message_1.csv.gz', messageRows), orderbook: write('lf_orderbook_1.csv.gz', bookRows), levels: 1 }, createOrderBook());
    const crlf = await verifyLobsterFiles({ messages: write('crlf_message_1.csv.gz', messageRows, '\r\n'), orderbook: write('crlf_orderbook_1.csv', bookRows, '\r\n'), levels: 1 }, createOrderBook());
    expect(crlf.rows).toBe(2_000);
    expect({ ...crlf, seconds: 0, messagesPerSecond: 0, messagesFile: '', orderbookFile: '' }).toEqual({ ...lf, seconds: 0, messagesPerSecond: 0, messagesFile: '', orderbookFile: '' });
  });

  it('refusesAHeaderRowOnLineOneSayingLobsterFilesHaveNone', async () => {
    const messages = write('header_message_1.csv', ['Time,Type,OrderID,Size,Price,Direction', ...messageRows]);
    const err = await failure(messages, write('header_orderbook_1.csv', ['AskPrice1,AskSize1,BidPrice1,BidSize1', ...bookRows]));
    expect(err).toBeInstanceOf(LobsterFormatError);
    expect((err as LobsterFormatError).file).toBe('header_message_1.csv');
    expect((err as LobsterFormatError).line).toBe(1);
    expect((err as LobsterFormatError).message).toContain('LOBSTER files have no header row');
  });

  it('refusesATimeThatGoesBackNamingItsLine', async () => {
    // Rows 2 and 11 swapped (file lines 2 and 11): line 3 is the first that is earlier than its predecessor.
    const swapped = [...messageRows];
    [swapped[1], swapped[10]] = [swapped[10] as string, swapped[1] as string];
    const err = await failure(write('back_message_1.csv', swapped), write('back_orderbook_1.csv', bookRows));
    expect(err).toBeInstanceOf(LobsterFormatError);
    expect((err as LobsterFormatError).line).toBe(3);
    expect((err as LobsterFormatError).expected).toMatch(/^a time at or after the previous row's \d+\.\d{9} \(rows are in time order\)$/);
  });

  it('namesTheLastLineReadWhenAGzipIsTruncated', async () => {
    const whole = gzipSync(`${messageRows.join('\n')}\n`);
    const messages = join(dir, 'cut_message_1.csv.gz');
    writeFileSync(messages, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const err = await failure(messages, write('cut_orderbook_1.csv.gz', bookRows));
    expect(err).toBeInstanceOf(FileReadError);
    const afterLine = (err as FileReadError).afterLine;
    expect(afterLine).toBeGreaterThan(0);
    expect(afterLine).toBeLessThan(2_000);
    expect((err as FileReadError).message).toMatch(/cut_message_1\.csv\.gz: cannot read it as gzip text after line [\d,]+: unexpected end of file$/);
  });

  it('refusesAnEmptyMessageFileOrAnEmptyOrderbookFile', async () => {
    const emptyMessages = await failure(write('empty_message_1.csv.gz', []), write('full_orderbook_1.csv.gz', bookRows));
    expect((emptyMessages as LobsterFormatError).message).toBe('empty_message_1.csv.gz:1: expected a message row for orderbook row 1 of full_orderbook_1.csv.gz, received "<end of file>"');
    const emptyBook = await failure(write('full_message_1.csv.gz', messageRows), write('empty_orderbook_1.csv.gz', []));
    expect((emptyBook as LobsterFormatError).message).toBe('empty_orderbook_1.csv.gz:1: expected an orderbook row for message row 1 of full_message_1.csv.gz, received "<end of file>"');
    const bothEmpty = await failure(write('none_message_1.csv.gz', []), write('none_orderbook_1.csv.gz', []));
    expect((bothEmpty as LobsterFormatError).message).toBe('none_message_1.csv.gz:1: expected at least one message row, received "<end of file>"');
  });
});
