import { test as base, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { CockpitPage } from './pages/cockpit-page';

export const ROOT = resolve(__dirname, '..');

/** A cockpit served in browser mode on a free port, with a fresh data folder. */
export interface ServedCockpit {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly dataDir: string;
  /** Lines the server printed after the URL. */
  readonly lines: string[];
}

/** Starts `cockpit serve --port 0 --data-dir <fresh, or the one given>` and resolves with the URL it prints first. */
export async function serveCockpit(
  extraArgs: string[] = [],
  options: { readonly dataDir?: string } = {},
): Promise<{ served: ServedCockpit; stop: (options?: { readonly keepDataDir?: boolean }) => Promise<void> }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cockpit-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'cockpit.js'), 'serve', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines: string[] = [];
  const url = await new Promise<string>((resolveUrl, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      lines.push(line);
      if (lines.length === 1) resolveUrl(line);
    });
    child.once('exit', (code) => reject(new Error(`cockpit serve exited with ${code}: ${stderr}`)));
    setTimeout(() => reject(new Error(`cockpit serve printed no URL in 30 s: ${stderr}`)), 30_000).unref();
  });
  const parsed = new URL(url);
  const served: ServedCockpit = { url, origin: parsed.origin, token: parsed.searchParams.get('token') ?? '', dataDir, lines };
  /** Stops the server as Ctrl+C would (the session closes cleanly) and removes its data folder unless told to keep it. */
  const stop = async (options: { readonly keepDataDir?: boolean } = {}): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (options.keepDataDir !== true) rmSync(dataDir, { recursive: true, force: true });
  };
  return { served, stop };
}

export const test = base.extend<{ served: ServedCockpit; cockpit: CockpitPage }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures name their dependencies by destructuring.
  served: async ({}, use) => {
    const { served, stop } = await serveCockpit();
    await use(served);
    await stop();
  },
  cockpit: async ({ page, served }, use) => {
    const cockpit = new CockpitPage(page);
    await cockpit.open(served.url);
    await use(cockpit);
  },
});

export { expect };
