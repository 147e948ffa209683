import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { AgentView, CommandRequest, OverrideField } from '../../../engine/contract/index';
import { useCockpit, useCockpitState } from '../context';
import { formatPrice, formatSimTime } from '../format/format';
import { formatOverrideValue, OVERRIDE_LABELS } from '../format/overrides';
import { describeDirection, describeRegime, percent, signalContribution } from '../format/signal';

/** The override form as typed: empty leaves a parameter as it is, `none` lifts a cap, a limit or a pause price. */
export interface OverrideForm {
  readonly urgency: string;
  /** Percent of the market's volume. */
  readonly participationCap: string;
  /** In the instrument's currency. */
  readonly limitPrice: string;
  readonly horizonLeftMinutes: string;
  /** In the instrument's currency. */
  readonly pauseAtPrice: string;
}

export const EMPTY_OVERRIDE: OverrideForm = { urgency: '', participationCap: '', limitPrice: '', horizonLeftMinutes: '', pauseAtPrice: '' };

type Request = Omit<CommandRequest<'OverrideAgent'>, 'reason' | 'agentId'>;

/** Returns the OverrideAgent request of the form (without agent and reason), or what is wrong with it; `tickSize`: currency per price unit. */
export function overrideRequest(f: OverrideForm, tickSize: number): { readonly request: Request } | { readonly error: string } {
  const out: { -readonly [K in keyof Request]: Request[K] } = {};
  const text = (t: string): string => t.trim().toLowerCase();
  const none = (t: string): boolean => text(t) === 'none';
  if (text(f.urgency) !== '') {
    const u = Number(text(f.urgency).replace(/×$|x$/, ''));
    if (!Number.isFinite(u) || u < 0.25 || u > 4) return { error: 'Urgency: 0.25 to 4 (1 is the strategy’s own pace).' };
    out.urgency = u;
  }
  if (text(f.participationCap) !== '') {
    const pct = Number(text(f.participationCap).replace(/%$/, ''));
    if (none(f.participationCap)) out.participationCap = null;
    else if (!Number.isFinite(pct) || pct < 1 || pct > 50) return { error: 'Participation cap: 1 to 50 % of the market’s volume, or none.' };
    else out.participationCap = pct / 100;
  }
  for (const key of ['limitPrice', 'pauseAtPrice'] as const) {
    const t = text(f[key]);
    if (t === '') continue;
    if (none(t)) {
      out[key] = null;
      continue;
    }
    const p = Number(t);
    const ticks = Math.round(p / tickSize);
    if (!Number.isFinite(p) || p <= 0) return { error: `${OVERRIDE_LABELS[key]}: a positive price in the instrument’s currency, or none.` };
    if (Math.abs(ticks * tickSize - p) > tickSize * 1e-6) return { error: `${OVERRIDE_LABELS[key]}: ${t} is not on the tick of ${tickSize}.` };
    out[key] = ticks;
  }
  if (text(f.horizonLeftMinutes) !== '') {
    const m = Number(text(f.horizonLeftMinutes));
    if (!Number.isFinite(m) || m < 1 || m > 390) return { error: 'Time left: 1 to 390 minutes from now.' };
    out.horizonLeftMinutes = m;
  }
  if (Object.keys(out).length === 0) return { error: 'Change at least one parameter (empty leaves it as it is).' };
  return { request: out };
}

/** The strategies urgency paces. */
const PACED: readonly string[] = ['twap', 'vwap', 'pov', 'ac'];

const FIELDS: readonly OverrideField[] = ['urgency', 'participationCap', 'limitPrice', 'endNs', 'pauseAtPrice'];

/**
 * An agent's card: its parameters as they stand beside the originals, who changed each, when and
 * why, and the form that overrides them from its next decision (through the engine, asking why).
 */
