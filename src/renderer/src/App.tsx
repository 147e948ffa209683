import { useEffect } from 'react';
import { useStore } from 'zustand';
import { ActivityLog } from './panels/ActivityLog';
import { AgentsPanel } from './panels/AgentsPanel';
import { DecisionsFeed } from './panels/DecisionsFeed';
import { DepthLadder } from './panels/DepthLadder';
import { EvaluationView } from './panels/EvaluationView';
import { PriceChart } from './panels/PriceChart';
import { QuoteBoard } from './panels/QuoteBoard';
import { RiskFeed } from './panels/RiskFeed';
import { RiskPanel } from './panels/RiskPanel';
import { RiskView } from './panels/RiskView';
import { ReplayBar } from './panels/ReplayBar';
import { ReplayView } from './panels/ReplayView';
import { Blotter } from './panels/Blotter';
import { AuditTrail } from './panels/AuditTrail';
import { StatusBar } from './panels/StatusBar';
import { TradeTape } from './panels/TradeTape';
import { Panel } from './components/Panel';
import { ReasonPrompt } from './components/ReasonPrompt';
import { Toasts } from './components/Toasts';
import { useCockpit, useCockpitState } from './context';
import { setView, type LowerView } from './store/ui-store';
import type { CockpitState } from './store/types';

/** The cockpit: market, agents, decisions, risk and controls, activity, and the status bar. */
export function App() {
  const { actions, ui } = useCockpit();
  const halted = useCockpitState((s) => s.killSwitch.engaged);
  const symbol = useCockpitState((s) => (s.session ? `${s.session.symbol} · ${s.session.market}` : ''));
  const agentCount = useCockpitState((s) => s.agents.size);
  const evalRunning = useCockpitState((s) => s.evaluation.running !== null);
  const promptOpen = useStore(ui, (s) => s.prompt !== null);
  const view = useStore(ui, (s) => s.view);
  const live = view === 'live';
  const riskOpen = view === 'risk';
  const riskTitle = useCockpitState(riskSummary);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!(e.ctrlKey || e.metaKey) || !e.shiftKey || e.altKey || e.repeat) return;
      const key = e.key.toLowerCase();
      if (key === 'k' || e.code === 'KeyK') {
        e.preventDefault();
        void actions.killAll();
      } else if ((key === 'p' || e.code === 'KeyP') && !promptOpen) {
        e.preventDefault();
        void actions.toggleSession();
      } else if ((key === 'e' || e.code === 'KeyE') && !promptOpen) {
        e.preventDefault();
        setView(ui, ui.getState().view === 'evaluation' ? 'live' : 'evaluation');
      } else if ((key === 'l' || e.code === 'KeyL') && !promptOpen) {
        e.preventDefault();
        setView(ui, ui.getState().view === 'risk' ? 'live' : 'risk');
      } else if ((key === 't' || e.code === 'KeyT') && !promptOpen) {
        // The order ticket, focused on its quantity.
        e.preventDefault();
        ui.setState({ view: 'orders', ticketFocus: ui.getState().ticketFocus + 1 });
      } else if ((key === 'a' || e.code === 'KeyA') && !promptOpen) {
        e.preventDefault();
        setView(ui, ui.getState().view === 'audit' ? 'live' : 'audit');
      } else if ((key === 'o' || e.code === 'KeyO') && !promptOpen) {
        e.preventDefault();
        setView(ui, ui.getState().view === 'orders' ? 'live' : 'orders');
      } else if ((key === 'y' || e.code === 'KeyY') && !promptOpen) {
        e.preventDefault();
        setView(ui, ui.getState().view === 'replay' ? 'live' : 'replay');
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [actions, promptOpen, ui]);

  const tabs = <ViewTabs view={view} onChange={(v) => setView(ui, v)} busy={evalRunning} />;

  return (
    <div className={`app ${halted ? 'halted' : ''}`}>
      {halted && (
        <div className="halt-banner" role="alert">
          KILL SWITCH ENGAGED — all agents halted, new orders blocked
        </div>
      )}
      <ReplayBar />
      <main className="workspace">
        <Panel title="Market" className="area-chart" meta={symbol}>
          <PriceChart />
        </Panel>
        <Panel title="Quote" className="area-quote">
          <QuoteBoard />
        </Panel>
        <Panel title="Depth" className="area-ladder">
          <DepthLadder />
        </Panel>
        <Panel title="Time & sales" className="area-tape">
          <TradeTape />
        </Panel>
        <Panel title="Agents" className="area-agents" meta={<>{agentCount > 0 ? `${agentCount} · ` : ''}{tabs}</>} hidden={!live}>
          <AgentsPanel />
        </Panel>
        <Panel title="Risk & controls" className="area-risk">
          <RiskPanel />
        </Panel>
        <Panel title="Decisions" className="area-decisions" meta="click or Enter for inputs & explanation" hidden={!live}>
          <DecisionsFeed />
        </Panel>
        <Panel title="Risk limits" className="area-lower" meta={<>{riskTitle ? `${riskTitle} · ` : ''}{tabs}</>} hidden={!riskOpen}>
          <RiskView active={riskOpen} />
        </Panel>
        <Panel title="Evaluation" className="area-lower" meta={tabs} hidden={view !== 'evaluation'}>
          <EvaluationView active={view === 'evaluation'} />
        </Panel>
        <Panel title="Order ticket · orders & fills" className="area-lower" meta={tabs} hidden={view !== 'orders'}>
          <Blotter />
        </Panel>
        <Panel title="Audit trail" className="area-lower" meta={tabs} hidden={view !== 'audit'}>
          <AuditTrail />
        </Panel>
        <Panel title="Recorded sessions" className="area-lower" meta={tabs} hidden={view !== 'replay'}>
          <ReplayView active={view === 'replay'} />
        </Panel>
        <Panel title="Risk feed" className="area-riskfeed" meta="denials & alerts">
          <RiskFeed />
        </Panel>
        <Panel title="Activity" className="area-activity">
          <ActivityLog />
        </Panel>
      </main>
      <StatusBar />
      <ConnectionNotice />
      <ReasonPrompt />
      <Toasts />
    </div>
  );
}

