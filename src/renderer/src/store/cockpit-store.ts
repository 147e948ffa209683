import { createStore, type StoreApi } from 'zustand/vanilla';
import { initialState } from './reduce';
import type { CockpitState, Transport } from './types';

/** The window's state, held outside React; the engine link writes it, panels read or subscribe. */
export type CockpitStore = StoreApi<CockpitState>;

/** Creates the store for a window that reaches the engine over `transport`. */
export function createCockpitStore(transport: Transport): CockpitStore {
  return createStore<CockpitState>()(() =>
    initialState({ transport, status: transport === 'electron' ? 'connected' : 'connecting', detail: null }),
  );
}
