import { app, BrowserWindow, dialog, globalShortcut, ipcMain, session, shell, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EngineHost } from './host/engine-host';
import { appRoot, engineWorkerPath, rendererDir, replayWorkerPath } from './host/app-root';
import { SessionRouter, type RoutedClient } from './host/session-router';
import type { EngineOptions } from './host/protocol';
import { findLobsterDir } from '../engine/node/files/backtest-markets';
import { userDataDir } from './host/paths';
import { policyArg, scenarioArg, startArg, venueArg } from './host/launch-args';
import { APP_VERSION } from './version';
import { CONTENT_SECURITY_POLICY, IPC_EVENTS, IPC_INVOKE, KILL_ALL_ACCELERATOR } from './electron-contract';

// Both hosts keep their journals in the same folder.
app.setPath('userData', userDataDir());
app.enableSandbox();

let engine: EngineHost | null = null;
let router: SessionRouter | null = null;
/** The options the first session was started with; a window's StartSession keeps its data folder and policy. */
let base: EngineOptions | null = null;
let mainWindow: BrowserWindow | null = null;

const rendererIndex = join(rendererDir(), 'index.html');
const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? null;

/** Only the app's own top frame, loaded from the app's own renderer, is answered. */
function trustedSender(frame: WebFrameMain | null): boolean {
  if (!frame || !mainWindow || frame !== mainWindow.webContents.mainFrame) return false;
  const url = frame.url;
  if (rendererUrl) return url.startsWith(rendererUrl);
  return url === pathToFileURL(rendererIndex).href || url.startsWith(`${pathToFileURL(rendererIndex).href}?`) || url.startsWith(`${pathToFileURL(rendererIndex).href}#`);
}

async function createWindow(): Promise<void> {
  mainWindow = new BrowserWindow({
    width: 1600,
    height: 1000,
    minWidth: 1100,
    minHeight: 700,
    backgroundColor: '#0b0f14',
    title: 'Trader Cockpit',
    icon: join(appRoot(), 'resources', 'icon.png'),
    show: false,
    webPreferences: {
      preload: join(__dirname, '..', 'preload', 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));
  if (rendererUrl) await mainWindow.loadURL(rendererUrl);
  else await mainWindow.loadFile(rendererIndex);
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  try {
    const policyDir = policyArg(process.argv);
    const venue = venueArg(process.argv);
    const start = startArg(process.argv);
    const scenario = scenarioArg(process.argv);
    if (scenario !== undefined && venue !== undefined) throw new Error('give either --scenario (simulator) or --venue lobster:FILE, received both');
    base = {
      seed: 42,
      dataDir: app.getPath('userData'),
      appVersion: APP_VERSION,
      ...(policyDir === undefined ? {} : { policyDir: resolve(policyDir) }),
      ...(venue === undefined ? {} : { lobster: { messages: resolve(venue.slice('lobster:'.length)) } }),
      ...(scenario === undefined ? {} : { scenario }),
      ...(start === undefined ? {} : { startNs: start }),
      ...(process.env.COCKPIT_SQLITE_BINDING ? { sqliteBinding: process.env.COCKPIT_SQLITE_BINDING } : {}),
    };
    engine = new EngineHost(base, engineWorkerPath());
    await engine.ready();
  } catch (err) {
    dialog.showErrorBox('Trader Cockpit could not start its engine', err instanceof Error ? err.message : String(err));
    app.exit(1);
    return;
  }
  // The window reaches the live session, or a recorded session it opened as a replay, through the router.
  router = new SessionRouter(engine, {
    dataDir: app.getPath('userData'),
    workerPath: replayWorkerPath(),
    appVersion: APP_VERSION,
    ...(process.env.COCKPIT_SQLITE_BINDING ? { sqliteBinding: process.env.COCKPIT_SQLITE_BINDING } : {}),
  }, { base, workerPath: engineWorkerPath(), lobsterDir: findLobsterDir });
  const windowClient: RoutedClient = router.connect((msg) => {
    if (msg.t === 'events' && mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(IPC_EVENTS, msg.batch);
  }, 'cockpit window');
  ipcMain.handle(IPC_INVOKE, async (event: IpcMainInvokeEvent, name: unknown, payload: unknown) => {
    if (!trustedSender(event.senderFrame)) {
      return { ok: false, error: { code: 'REJECTED', message: 'commands are answered only from the cockpit window' } };
    }
    return windowClient.request(name, payload);
  });
  globalShortcut.register(KILL_ALL_ACCELERATOR, () => {
    void router?.liveEngine.request('KillAll', { reason: `global shortcut ${KILL_ALL_ACCELERATOR}` }, 'global shortcut');
  });
  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
});

app.on('will-quit', () => globalShortcut.unregisterAll());
app.on('window-all-closed', () => {
  void Promise.all([router?.stop(), router?.liveEngine.stop() ?? engine?.stop()]).then(() => app.quit());
});
