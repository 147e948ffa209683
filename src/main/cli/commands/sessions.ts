import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatTimeOfDay } from '../../../engine/core/clock';
import { listSessions } from '../../../engine/node/journal/sessions';
import type { JournalMarket } from '../../../engine/node/journal/journal';
import { userDataDir } from '../../host/paths';
import { printReport, table } from '../output';

/** Registers `cockpit sessions list`: the recorded sessions of a data folder. */
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
}

function marketName(m: JournalMarket): string {
  return m.kind === 'sim' ? m.scenario : `lobster:${m.messages.path.split(/[\\/]/).pop() ?? m.messages.path}`;
}
