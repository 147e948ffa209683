import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatTimeOfDay } from '../../../engine/core/clock';
import { journalPath, listSessions } from '../../../engine/node/journal/sessions';
import { Journal, type JournalMarket } from '../../../engine/node/journal/journal';
import { EXPORT_FORMATS, EXPORT_SELECTIONS, exportTables, formatCsv, formatJsonl, type ExportFormat, type ExportSelection } from '../../../engine/node/journal/export';
import { writeFileAtomic } from '../../../engine/node/models/policy-files';
import { recordedSessionConfig } from '../../../engine/node/journal/recorded-session';
import { resimulate } from '../../../engine/workflows/resimulate';
import { userDataDir } from '../../host/paths';
import { CliError, parseChoice, printReport, table } from '../output';

/** Registers `cockpit sessions list` (the recorded sessions of a data folder) and `cockpit sessions export` (a session's fills, decisions and actions as CSV or JSONL). */
export function registerSessions(program: Command): void {
  const sessions = program.command('sessions').description('recorded sessions: the journals in the data folder');
  sessions
    .command('list')
    .description('list the recorded sessions: date, market, agents, simulated span, how each ended; files that are not journals are listed with why')
    .option('--data-dir <dir>', 'the data folder the sessions were recorded in (default: the user data folder)')
    .option('--json', 'print JSON')
    .action((opts: { dataDir?: string; json?: boolean }) => {
      const dataDir = resolve(opts.dataDir ?? userDataDir());
      const entries = listSessions(dataDir);
      const report = { dataDir, sessions: entries };
      printReport(report, opts.json, () => {
        if (entries.length === 0) return `no recorded sessions in ${dataDir}`;
        return table([
          ['session', 'started', 'market', 'agents', 'simulated', 'events', 'ended'],
          ...entries.map((e) =>
            e.ok
              ? [
                  e.meta?.sessionId ?? e.path,
                  e.meta?.createdAt ?? '—',
                  e.meta === null ? `schema ${e.schema}` : marketName(e.meta.market),
                  e.meta === null ? '—' : e.meta.agents.length,
                  e.firstTs === null || e.lastTs === null ? '—' : `${formatTimeOfDay(e.firstTs)}–${formatTimeOfDay(e.lastTs)}`,
                  e.events,
                  e.end,
                ]
              : [e.path, '—', '—', '—', '—', '—', `unreadable: ${e.problem}`],
          ),
        ]);
      });
    });
  sessions
    .command('export <id>')
    .description(
      'write a recorded session\'s fills, decisions and human actions as CSV (RFC 4180) or JSON Lines (one object per line with its `type`: fill, decision or action), ' +
        'to stdout or to --out FILE (written whole, then renamed into place). CSV holds one kind per file: with --what all it needs --out PREFIX and writes PREFIX-fills.csv, PREFIX-decisions.csv and PREFIX-actions.csv',
    )
    .option('--format <format>', `csv or jsonl (required)`, parseChoice('--format', EXPORT_FORMATS))
    .option('--what <what>', 'fills, decisions, actions or all', parseChoice('--what', EXPORT_SELECTIONS), 'all')
    .option('--out <file>', 'the file to write (a prefix for CSV of all); default: stdout')
    .option('--data-dir <dir>', 'the data folder the session was recorded in (default: the user data folder)')
    .action((id: string, opts: { format?: ExportFormat; what: ExportSelection; out?: string; dataDir?: string }) => {
      const format = opts.format;
      if (format === undefined) throw new CliError(`--format ${EXPORT_FORMATS.join('|')} is required`);
      if (format === 'csv' && opts.what === 'all' && opts.out === undefined) {
        throw new CliError('CSV holds one kind of row per file: give --out PREFIX to write PREFIX-fills.csv, PREFIX-decisions.csv and PREFIX-actions.csv, or choose --what fills|decisions|actions');
      }
      const journal = openJournal(journalPathFor(id, resolve(opts.dataDir ?? userDataDir())));
      let tables;
      try {
        tables = exportTables({ meta: journal.meta(), events: journal.events(), commands: journal.commands() }, opts.what);
      } finally {
        journal.close();
      }
      // Every text is built before anything is written; each file is written whole and renamed into place.
      const outputs =
        format === 'jsonl'
          ? [{ file: opts.out, text: formatJsonl(tables), rows: tables.reduce((n, t) => n + t.rows.length, 0) }]
          : tables.map((t) => ({ file: opts.out === undefined ? undefined : opts.what === 'all' ? `${opts.out}-${t.name}.csv` : opts.out, text: formatCsv(t), rows: t.rows.length }));
      for (const o of outputs) {
        if (o.file === undefined) {
          process.stdout.write(o.text);
          continue;
        }
        const file = resolve(o.file);
        try {
          writeFileAtomic(file, o.text);
        } catch (err) {
          throw new CliError(`cannot write ${file}: ${err instanceof Error ? err.message : String(err)}`);
        }
        process.stdout.write(`wrote ${o.rows.toLocaleString('en-US')} row${o.rows === 1 ? '' : 's'} to ${file}\n`);
      }
    });
}

