import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../output';
import { EngineHost } from '../../host/engine-host';
import { engineWorkerPath, rendererDir, replayWorkerPath } from '../../host/app-root';
import { SessionRouter } from '../../host/session-router';
import { userDataDir } from '../../host/paths';
import { isLoopback, startBrowserServer } from '../../server/browser-server';
import { APP_VERSION } from '../../version';
import type { EngineOptions } from '../../host/protocol';
import { parseTimeOfDay } from './backtest';
import { findLobsterDir } from '../../../engine/node/files/backtest-markets';

interface ServeOptions {
  port: number;
  host: string;
  allowRemote?: boolean;
  dataDir?: string;
  seed: number;
  speed?: number;
  scenario?: string;
  venue?: string;
  start?: number;
  policy?: string;
  backend?: EngineOptions['backend'];
}

const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;

/** Registers `cockpit serve`: the cockpit in a browser, for machines without the desktop runtime. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the cockpit to a browser on this machine; the first line printed is the URL to open')
    .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort, 0)
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--allow-remote', 'allow binding an address other than loopback (anyone who has the URL can trade)')
    .option('--data-dir <dir>', 'where journals are written (default: the user data folder)')
    .option('--seed <k>', 'seed of the simulated session', parseSeed, 42)
    .option('--speed <x>', 'simulated seconds per wall second', parseSpeed)
    .option('--scenario <name|file>', 'market scenario: a shipped name (calm, volatile, thin, trending, flash-crash) or a scenario file (default calm)')
    .option('--venue <venue>', 'lobster:FILE runs the session on a recorded LOBSTER day (its message file; the orderbook file beside it) instead of the simulator')
    .option('--start <HH:MM[:SS]>', 'where the session starts in the day: on a recorded day its first message (the default), on the simulator the time its market runs to before the agents start (default: the open)', parseTimeOfDay)
    .option('--policy <dir>', 'model directory the session\'s RL agent runs, e.g. one cockpit train wrote (default: the shipped policy)')
    .option('--backend <name>', `TensorFlow.js backend instead of the best available (${BACKENDS.join(', ')})`, parseBackend)
    .action(async (opts: ServeOptions) => {
      if (!isLoopback(opts.host) && !opts.allowRemote) {
        throw new CliError(`--host ${opts.host} is not a loopback address; add --allow-remote to bind it on purpose`);
      }
      const renderer = rendererDir();
      if (!existsSync(join(renderer, 'index.html'))) throw new CliError(`the renderer is not built (${renderer}); run \`npm run build\``);
      if (opts.venue !== undefined && opts.scenario !== undefined) throw new CliError('give either --scenario (simulator) or --venue lobster:FILE, received both');
      let lobster: EngineOptions['lobster'];
      if (opts.venue !== undefined) {
        const m = /^lobster:(.+)$/.exec(opts.venue);
        if (!m) throw new CliError(`--venue must be lobster:FILE (a LOBSTER message file), received "${opts.venue}"`);
        lobster = { messages: resolve(m[1] as string) };
      }
      const dataDir = opts.dataDir ?? userDataDir();
      const base: EngineOptions = { seed: opts.seed, dataDir, appVersion: APP_VERSION, ...(opts.scenario ? { scenario: opts.scenario } : {}), ...(lobster ? { lobster } : {}), ...(opts.start === undefined ? {} : { startNs: opts.start }), ...(opts.policy ? { policyDir: resolve(opts.policy) } : {}), ...(opts.speed ? { speed: opts.speed } : {}), ...(opts.backend ? { backend: opts.backend } : {}) };
      const engine = new EngineHost(base, engineWorkerPath());
      let started;
      try {
        started = await engine.ready();
      } catch (err) {
        throw new CliError(`the engine did not start: ${err instanceof Error ? err.message : String(err)}`);
      }
      // Each window may open a recorded session of the data folder as a replay of its own.
      // A window may also start a new live session in this one's place (StartSession), with the same policy and data folder.
      const router = new SessionRouter(engine, { dataDir, workerPath: replayWorkerPath(), appVersion: APP_VERSION }, { base, workerPath: engineWorkerPath(), lobsterDir: findLobsterDir });
      const server = await startBrowserServer({ host: opts.host, port: opts.port, rendererDir: renderer, engine: router }).catch((err: unknown) => {
        void router.liveEngine.stop();
        throw new CliError(`cannot listen on ${opts.host}:${opts.port}: ${err instanceof Error ? err.message : String(err)}`);
      });
      process.stdout.write(`${server.url}\n`);
      process.stdout.write(`session ${started.sessionId} · inference backend ${started.backend} · journal ${started.journalPath ?? 'off'}\n`);
      process.stdout.write('press Ctrl+C to stop\n');
      const shutdown = (): void => {
        void Promise.all([server.close(), router.stop(), router.liveEngine.stop()]).then(() => process.exit(0));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`--port must be an integer from 0 to 65535, received "${value}"`);
  return n;
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) throw new CliError(`--seed must be an integer from 0 to 4294967295, received "${value}"`);
  return n;
}

function parseSpeed(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0.1 || n > 1000) throw new CliError(`--speed must be a number from 0.1 to 1000, received "${value}"`);
  return n;
}

function parseBackend(value: string): EngineOptions['backend'] {
  if (!(BACKENDS as readonly string[]).includes(value)) throw new CliError(`--backend must be one of ${BACKENDS.join(', ')}, received "${value}"`);
  return value as EngineOptions['backend'];
}

