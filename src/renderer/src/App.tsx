import { focusNextPanel } from './components/panel-focus';
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { ActivityLog } from './panels/ActivityLog';
import { AgentsPanel } from './panels/AgentsPanel';
import { DecisionsFeed } from './panels/DecisionsFeed';
import { DepthLadder } from './panels/DepthLadder';
import { EvaluationView } from './panels/EvaluationView';
import { PriceChart } from './panels/PriceChart';
import { SignalStrip } from './panels/SignalStrip';
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
import { candleSeconds } from './store/candles';
import { setView, type LowerView } from './store/ui-store';
import type { CockpitState } from './store/types';

/** The cockpit: market, agents, decisions, risk and controls, activity, and the status bar. */
export function App() {
  const { actions, ui } = useCockpit();
  const halted = useCockpitState((s) => s.killSwitch.engaged);
  const symbol = useCockpitState((s) => (s.session ? `${s.session.symbol} · ${s.session.market} · ${candleSeconds(s.session.speed)} s candles` : ''));
  const agentCount = useCockpitState((s) => s.agents.size);
  const evalRunning = useCockpitState((s) => s.evaluation.running !== null);
  const promptOpen = useStore(ui, (s) => s.prompt !== null);
  const view = useStore(ui, (s) => s.view);
  const live = view === 'live';
  const riskOpen = view === 'risk';
  const riskTitle = useCockpitState(riskSummary);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'F6' && !e.ctrlKey && !e.metaKey && !e.altKey && !promptOpen) {
        e.preventDefault();
        focusNextPanel(document, document.activeElement, e.shiftKey);
        return;
      }
      if (!(e.ctrlKey || e.metaKey) || !e.shiftKey || e.altKey || e.repeat) return;
      const key = e.key.toLowerCase();
      if (key === 'k' || e.code === 'KeyK') {
        e.preventDefault();
        void actions.killAll();
      } else if ((key === 'p' || e.code === 'KeyP') && !promptOpen) {
        e.preventDefault();
        void actions.toggleSession();
      } else if ((key === 't' || e.code === 'KeyT') && !promptOpen) {
        // The order ticket, focused on its quantity.
        e.preventDefault();
        ui.setState({ view: 'orders', ticketFocus: ui.getState().ticketFocus + 1 });
      } else if (!promptOpen) {
        const target = LOWER_VIEWS.find((v) => v.key !== null && (key === v.key || e.code === `Key${v.key.toUpperCase()}`));
        if (target === undefined) return;
        e.preventDefault();
        setView(ui, ui.getState().view === target.view ? 'live' : target.view);
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
          <SignalStrip />
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

/** The lower region's views: the tab's words, its shortcut (Ctrl/⌘+Shift+key toggles it with Live) and what it shows. */
const LOWER_VIEWS: ReadonlyArray<{ readonly view: LowerView; readonly label: string; readonly key: string | null; readonly title: string }> = [
  { view: 'live', label: 'Live', key: null, title: 'The agents and their decisions' },
  { view: 'orders', label: 'Orders', key: 'o', title: "The order ticket, and every order, the agents' and yours, with its fills and the risk outcome" },
  { view: 'audit', label: 'Audit', key: 'a', title: 'Every human action: who, what, why, when, result' },
  { view: 'risk', label: 'Risk', key: 'l', title: 'Every limit with its use, trading states, volatility and detectors, limit changes' },
  { view: 'evaluation', label: 'Evaluation', key: 'e', title: 'Backtest strategies on a scenario' },
  { view: 'replay', label: 'Sessions', key: 'y', title: 'Start a new live session; the recorded sessions: replay one, branch it' },
];

/** Switches the lower region between its views (LOWER_VIEWS). */
function ViewTabs({ view, onChange, busy }: { view: LowerView; onChange: (v: LowerView) => void; busy: boolean }) {
  const keys = LOWER_VIEWS.filter((v) => v.key !== null).map((v) => `${MOD}+Shift+${v.key!.toUpperCase()}: ${v.label.toLowerCase()}`);
  return (
    <span className="view-tabs" role="group" aria-label={`Lower region view (${[...keys, `${MOD}+Shift+T: order ticket`, 'F6 / Shift+F6: next / previous panel'].join(', ')})`}>
      {LOWER_VIEWS.map((v) => (
        <button
          key={v.view}
          type="button"
          className={`view-tab ${view === v.view ? 'on' : ''}`}
          aria-pressed={view === v.view}
          onClick={() => onChange(v.view)}
          title={v.key === null ? v.title : `${v.title} (${MOD}+Shift+${v.key.toUpperCase()})`}
          data-testid={`view-${v.view}`}
        >
          {v.label}
          {v.view === 'evaluation' && busy ? ' ⏳' : ''}
        </button>
      ))}
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