export function AgentCard({ agentId }: { agentId: string }) {
  const { actions, ui } = useCockpit();
  const agent = useCockpitState((s) => s.agents.get(agentId));
  const tickSize = useCockpitState((s) => s.session?.tickSize ?? 0.01);
  const participation = useCockpitState((s) => s.risk?.agents.get(agentId)?.participation ?? null);
  const [f, setF] = useState<OverrideForm>(EMPTY_OVERRIDE);
  const [error, setError] = useState<string | null>(null);
  const close = (): void => ui.setState({ tuning: null });
  const open = useStore(ui, (s) => s.tuning);
  if (agent === undefined || open !== agentId) return null;
  const set = (patch: Partial<OverrideForm>): void => setF((x) => ({ ...x, ...patch }));
  // Urgency paces the schedule strategies; a learned policy sets its own pace.
  const paced = PACED.includes(agent.strategy);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const r = overrideRequest(f, tickSize);
    if ('error' in r) return setError(r.error);
    setError(null);
    const done = await actions.overrideAgent(agentId, r.request);
    if (done.status === 'done') setF(EMPTY_OVERRIDE);
  };

  return (
    <section className="agent-card" aria-label={`${agent.name}: parameters and overrides`} data-testid="agent-card">
      <header className="agent-card-head">
        <strong>{agent.name}</strong>
        <span className="muted">
          {agent.strategy} · {agent.side} {agent.quantity.toLocaleString('en-US')} · {agent.state} · participation {participation === null ? '—' : `${(participation * 100).toFixed(1)}%`}
        </span>
        <button type="button" className="btn tiny" onClick={close} aria-label="Close the agent's card">
          Close
        </button>
      </header>
      <table className="card-params" data-testid="agent-card-params">
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col" className="num">
              Now
            </th>
            <th scope="col" className="num">
              Original
            </th>
            <th scope="col">Changed by</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {FIELDS.map((field) => {
            const o = agent.overrides.find((x) => x.field === field);
            const now = agent.params[field];
            return (
              <tr key={field} className={o === undefined ? '' : 'overridden'} data-testid={`card-${field}`}>
                <th scope="row">
                  {OVERRIDE_LABELS[field]}
                  {o !== undefined && <span className="override-mark" aria-label="overridden"> ✎</span>}
                </th>
                <td className="num">{formatOverrideValue(field, now, tickSize)}</td>
                <td className="num">{o === undefined ? '—' : formatOverrideValue(field, o.original, tickSize)}</td>
                <td>{o === undefined ? '—' : `${o.by} at ${formatSimTime(o.ts)}`}</td>
                <td className="reason">{o?.reason ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <AgentSignal agentId={agentId} observes={agent.observesSignal === true} />
      {tunable(agent) ? (
        <form className="ticket" onSubmit={(e) => void submit(e)} noValidate aria-label={`Override ${agent.name}`} data-testid="override-form">
          <label>
            <span className="label">Urgency</span> <input className="num" size={4} value={f.urgency} placeholder={String(agent.params.urgency)} onChange={(e) => set({ urgency: e.target.value })} data-testid="override-urgency" disabled={!paced} title={paced ? 'Above 1 front-loads the schedule, below 1 holds it back' : 'The learned policy sets its own pace'} />
          </label>
          <label>
            <span className="label">Cap %</span> <input className="num" size={4} value={f.participationCap} placeholder={agent.params.participationCap === null ? 'none' : String(agent.params.participationCap * 100)} onChange={(e) => set({ participationCap: e.target.value })} data-testid="override-cap" />
          </label>
          <label>
            <span className="label">Limit</span> <input className="num" size={8} value={f.limitPrice} placeholder={agent.params.limitPrice === null ? 'none' : formatPrice(agent.params.limitPrice, tickSize)} onChange={(e) => set({ limitPrice: e.target.value })} data-testid="override-limit" />
          </label>
          <label>
            <span className="label">Time left (min)</span> <input className="num" size={4} value={f.horizonLeftMinutes} onChange={(e) => set({ horizonLeftMinutes: e.target.value })} data-testid="override-horizon" />
          </label>
          <label>
            <span className="label">Pause at</span> <input className="num" size={8} value={f.pauseAtPrice} placeholder={agent.params.pauseAtPrice === null ? 'none' : formatPrice(agent.params.pauseAtPrice, tickSize)} onChange={(e) => set({ pauseAtPrice: e.target.value })} data-testid="override-pause" />
          </label>
          <button type="submit" className="btn tiny" data-testid="override-send">
            Override…
          </button>
          {error !== null && (
            <span className="bad" role="alert" data-testid="override-error">
              {error}
            </span>
          )}
        </form>
      ) : (
        <p className="muted">The agent is {agent.state}: its parameters no longer change.</p>
      )}
    </section>
  );
}

/** Whether an agent can take overrides now. */
export function tunable(a: Pick<AgentView, 'state'>): boolean {
  return a.state === 'running' || a.state === 'paused';
}

/**
 * The market signal as it reaches the agent: the probabilities and the regime now, whether the
 * agent decides on them, and what they weighed in its last decision (a learned policy's
 * attributions to its signal slots).
 */
function AgentSignal({ agentId, observes }: { agentId: string; observes: boolean }) {
  const signal = useCockpitState((s) => s.signal.now);
  const last = useCockpitState((s) => s.decisions.find((d) => d.agentId === agentId && d.explanation !== null) ?? null);
  const contribution = last?.explanation ? signalContribution(last.explanation) : null;
  return (
    <p className="agent-signal" data-testid="agent-signal">
      <span className="label">Market signal</span>{' '}
      {signal === null ? 'none yet' : `↓ ${percent(signal.down)} · → ${percent(signal.flat)} · ↑ ${percent(signal.up)} (${describeDirection(signal.direction)}), regime ${describeRegime(signal)}`}
      {' · '}
      {observes ? (contribution === null ? 'the agent decides on it; no decision yet' : `in its last decision: ${contribution} of the attributions`) : 'the agent does not decide on it'}
    </p>
  );
}
