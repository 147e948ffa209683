import type { Command } from 'commander';
import { LobsterFormatError } from '../../../engine/data/lobster';
import { FileReadError } from '../../../engine/node/files/gzip-lines';
import type { LobsterFilePair } from '../../../engine/node/files/lobster-files';
import { SignalModelError } from '../../../engine/node/models/signal-files';
import type { BackendName } from '../../../engine/node/models/tf-backend';
import { selectBackend } from '../../../engine/node/models/tf-backend';
import { SIGNAL_MODEL_KINDS } from '../../../engine/signals/model';
import type { SignalModelKind } from '../../../engine/signals/model';
import { lobsterPair, SignalDataError, SPLIT_NAMES } from '../../../engine/workflows/signal-data';
import type { SplitName } from '../../../engine/workflows/signal-data';
import { evaluateSignalModels } from '../../../engine/workflows/signal-eval';
import type { SignalEvalReport } from '../../../engine/workflows/signal-eval';
import { DEFAULT_THRESHOLD_TICKS, trainSignalModel } from '../../../engine/workflows/signal-train';
import type { SignalTrainResult } from '../../../engine/workflows/signal-train';
import { fitSignalRegimes, regimesMarkdown, regimesReportFile } from '../../../engine/workflows/signal-regimes';
import type { SignalRegimesReport } from '../../../engine/workflows/signal-regimes';
import { writeFileAtomic } from '../../../engine/node/models/policy-files';
import { ScenarioError } from '../../../engine/sim/scenario';
import { CliError, parseChoice, parsePositiveInt, printReport, table } from '../output';

interface TrainOptions {
  data: string[];
  horizon: number;
  model: SignalModelKind;
  out: string;
  threshold: number;
  levels?: number;
  window?: number;
  stride: number;
  epochs: number;
  seed: number;
  backend?: string;
  json?: boolean;
}

interface RegimesOptions {
  data: string[];
  scenarios: string;
  minutes: number;
  k: number;
  seed: number;
  out?: string;
  json?: boolean;
}

interface EvalOptions {
  model: string;
  data: string[];
  split: SplitName;
  backend?: string;
  json?: boolean;
}

/** The shipped signal models (a 5-level one and a level-1 one), relative to the application root. */
export const SHIPPED_SIGNAL_MODELS: readonly string[] = ['resources/models/lob5-signal', 'resources/models/lob1-signal'];

const BACKENDS: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/** Parses `--data MSG OB [MSG OB…]` into file pairs, naming what is wrong. */
export function dataPairs(files: readonly string[]): LobsterFilePair[] {
  if (files.length === 0 || files.length % 2 !== 0) {
    throw new CliError(`--data takes MESSAGES ORDERBOOK pairs, received ${files.length} file${files.length === 1 ? '' : 's'}`);
  }
  const pairs: LobsterFilePair[] = [];
  for (let i = 0; i < files.length; i += 2) {
    try {
      pairs.push(lobsterPair(files[i] as string, files[i + 1] as string));
    } catch (err) {
      throw new CliError(err instanceof Error ? err.message : String(err));
    }
  }
  return pairs;
}

function parseTicks(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new CliError(`--threshold must be a non-negative number of ticks, received "${value}"`);
  return n;
}

async function backend(name: string | undefined): Promise<{ tf: Awaited<ReturnType<typeof selectBackend>>['tf']; detail: string; name: string }> {
  try {
    const b = await selectBackend(name as BackendName | undefined);
    return { tf: b.tf, detail: b.detail, name: b.name };
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/** Turns the errors a user can act on (bad files, rows, models) into one-line CLI errors. */
async function userErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof LobsterFormatError || err instanceof FileReadError || err instanceof SignalModelError || err instanceof ScenarioError || err instanceof SignalDataError) throw new CliError(err.message);
    throw err;
  }
}

