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
import { branchJournal } from '../../../engine/workflows/branch';
import { compareSessions, type ComparedSession } from '../../../engine/workflows/compare-sessions';
import { LIMIT_KEYS, type LimitsPatch } from '../../../engine/risk/limits';
import type { AgentFigures, BranchChange, SessionComparison } from '../../../engine/replay/branch-types';
import { APP_VERSION } from '../../version';
import { userDataDir } from '../../host/paths';
import { CliError, parseChoice, parsePositiveInt, printReport, table } from '../output';

/**
 * Registers `cockpit sessions list` (the recorded sessions of a data folder), `cockpit sessions
 * export` (a session's fills, decisions and actions as CSV or JSONL), `cockpit sessions branch` (a
 * what-if branch of a session) and `cockpit sessions compare` (two sessions side by side).
 */
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
          ['session', 'started', 'market', 'agents', 'simulated', 'events', 'ended', 'parent'],
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
                  e.meta?.parent === undefined ? '—' : `branch of ${e.meta.parent.sessionId} at seq ${e.meta.parent.atSeq}`,
                ]
              : [e.path, '—', '—', '—', '—', '—', `unreadable: ${e.problem}`, '—'],
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
  sessions
    .command('branch <id>')
    .description(
      'branch a recorded session at its event SEQ: re-run it exactly to there, give the learned agent another policy (--model) and/or change limits (--limit), ' +
        "run on to the parent's last simulated time with the trader's recorded actions, and write the branch as a new session beside the parent; prints it side by side with the parent",
    )
    .option('--at <seq>', "the parent's event after which the branch goes its own way (1 to its last; required)", parsePositiveInt('--at'))
    .option('--model <dir>', "another policy folder for the learned agent, from its first decision after the branch point (trained for the agent's order)")
    .option('--limit <key=value>', `a limit changed at the branch point, as perAgent.maxOrderLots=100 (repeatable; ${LIMIT_KEYS.length} keys: \`perAgent.*\` and \`session.*\`)`, (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--data-dir <dir>', 'the data folder the session was recorded in (default: the user data folder)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { at?: number; model?: string; limit: string[]; dataDir?: string; json?: boolean }) => {
      if (opts.at === undefined) throw new CliError('--at SEQ is required: the event of the parent to branch after');
      const limits = parseLimitFlags(opts.limit);
      if (opts.model === undefined && limits === undefined) throw new CliError('a branch with no change is the parent: give --model DIR and/or --limit key=value');
      const path = journalPathFor(id, resolve(opts.dataDir ?? userDataDir()));
      openJournal(path).close();
      let result;
      try {
        result = await branchJournal(path, { atSeq: opts.at, appVersion: APP_VERSION, ...(opts.model === undefined ? {} : { modelDir: opts.model }), ...(limits === undefined ? {} : { limits }) });
      } catch (err) {
        throw new CliError(`cannot branch session ${id}: ${err instanceof Error ? err.message : String(err)}`);
      }
      printReport(result, opts.json, () =>
        [`branch ${result.sessionId} of ${result.parentId} at event ${result.atSeq}: ${describeChange(result.change)}`, `journal ${result.path}`, '', comparisonText(result.comparison)].join('\n'),
      );
    });
  sessions
    .command('compare <a> <b>')
    .description('two recorded sessions side by side (typically a parent and its branch): per agent filled lots, average price, shortfall, impact and risk events, the totals, and the first event where their streams part')
    .option('--data-dir <dir>', 'the data folder the sessions were recorded in (default: the user data folder)')
    .option('--json', 'print JSON')
    .action((a: string, b: string, opts: { dataDir?: string; json?: boolean }) => {
      const dataDir = resolve(opts.dataDir ?? userDataDir());
      const read = (id: string): ComparedSession => {
        const journal = openJournal(journalPathFor(id, dataDir));
        try {
          return { meta: journal.meta(), events: journal.events() };
        } finally {
          journal.close();
        }
      };
      const comparison = compareSessions(read(a), read(b));
      printReport(comparison, opts.json, () => comparisonText(comparison));
    });
}

