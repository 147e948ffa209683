import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BacktestResult, BacktestRow } from '../../engine/execution/execution.contract';
import type { CommandPayload } from '../../engine/contract/index';
import { appRoot } from './app-root';
import { findVolumeFile } from '../../engine/node/files/backtest-markets';

/** Longest a backtest from the window may run. */
const TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Runs a backtest the window asked for with the same code as `cockpit backtest`, in a child
 * process: it uses every core and never stalls the engine loop or the window.
 */
export function runBacktestProcess(request: CommandPayload<'RunBacktest'>): Promise<BacktestResult> {
  const cli = join(appRoot(), 'out', 'main', 'cli.js');
  if (!existsSync(cli)) return Promise.reject(new Error(`the command line tool is not built (${cli}); run npm run build`));
  const args = [
    cli,
    'backtest',
    ...marketArgs(request.scenario),
    '--seeds',
    `${request.seedFrom}..${request.seedTo}`,
    '--strategies',
    request.strategies.join(','),
    '--side',
    request.side,
    '--qty',
    String(request.quantity),
    '--horizon',
    `${request.horizonSeconds}s`,
    ...(request.intervalSeconds === undefined ? [] : ['--interval', `${request.intervalSeconds}s`]),
    ...(request.startTime === undefined ? [] : ['--start', request.startTime]),
    '--json',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: appRoot(), env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        const why = err.split('\n').filter((l) => l.startsWith('cockpit:')).pop() ?? err.trim().split('\n').pop() ?? `exit ${code ?? signal}`;
        reject(new Error(why.replace(/^cockpit: /, '')));
        return;
      }
      try {
        resolve(toResult(JSON.parse(out) as CliReport));
      } catch (e) {
        reject(new Error(`the backtest printed no report: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  });
}

/** Returns the backtest's market options: a scenario, or the historical venue on a LOBSTER day. */
function marketArgs(scenario: string): string[] {
  const ticker = /^lobster:([A-Z]+)$/.exec(scenario)?.[1];
  if (ticker === undefined) return ['--scenario', scenario];
  const lobsterDir = join(dirname(dirname(findVolumeFile())), 'lobster');
  const file = readdirSync(lobsterDir).find((f) => f.startsWith(`${ticker}_`) && /_message_\d+\.csv\.gz$/.test(f));
  if (file === undefined) throw new Error(`no LOBSTER message file for ${ticker} in ${lobsterDir}`);
  return ['--venue', `lobster:${join(lobsterDir, file)}`];
}

interface CliReport {
  readonly scenario: string;
  readonly seeds: readonly number[];
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly horizonSeconds: number;
  readonly episodeStarts: ReadonlyArray<{ readonly start: string }>;
  readonly strategies: readonly BacktestRow[];
  readonly wallSeconds?: number;
}

function toResult(r: CliReport): BacktestResult {
  const seeds = r.seeds.length > 0 ? ([Math.min(...r.seeds), Math.max(...r.seeds)] as const) : ([0, 0] as const);
  return {
    scenario: r.scenario,
    seeds,
    side: r.side,
    quantity: r.qty,
    horizonSeconds: r.horizonSeconds,
    starts: [r.episodeStarts[0]?.start ?? '', r.episodeStarts[r.episodeStarts.length - 1]?.start ?? ''],
    strategies: r.strategies.map((s) => ({
      name: s.name,
      episodes: s.episodes,
      shortfallBps: s.shortfallBps,
      impactBps: s.impactBps,
      vsTwapBps: s.vsTwapBps,
      timingRiskBps: s.timingRiskBps,
      fillRate: s.fillRate,
      spreadPaidBps: s.spreadPaidBps,
    })),
    wallSeconds: r.wallSeconds ?? 0,
  };
}
