import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseSeedList } from '../../../engine/core/seed-list';
import { NS_PER_SECOND } from '../../../engine/core/clock';
import { findLobsterDir, lobsterSessionMarket } from '../../../engine/node/files/backtest-markets';
import { lobsterSamplePair } from '../../../engine/node/files/sim-lobster-stream';
import { DYNAMIC_RISK_FILE, readDynamicRiskConfig } from '../../../engine/node/files/dynamic-risk-file';
import { loadScenario } from '../../../engine/node/files/sim-scenarios';
import { DynamicRiskMonitor } from '../../../engine/risk/dynamic/monitor';
import { riskFit, type RealDay } from '../../../engine/workflows/risk-fit';
import { flashCrashComparison } from '../../../engine/workflows/flash-crash';
import type { MeanWithCi } from '../../../engine/execution/stats';
import { appRoot } from '../../host/app-root';
import { CliError, printReport, table } from '../output';

/** The real days the monitor is fitted on: the shared LOBSTER full days. */
const DAYS = [
  { ticker: 'GOOG', levels: 10 },
  { ticker: 'AAPL', levels: 1 },
  { ticker: 'AMZN', levels: 1 },
] as const;

const ci = (m: MeanWithCi | null, digits = 1): string => (m === null ? '—' : `${m.mean.toFixed(digits)} ${m.ci95 ? `[${m.ci95[0].toFixed(digits)}, ${m.ci95[1].toFixed(digits)}]` : ''}`.trim());

/** Registers `cockpit risk fit` and `cockpit risk flash-crash`. */
export function registerRisk(program: Command): void {
  const risk = program.command('risk').description('the risk overlay: fit the dynamic-risk monitor on real days; compare runs with and without it');

  risk
    .command('fit')
    .description('fit EWMA and GARCH(1,1) on the shared LOBSTER days (1 s mid returns), choose the detectors\u2019 thresholds on them, count their false alarms')
    .option('--out <file>', 'where to write the parameters', DYNAMIC_RISK_FILE)
    .option('--json', 'print the report as JSON')
    .action(async (opts: { out: string; json?: boolean }) => {
      const dir = findLobsterDir();
      const days: RealDay[] = DAYS.map((d) => {
        const pair = lobsterSamplePair(dir, d.ticker, d.levels);
        return {
          name: basename(pair.messages),
          levels: d.levels,
          open: async () => {
            const m = await lobsterSessionMarket(pair.messages);
            return { venue: m.venue, tickSize: m.tickSize, startNs: m.venue.now(), endNs: 57_600 * NS_PER_SECOND };
          },
        };
      });
      const report = await riskFit(days);
      const out = resolve(opts.out);
      mkdirSync(dirname(out), { recursive: true });
      const command = 'cockpit risk fit';
      writeFileSync(out, `${JSON.stringify({ config: report.config, rule: report.rule, command, data: days.map((d) => `shared/data/lobster/${d.name}`), days: report.days, pooled: report.pooled, falseAlarms: report.falseAlarms }, null, 2)}\n`);
      printReport(report, opts.json, () =>
        [
          table([
            ['day', 'samples', 'EWMA λ', 'GARCH ω bps²', 'α', 'β', 'α+β', 'σ∞ bps/√s', 'max 30 s move σ', 'max spread ×', 'min depth share'],
            ...report.days.map((d) => [d.name.split('_')[0] ?? d.name, d.samples, d.ewma.lambda.toFixed(4), d.garch.omega.toPrecision(3), d.garch.alpha.toFixed(3), d.garch.beta.toFixed(3), d.garch.persistence.toFixed(4), d.garch.unconditionalSigmaBps.toFixed(2), d.maxFlashSigma.toFixed(2), d.maxSpreadMultiple.toFixed(2), d.minDepthShare === null ? 'n/a (1 level)' : d.minDepthShare.toFixed(3)]),
            ['pooled', report.days.reduce((n, d) => n + d.samples, 0), report.pooled.ewma.lambda.toFixed(4), report.pooled.garch.omega.toPrecision(3), report.pooled.garch.alpha.toFixed(3), report.pooled.garch.beta.toFixed(3), report.pooled.garch.persistence.toFixed(4), report.pooled.garch.unconditionalSigmaBps.toFixed(2), '', '', ''],
          ]),
          `thresholds: flash crash ${report.config.flashCrash.k}σ in ${report.config.flashCrash.windowSeconds} s; spread ${report.config.spreadBlowout.multiple}× its median (≥ ${report.config.spreadBlowout.minTicks} ticks); depth ${report.config.depthVacuum.fraction} of its median`,
          `rule: ${report.rule}`,
          table([['false alarms', 'flash-crash', 'spread-blowout', 'depth-vacuum'], ...report.falseAlarms.map((f) => [f.name.split('_')[0] ?? f.name, f['flash-crash'], f['spread-blowout'], f['depth-vacuum'] ?? 'n/a'])]),
          `wrote ${out}`,
        ].join('\n'),
      );
    });

  risk
    .command('flash-crash')
    .description('the flash-crash scenario with and without the dynamic-risk overlay over many seeds, and the false alarms of the calm scenario')
    .option('--seeds <range>', 'flash-crash seeds', '1..30')
    .option('--calm-seeds <range>', 'calm scenario seeds (full days) for the false alarms', '1..10')
    .option('--params <file>', 'the monitor\u2019s parameters', '')
    .option('--out <file>', 'also write the report as JSON here')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { seeds: string; calmSeeds: string; params: string; out?: string; json?: boolean }) => {
      let seeds: number[];
      let calmSeeds: number[];
      try {
        seeds = parseSeedList(opts.seeds, { flag: '--seeds' });
        calmSeeds = parseSeedList(opts.calmSeeds, { flag: '--calm-seeds' });
      } catch (err) {
        throw new CliError(err instanceof Error ? err.message : String(err));
      }
      const config = readDynamicRiskConfig(opts.params === '' ? join(appRoot(), DYNAMIC_RISK_FILE) : resolve(opts.params));
      const report = await flashCrashComparison({ scenario: loadScenario('flash-crash'), seeds, monitor: () => new DynamicRiskMonitor(config), calm: { scenario: loadScenario('calm'), seeds: calmSeeds } });
      if (opts.out) {
        mkdirSync(dirname(resolve(opts.out)), { recursive: true });
        writeFileSync(resolve(opts.out), `${JSON.stringify(report, null, 2)}\n`);
      }
      printReport(report, opts.json, () =>
        [
          `flash crash at +${report.crashAtSeconds} s after the open; ${seeds.length} seeds; rules ${report.rules.map((r) => `${r.detector}→${r.action}`).join(', ')}`,
          `flash-crash alert within 5 min of the crash on ${(report.detected * 100).toFixed(0)}% of seeds; seconds after the crash's start: ${ci(report.alertAfterSeconds)}; limit breaches found by the audit: ${report.breaches}`,
          table([
            ['agent', 'shortfall with (bps)', 'without', 'with − without', 'worst drawdown with (bps)', 'without', 'with − without'],
            ...report.agents.map((a) => [a.name, ci(a.shortfallWith), ci(a.shortfallWithout), ci(a.shortfallDifference), ci(a.drawdownWith), ci(a.drawdownWithout), ci(a.drawdownDifference)]),
          ]),
          report.falseAlarms ? `false alarms on ${report.falseAlarms.scenario} (${report.falseAlarms.seeds.length} full days, ${report.falseAlarms.hours.toFixed(1)} h): ${Object.entries(report.falseAlarms.byDetector).map(([k, v]) => `${k} ${v}`).join(', ')}` : '',
        ].join('\n'),
      );
    });
}
