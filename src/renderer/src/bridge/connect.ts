import type { CockpitApi } from '../../../engine/contract/index';
import { createCockpitStore, type CockpitStore } from '../store/cockpit-store';
import { EngineLink, animationFrameScheduler } from './engine-link';
import { createBrowserBridge, socketUrlFor } from './ws-bridge';

declare global {
  interface Window {
    /** The engine API the Electron preload exposes; absent in browser mode. */
    cockpit?: CockpitApi;
  }
}

/** The window's live connection to the engine. */
export interface EngineConnection {
  readonly api: CockpitApi;
  readonly store: CockpitStore;
  /** Rebuilds the window from a new snapshot of a stream that changed (a replay opened, closed or moved). */
  resync(): void;
  /** Stops applying events and closes a browser link. */
  stop(): void;
}

/**
 * Connects the window to the engine: the preload's `window.cockpit` in Electron, else the browser
 * WebSocket bridge to the host that served the page, authenticated by the page's token.
 */
export function connectEngine(win: Window): EngineConnection {
  if (win.cockpit !== undefined) {
    const api = win.cockpit;
    const store = createCockpitStore('electron');
    const link = new EngineLink(api, store, { scheduler: animationFrameScheduler() });
    const stopLink = link.start();
    return { api, store, resync: () => link.resync('reset'), stop: stopLink };
  }

  const store = createCockpitStore('browser');
  // Without a token in the address the host may still know the window by the cookie it set on the
  // first load, so the bridge tries anyway and only the hint changes.
  const { url, token } = socketUrlFor(win.location.href);
  const hint = token === null ? 'the page address has no ?token=; open the address `cockpit serve` printed' : null;
  const bridge = createBrowserBridge({ url });
  const link = new EngineLink(bridge, store, { scheduler: animationFrameScheduler() });
  const stopLink = link.start();
  const stopStatus = bridge.onStatus((status, detail) => link.connectionChanged(status, status === 'connected' ? detail : [detail, hint].filter(Boolean).join('; ') || null));
  return {
    api: bridge,
    store,
    resync: () => link.resync('reset'),
    stop: () => {
      stopStatus();
      stopLink();
      bridge.close();
    },
  };
}
