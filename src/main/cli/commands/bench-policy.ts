import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { BackendName } from '../../../engine/node/models/tf-backend';
import { selectBackend } from '../../../engine/node/models/tf-backend';
import type { PolicyBenchReport } from '../../../engine/bench/policy-bench';
import { benchPolicy } from '../../../engine/bench/policy-bench';
import { DEFAULT_POLICY_DIR } from '../../../engine/node/models/policy-files';
import { CliError, parsePositiveInt, printReport, table } from '../output';

interface BenchPolicyOptions {
  model: string;
  backend?: string;
  iterations: number;
  batch: number;
  json?: boolean;
}

/** Registers `cockpit bench policy`: decision latency, batched throughput and explanation cost of a trained policy. */
export function registerBenchPolicy(bench: Command): void {
  bench
    .command('policy')
    .description('policy inference: single-decision latency p50/p99 (pure-TS and TF.js side by side), batched decisions/s, explanation cost')
    .option('--model <dir>', 'model directory', DEFAULT_POLICY_DIR)
    .option('--backend <name>', 'TF.js backend: tensorflow-gpu, tensorflow, wasm or cpu (default: the fastest available)')
    .option('--iterations <n>', 'single decisions timed', parsePositiveInt('--iterations'), 5000)
    .option('--batch <n>', 'agents deciding on the same tick', parsePositiveInt('--batch'), 256)
    .option('--json', 'print the report as JSON')
    .action(async (opts: BenchPolicyOptions) => {
      const dir = resolve(opts.model);
      if (!existsSync(join(dir, 'model.json'))) throw new CliError(`no model.json in ${dir}: pass --model DIR (a directory written by cockpit train)`);
      let backend;
      try {
        backend = await selectBackend(opts.backend as BackendName | undefined);
      } catch (err) {
        throw new CliError(err instanceof Error ? err.message : String(err));
      }
      const report = await benchPolicy(dir, backend.tf, backend.detail, { iterations: opts.iterations, batchSize: opts.batch });
      printReport(report, opts.json, () => describe(report));
    });
}

function ms(x: number): string {
  return x < 0.1 ? `${(x * 1000).toFixed(1)} µs` : `${x.toFixed(3)} ms`;
}

function describe(r: PolicyBenchReport): string {
  return [
    `policy ${r.model} (${r.algo}); backend ${r.backend} — ${r.backendDetail}`,
    table([
      ['path', 'p50', 'p99', 'mean', `batch of ${r.batchSize}: decisions/s`],
      ['js-forward (single decisions)', ms(r.jsForward.p50Ms), ms(r.jsForward.p99Ms), ms(r.jsForward.meanMs), Math.round(r.batchDecisionsPerSecondJs)],
      [`tfjs ${r.backend.split(' ')[0]}`, ms(r.tfForward.p50Ms), ms(r.tfForward.p99Ms), ms(r.tfForward.meanMs), Math.round(r.batchDecisionsPerSecond)],
      ['explain (IG, 32 steps, opt-in)', ms(r.explainMs.p50Ms), ms(r.explainMs.p99Ms), ms(r.explainMs.meanMs), ''],
    ]),
    'single decision = feature encoding from a live simulator view + normalisation + forward pass + argmax',
  ].join('\n');
}
