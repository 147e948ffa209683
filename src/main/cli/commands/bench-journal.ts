import type { Command } from 'commander';
import { benchJournal, benchSeek, type JournalBenchReport, type SeekBenchReport } from '../../../engine/bench/journal-bench';
import { parsePositiveInt, printReport, table } from '../output';

/** Registers `cockpit bench journal`: events journaled per second and bytes per event, beside a plain batched SQLite insert of the same rows. */
export function registerBenchJournal(bench: Command): void {
  bench
    .command('journal')
    .description('events journaled per second and bytes per event (a calm session\'s events), beside a plain batched SQLite insert of the same rows')
    .option('--events <n>', 'events to write', parsePositiveInt('--events'), 200_000)
    .option('--batch <n>', 'events per transaction', parsePositiveInt('--batch'), 1_000)
    .option('--reps <n>', 'runs of each (the median is reported)', parsePositiveInt('--reps'), 5)
    .option('--seed <n>', 'seed of the session', parsePositiveInt('--seed'), 7)
    .option('--seek-events <n>', 'events in the session the seek part seeks in', parsePositiveInt('--seek-events'), 1_000_000)
    .option('--seeks <n>', 'seeks, to moments spread through that session', parsePositiveInt('--seeks'), 50)
    .option('--json', 'print the report as JSON')
    .action((opts: { events: number; batch: number; reps: number; seed: number; seekEvents: number; seeks: number; json?: boolean }) => {
      const write = benchJournal({ events: opts.events, batch: opts.batch, repetitions: opts.reps, seed: opts.seed });
      const seek = benchSeek({ events: opts.seekEvents, seeks: opts.seeks, seed: opts.seed });
      const report = { ...write, seekMs: seek.seekMs.medianMs, seek };
      printReport(report, opts.json, () => `${describe(write)}\n${describeSeek(seek)}`);
    });
}

function describeSeek(r: SeekBenchReport): string {
  const s = r.setup;
  return [
    `seeking in ${s.events.toLocaleString('en-US')} events (${(s.fileBytes / 1e6).toFixed(0)} MB, ${s.snapshots} snapshots, one per ${s.snapshotEvery.toLocaleString('en-US')} events), ${s.seeks} moments`,
    table([
      ['seek', 'median', 'max', 'events read'],
      ['from the nearest snapshot', `${r.seekMs.medianMs} ms`, `${r.seekMs.maxMs} ms`, r.seekMs.meanEventsRead],
      ['every event from the start', `${r.fromStartMs.medianMs} ms`, `${r.fromStartMs.maxMs} ms`, r.fromStartMs.meanEventsRead],
    ]),
  ].join('\n');
}

function describe(r: JournalBenchReport): string {
  const s = r.setup;
  return [
    `${s.events.toLocaleString('en-US')} events of a ${s.scenario} session (seed ${s.seed}, ${s.simulatedSeconds} s simulated), ${s.batch} per transaction, median of ${s.repetitions} runs`,
    table([
      ['writer', 'events/s', 'bytes/event'],
      ['journal (serialise + insert)', r.journal.eventsPerSecond, r.journal.bytesPerEvent],
      ['plain insert of the same rows', r.plainInsert.eventsPerSecond, r.plainInsert.bytesPerEvent],
    ]),
    `journal / plain insert: ${r.ratio}`,
  ].join('\n');
}
