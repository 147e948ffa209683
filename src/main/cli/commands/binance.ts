import { basename } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { createOrderBook } from '../../../engine/book/order-book';
import { BTCUSDT, BTCUSDT_USDM, BinanceFormatError, unitsToDecimal } from '../../../engine/data/binance';
import type { BinanceInstrument, BinanceLocalTimeUnit } from '../../../engine/data/binance';
import { FileReadError } from '../../../engine/node/files/gzip-lines';
import { verifyBinanceFile } from '../../../engine/node/files/binance-files';
import type { BinanceVerifyResult } from '../../../engine/node/files/binance-files';
import { CliError, printReport, table } from '../output';

/** The captures `--market` names: the instrument their prices and sizes are on and the unit of their local times. */
const MARKETS: Record<'spot' | 'usdm', { readonly instrument: BinanceInstrument; readonly localTimeUnit: BinanceLocalTimeUnit }> = {
  spot: { instrument: BTCUSDT, localTimeUnit: 'ns' },
  usdm: { instrument: BTCUSDT_USDM, localTimeUnit: 'us' },
};

interface VerifyOptions {
  file: string;
  market: keyof typeof MARKETS;
  json?: boolean;
}

/** Registers `cockpit binance …`: checks of the order book against a Binance capture. */
export function registerBinance(program: Command): void {
  const binance = program.command('binance').description('Binance spot and USD-M futures captures (hftbacktest format)');
  binance
    .command('verify')
    .description('rebuild the book from snapshot + depth diffs and compare it with every bookTicker at a shared update id')
    .requiredOption('--file <file>', 'capture file: lines of "<local receive time> <raw JSON>" (.jsonl or .jsonl.gz)')
    .addOption(new Option('--market <market>', 'spot BTCUSDT (local times in ns) or the USD-M perpetual (local times in µs)').choices(Object.keys(MARKETS)).default('spot'))
    .option('--json', 'print the report as JSON')
    .action(async (opts: VerifyOptions) => {
      const { instrument, localTimeUnit } = MARKETS[opts.market];
      let result: BinanceVerifyResult;
      try {
        result = await verifyBinanceFile(opts.file, createOrderBook(), instrument, localTimeUnit);
      } catch (err) {
        if (err instanceof BinanceFormatError || err instanceof FileReadError) throw new CliError(err.message);
        throw err;
      }
      printReport(result, opts.json, () => describe(result, instrument));
      if (result.unverifiedReason !== null) {
        // A file that could not be checked never passes, however clean its zero counts look.
        process.stderr.write(`cockpit: ${basename(result.file)} could not be verified: ${result.unverifiedReason}\n`);
        process.exitCode = 1;
      } else if (result.tickerMismatches > 0 || result.crossedBooks > 0 || result.gaps > 0) {
        process.exitCode = 1;
      }
    });
}

function describe(r: BinanceVerifyResult, instrument: BinanceInstrument): string {
  const lines = [
    `${basename(r.file)}: ${r.symbol}, ${r.records.toLocaleString('en-US')} records over ${(r.spanNs / 1e9).toFixed(1)} s, read in ${r.seconds.toFixed(3)} s`,
    table([
      ['snapshot id', 'diffs buffered', 'dropped', 'applied', 'gaps', 'unapplied', 'level updates'],
      [String(r.snapshotLastUpdateId ?? '-'), r.diffsBuffered, r.diffsDropped, r.diffsApplied, r.gaps, r.diffsUnapplied, r.levelUpdates],
    ]),
    '',
    table([
      ['tickers', 'ticker checks', 'ticker mismatches', 'crossed books', 'trades', 'traded BTC', 'off-lot sizes'],
      [r.tickers, r.tickerChecks, r.tickerMismatches, r.crossedBooks, r.trades, unitsToDecimal(r.tradedSize, instrument.sizeDecimals), r.offLotSizes],
    ]),
  ];
  if (r.unverifiedReason !== null) lines.push(`not verified: ${r.unverifiedReason}`);
  if (r.firstTickerMismatch) lines.push(`first ticker mismatch: ${JSON.stringify(r.firstTickerMismatch)}`);
  return lines.join('\n');
}