/** Parses `--limit key=value` flags into a limits patch (undefined when none); the ranges are the workflow's to check. */
function parseLimitFlags(flags: readonly string[]): LimitsPatch | undefined {
  if (flags.length === 0) return undefined;
  const patch: { perAgent?: Record<string, number>; session?: Record<string, number> } = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const key = eq < 0 ? flag : flag.slice(0, eq);
    if (!LIMIT_KEYS.includes(key)) throw new CliError(`--limit ${flag}: unknown limit "${key}"; the limits are ${LIMIT_KEYS.join(', ')}`);
    const text = eq < 0 ? '' : flag.slice(eq + 1).trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) throw new CliError(`--limit ${flag}: expected ${key}=NUMBER, received ${eq < 0 ? 'no value' : `"${text}"`}`);
    const [group, name] = key.split('.') as ['perAgent' | 'session', string];
    const into = (patch[group] ??= {});
    if (name in into) throw new CliError(`--limit ${key} is given twice`);
    into[name] = value;
  }
  return patch as LimitsPatch;
}

/** Says what a branch changed: "policy DIR; limits perAgent.maxOrderLots=40". */
function describeChange(change: BranchChange): string {
  const parts: string[] = [];
  if (change.policy !== null) parts.push(`policy ${change.policy.dir}`);
  if (change.limits !== null) {
    const set = Object.entries(change.limits).flatMap(([group, limits]) => Object.entries(limits as object).map(([k, v]) => `${group}.${k}=${String(v)}`));
    parts.push(`limits ${set.join(', ')}`);
  }
  return parts.join('; ');
}

/** Denials by code in a sentence: "ORDER_SIZE_EXCEEDS_MAX 3, PRICE_OUTSIDE_COLLAR 1" (— for none). */
function denialText(denials: Readonly<Record<string, number>>): string {
  const codes = Object.entries(denials).sort(([x], [y]) => x.localeCompare(y));
  return codes.length === 0 ? '—' : codes.map(([code, n]) => `${code} ${n}`).join(', ');
}

const denialCount = (denials: Readonly<Record<string, number>>): number => Object.values(denials).reduce((n, k) => n + k, 0);

/** Prints a comparison: where the streams part, then the session's figures and each agent's, both sessions and the change. */
function comparisonText(c: SessionComparison): string {
  type Row = [string, number | string, number | string, number | string];
  const cell = (v: number | string | null): number | string => (v === null ? '—' : v);
  const num = (figure: string, x: number | null, y: number | null): Row => [`  ${figure}`, cell(x), cell(y), x === null || y === null ? '—' : y - x];
  const risk = (x: AgentFigures | SessionComparison['a'], y: AgentFigures | SessionComparison['b']): Row[] => [
    ['  denials', denialText(x.denials), denialText(y.denials), denialCount(y.denials) - denialCount(x.denials)],
    num('alerts', x.alerts, y.alerts),
    num('halts', x.halts, y.halts),
    num('kills', x.kills, y.kills),
  ];
  const rows: Row[] = [
    ['', c.a.sessionId ?? 'a', c.b.sessionId ?? 'b', 'b − a'],
    ['session', '', '', ''],
    num('events', c.a.events, c.b.events),
    num('filled', c.a.filled, c.b.filled),
    num('end mid', c.a.endMid, c.b.endMid),
    ...risk(c.a, c.b),
    num('kill switches', c.a.killSwitches, c.b.killSwitches),
  ];
  for (const agent of c.agents) {
    const { a, b } = agent;
    rows.push(
      [`${agent.agentId} ${agent.name}`, '', '', ''],
      num('filled', a.filled, b.filled),
      num('avg price', a.avgPrice, b.avgPrice),
      num('shortfall bps', a.shortfallBps, b.shortfallBps),
      num('impact bps', a.impactBps, b.impactBps),
      ...risk(a, b),
      ['  state', cell(a.state), cell(b.state), ''],
    );
  }
  const parted = c.firstDivergenceSeq === null ? 'the two streams are the same' : `the streams part at event ${c.firstDivergenceSeq} (the same up to ${c.firstDivergenceSeq - 1})`;
  return `${parted}\n${table(rows)}`;
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
