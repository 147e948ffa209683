import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GetRowIdParams, ICellRendererParams, IRowNode, RowClassParams, ValueFormatterParams } from 'ag-grid-community';
import type { CockpitActions } from '../actions/actions';
import type { UiStore } from '../store/ui-store';
import { OrderTicket } from './OrderTicket';
import { gridTheme, useMapGrid } from '../components/grid';
import { useCockpit, useCockpitState } from '../context';
import { formatPrice, formatSimTime, formatSize } from '../format/format';
import type { OrderRow, OrderState } from '../store/orders';
import type { CockpitState } from '../store/types';

/** Each order state in words with a shape, so it reads without colour. */
export const ORDER_STATE_LABEL: Record<OrderState, string> = {
  working: '● working',
  filled: '✓ filled',
  cancelled: '○ cancelled',
  expired: '◇ expired',
  denied: '✕ denied',
};

interface BlotterContext {
  readonly tickSize: () => number;
  readonly agentName: (id: string) => string;
  readonly actions: CockpitActions;
  readonly ui: UiStore;
}

/** The trader's own orders are the desk's. */
export const TRADER_ID = 'trader';

/** Cancel for a working order; Modify (in the ticket) for the trader's own. */
function OrderActions(p: ICellRendererParams<OrderRow, unknown, BlotterContext>) {
  const o = p.data;
  const c = p.context;
  if (o === undefined || c === undefined || o.state !== 'working') return null;
  return (
    <div className="row-actions">
      {o.agentId === TRADER_ID && o.price !== null && (
        <button type="button" className="btn tiny" onClick={() => c.ui.setState({ modifying: { orderId: o.orderId, side: o.side, price: o.price!, remaining: o.size - o.filled }, ticketFocus: c.ui.getState().ticketFocus + 1 })} title={`Change ${o.orderId}'s price or quantity in the ticket`}>
          Modify
        </button>
      )}
      <button type="button" className="btn tiny danger" onClick={() => void c.actions.cancelOrder(o.orderId)} title={`Cancel ${o.orderId}`}>
        Cancel
      </button>
    </div>
  );
}

type Fmt<T> = ValueFormatterParams<OrderRow, T>;
const ctx = (p: { context: unknown }): BlotterContext => p.context as BlotterContext;

export const blotterColumns: ColDef<OrderRow>[] = [
  { field: 'ts', headerName: 'Time', width: 110, sort: 'desc', valueFormatter: (p: Fmt<number>) => formatSimTime(p.value ?? NaN), cellClass: 'num' },
  { field: 'agentId', headerName: 'Agent', width: 132, valueFormatter: (p: Fmt<string>) => ctx(p).agentName(p.value ?? '') },
  { field: 'orderId', headerName: 'Order', width: 92, cellClass: 'mono' },
  { field: 'side', headerName: 'Side', width: 62, cellClass: (p) => (p.value === 'buy' ? 'side-buy' : 'side-sell'), valueFormatter: (p: Fmt<string>) => (p.value === 'buy' ? 'BUY' : 'SELL') },
  { field: 'price', headerName: 'Price', width: 84, type: 'rightAligned', cellClass: 'num', valueFormatter: (p: Fmt<number | null>) => (p.value === null ? 'market' : formatPrice(p.value, ctx(p).tickSize())) },
  { field: 'size', headerName: 'Size', width: 76, type: 'rightAligned', cellClass: 'num', valueFormatter: (p: Fmt<number>) => formatSize(p.value) },
  { field: 'filled', headerName: 'Filled', width: 76, type: 'rightAligned', cellClass: 'num', valueFormatter: (p: Fmt<number>) => formatSize(p.value) },
  { field: 'avgPrice', headerName: 'Avg px', width: 90, type: 'rightAligned', cellClass: 'num', valueFormatter: (p: Fmt<number | null>) => formatPrice(p.value, ctx(p).tickSize(), 2) },
  { field: 'state', headerName: 'State', width: 106, valueFormatter: (p: Fmt<OrderState>) => (p.value === undefined || p.value === null ? '' : ORDER_STATE_LABEL[p.value]) },
  { field: 'outcome', headerName: 'Risk outcome', flex: 1, minWidth: 140, tooltipField: 'outcome' },
  { field: 'updatedTs', headerName: 'Updated', width: 110, cellClass: 'num', valueFormatter: (p: Fmt<number>) => formatSimTime(p.value ?? NaN) },
  { colId: 'actions', headerName: '', width: 128, sortable: false, resizable: false, cellRenderer: OrderActions },
];

const getRowId = (p: GetRowIdParams<OrderRow>): string => p.data.orderId;
const selectOrders = (s: CockpitState): ReadonlyMap<string, OrderRow> => s.orders;
const defaultColDef = { sortable: true, resizable: true };
const rowClass = (p: RowClassParams<OrderRow>): string | undefined => (p.data?.denied ? 'row-denied' : undefined);

/**
 * The orders and fills blotter: every order of the session, the agents' and the trader's, with its
 * state, fills, times and the risk gate's outcome (a denial's row says why); filtered by agent or to
 * the denials. Rows change by transactions from a store subscription, as in the agents grid.
 */
export function Blotter() {
  const { store, actions, ui } = useCockpit();
  const agents = useCockpitState((s) => s.agents);
  const count = useCockpitState((s) => s.orders.size);
  const [agent, setAgent] = useState<string>('');
  const [deniedOnly, setDeniedOnly] = useState(false);
  const { onGridReady, api: gridApi } = useMapGrid(store, selectOrders);
  const filter = useRef({ agent, deniedOnly });
  filter.current = { agent, deniedOnly };
  const context = useMemo<BlotterContext>(
    () => ({ tickSize: () => store.getState().session?.tickSize ?? 0.01, agentName: (id) => (id === TRADER_ID ? 'Trader (you)' : (store.getState().agents.get(id)?.name ?? id)), actions, ui }),
    [store, actions, ui],
  );

  useEffect(() => {
    gridApi.current?.onFilterChanged();
  }, [agent, deniedOnly, gridApi]);

  const passes = useCallback((node: IRowNode<OrderRow>): boolean => {
    const o = node.data;
    if (o === undefined) return false;
    const f = filter.current;
    return (f.agent === '' || o.agentId === f.agent) && (!f.deniedOnly || o.denied);
  }, []);

  return (
    <div className="blotter" data-testid="blotter">
      <OrderTicket />
      <div className="blotter-head">
        <label>
          <span className="label">Agent</span>{' '}
          <select value={agent} onChange={(e) => setAgent(e.target.value)} data-testid="blotter-agent">
            <option value="">All agents</option>
            <option value={TRADER_ID}>Trader (you)</option>
            {[...agents.values()].map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={deniedOnly} onChange={(e) => setDeniedOnly(e.target.checked)} data-testid="blotter-denied" /> Denials only
        </label>
        <span className="dim num">{count.toLocaleString('en-US')} orders</span>
      </div>
      <div className="agents-grid">
        <AgGridReact<OrderRow>
          theme={gridTheme}
          columnDefs={blotterColumns}
          defaultColDef={defaultColDef}
          context={context}
          getRowId={getRowId}
          getRowClass={rowClass}
          onGridReady={onGridReady}
          isExternalFilterPresent={() => filter.current.agent !== '' || filter.current.deniedOnly}
          doesExternalFilterPass={passes}
          asyncTransactionWaitMillis={100}
          enableCellTextSelection
          tooltipShowDelay={400}
          overlayNoRowsTemplate="<span class='grid-empty'>No orders yet</span>"
          animateRows={false}
        />
      </div>
    </div>
  );
}
