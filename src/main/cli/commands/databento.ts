import { basename } from 'node:path';
import type { Command } from 'commander';
import { createOrderBook } from '../../../engine/book/order-book';
import { DbnFormatError } from '../../../engine/data/databento';
import { FileReadError } from '../../../engine/node/files/gzip-lines';
import { verifyDatabentoFile } from '../../../engine/node/files/databento-files';
import type { DatabentoVerifyResult } from '../../../engine/node/files/databento-files';
import { CliError, printReport, table } from '../output';

interface VerifyOptions {
  file: string;
  instrument?: string;
  json?: boolean;
}

/** Registers `cockpit databento …`: checks of the order book rebuilt from a Databento DBN file. */
export function registerDatabento(program: Command): void {
  const databento = program.command('databento').description('Databento DBN v1 MBO files (market by order, zstd-compressed or plain)');
  databento
    .command('verify')
    .description('rebuild the book order by order from a DBN MBO file and report its records and final best bid and ask')
    .requiredOption('--file <file>', 'a .dbn.zst or .dbn file of the mbo schema (DBN version 1)')
    .option('--instrument <id>', 'instrument id to rebuild (default: the first record\'s)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: VerifyOptions) => {
      let instrumentId: number | undefined;
      if (opts.instrument !== undefined) {
        instrumentId = Number(opts.instrument);
        if (!Number.isSafeInteger(instrumentId) || instrumentId < 0) throw new CliError(`--instrument must be a non-negative integer id, received "${opts.instrument}"`);
      }
      let result: DatabentoVerifyResult;
      try {
        result = await verifyDatabentoFile(opts.file, createOrderBook(), instrumentId);
      } catch (err) {
        if (err instanceof DbnFormatError || err instanceof FileReadError) throw new CliError(err.message);
        throw err;
      }
      printReport(result, opts.json, () => describe(result));
      if (result.crossedEvents > 0 || result.records === 0) process.exitCode = 1;
    });
}

function describe(r: DatabentoVerifyResult): string {
  return [
    `${basename(r.file)}: ${r.dataset} ${r.schema} ${r.symbols.join(', ')} (instrument ${r.instrumentId}), ${r.start} → ${r.end ?? 'open'}, read in ${r.seconds.toFixed(3)} s`,
    table([
      ['records', 'snapshot', 'adds', 'cancels', 'modifies', 'fills', 'trades', 'clears', 'filled', 'unmatched fills', 'crossed events', 'tick'],
      [r.records, r.snapshotRecords, r.adds, r.cancels, r.modifies, r.fills, r.trades, r.clears, r.filledSize, r.unmatchedFills, r.crossedEvents, (r.tickUnits / 100).toFixed(2)],
    ]),
    `final best bid ${r.finalBestBid ?? '-'} / best ask ${r.finalBestAsk ?? '-'}`,
  ].join('\n');
}
