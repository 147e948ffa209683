import { SPEEDS } from '../actions/actions';
import { useCockpit, useCockpitState } from '../context';
import { formatSize, formatSpeed } from '../format/format';

const MOD = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';

/** The kill switch, its state and release, and the session's clock controls. */
export function RiskPanel() {
  const { actions } = useCockpit();
  const engaged = useCockpitState((s) => s.killSwitch.engaged);
  const reason = useCockpitState((s) => s.killSwitch.reason);
  const state = useCockpitState((s) => s.session?.state ?? null);
  const speed = useCockpitState((s) => s.session?.speed ?? null);
  const limits = useCockpitState((s) => s.limits);
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

      <dl className="limits" data-testid="risk-limits" aria-label="Hard pre-trade limits">
        <div title="Largest child order an agent may send">
          <dt className="label">Max order</dt>
          <dd className="num" data-testid="limit-max-order">{limits ? `${formatSize(limits.maxOrderLots)} lots` : '—'}</dd>
        </div>
        <div title="Farthest a limit price may be from the mid">
          <dt className="label">Price collar</dt>
          <dd className="num" data-testid="limit-collar">{limits ? `±${formatSize(limits.priceCollarBps)} bps` : '—'}</dd>
        </div>
        <div title="Most working orders one agent may have">
          <dt className="label">Open orders</dt>
          <dd className="num" data-testid="limit-open-orders">{limits ? `≤ ${formatSize(limits.maxOpenOrders)}` : '—'}</dd>
        </div>
      </dl>

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
