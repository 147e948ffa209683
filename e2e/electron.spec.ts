import { test, expect, _electron as electron } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ROOT } from './fixtures';

/** The Electron executable if the runtime is installed (it is downloaded on first use). */
function electronBinary(): string | null {
  const pathFile = join(ROOT, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

const binary = electronBinary();

test.describe('electron host', () => {
  test.skip(binary === null, 'the Electron runtime is not installed on this machine (node_modules/electron/dist is missing); browser mode is tested instead');

  test('opensTheWindowWithPricesAndKillsAll', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cockpit-electron-'));
    const app = await electron.launch({
      executablePath: binary!,
      args: [ROOT, '--no-sandbox'],
      env: { ...process.env, XDG_CONFIG_HOME: home, APPDATA: home },
    });
    try {
      const window = await app.firstWindow();
      await expect(window.getByTestId('engine-state')).toHaveText('running');
      await expect(window.getByTestId('last-price')).toHaveText(/^\d+\.\d{2}$/);
      const transport = await window.evaluate(() => (window as unknown as { cockpit?: { transport: string } }).cockpit?.transport);
      expect(transport).toBe('electron');
      const nodeVisible = await window.evaluate(() => typeof (globalThis as { require?: unknown }).require);
      expect(nodeVisible).toBe('undefined');
      await window.getByTestId('kill-all').click();
      await window.getByTestId('reason-confirm').click();
      await expect(window.getByTestId('engine-state')).toHaveText('halted');
    } finally {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
