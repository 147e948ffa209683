import { createContext, useContext, useEffect, useLayoutEffect, useRef } from 'react';
import { useStore } from 'zustand';
import type { CockpitActions } from './actions/actions';
import type { CockpitStore } from './store/cockpit-store';
import type { CockpitState } from './store/types';
import type { UiStore } from './store/ui-store';

/** What every panel reaches: the stores and the human actions. */
export interface Cockpit {
  readonly store: CockpitStore;
  readonly ui: UiStore;
  readonly actions: CockpitActions;
}

/** Provides the cockpit to the panels. */
export const CockpitContext = createContext<Cockpit | null>(null);

/** Returns the cockpit from context. */
export function useCockpit(): Cockpit {
  const cockpit = useContext(CockpitContext);
  if (cockpit === null) throw new Error('useCockpit called outside <CockpitContext.Provider>');
  return cockpit;
}

/** Re-renders when the selected slice changes; for coarse state only (it renders through React). */
export function useCockpitState<T>(selector: (s: CockpitState) => T): T {
  return useStore(useCockpit().store, selector);
}

/**
 * Calls `onChange` with the selected slice at mount and whenever it changes, without re-rendering:
 * the way hot panels write the DOM through refs.
 */
export function useStoreListener<T>(selector: (s: CockpitState) => T, onChange: (slice: T, state: CockpitState) => void): void {
  const { store } = useCockpit();
  const latest = useRef({ selector, onChange });
  useLayoutEffect(() => {
    latest.current = { selector, onChange };
  });
  useEffect(() => {
    let last = latest.current.selector(store.getState());
    latest.current.onChange(last, store.getState());
    return store.subscribe((state) => {
      const next = latest.current.selector(state);
      if (Object.is(next, last)) return;
      last = next;
      latest.current.onChange(next, state);
    });
  }, [store]);
}
