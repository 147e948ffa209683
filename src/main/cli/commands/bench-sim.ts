import type { Command } from 'commander';
import { benchSim } from '../../../engine/bench/sim-bench';
import { loadScenario } from '../../../engine/node/files/sim-scenarios';
import { ScenarioError } from '../../../engine/sim/scenario';
import { CliError, parsePositiveInt, printReport, table } from '../output';

interface BenchSimOptions {
  scenario: string;
  seed?: number;
  json?: boolean;
}

/** Registers `cockpit bench sim`: the market simulator's speed on one core. */
export function registerBenchSim(bench: Command): void {
  bench
    .command('sim')
    .description('market simulator: events per second, environment steps per second, time of a full session (one core)')
    .option('--scenario <name|file>', 'scenario to run', 'calm')
    .option('--seed <n>', 'seed', parsePositiveInt('--seed'))
    .option('--json', 'print the report as JSON')
    .action((opts: BenchSimOptions) => {
      let scenario;
      try {
        scenario = loadScenario(opts.scenario);
      } catch (err) {
        if (err instanceof ScenarioError) throw new CliError(err.message);
        throw err;
      }
      const r = benchSim(scenario, opts.seed ?? 1);
      printReport(r, opts.json, () =>
        [
          `scenario ${r.scenario}, seed ${r.seed}, a ${(r.sessionSeconds / 3600).toFixed(1)}-hour session`,
          table([
            ['background session', 'events', 'messages', 'seconds', 'events/s', 'messages/s', 'events+messages/s'],
            ['', r.events, r.messages, r.daySeconds, r.eventsPerSecond, r.messagesPerSecond, r.totalPerSecond],
          ]),
          table([
            ['venue steps', 'step s', 'steps', 'seconds', 'steps/s', 'events/step', 'venue events/step'],
            ['', r.stepSeconds, r.steps, r.steppedDaySeconds, r.stepsPerSecond, r.eventsPerStep, r.venueEventsPerStep],
          ]),
        ].join('\n'),
      );
    });
}
