import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { SignalBenchReport } from '../../../engine/bench/signal-bench';
import { benchSignal } from '../../../engine/bench/signal-bench';
import { lobsterMessageFileFor } from '../../../engine/node/files/backtest-markets';
import { signalModelDirs } from '../../../engine/node/models/signal-files';
import { selectBackend } from '../../../engine/node/models/tf-backend';
import type { BackendName } from '../../../engine/node/models/tf-backend';
import { lobsterPair } from '../../../engine/workflows/signal-data';
import { CliError, parsePositiveInt, printReport, table } from '../output';
import { SHIPPED_SIGNAL_MODELS } from './signal';

interface BenchSignalOptions {
  data?: string[];
  model?: string[];
  decisions: number;
  backend: string;
  json?: boolean;
}

/** Registers `cockpit bench signal`: features and a model decision per event, beside the plain book replay. */
export function registerBenchSignal(bench: Command): void {
  bench
    .command('signal')
    .description('signals: features and regime µs per event over a LOBSTER day beside the book replay of the same events; a model decision per event p50/p99 (pure-TS and TF.js)')
    .option('--data <files...>', 'LOBSTER MESSAGES ORDERBOOK pair (default: the shared GOOG day)')
    .option('--model <dirs...>', `signal model directories (default: ${SHIPPED_SIGNAL_MODELS.join(', ')})`)
    .option('--decisions <n>', 'decisions timed per model', parsePositiveInt('--decisions'), 20_000)
    .option('--backend <name>', 'TF.js backend for the comparison', 'cpu')
    .option('--json', 'print the report as JSON')
    .action(async (opts: BenchSignalOptions) => {
      let report: SignalBenchReport;
      try {
        const files = opts.data ?? [lobsterMessageFileFor('GOOG'), lobsterMessageFileFor('GOOG').replace('_message_', '_orderbook_')];
        if (files.length !== 2) throw new Error(`--data takes one MESSAGES ORDERBOOK pair, received ${files.length} files`);
        const pair = lobsterPair(files[0] as string, files[1] as string);
        const dirs = (opts.model ?? SHIPPED_SIGNAL_MODELS).flatMap((d) => signalModelDirs(resolve(d)));
        const b = await selectBackend(opts.backend as BackendName);
        report = await benchSignal(pair, dirs, b.tf, b.detail, { decisions: opts.decisions });
      } catch (err) {
        throw new CliError(err instanceof Error ? err.message : String(err));
      }
      printReport(report, opts.json, () => describe(report));
    });
}

const us = (x: number): string => `${x.toFixed(2)} µs`;

function describe(r: SignalBenchReport): string {
  return [
    `${r.events} events of ${r.data}`,
    table([
      ['per event', 'µs'],
      ['book replay (reference: apply + compare the row)', us(r.bookReplayUsPerEvent)],
      ...r.featuresUsPerEvent.map((f) => [`features, ${f.levels} level${f.levels === 1 ? '' : 's'} (${f.features})`, us(f.usPerEvent)]),
      ['regime detector', us(r.regimeUsPerEvent)],
    ]),
    `features under 5 µs per event: ${r.featuresUnderTarget ? 'yes' : 'no'}`,
    table([['decision (observe + forward + argmax)', 'js p50', 'js p99', 'tfjs p50', 'tfjs p99'], ...r.decisions.map((d) => [`${d.model} (${d.kind})`, us(d.jsForwardUs.p50), us(d.jsForwardUs.p99), us(d.tfForwardUs.p50), us(d.tfForwardUs.p99)])]),
    `decision p99 under 1 ms (js-forward, the engine's path): ${r.decisionsUnderTarget ? 'yes' : 'no'}; TF.js backend ${r.backend}`,
  ].join('\n');
}
