import { Option, type Command } from 'commander';
import { runBookBench, runBookBenchChild, type BookBenchReport, type ThroughputFigures } from '../../../engine/bench/book-bench';
import { CliError, parsePositiveInt, printReport, table } from '../output';

interface BenchBookOptions {
  ops: number;
  seed: number;
  peerOps?: number;
  runs: number;
  json?: boolean;
  child?: string;
}

/** Registers `cockpit bench book`: our order book against nodejs-order-book on one seeded stream. */
export function registerBenchBook(bench: Command): void {
  bench
    .command('book')
    .description('order book throughput and memory: this engine against nodejs-order-book on the same seeded stream')
    .option('--ops <n>', 'operations in the stream (60% limits near the touch, 30% cancels, 10% markets)', parsePositiveInt('--ops'), 1_000_000)
    .option('--seed <k>', 'seed of the stream', parseSeed, 1)
    .option('--peer-ops <n>', 'operations the peer replays, a prefix of the same stream (default: all, at most 1,000,000)', parsePositiveInt('--peer-ops'))
    .option('--runs <n>', 'timed runs of our book; the median is reported', parsePositiveInt('--runs'), 5)
    .option('--json', 'print the report as JSON')
    .addOption(new Option('--child <task>', 'internal: run one measurement in this process').hideHelp())
    .action(async (opts: BenchBookOptions) => {
      if (opts.child !== undefined) {
        await runBookBenchChild(opts.child);
        return;
      }
      let report: BookBenchReport;
      try {
        report = await runBookBench({
          ops: opts.ops,
          seed: opts.seed,
          peerOps: opts.peerOps,
          runs: opts.runs,
          progress: (line) => process.stderr.write(`${line}\n`),
        });
      } catch (err) {
        throw new CliError(err instanceof Error ? err.message : String(err));
      }
      printReport(report, opts.json, () => describe(report));
    });
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) throw new CliError(`--seed must be an integer from 0 to 4294967295, received "${value}"`);
  return n;
}

function describe(r: BookBenchReport): string {
  const s = r.stream;
  const row = (label: string, f: ThroughputFigures): Array<string | number> => [label, f.ops, Math.round(f.opsPerSecond), f.runs, f.peakMB.toFixed(1), f.baselineMB.toFixed(1)];
  const rows: Array<Array<string | number>> = [['book', 'ops', 'ops/s', 'runs', 'peak MB', 'baseline MB'], row(r.ours.name, r.ours)];
  if (r.oursOnPeerOps !== r.ours && r.oursOnPeerOps.ops !== r.ours.ops) rows.push(row(`${r.oursOnPeerOps.name} (peer's prefix)`, r.oursOnPeerOps));
  rows.push(row(r.peer.name, r.peer));
  return [
    `stream: seed ${s.seed}, ${s.ops.toLocaleString('en-US')} operations (${s.limits.toLocaleString('en-US')} limits, ${s.cancels.toLocaleString('en-US')} cancels, ${s.markets.toLocaleString('en-US')} markets); Node ${r.node}`,
    table(rows),
    '',
    `ratio on the same ${r.peer.ops.toLocaleString('en-US')} operations: ${r.ratio.toFixed(1)}x; same final book: ${r.sameFinalBook ? 'yes' : 'NO'}`,
    `${r.restingMillion.orders.toLocaleString('en-US')} resting orders (${r.restingMillion.levels.toLocaleString('en-US')} levels): ours ${r.restingMillion.mb.toFixed(1)} MB, peer ${r.restingMillion.peerMb.toFixed(1)} MB (heap + external after GC)`,
    'peak MB is each child process\'s maxRSS (Node, the stream and the book); baseline MB is its RSS once the stream is loaded.',
  ].join('\n');
}
