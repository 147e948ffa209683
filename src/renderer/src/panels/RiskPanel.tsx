import { useState, type FormEvent } from 'react';
import type { RiskLimits } from '../../../engine/contract/index';
import { SPEEDS } from '../actions/actions';
import { parseLimits } from './limits-form';
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
  const [editing, setEditing] = useState(false);
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

      {editing && limits ? (
        <LimitsForm limits={limits} onDone={() => setEditing(false)} onApply={(next) => void actions.setRiskLimits(next)} />
      ) : (
        <dl className="limits" data-testid="risk-limits" aria-label="Hard pre-trade limits">
          <div title="Largest child order an agent may send">
            <dt className="label">Max order</dt>
            <dd className="num" data-testid="limit-max-order">{limits ? `${formatSize(limits.perAgent.maxOrderLots)} lots` : '—'}</dd>
          </div>
          <div title="Farthest a limit price may be from the mid">
            <dt className="label">Price collar</dt>
            <dd className="num" data-testid="limit-collar">{limits ? `±${formatSize(limits.perAgent.priceCollarBps)} bps` : '—'}</dd>
          </div>
          <div title="Most working orders one agent may have">
            <dt className="label">Open orders</dt>
            <dd className="num" data-testid="limit-open-orders">{limits ? `≤ ${formatSize(limits.perAgent.maxOpenOrders)}` : '—'}</dd>
          </div>
          <button type="button" className="btn limits-edit" onClick={() => setEditing(true)} disabled={!limits} data-testid="limits-edit" title="Change the hard pre-trade limits">
            Edit
          </button>
        </dl>
      )}

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

function LimitsForm({ limits, onApply, onDone }: { limits: RiskLimits; onApply: (next: RiskLimits) => void; onDone: () => void }) {
  const [form, setForm] = useState({ maxOrderLots: String(limits.perAgent.maxOrderLots), priceCollarBps: String(limits.perAgent.priceCollarBps), maxOpenOrders: String(limits.perAgent.maxOpenOrders) });
  const parsed = parseLimits(form, limits);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if ('limits' in parsed) {
      onApply(parsed.limits);
      onDone();
    }
  };
  const field = (key: keyof typeof form, label: string, testId: string) => (
    <label>
      <span className="label">{label}</span>
      <input inputMode="decimal" value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} data-testid={testId} size={7} />
    </label>
  );
  return (
    <form className="limits-form" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onDone()} aria-label="Change the hard pre-trade limits">
      {field('maxOrderLots', 'Max order lots', 'limits-max-order')}
      {field('priceCollarBps', 'Collar bps', 'limits-collar')}
      {field('maxOpenOrders', 'Open orders', 'limits-open-orders')}
      {'error' in parsed && <span className="limits-error">{parsed.error}</span>}
      <div className="limits-buttons">
        <button type="submit" className="btn primary" disabled={'error' in parsed} data-testid="limits-apply">
          Apply…
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
