import { useEffect, useMemo, useState } from 'react';
import { LaunchAgentForm } from './LaunchAgent';
import { AgentCard } from './AgentCard';
import { useStore } from 'zustand';
import { AgGridReact } from 'ag-grid-react';
import type { GetRowIdParams } from 'ag-grid-community';
import { gridTheme as theme, useMapGrid } from '../components/grid';
import type { AgentView } from '../../../engine/contract/index';
import { useCockpit } from '../context';
import type { CockpitState } from '../store/types';
import { agentColumns, RISK_COLUMNS, type AgentGridContext } from './agent-grid';

const defaultColDef = { sortable: true, resizable: true };
const getRowId = (p: GetRowIdParams<AgentView>): string => p.data.id;
const selectAgents = (s: CockpitState): ReadonlyMap<string, AgentView> => s.agents;

/**
 * Every agent, one row each, keyed by agent id. Rows change through `applyTransactionAsync` from a
 * store subscription, so a burst of fills costs one batched grid update and no React render.
 */
export function AgentsPanel() {
  const { store, actions, ui } = useCockpit();
  const tuning = useStore(ui, (s) => s.tuning);
  const { onGridReady, api: gridApi } = useMapGrid(store, selectAgents);
  const context = useMemo<AgentGridContext>(() => ({ tickSize: () => store.getState().session?.tickSize ?? 0.01, actions, risk: () => store.getState().risk?.agents, openCard: (agentId) => ui.setState({ tuning: agentId }) }), [store, actions, ui]);

  useEffect(() => {
    let tick = store.getState().session?.tickSize ?? 0;
    let risk = store.getState().risk;
    let riskAt = 0;
    let trailing: ReturnType<typeof setTimeout> | null = null;
    // The rows follow the store through useMapGrid; the cells that read other state are refreshed here.
    const unsubscribe = store.subscribe((s: CockpitState) => {
      const api = gridApi.current;
      if (api === null || api.isDestroyed()) return;
      const t = s.session?.tickSize ?? 0;
      if (t !== tick) {
        tick = t;
        api.refreshCells({ force: true });
      }
      // The inventory, P&L and limit-use cells follow the risk sample, at most four times a second.
      if (s.risk !== risk) {
        const refresh = (): void => {
          trailing = null;
          risk = store.getState().risk;
          riskAt = performance.now();
          if (!api.isDestroyed()) api.refreshCells({ columns: [...RISK_COLUMNS] });
        };
        const wait = riskAt + 250 - performance.now();
        // The last sample before a pause is shown too: a refresh skipped now comes when the wait is over.
        if (wait <= 0) refresh();
        else trailing ??= setTimeout(refresh, wait);
      }
    });
    return () => {
      unsubscribe();
      if (trailing !== null) clearTimeout(trailing);
    };
  }, [store, gridApi]);

  const [launching, setLaunching] = useState(false);
  return (
    <div className="agents-panel">
      {tuning !== null && <AgentCard key={tuning} agentId={tuning} />}
      {launching ? (
        <LaunchAgentForm onDone={() => setLaunching(false)} />
      ) : (
        <div className="blotter-head">
          <button type="button" className="btn tiny" onClick={() => setLaunching(true)} data-testid="launch-open">
            + Launch agent
          </button>
        </div>
      )}
    <div className="agents-grid">
      <AgGridReact<AgentView>
        theme={theme}
        columnDefs={agentColumns}
        defaultColDef={defaultColDef}
        context={context}
        getRowId={getRowId}
        onGridReady={onGridReady}
        asyncTransactionWaitMillis={100}
        enableCellTextSelection
        tooltipShowDelay={400}
        overlayNoRowsTemplate="<span class='grid-empty'>No agents in this session</span>"
        animateRows={false}
      />
    </div>
    </div>
  );
}
