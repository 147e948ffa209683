import { homedir } from 'node:os';
import { join } from 'node:path';

/** The application's folder name in the user data location. */
export const APP_DIR_NAME = 'trader-cockpit';

/**
 * Returns the user data folder, where Electron's `app.getPath('userData')` puts it for this app:
 * `%APPDATA%` on Windows, `~/Library/Application Support` on macOS, `$XDG_CONFIG_HOME` or
 * `~/.config` elsewhere. The Electron host sets its userData path to the same folder, so both hosts
 * keep their journals together.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME);
}
