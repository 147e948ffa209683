import { contextBridge, ipcRenderer } from 'electron';
import type { CockpitApi, EventBatch } from '../engine/contract/index';

// Inlined rather than imported: a sandboxed preload can require nothing but electron.
const IPC_INVOKE = 'cockpit:invoke';
const IPC_EVENTS = 'cockpit:events';

const api = {
  transport: 'electron',
  invoke: (name, payload) => ipcRenderer.invoke(IPC_INVOKE, name, payload),
  onEvents: (listener) => {
    const handler = (_event: Electron.IpcRendererEvent, batch: EventBatch): void => listener(batch);
    ipcRenderer.on(IPC_EVENTS, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENTS, handler);
    };
  },
} satisfies CockpitApi;

contextBridge.exposeInMainWorld('cockpit', api);
