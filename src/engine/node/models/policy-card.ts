/**
 * Model cards: `model-card.json` (machine-readable) and `MODEL_CARD.md` (readable) in a model
 * directory, written after training and extended with evaluation tables (exact commands and
 * numbers from `cockpit backtest` on held-out seeds).
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { PolicyReport, PolicyReportTable } from '../../kernel/session.contract';
import { readJson, writeFileAtomic, writeJson } from './policy-files';

/** One evaluation table in a card: the table the window shows (rows: strategy, shortfall, vs TWAP, timing risk, fill rate), with its seeds. */
export interface CardEvaluation extends PolicyReportTable {
  readonly seeds: string;
}

/** The JSON model card. */
export interface ModelCard {
  readonly name: string;
  readonly algorithm: string;
  readonly hyperparameters: unknown;
  readonly network: string;
  readonly env: unknown;
  readonly scenarios: readonly string[];
  readonly steps: number;
  readonly episodes: number;
  readonly wallSeconds: number;
  readonly backend: string;
  readonly trainingSeeds: { readonly first: number; readonly lastExclusive: number; readonly rule: string };
  readonly validationSeeds: { readonly seeds: readonly number[]; readonly use: string };
  readonly evaluationSeeds: { readonly rule: string };
  readonly selected: string;
  readonly validation: unknown;
  readonly resumedAt: readonly number[];
  readonly trainCommand: string;
  readonly evaluations: readonly CardEvaluation[];
  readonly notes: readonly string[];
}


/** Writes `model-card.json` and `MODEL_CARD.md` into `dir`. */
export function writeCard(dir: string, card: ModelCard): void {
  writeJson(dir, 'model-card.json', card);
  writeFileAtomic(join(dir, 'MODEL_CARD.md'), renderCard(card));
}

/** Reads the card in `dir` (null when none). */
export function readCard(dir: string): ModelCard | null {
  return existsSync(join(dir, 'model-card.json')) ? readJson<ModelCard>(dir, 'model-card.json') : null;
}

/** Renders the card as Markdown. */
export function renderCard(c: ModelCard): string {
  const lines = [
    `# Model card: ${c.name}`,
    '',
    `- **Algorithm:** ${c.algorithm}`,
    `- **Network:** ${c.network}`,
    `- **Training:** ${c.steps.toLocaleString('en-US')} env steps, ${c.episodes.toLocaleString('en-US')} episodes, ${c.wallSeconds} s wall, backend ${c.backend}`,
    `- **Scenarios (mixed):** ${c.scenarios.join(', ')}`,
    `- **Environment:** \`${JSON.stringify(c.env)}\``,
    `- **Training seeds:** ${c.trainingSeeds.first.toLocaleString('en-US')} … ${(c.trainingSeeds.lastExclusive - 1).toLocaleString('en-US')} (${c.trainingSeeds.rule})`,
    `- **Validation seeds:** ${c.validationSeeds.seeds[0] ?? '-'} … ${c.validationSeeds.seeds[c.validationSeeds.seeds.length - 1] ?? '-'} per scenario — ${c.validationSeeds.use}`,
    `- **Evaluation seeds:** ${c.evaluationSeeds.rule}`,
    `- **Shipped weights:** ${c.selected}${c.resumedAt.length ? `; resumed at step(s) ${c.resumedAt.join(', ')}` : ''}`,
    `- **Command:** \`${c.trainCommand}\``,
    '',
    ...(c.notes.length ? ['## Summary and notes', '', ...c.notes.map((n) => `- ${n}`), ''] : []),
    '## Hyperparameters',
    '',
    '```json',
    JSON.stringify(c.hyperparameters, null, 2),
    '```',
    '',
    '## Validation (model selection; mean greedy shortfall, bps)',
    '',
    '| step | mean | ' + Object.keys((c.validation as Array<{ byScenario: Record<string, number> }>)[0]?.byScenario ?? {}).join(' | ') + ' |',
    '|---|---|' + Object.keys((c.validation as Array<{ byScenario: Record<string, number> }>)[0]?.byScenario ?? {}).map(() => '---').join('|') + '|',
    ...(c.validation as Array<{ step: number; meanShortfallBps: number; byScenario: Record<string, number> }>).map((v) => `| ${v.step} | ${v.meanShortfallBps.toFixed(2)} | ${Object.values(v.byScenario).map((x) => x.toFixed(2)).join(' | ')} |`),
    '',
    '## Evaluation on held-out seeds',
    '',
  ];
  if (c.evaluations.length === 0) lines.push('Not evaluated yet.');
  for (const e of c.evaluations) {
    lines.push(`### ${e.title}`, '', '```', e.command, '```', '', `Seeds: ${e.seeds}`, '');
    const cols = Object.keys(e.rows[0] ?? {});
    lines.push(`| ${cols.join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`);
    for (const r of e.rows) lines.push(`| ${cols.map((k) => String(r[k] ?? 'n/a')).join(' | ')} |`);
    lines.push('', `**Verdict:** ${e.verdict}`, '');
  }
  return `${lines.join('\n')}\n`;
}

const cell = z.union([z.string(), z.number(), z.null()]);
const reportSchema = z.object({
  name: z.string().min(1),
  algorithm: z.string(),
  scenarios: z.array(z.string()),
  steps: z.number().int().nonnegative(),
  wallSeconds: z.number().nonnegative(),
  backend: z.string(),
  trainCommand: z.string(),
  notes: z.array(z.string()),
  evaluations: z.array(z.object({ title: z.string(), command: z.string(), rows: z.array(z.record(z.string(), cell)), verdict: z.string(), wins: z.boolean() })),
});

/** Reads the model card in `dir` as the window shows it; throws a message naming the file and what is wrong (missing, not JSON, a field absent or mistyped). */
export function policyReport(dir: string): PolicyReport {
  const file = join(dir, 'model-card.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the model card ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = reportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`the model card ${file} is not one this build writes: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  // The schema keeps only the fields the window shows (zod drops the rest, the tables' seeds included).
  const { scenarios, ...report } = parsed.data;
  return { ...report, trainedOn: scenarios };
}
