import { useState, type FormEvent } from 'react';
import type { CommandRequest } from '../../../engine/contract/index';
import { DEFAULT_AC_LAMBDA } from '../../../engine/execution/schedules';
import { useCockpit, useCockpitState } from '../context';

/** What the launch form holds, as typed. */
export interface LaunchForm {
  readonly strategy: 'twap' | 'vwap' | 'pov' | 'ac' | 'rl';
  readonly side: 'buy' | 'sell';
  readonly quantity: string;
  readonly horizonMinutes: string;
  readonly intervalSeconds: string;
  /** In the instrument's currency; empty for none. */
  readonly limitPrice: string;
  /** POV's share of the volume, in percent. */
  readonly participation: string;
  /** Almgren–Chriss's risk aversion, 1/bps; empty for the default. */
  readonly riskAversion: string;
  /** The pace (1 the strategy's own); empty for 1. */
  readonly urgency: string;
  /** The most of the market's volume, in percent; empty for none. */
  readonly participationCap: string;
}

export const DEFAULT_LAUNCH: LaunchForm = { strategy: 'twap', side: 'buy', quantity: '5000', horizonMinutes: '30', intervalSeconds: '30', limitPrice: '', participation: '10', riskAversion: '', urgency: '', participationCap: '' };

/** Returns the LaunchAgent request of the form (without its reason), or what is wrong with it; `tickSize`: currency per price unit. */
export function launchRequest(f: LaunchForm, tickSize: number): { readonly request: Omit<CommandRequest<'LaunchAgent'>, 'reason'> } | { readonly error: string } {
  const whole = (t: string): number | null => (/^\d+$/.test(t.trim().replace(/,/g, '')) ? Number(t.trim().replace(/,/g, '')) : null);
  const quantity = whole(f.quantity);
  if (quantity === null || quantity < 1) return { error: 'Quantity: a whole number of lots, at least 1.' };
  const horizon = Number(f.horizonMinutes.trim());
  if (!Number.isFinite(horizon) || horizon < 1 || horizon > 390) return { error: 'Horizon: 1 to 390 minutes.' };
  const interval = whole(f.intervalSeconds);
  if (interval === null || interval < 1 || interval >= horizon * 60) return { error: `Decisions: every whole number of seconds, less than the horizon (${Math.round(horizon * 60)} s).` };
  let limitPrice: number | undefined;
  if (f.limitPrice.trim() !== '') {
    const p = Number(f.limitPrice.trim());
    if (!Number.isFinite(p) || p <= 0) return { error: 'Limit price: a positive number in the instrument’s currency, or empty for none.' };
    limitPrice = Math.round(p / tickSize);
  }
  let participation: number | undefined;
  if (f.strategy === 'pov') {
    const pct = Number(f.participation.trim());
    if (!Number.isFinite(pct) || pct < 1 || pct > 50) return { error: 'Participation: 1 to 50 % of the market’s volume.' };
    participation = pct / 100;
  }
  let riskAversion: number | undefined;
  if (f.strategy === 'ac' && f.riskAversion.trim() !== '') {
    riskAversion = Number(f.riskAversion.trim());
    if (!Number.isFinite(riskAversion) || riskAversion < 0 || riskAversion > 1) return { error: `Risk aversion: 0 (TWAP) to 1 per bps, or empty for ${DEFAULT_AC_LAMBDA}.` };
  }
  let urgency: number | undefined;
  if (f.urgency.trim() !== '') {
    urgency = Number(f.urgency.trim());
    if (f.strategy === 'rl') return { error: 'Urgency: the learned policy sets its own pace; leave it empty.' };
    if (!Number.isFinite(urgency) || urgency < 0.25 || urgency > 4) return { error: 'Urgency: 0.25 to 4 (1 is the strategy’s own pace), or empty.' };
  }
  let participationCap: number | undefined;
  if (f.participationCap.trim() !== '') {
    const pct = Number(f.participationCap.trim().replace(/%$/, ''));
    if (!Number.isFinite(pct) || pct < 1 || pct > 50) return { error: 'Participation cap: 1 to 50 % of the market’s volume, or empty for none.' };
    participationCap = pct / 100;
  }
  return {
    request: {
      strategy: f.strategy,
      side: f.side,
      quantity,
      horizonMinutes: horizon,
      intervalSeconds: interval,
      ...(limitPrice === undefined ? {} : { limitPrice }),
      ...(participation === undefined ? {} : { participation }),
      ...(riskAversion === undefined ? {} : { riskAversion }),
      ...(urgency === undefined ? {} : { urgency }),
      ...(participationCap === undefined ? {} : { participationCap }),
    },
  };
}

