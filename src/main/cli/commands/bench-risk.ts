import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { benchRisk, type DecisionTimes, type KillFigures, type RiskBenchReport } from '../../../engine/bench/risk-bench';
import { DEFAULT_POLICY_DIR } from '../../../engine/node/models/policy-files';
import { DEFAULT_DECISION_DEADLINE_MS } from '../../../engine/node/workers/agent-sandbox';
import { CliError, parsePositiveInt, printReport, table } from '../output';

interface BenchRiskOptions {
  agents: number;
  spinMs: number;
  reps: number;
  speed: number;
  seed: number;
  deadlineMs: number;
  model: string;
  json?: boolean;
}

/** Registers `cockpit bench risk`: kill latency with a hung agent, sandboxed and in the engine thread, and what a sandboxed decision costs. */
export function registerBenchRisk(bench: Command): void {
  bench
    .command('risk')
    .description('kill latency with one busy-looping agent among many, agents in sandboxes beside agents in the engine thread; decision cost each way')
    .option('--agents <n>', 'working agents beside the spinning one', parsePositiveInt('--agents'), 24)
    .option('--spin-ms <n>', 'how long the spinning agent busy-loops at each decision, ms', parsePositiveInt('--spin-ms'), 2_000)
    .option('--reps <n>', 'kill requests per mode', parsePositiveInt('--reps'), 5)
    .option('--speed <n>', 'simulated seconds per wall second', parsePositiveInt('--speed'), 20)
    .option('--seed <n>', 'seed', parsePositiveInt('--seed'), 7)
    .option('--deadline-ms <n>', 'the sandboxes\' decision deadline, ms', parsePositiveInt('--deadline-ms'), DEFAULT_DECISION_DEADLINE_MS)
    .option('--model <dir>', 'the learned policy the decision-cost part runs', DEFAULT_POLICY_DIR)
    .option('--json', 'print the report as JSON')
    .action(async (opts: BenchRiskOptions) => {
      const policyDir = resolve(opts.model);
      if (!existsSync(join(policyDir, 'policy.json'))) throw new CliError(`no policy.json in ${policyDir}: pass --model DIR (a directory written by cockpit train)`);
      const report = await benchRisk({ agents: opts.agents, spinMs: opts.spinMs, repetitions: opts.reps, speed: opts.speed, seed: opts.seed, deadlineMs: opts.deadlineMs, policyDir });
      printReport(report, opts.json, () => describe(report));
    });
}

function ms(x: number): string {
  return `${x.toFixed(1)} ms`;
}

function us(x: number): string {
  return x >= 1_000 ? `${(x / 1_000).toFixed(2)} ms` : `${x.toFixed(0)} µs`;
}

function describe(r: RiskBenchReport): string {
  const s = r.setup;
  const row = (name: string, k: KillFigures): string[] => [name, ms(k.requestToKillSwitchMs.median), ms(k.requestToKillSwitchMs.max), ms(k.killToLastOrderMs.median), ms(k.killToLastOrderMs.max), String(k.runs.reduce((n, x) => n + x.ordersAfterKillSwitch + x.ordersLeftOnVenue, 0))];
  const times = (t: DecisionTimes): string => `${us(t.medianUs)} / ${us(t.p99Us)} / ${us(t.maxUs)}`;
  return [
    `${s.workingAgents} working agents and one spinning ${s.spinMs} ms at each decision (every ${s.spinnerIntervalSeconds} s simulated), ${s.scenario} seed ${s.seed}, the host's ${s.frameMs} ms loop at ${s.speed}x; KillAll sent from another thread, ${s.repetitions} times each`,
    table([
      ['strategies', 'to kill switch (median)', '(max)', 'to last order or fill (median)', '(max)', 'sent after / left working'],
      row(`in sandboxes (${s.deadlineMs} ms deadline)`, r.kill.sandboxed),
      row('in the engine thread', r.kill.inThread),
    ]),
    `the spinner, sandboxed: ${r.kill.sandboxed.runs[0]?.spinner ?? '-'}`,
    '',
    'decision cost (median / p99 / max; the slowest first decision)',
    table([
      ['strategy', 'decisions', 'engine thread', 'first', 'sandboxed round trip', 'first'],
      ...r.decisions.costs.map((c) => [c.strategy, String(c.sandboxed.decisions), times(c.inThread), us(c.inThread.slowestFirstUs), times(c.sandboxed), us(c.sandboxed.slowestFirstUs)]),
    ]),
    `sandboxed agents stopped for a missed ${s.deadlineMs} ms deadline in the decision-cost run: ${r.decisions.sandboxedDeadlineMisses}`,
    '',
    `killToLastOrderMs ${r.killToLastOrderMs.toFixed(1)} (the worst sandboxed run; target under 50)`,
    `gateNsPerOrder ${r.gateNsPerOrder} (every limit on, ${r.gate.agents} agents with working orders, ${r.gate.orders.toLocaleString('en-US')} checks, harness ${r.gate.harnessNsPerOrder.toFixed(0)} ns taken out; booking an accepted order ${r.gate.bookNsPerOrder.toFixed(0)} ns; target under 2,000)`,
  ].join('\n');
}
