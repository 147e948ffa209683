import {
  CellStyleModule,
  ClientSideRowModelApiModule,
  ClientSideRowModelModule,
  ExternalFilterModule,
  ModuleRegistry,
  RenderApiModule,
  RowStyleModule,
  TooltipModule,
  ValidationModule,
  colorSchemeDark,
  themeQuartz,
} from 'ag-grid-community';
import type { GridApi, GridReadyEvent } from 'ag-grid-community';
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import type { CockpitStore } from '../store/cockpit-store';
import type { CockpitState } from '../store/types';

// Only the grid features the cockpit's tables use (AllCommunityModule would add about 0.4 MB to the
// bundle); in development ValidationModule names any feature used without its module.
ModuleRegistry.registerModules([
  ClientSideRowModelModule,
  ClientSideRowModelApiModule,
  RenderApiModule,
  CellStyleModule,
  RowStyleModule,
  TooltipModule,
  ExternalFilterModule,
  ...(import.meta.env.DEV ? [ValidationModule] : []),
]);

/** The cockpit's grid theme: the panels' colours, dense rows. */
export const gridTheme = themeQuartz.withPart(colorSchemeDark).withParams({
  backgroundColor: '#0f141a',
  foregroundColor: '#d5dbe3',
  headerBackgroundColor: '#141a22',
  headerTextColor: '#8b96a5',
  borderColor: '#232b36',
  rowBorder: { color: '#1a212a' },
  oddRowBackgroundColor: '#11171e',
  accentColor: '#4c9aff',
  fontFamily: 'inherit',
  fontSize: 12,
  headerFontSize: 11,
  headerFontWeight: 600,
  rowHeight: 28,
  headerHeight: 28,
  spacing: 4,
  cellHorizontalPadding: 8,
  wrapperBorder: false,
  wrapperBorderRadius: 0,
});

/** The rows to add, update and remove to take a grid showing `before` to `after` (maps by row id; a row is updated when it is another object). */
export function mapTransaction<T>(before: ReadonlyMap<string, T>, after: ReadonlyMap<string, T>): { add: T[]; update: T[]; remove: T[] } {
  const add: T[] = [];
  const update: T[] = [];
  const remove: T[] = [];
  for (const [id, row] of after) {
    const old = before.get(id);
    if (old === undefined) add.push(row);
    else if (old !== row) update.push(row);
  }
  for (const [id, row] of before) if (!after.has(id)) remove.push(row);
  return { add, update, remove };
}

/**
 * Keeps a grid's rows to a map of the store (`select`: rows by id): the whole map when the grid is
 * ready, then one batched transaction per change from a store subscription, so a burst of events
 * costs one grid update and no React render. Returns the grid's ready handler and its API.
 */
export function useMapGrid<T>(store: CockpitStore, select: (s: CockpitState) => ReadonlyMap<string, T>): { onGridReady: (e: GridReadyEvent<T>) => void; api: RefObject<GridApi<T> | null> } {
  const api = useRef<GridApi<T> | null>(null);
  const shown = useRef<ReadonlyMap<string, T> | null>(null);
  const selectRef = useRef(select);
  const onGridReady = useCallback(
    (e: GridReadyEvent<T>) => {
      api.current = e.api;
      shown.current = selectRef.current(store.getState());
      e.api.setGridOption('rowData', [...shown.current.values()]);
    },
    [store],
  );
  useEffect(
    () =>
      store.subscribe((s) => {
        const grid = api.current;
        const before = shown.current;
        const after = selectRef.current(s);
        if (grid === null || before === null || grid.isDestroyed() || after === before) return;
        shown.current = after;
        grid.applyTransactionAsync(mapTransaction(before, after));
      }),
    [store],
  );
  return { onGridReady, api };
}
