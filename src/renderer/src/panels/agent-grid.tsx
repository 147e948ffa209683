import type { ColDef, ICellRendererParams, ValueFormatterParams } from 'ag-grid-community';
import type { AgentView } from '../../../engine/contract/index';
import type { AgentRisk } from '../store/types';
import type { CockpitActions } from '../actions/actions';
import { formatBps, formatPercent, formatPrice, formatSize } from '../format/format';

/** What the agent grid's cells read besides the row: the tick size and the actions. */
export interface AgentGridContext {
  readonly tickSize: () => number;
  readonly actions: CockpitActions;
  /** Each agent's limits and their use as last sampled (the risk view's), by agent id. */
  readonly risk: () => ReadonlyMap<string, AgentRisk> | undefined;
  /** Opens the agent's card (its parameters and overrides). */
  readonly openCard: (agentId: string) => void;
}

/** The columns read from the risk sample rather than the agent's row: the grid refreshes them when the sample moves. */
export const RISK_COLUMNS = ['position', 'pnl', 'limitUse', 'participation'] as const;

/** The share of its position limit an agent uses, on the side it is on (0 when flat). */
export function positionLimitUse(r: Pick<AgentRisk, 'use' | 'limits'>): number {
  const p = r.use.position;
  const max = p >= 0 ? r.limits.maxLongLots : r.limits.maxShortLots;
  return p === 0 || !(max > 0) ? 0 : Math.abs(p) / max;
}

const riskOf = (p: { data?: AgentView; context: unknown }): AgentRisk | undefined => (p.data === undefined ? undefined : (p.context as AgentGridContext).risk()?.get(p.data.id));

type Params = ICellRendererParams<AgentView, unknown, AgentGridContext>;
type Format = ValueFormatterParams<AgentView, number | null>;

const price = (p: Format): string => formatPrice(p.value, (p.context as AgentGridContext).tickSize(), 1);

/** Progress against schedule: a bar for the share done, a tick for the share of time elapsed. */
export function ProgressCell(props: Params) {
  const a = props.data;
  if (a === undefined) return null;
  const done = a.quantity > 0 ? Math.min(1, a.filled / a.quantity) : 0;
  const elapsed = Math.min(1, Math.max(0, a.scheduleElapsed));
  const behind = elapsed - done > 0.1 && a.state === 'running';
  return (
    <div className={`progress ${behind ? 'behind' : ''}`} title={`${formatPercent(done)} done, ${formatPercent(elapsed)} of the horizon elapsed`}>
      <div className="progress-track">
        <div className="progress-done" style={{ width: `${done * 100}%` }} />
        <div className="progress-time" style={{ left: `${elapsed * 100}%` }} />
      </div>
      <span className="progress-text">
        {formatPercent(done)} / {formatPercent(elapsed)}
      </span>
    </div>
  );
}

/** Pause, resume and kill for one agent; only what its state allows is enabled. */
export function ActionsCell(props: Params) {
  const a = props.data;
  const ctx = props.context;
  if (a === undefined || ctx === undefined) return null;
  const final = a.state === 'killed' || a.state === 'done';
  const card = (
    <button type="button" className={`btn tiny ${a.overrides.length > 0 ? 'overridden' : ''}`} onClick={() => ctx.openCard(a.id)} title={`${a.name}'s parameters${a.overrides.length > 0 ? ' (overridden)' : ''}: override them`} data-testid={`tune-${a.id}`}>
      {a.overrides.length > 0 ? 'Tune ✎' : 'Tune'}
    </button>
  );
  if (final) {
    return (
      <div className="row-actions">
        {card}
        <button type="button" className="btn tiny" onClick={() => void ctx.actions.retireAgent(a.id)} title={`Take ${a.name} off the views`}>
          Retire
        </button>
      </div>
    );
  }
  return (
    <div className="row-actions">
      {card}
      {a.state === 'paused' ? (
        <button type="button" className="btn tiny" onClick={() => void ctx.actions.resumeAgent(a.id)} disabled={final} title={`Resume ${a.name}`}>
          Resume
        </button>
      ) : (
        <button type="button" className="btn tiny" onClick={() => void ctx.actions.pauseAgent(a.id)} disabled={final} title={`Pause ${a.name}`}>
          Pause
        </button>
      )}
      <button type="button" className="btn tiny danger" onClick={() => void ctx.actions.killAgent(a.id)} disabled={final} title={`Kill ${a.name}`}>
        Kill
      </button>
    </div>
  );
}

