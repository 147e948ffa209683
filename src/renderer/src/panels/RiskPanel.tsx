import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { SPEEDS } from '../actions/actions';
import { useCockpit, useCockpitState } from '../context';
import { formatSpeed } from '../format/format';
import { setView } from '../store/ui-store';
import type { CockpitState } from '../store/types';
import { DetectorPills, TradingStateBadge, TradingStateButtons, formatSigma } from './risk-parts';

const MOD = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';

/** Says how many agents are held to REDUCING and to HALTED (empty when none is). */
function heldAgents(s: CockpitState): string {
  const risk = s.risk;
  if (risk === null) return '';
  const counts = { REDUCING: 0, HALTED: 0 };
  for (const a of risk.agents.values()) if (a.state !== 'ACTIVE') counts[a.state] += 1;
  return [counts.REDUCING > 0 ? `${counts.REDUCING} REDUCING` : '', counts.HALTED > 0 ? `${counts.HALTED} HALTED` : ''].filter((t) => t !== '').join(', ');
}

/** The kill switch, the session's trading state and its controls, the dynamic layer at a glance, and the clock controls. */
export function RiskPanel() {
  const { actions, ui } = useCockpit();
  const engaged = useCockpitState((s) => s.killSwitch.engaged);
  const reason = useCockpitState((s) => s.killSwitch.reason);
  const state = useCockpitState((s) => s.session?.state ?? null);
  const speed = useCockpitState((s) => s.session?.speed ?? null);
  const posture = useCockpitState(useShallow((s) => (s.risk === null ? null : { state: s.risk.session.state, reason: s.risk.session.reason })));
  const held = useCockpitState(heldAgents);
  const dynamic = useCockpitState((s) => s.risk?.dynamic);
  const view = useStore(ui, (s) => s.view);
  const known = state !== null;

  return (
    <div className="risk">
      <button
        type="button"
        className="kill-all"
        data-testid="kill-all"
        onClick={() => void actions.killAll()}
        title={`Halt every agent, cancel all working orders and block new ones (${MOD}+Shift+K)`}
      >
        <span className="kill-all-label">KILL ALL</span>
        <kbd>{MOD}+Shift+K</kbd>
      </button>

      <div className={`switch-state ${engaged ? 'halted' : 'armed'}`} role="status" aria-live="assertive">
        <span className="switch-led" aria-hidden="true" />
        <div className="switch-text">
          <strong data-testid="kill-switch-state">{!known ? 'UNKNOWN' : engaged ? 'HALTED · kill switch engaged' : 'ARMED · orders flowing'}</strong>
          {engaged && reason && <span className="switch-reason">“{reason}”</span>}
        </div>
        <button type="button" className="btn" onClick={() => void actions.releaseKillSwitch()} disabled={!engaged} data-testid="release-kill-switch">
          Release
        </button>
      </div>

      <div className="posture" role="group" aria-label="Session trading state" data-testid="session-posture">
        <div className="posture-line">
          <span className="label">Session</span>
          {posture ? <TradingStateBadge state={posture.state} reason={posture.reason} testId="session-trading-state" /> : <span className="dim">—</span>}
          <span className="posture-reason" title={posture?.reason}>
            {posture?.reason}
          </span>
          <span className="posture-held" data-testid="agents-held" title="Agents held to a trading state other than ACTIVE">
            {held ? `agents: ${held}` : ''}
          </span>
        </div>
        <div className="posture-controls">
          <TradingStateButtons
            current={posture?.state ?? null}
            states={['ACTIVE', 'REDUCING']}
            onSet={(next) => void actions.setTradingState(null, next)}
            disabled={!posture}
            who="the session"
            testIdPrefix="session-state"
          />
          <button type="button" className="btn tiny danger" onClick={() => void actions.flatten(null)} disabled={!posture} data-testid="flatten-all" title="Stop every agent and work every position back to flat">
            Flatten all
          </button>
        </div>
      </div>

      <button
        type="button"
        className={`dynamic-glance ${dynamic?.detectors.some((d) => d.firing) ? 'firing' : ''}`}
        onClick={() => setView(ui, view === 'risk' ? 'live' : 'risk')}
        aria-pressed={view === 'risk'}
        title={`Volatility forecast and detectors; opens the risk view (${MOD}+Shift+L)`}
        data-testid="dynamic-glance"
      >
        {dynamic === undefined ? (
          <span className="dim">—</span>
        ) : dynamic === null ? (
          <span className="dim">Dynamic risk not running</span>
        ) : (
          <>
            <span className="num" title={dynamic.models}>
              σ {formatSigma(dynamic.ewmaBpsPerSqrtS)} / {formatSigma(dynamic.garchBpsPerSqrtS)} <span className="dim">bps/√s</span>
            </span>
            <DetectorPills detectors={dynamic.detectors} />
          </>
        )}
      </button>

      <div className="session-controls">
        <button
          type="button"
          className="btn wide"
          onClick={() => void actions.toggleSession()}
          disabled={!known || state === 'halted'}
          title={`${state === 'paused' ? 'Resume' : 'Pause'} the simulated clock (${MOD}+Shift+P)`}
          data-testid="session-toggle"
        >
          {state === 'paused' ? '▶ Resume session' : '❚❚ Pause session'}
        </button>
        <label className="speed">
          <span className="label">Speed</span>
          <select
            value={speed !== null && (SPEEDS as readonly number[]).includes(speed) ? String(speed) : ''}
            onChange={(e) => {
              const next = Number(e.target.value);
              if (Number.isFinite(next) && next > 0) void actions.setSpeed(next);
            }}
            disabled={!known}
            data-testid="speed-select"
          >
            {speed !== null && !(SPEEDS as readonly number[]).includes(speed) && <option value="">{formatSpeed(speed)}</option>}
            {speed === null && <option value="">—</option>}
            {SPEEDS.map((s) => (
              <option key={s} value={String(s)}>
                {formatSpeed(s)}
              </option>
            ))}
          </select>
        </label>
      </div>
    </div>
  );
}
