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