/** Opens a journal for reading, turning a refusal (not SQLite, not a journal, damaged, newer) into a CliError. */
function openJournal(path: string): Journal {
  try {
    return Journal.open(path);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

function marketName(m: JournalMarket): string {
  return m.kind === 'sim' ? m.scenario : `lobster:${m.messages.path.split(/[\\/]/).pop() ?? m.messages.path}`;
}

/** Returns the journal file of session `id` (its id in the data folder, or a path to a .sqlite file). */
export function journalPathFor(id: string, dataDir: string): string {
  const path = id.endsWith('.sqlite') ? resolve(id) : journalPath(dataDir, id);
  if (!existsSync(path)) throw new CliError(`no recorded session "${id}" (looked for ${path}); \`cockpit sessions list\` shows them`);
  return path;
}

/** Registers `cockpit replay verify`: re-simulates a recorded session and compares its stream with the record. */
export function registerReplay(program: Command): void {
  const replay = program.command('replay').description('replay recorded sessions');
  replay
    .command('verify <id>')
    .description('re-run a recorded simulated session from its seed and recorded commands and compare the event stream with the journal')
    .option('--data-dir <dir>', 'the data folder the session was recorded in (default: the user data folder)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { dataDir?: string; json?: boolean }) => {
      const path = journalPathFor(id, resolve(opts.dataDir ?? userDataDir()));
      const journal = openJournal(path);
      try {
        const meta = journal.meta();
        if (meta === null) throw new CliError(`${path} is a schema-${journal.schema} journal, which did not record what rebuilds its session`);
        let rebuilt;
        try {
          rebuilt = await recordedSessionConfig(meta);
        } catch (err) {
          throw new CliError(`cannot rebuild session ${meta.sessionId}: ${err instanceof Error ? err.message : String(err)}`);
        }
        const result = resimulate(rebuilt.config, rebuilt.strategies, journal.commands(), journal.events());
        printReport({ session: meta.sessionId, path, ...journal.end(), ...result }, opts.json, () =>
          result.identical
            ? `session ${meta.sessionId}: identical — ${result.events.toLocaleString('en-US')} events re-simulated from seed ${meta.seed} with ${result.commandsApplied} commands and ${result.workflowUpdates} workflow updates fed back (SHA-256 ${result.recordedHash.slice(0, 16)}…)`
            : `session ${meta.sessionId}: differs from event ${result.firstDivergenceSeq} on (recorded ${result.events.toLocaleString('en-US')} events, re-simulated ${result.replayedEvents.toLocaleString('en-US')})`,
        );
        if (!result.identical) process.exitCode = 1;
      } finally {
        journal.close();
      }
    });
}