/** Registers `cockpit signal …`: short-horizon price-direction models trained and evaluated on LOBSTER days. */
export function registerSignal(program: Command): void {
  const signal = program.command('signal').description('signal models: mid-price direction over k events from book and tape features (LOBSTER data courtesy of lobsterdata.com)');
  signal
    .command('train')
    .description('train a signal model on the first 60% of each day (validated on the next 20%) and write its directory with a model card')
    .requiredOption('--data <files...>', 'LOBSTER MESSAGES ORDERBOOK pairs (.csv or .csv.gz)')
    .requiredOption('--horizon <k>', 'label horizon, events', parsePositiveInt('--horizon'))
    .requiredOption('--model <kind>', SIGNAL_MODEL_KINDS.join(', '), parseChoice('--model', SIGNAL_MODEL_KINDS))
    .requiredOption('--out <dir>', 'model directory to write')
    .option('--threshold <ticks>', 'smallest move of the mean future mid, ticks, that is up or down', parseTicks, DEFAULT_THRESHOLD_TICKS)
    .option('--levels <n>', 'levels a side the model reads (default: the fewest the data has, at most 5)', parsePositiveInt('--levels'))
    .option('--window <n>', 'events a seq model looks at (default 20)', parsePositiveInt('--window'))
    .option('--stride <n>', 'one training sample every n events', parsePositiveInt('--stride'), 4)
    .option('--epochs <n>', 'training epochs (the best on validation is kept)', parsePositiveInt('--epochs'), 8)
    .option('--seed <n>', 'weights and shuffling seed', parsePositiveInt('--seed'), 1)
    .option('--backend <name>', `TF.js backend: ${BACKENDS.join(', ')} (default: the fastest available)`)
    .option('--json', 'print the result as JSON')
    .action(async (opts: TrainOptions) => {
      const data = dataPairs(opts.data);
      const b = await backend(opts.backend);
      const result = await userErrors(() =>
        trainSignalModel(
          {
            data,
            kind: opts.model,
            horizon: opts.horizon,
            thresholdTicks: opts.threshold,
            out: opts.out,
            stride: opts.stride,
            epochs: opts.epochs,
            seed: opts.seed,
            tf: b.tf,
            backend: b.name,
            ...(opts.levels !== undefined ? { levels: opts.levels } : {}),
            ...(opts.window !== undefined ? { window: opts.window } : {}),
          },
          { onProgress: (p) => process.stderr.write(`epoch ${p.done}/${p.total}\n`) },
        ),
      );
      printReport(result, opts.json, () => describeTrain(result));
    });
  signal
    .command('eval')
    .description('score signal models against persistence and the majority class, with block-bootstrap intervals')
    .requiredOption('--model <dir>', 'a signal model directory, or a directory of them')
    .requiredOption('--data <files...>', 'one LOBSTER MESSAGES ORDERBOOK pair')
    .option('--split <name>', `events scored: ${SPLIT_NAMES.join(', ')} (test: the last 20%; all: a day the model never saw)`, parseChoice('--split', SPLIT_NAMES), 'test')
    .option('--backend <name>', `TF.js backend for reading the weights: ${BACKENDS.join(', ')}`, 'cpu')
    .option('--json', 'print the report as JSON')
    .action(async (opts: EvalOptions) => {
      const data = dataPairs(opts.data);
      if (data.length !== 1) throw new CliError(`signal eval takes one MESSAGES ORDERBOOK pair, received ${data.length}`);
      const b = await backend(opts.backend);
      const report = await userErrors(() => evaluateSignalModels({ model: opts.model, data: data[0] as LobsterFilePair, split: opts.split, tf: b.tf }));
      printReport(report, opts.json, () => describeEval(report));
    });
  signal
    .command('regimes')
    .description('fit the regime detector (k-means on per-minute volatility, spread, trades and imbalance) to real days, name the regimes, and map simulator scenarios onto them')
    .requiredOption('--data <files...>', 'LOBSTER MESSAGES ORDERBOOK pairs of the real days')
    .option('--scenarios <names>', 'simulator scenarios, comma-separated', 'calm,calm-informed,volatile,thin,trending,flash-crash')
    .option('--minutes <n>', 'simulated minutes per scenario from its open', parsePositiveInt('--minutes'), 120)
    .option('--k <n>', 'regimes', parsePositiveInt('--k'), 4)
    .option('--seed <n>', 'k-means and simulator seed', parsePositiveInt('--seed'), 1)
    .option('--out <dir>', 'write regimes.json (the model), regimes-report.json and REGIMES.md here')
    .option('--json', 'print the report as JSON')
    .action(async (opts: RegimesOptions) => {
      const data = dataPairs(opts.data);
      const scenarios = opts.scenarios.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
      const report: SignalRegimesReport = await userErrors(() => fitSignalRegimes({ data, scenarios, minutes: opts.minutes, k: opts.k, seed: opts.seed, ...(opts.out ? { out: opts.out } : {}) }));
      if (opts.out) writeFileAtomic(regimesReportFile(opts.out), `# Market regimes: real days and simulator scenarios\n\n${regimesMarkdown(report)}`);
      printReport(report, opts.json, () => regimesMarkdown(report));
    });
}

const f3 = (x: number): string => x.toFixed(3);

function describeTrain(r: SignalTrainResult): string {
  return [
    `${r.spec.name} (${r.spec.kind}, ${r.spec.levels} level${r.spec.levels === 1 ? '' : 's'}, horizon ${r.spec.horizon} events, threshold ${r.spec.thresholdTicks} ticks) → ${r.dir}`,
    `${r.trainSamples} training samples, ${r.validationSamples} validation; ${r.seconds.toFixed(0)} s; kept epoch ${r.bestEpoch}`,
    table([['epoch', 'loss', 'val accuracy', 'val macro-F1'], ...r.epochs.map((e) => [String(e.epoch), f3(e.loss), f3(e.accuracy), f3(e.macroF1)])]),
  ].join('\n');
}

/** Formats an eval report as the text the CLI prints. */
export function describeEval(r: SignalEvalReport): string {
  const b = r.classBalance.shares;
  const rows: string[][] = [['predictor', 'accuracy', 'macro-F1', '95% CI']];
  for (const s of [...r.models, ...r.naive]) rows.push([s.name, f3(s.accuracy), f3(s.macroF1), `[${f3(s.macroF1Ci95[0])}, ${f3(s.macroF1Ci95[1])}]`]);
  const lines = [
    `${r.data}, ${r.split} split (events ${r.events.from}–${r.events.to}), horizon ${r.horizon} events, threshold ${r.thresholdTicks} ticks`,
    `class balance: down ${(b.down * 100).toFixed(1)}%, flat ${(b.flat * 100).toFixed(1)}%, up ${(b.up * 100).toFixed(1)}% of ${r.classBalance.n} events`,
    table(rows),
  ];
  for (const m of r.models) {
    for (const v of m.vsNaive) lines.push(`${m.name} − ${v.naive}: ${v.diff >= 0 ? '+' : ''}${f3(v.diff)} macro-F1 [${f3(v.ci95[0])}, ${f3(v.ci95[1])}] ${v.beats ? 'beats it' : 'does not beat it'}`);
  }
  return lines.join('\n');
}
