import { basename } from 'node:path';
import type { Command } from 'commander';
import { createOrderBook } from '../../../engine/book/order-book';
import { LobsterFormatError, levelsFromFileName } from '../../../engine/data/lobster';
import { FileReadError } from '../../../engine/node/files/gzip-lines';
import { verifyLobsterFiles } from '../../../engine/node/files/lobster-files';
import type { LobsterVerifyResult } from '../../../engine/node/files/lobster-files';
import { CliError, parsePositiveInt, printReport, table } from '../output';

interface VerifyOptions {
  messages: string;
  orderbook: string;
  levels?: number;
  json?: boolean;
}

/** Registers `cockpit lobster …`: checks of the order book against LOBSTER data. */
export function registerLobster(program: Command): void {
  const lobster = program.command('lobster').description('LOBSTER NASDAQ order-book data (sample data courtesy of lobsterdata.com)');
  lobster
    .command('verify')
    .description('replay a message file through the order book and compare every orderbook row; report price-time priority')
    .requiredOption('--messages <file>', 'LOBSTER message file (.csv or .csv.gz)')
    .requiredOption('--orderbook <file>', 'LOBSTER orderbook file of the same day and levels')
    .option('--levels <n>', 'levels a side in the orderbook file (default: from the file name)', parsePositiveInt('--levels'))
    .option('--json', 'print the report as JSON')
    .action(async (opts: VerifyOptions) => {
      const levels = opts.levels ?? levelsFromFileName(basename(opts.orderbook));
      if (levels === undefined) {
        throw new CliError(`--levels is needed: cannot read the level count from "${basename(opts.orderbook)}", expected a name ending in _orderbook_<levels>.csv[.gz]`);
      }
      let result: LobsterVerifyResult;
      try {
        result = await verifyLobsterFiles({ messages: opts.messages, orderbook: opts.orderbook, levels }, createOrderBook());
      } catch (err) {
        if (err instanceof LobsterFormatError || err instanceof FileReadError) throw new CliError(err.message);
        throw err;
      }
      printReport(result, opts.json, () => describe(result));
      if (result.mismatchedRows > 0) process.exitCode = 1;
    });
}

function describe(r: LobsterVerifyResult): string {
  const p = r.priority;
  const lines = [
    `${basename(r.messagesFile)} against ${basename(r.orderbookFile)} (${r.levels} level${r.levels === 1 ? '' : 's'})`,
    table([
      ['rows', 'matched', 'mismatched', 'seconds', 'messages/s'],
      [r.rows, r.matchedRows, r.mismatchedRows, r.seconds, r.messagesPerSecond],
    ]),
    '',
    table([
      ['seeded levels', 'entered from deeper', 'trimmed', 'unknown-order refs', 'halts'],
      [r.seededLevels, r.levelsEnteredFromDeeper, r.levelsTrimmed, r.unknownOrderReferences, r.halts],
    ]),
    '',
    table([
      ['executions', 'visible', 'volume', 'hidden', 'volume', 'cross', 'volume'],
      ['', r.visibleExecutions.count, r.visibleExecutions.volume, r.hiddenExecutions.count, r.hiddenExecutions.volume, r.crossTrades.count, r.crossTrades.volume],
    ]),
    '',
    `priority: ${p.atFront.toLocaleString('en-US')} of ${p.checked.toLocaleString('en-US')} checked executions (of ${p.executions.toLocaleString('en-US')}) hit the front of the queue: ${(p.share * 100).toFixed(2)}%`,
  ];
  const a = r.anomalies;
  const anomalies = a.rejectedSubmits + a.unmatchedReferences + a.oversizedReductions + a.deleteSizeDisagreements;
  if (anomalies > 0) lines.push(`anomalies: ${JSON.stringify(a)}`);
  if (r.firstMismatch) {
    const m = r.firstMismatch;
    const show = (l: { price: number; size: number } | null): string => (l ? `${l.size} @ ${l.price}` : 'no level');
    lines.push(`first mismatch: row ${m.row}, ${m.side === 'buy' ? 'bid' : 'ask'} level ${m.level}: file shows ${show(m.expected)}, book holds ${show(m.actual)} (after ${JSON.stringify(m.message)})`);
  }
  return lines.join('\n');
}