/** The agent grid's columns. */
export const agentColumns: ColDef<AgentView>[] = [
  { field: 'name', headerName: 'Agent', width: 118, pinned: 'left', cellClass: 'strong' },
  { field: 'state', headerName: 'State', width: 76, cellClass: (p) => `state-cell state-${String(p.value)}` },
  { field: 'side', headerName: 'Side', width: 54, cellClass: (p) => `side-cell ${String(p.value)}` },
  { field: 'quantity', headerName: 'Qty', width: 70, type: 'rightAligned', valueFormatter: (p: Format) => formatSize(p.value) },
  { field: 'filled', headerName: 'Filled', width: 70, type: 'rightAligned', valueFormatter: (p: Format) => formatSize(p.value) },
  {
    colId: 'progress',
    headerName: 'Done / time',
    headerTooltip: 'Share of the quantity done against share of the horizon elapsed',
    width: 108,
    valueGetter: (p) => (p.data && p.data.quantity > 0 ? p.data.filled / p.data.quantity : 0),
    cellRenderer: ProgressCell,
    sortable: true,
  },
  { field: 'avgPrice', headerName: 'Avg px', width: 76, type: 'rightAligned', valueFormatter: price },
  { field: 'arrivalMid', headerName: 'Arrival mid', width: 76, type: 'rightAligned', valueFormatter: price },
  {
    field: 'shortfallBps',
    headerName: 'IS bps',
    headerTooltip: 'Implementation shortfall against the arrival mid; positive is a cost',
    width: 70,
    type: 'rightAligned',
    valueFormatter: (p: Format) => formatBps(p.value),
    cellClass: (p) => (typeof p.value !== 'number' ? '' : p.value > 0 ? 'cost' : p.value < 0 ? 'gain' : ''),
  },
  { colId: 'position', headerName: 'Inventory', headerTooltip: 'Position in lots, signed (short below zero)', width: 80, type: 'rightAligned', valueGetter: (p) => riskOf(p)?.use.position ?? null, valueFormatter: (p) => formatSize(p.value as number | null) },
  {
    colId: 'pnl',
    headerName: 'P&L',
    headerTooltip: 'Profit and loss marked at the mid, in the instrument’s currency',
    width: 76,
    type: 'rightAligned',
    valueGetter: (p) => riskOf(p)?.use.pnl ?? null,
    valueFormatter: (p) => (typeof p.value === 'number' ? p.value.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 }) : '—'),
    cellClass: (p) => (typeof p.value !== 'number' ? '' : p.value < 0 ? 'cost' : p.value > 0 ? 'gain' : ''),
  },
  {
    colId: 'limitUse',
    headerName: 'Limit use',
    headerTooltip: 'Share of the position limit used, on the side the agent is on',
    width: 70,
    type: 'rightAligned',
    valueGetter: (p) => {
      const r = riskOf(p);
      return r === undefined ? null : positionLimitUse(r);
    },
    valueFormatter: (p) => formatPercent(p.value as number | null),
  },
  {
    colId: 'participation',
    headerName: 'Part.',
    headerTooltip: 'Participation: the agent’s share of the volume traded since it started (its cap, when one is set, after the slash)',
    width: 62,
    type: 'rightAligned',
    valueGetter: (p) => riskOf(p)?.participation ?? null,
    valueFormatter: (p) => {
      const cap = p.data?.params.participationCap ?? null;
      return `${formatPercent(p.value as number | null)}${cap === null ? '' : ` / ${formatPercent(cap)}`}`;
    },
  },
  { field: 'lastReason', headerName: 'Last reason', minWidth: 60, flex: 2, tooltip: (p) => p.value ?? undefined, valueFormatter: (p) => p.value ?? '—' },
  { colId: 'actions', headerName: '', width: 150, cellRenderer: ActionsCell, sortable: false, resizable: false, pinned: 'right' },
];