const MOD = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';

/** Says which detectors fire, for the risk view's title ("flash-crash firing"). */
function riskSummary(s: CockpitState): string {
  const firing = s.risk?.dynamic?.detectors.filter((d) => d.firing).map((d) => d.name) ?? [];
  return firing.length > 0 ? `${firing.join(', ')} firing` : '';
}

/** Switches the lower region between the live agents and decisions, the risk view and the evaluation view. */
function ViewTabs({ view, onChange, busy }: { view: LowerView; onChange: (v: LowerView) => void; busy: boolean }) {
  return (
    <span className="view-tabs" role="group" aria-label={`Lower region view (${MOD}+Shift+L: risk, ${MOD}+Shift+E: evaluation, ${MOD}+Shift+Y: replay, ${MOD}+Shift+O: orders, ${MOD}+Shift+T: order ticket, ${MOD}+Shift+A: audit)`}>
      <button type="button" className={`view-tab ${view === 'live' ? 'on' : ''}`} aria-pressed={view === 'live'} onClick={() => onChange('live')} data-testid="view-live">
        Live
      </button>
      <button
        type="button"
        className={`view-tab ${view === 'orders' ? 'on' : ''}`}
        aria-pressed={view === 'orders'}
        onClick={() => onChange('orders')}
        title={`Every order, the agents' and yours, with its fills and the risk outcome (${MOD}+Shift+O)`}
        data-testid="view-orders"
      >
        Orders
      </button>
      <button
        type="button"
        className={`view-tab ${view === 'audit' ? 'on' : ''}`}
        aria-pressed={view === 'audit'}
        onClick={() => onChange('audit')}
        title={`Every human action: who, what, why, when, result (${MOD}+Shift+A)`}
        data-testid="view-audit"
      >
        Audit
      </button>
      <button
        type="button"
        className={`view-tab ${view === 'risk' ? 'on' : ''}`}
        aria-pressed={view === 'risk'}
        onClick={() => onChange('risk')}
        title={`Every limit with its use, trading states, volatility and detectors, limit changes (${MOD}+Shift+L)`}
        data-testid="view-risk"
      >
        Risk
      </button>
      <button
        type="button"
        className={`view-tab ${view === 'evaluation' ? 'on' : ''}`}
        aria-pressed={view === 'evaluation'}
        onClick={() => onChange('evaluation')}
        title={`Backtest strategies on a scenario (${MOD}+Shift+E)`}
        data-testid="view-evaluation"
      >
        Evaluation{busy ? ' ⏳' : ''}
      </button>
      <button
        type="button"
        className={`view-tab ${view === 'replay' ? 'on' : ''}`}
        aria-pressed={view === 'replay'}
        onClick={() => onChange('replay')}
        title={`Recorded sessions: replay one, branch it (${MOD}+Shift+Y)`}
        data-testid="view-replay"
      >
        Replay
      </button>
    </span>
  );
}

/** Says why the cockpit is empty until the first snapshot arrives. */
function ConnectionNotice() {
  const waiting = useCockpitState((s) => s.session === null);
  const connection = useCockpitState((s) => s.connection);
  if (!waiting) return null;
  return (
    <div className="connection-notice" role="status">
      <strong>{connection.status === 'reconnecting' ? 'Cannot reach the engine' : 'Connecting to the engine…'}</strong>
      {connection.detail && <span>{connection.detail}</span>}
    </div>
  );
}