/**
 * Launches an agent on a new parent order: strategy (a baseline, or the session's learned policy on
 * the order it was trained for), side, quantity, horizon, decision interval, limit price and, for
 * POV, participation. Each field is checked and the form says what it refuses.
 */
export function LaunchAgentForm({ onDone }: { onDone: () => void }) {
  const { actions } = useCockpit();
  const tickSize = useCockpitState((s) => s.session?.tickSize ?? 0.01);
  const policyOrder = useCockpitState((s) => s.host?.policyOrder ?? null);
  const [f, setF] = useState<LaunchForm>(DEFAULT_LAUNCH);
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<LaunchForm>): void => setF((x) => ({ ...x, ...patch }));

  const chooseStrategy = (strategy: LaunchForm['strategy']): void => {
    // The learned policy works the order it was trained on.
    if (strategy === 'rl' && policyOrder !== null) {
      set({ strategy, side: policyOrder.side, quantity: String(policyOrder.quantity), horizonMinutes: String(policyOrder.horizonSeconds / 60), intervalSeconds: String(policyOrder.intervalSeconds) });
    } else set({ strategy });
  };
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const r = launchRequest(f, tickSize);
    if ('error' in r) return setError(r.error);
    setError(null);
    const done = await actions.launchAgent(r.request);
    if (done.status === 'done') onDone();
  };

  return (
    <form className="ticket" onSubmit={(e) => void submit(e)} noValidate aria-label="Launch an agent" data-testid="launch-form">
      <label>
        <span className="label">Strategy</span>{' '}
        <select value={f.strategy} onChange={(e) => chooseStrategy(e.target.value as LaunchForm['strategy'])} data-testid="launch-strategy">
          <option value="twap">TWAP</option>
          <option value="vwap">VWAP</option>
          <option value="pov">POV</option>
          <option value="ac">Almgren–Chriss</option>
          <option value="rl">learned policy</option>
        </select>
      </label>
      <label>
        <span className="label">Side</span>{' '}
        <select value={f.side} onChange={(e) => set({ side: e.target.value as LaunchForm['side'] })} data-testid="launch-side">
          <option value="buy">buy</option>
          <option value="sell">sell</option>
        </select>
      </label>
      <label>
        <span className="label">Qty</span> <input className="num" size={8} value={f.quantity} onChange={(e) => set({ quantity: e.target.value })} data-testid="launch-qty" />
      </label>
      <label>
        <span className="label">Horizon (min)</span> <input className="num" size={4} value={f.horizonMinutes} onChange={(e) => set({ horizonMinutes: e.target.value })} data-testid="launch-horizon" />
      </label>
      <label>
        <span className="label">Every (s)</span> <input className="num" size={4} value={f.intervalSeconds} onChange={(e) => set({ intervalSeconds: e.target.value })} data-testid="launch-interval" />
      </label>
      <label>
        <span className="label">Limit</span> <input className="num" size={8} value={f.limitPrice} placeholder="none" onChange={(e) => set({ limitPrice: e.target.value })} data-testid="launch-limit" />
      </label>
      {f.strategy === 'pov' && (
        <label>
          <span className="label">Participation %</span> <input className="num" size={3} value={f.participation} onChange={(e) => set({ participation: e.target.value })} data-testid="launch-participation" />
        </label>
      )}
      {f.strategy === 'ac' && (
        <label>
          <span className="label">Risk aversion</span> <input className="num" size={5} value={f.riskAversion} placeholder={String(DEFAULT_AC_LAMBDA)} onChange={(e) => set({ riskAversion: e.target.value })} data-testid="launch-risk-aversion" title="Per bps of shortfall variance: higher front-loads the schedule to shed price risk, 0 is TWAP" />
        </label>
      )}
      {f.strategy !== 'rl' && (
        <label>
          <span className="label">Urgency</span> <input className="num" size={3} value={f.urgency} placeholder="1" onChange={(e) => set({ urgency: e.target.value })} data-testid="launch-urgency" title="Above 1 front-loads the schedule, below 1 holds it back" />
        </label>
      )}
      <label>
        <span className="label">Cap %</span> <input className="num" size={3} value={f.participationCap} placeholder="none" onChange={(e) => set({ participationCap: e.target.value })} data-testid="launch-cap" />
      </label>
      <button type="submit" className="btn tiny" data-testid="launch-send">
        Launch…
      </button>
      <button type="button" className="btn tiny" onClick={onDone}>
        Close
      </button>
      {error !== null && (
        <span className="bad" role="alert" data-testid="launch-error">
          {error}
        </span>
      )}
    </form>
  );
}
