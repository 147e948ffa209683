import { memo, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { AgentLimits, AgentState, DetectorView, DynamicRiskView, LimitUse, PostureRule, SessionLimits, SessionState } from '../../../engine/contract/index';
import type { ActionOutcome } from '../actions/actions';
import { useCockpit, useCockpitState } from '../context';
import { formatSimTime, formatSize } from '../format/format';
import { AGENT_LIMIT_KEYS, AGENT_LIMIT_LABELS, SESSION_LIMIT_KEYS, SESSION_LIMIT_LABELS, describeDeltas, formatLimit, formatLimitValue, type LimitLabel } from '../format/limits';
import { diffAgentLimits, diffLimits } from '../store/risk';
import type { AgentRisk, LimitGroup, LimitsChangeRow, RiskState, TradingPosture } from '../store/types';
import { errorsFromCommand, formFromLimits, parseAgentLimits, parseLimits, type LimitsFormErrors, type LimitsFormFields } from './limits-form';
import { PositionBar, TradingStateBadge, TradingStateButtons, UseBar, formatMeasure, formatSigma } from './risk-parts';
import { lossShare, positionUse, shareOf } from './risk-use';

/** What the limits editor edits: every agent's and the session's limits, or one agent's own. */
type EditScope = { readonly agentId: string | null };

/**
 * The risk view of the lower region: every limit with its use now (the session and each agent),
 * trading states with their controls, the limits editor, the volatility forecast and detectors, and
 * the record of limit changes.
 */
export function RiskView({ active }: { active: boolean }) {
  const [editing, setEditing] = useState<EditScope | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const hasRisk = useCockpitState((s) => s.risk !== null);
  const close = (): void => {
    setEditing(null);
    requestAnimationFrame(() => editButton.current?.focus());
  };

  return (
    <div className="risk-view" data-testid="risk-view">
      <section className={`rv-main ${editing !== null ? 'editing' : ''}`} aria-labelledby="rv-limits-title">
        <header className="rv-head">
          <h3 id="rv-limits-title">Limits and their use now</h3>
          <PerOrderLimits />
          <button ref={editButton} type="button" className="btn tiny" onClick={() => setEditing({ agentId: null })} disabled={!hasRisk || editing !== null} data-testid="limits-edit" title="Change every agent’s and the session’s limits">
            Edit limits…
          </button>
        </header>
        {editing !== null ? <LimitsEditor key={editing.agentId ?? ''} scope={editing} onScope={setEditing} onDone={close} /> : active && <LimitsTable onEditAgent={(agentId) => setEditing({ agentId })} />}
      </section>
      {editing === null && (
        <div className="rv-bottom">
          {active && <DynamicSection />}
          {active && <LimitsHistory />}
        </div>
      )}
    </div>
  );
}

/** The per-order limits every agent without limits of its own is held to. */
function PerOrderLimits() {
  const limits = useCockpitState((s) => s.risk?.limits.perAgent ?? null);
  const item = (key: 'maxOrderLots' | 'maxOrderNotional' | 'priceCollarBps' | 'duplicateWindowSeconds', short: string, testId: string) => (
    <div title={AGENT_LIMIT_LABELS[key].help}>
      <dt className="label">{short}</dt>
      <dd className="num" data-testid={testId}>
        {limits ? formatLimit('perAgent', key, limits[key]) : '—'}
      </dd>
    </div>
  );
  return (
    <dl className="per-order" data-testid="risk-limits" aria-label="Per-order limits of each agent">
      {item('maxOrderLots', 'Max order', 'limit-max-order')}
      {item('maxOrderNotional', 'Max value', 'limit-max-value')}
      {item('priceCollarBps', 'Collar', 'limit-collar')}
      {item('duplicateWindowSeconds', 'Duplicates', 'limit-duplicate-window')}
    </dl>
  );
}

/** The figures one row of the limits table shows: the session's, or one agent's. */
interface LimitsRowData extends SessionLimits {
  readonly id: string;
  readonly name: string;
  readonly lifecycle: AgentState | SessionState | null;
  readonly posture: TradingPosture;
  readonly use: LimitUse;
  /** Agents only. */
  readonly agent: AgentRisk | null;
}

function rowsOf(risk: RiskState, names: ReadonlyMap<string, { readonly name: string; readonly state: AgentState }>, sessionState: SessionState | null): LimitsRowData[] {
  const s = risk.limits.session;
  const rows: LimitsRowData[] = [
    { id: 'session', name: 'Session', lifecycle: sessionState, posture: risk.session, use: risk.session.use, ...pick(s), agent: null },
  ];
  for (const a of risk.agents.values()) {
    const v = names.get(a.agentId);
    rows.push({ id: a.agentId, name: v?.name ?? a.agentId, lifecycle: v?.state ?? null, posture: a, use: a.use, ...pick(a.limits), agent: a });
  }
  return rows;
}

function pick(l: { maxLongLots: number; maxShortLots: number; maxOpenOrders: number; maxOrdersPerWindow: number; rateWindowSeconds: number; maxDailyLoss: number }) {
  return { maxLongLots: l.maxLongLots, maxShortLots: l.maxShortLots, maxOpenOrders: l.maxOpenOrders, maxOrdersPerWindow: l.maxOrdersPerWindow, rateWindowSeconds: l.rateWindowSeconds, maxDailyLoss: l.maxDailyLoss };
}

const money = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0, signDisplay: 'exceptZero' });
const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** Formats a limit short, for a bar's figures: 250K, 1M, ∞ (the exact value is in the tooltip and the editor). */
function compact(value: number): string {
  return value === Infinity ? '∞' : Number.isFinite(value) ? compactFormat.format(value) : '—';
}

/** Formats a P&L in currency with its sign ("—" without a mark). */
function formatPnl(pnl: number | null): string {
  return pnl === null || !Number.isFinite(pnl) ? '—' : money.format(pnl);
}

/** The session and every agent, one row each: trading state, use against each limit, and controls. */
function LimitsTable({ onEditAgent }: { onEditAgent: (agentId: string) => void }) {
  const risk = useCockpitState((s) => s.risk);
  const agents = useCockpitState((s) => s.agents);
  const sessionState = useCockpitState((s) => s.session?.state ?? null);
  const rows = useMemo(() => (risk === null ? [] : rowsOf(risk, agents, sessionState)), [risk, agents, sessionState]);
  if (risk === null) return <p className="empty">Waiting for the engine’s risk state…</p>;
  return (
    <div className="rv-table-wrap">
      <table className="limits-table" data-testid="limits-table" aria-label="Limits and their use now">
        <thead>
          <tr>
            <th scope="col">Who</th>
            <th scope="col" title="ACTIVE trades; REDUCING lets through only orders toward flat; HALTED lets no order through">
              Trading
            </th>
            <th scope="col" title="Position counting working orders, against the long limit (right) and the short limit (left)">
              Position · long / short
            </th>
            <th scope="col">Working orders</th>
            <th scope="col">Orders in window</th>
            <th scope="col" title="Profit so far (realised plus marked to the mid) against the daily loss limit">
              P&amp;L · daily loss
            </th>
            <th scope="col">
              <span className="visually-hidden">Controls</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <LimitsRow key={r.id} row={r} onEditAgent={onEditAgent} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

const LimitsRow = memo(function LimitsRow({ row, onEditAgent }: { row: LimitsRowData; onEditAgent: (agentId: string) => void }) {
  const { actions } = useCockpit();
  const u = row.use;
  const pos = positionUse(u, row.maxLongLots, row.maxShortLots);
  const openShare = shareOf(u.openOrders, row.maxOpenOrders);
  const rateShare = shareOf(u.ordersInWindow, row.maxOrdersPerWindow);
  const loss = lossShare(u.pnl, row.maxDailyLoss);
  const agent = row.agent;
  const signed = u.position > 0 ? `+${formatSize(u.position)}` : formatSize(u.position);
  return (
    <tr className={agent === null ? 'session-row' : ''} data-testid={`risk-row-${row.id}`} data-name={row.name}>
      <th scope="row" className="rv-who">
        <span className="rv-name" title={row.name}>
          {row.name}
        </span>
        <span className={`rv-life state-${row.lifecycle ?? 'unknown'}`} data-testid="risk-lifecycle">
          {row.lifecycle ?? '—'}
        </span>
        {agent?.ownLimits && (
          <span className="own-mark" title={`Has limits of its own: ${ownSummary(agent.limits)}`} data-testid="own-limits">
            own
          </span>
        )}
      </th>
      <td>
        <TradingStateBadge state={row.posture.state} reason={row.posture.reason} testId="risk-trading-state" />
        <span className="rv-reason" title={row.posture.reason}>
          {row.posture.state === 'ACTIVE' ? '' : row.posture.reason}
        </span>
      </td>
      <td>
        <PositionBar
          position={u.position}
          longShare={pos.longShare}
          shortShare={pos.shortShare}
          text={signed}
          title={`Position ${signed} lots; working buy ${formatSize(u.workingBuyLots)}, sell ${formatSize(u.workingSellLots)}. Long counting working buys ${formatSize(pos.long)} of ${formatLimitValue(row.maxLongLots)}; short counting working sells ${formatSize(pos.short)} of ${formatLimitValue(row.maxShortLots)} lots`}
          testId="use-position"
        />
      </td>
      <td>
        <UseBar share={openShare} text={`${formatSize(u.openOrders)} / ${compact(row.maxOpenOrders)}`} title={`${formatSize(u.openOrders)} working orders of at most ${formatLimitValue(row.maxOpenOrders)}`} testId="use-open-orders" />
      </td>
      <td>
        <UseBar
          share={rateShare}
          text={`${formatSize(u.ordersInWindow)} / ${compact(row.maxOrdersPerWindow)} · ${formatLimitValue(row.rateWindowSeconds)} s`}
          title={`${formatSize(u.ordersInWindow)} orders accepted in the last ${formatLimitValue(row.rateWindowSeconds)} s, of at most ${formatLimitValue(row.maxOrdersPerWindow)}`}
          testId="use-rate"
        />
      </td>
      <td>
        <UseBar share={loss} text={`${formatPnl(u.pnl)} / −${compact(row.maxDailyLoss)}`} title={`P&L ${formatPnl(u.pnl)} against a daily loss limit of ${formatLimitValue(row.maxDailyLoss)}`} testId="use-loss" />
      </td>
      <td className="rv-controls">
        {agent !== null && (
          <>
            <TradingStateButtons current={agent.state} states={['ACTIVE', 'REDUCING', 'HALTED']} onSet={(s) => void actions.setTradingState(agent.agentId, s)} who={row.name} testIdPrefix="agent-state" disabled={row.lifecycle === 'killed'} />
            <button type="button" className="btn tiny danger" onClick={() => void actions.flatten(agent.agentId)} disabled={row.lifecycle === 'killed' || row.lifecycle === 'flattening'} title={`Stop ${row.name} and work its position back to flat`} data-testid="agent-flatten">
              Flatten
            </button>
            <button type="button" className="btn tiny" onClick={() => onEditAgent(agent.agentId)} title={`Give ${row.name} limits of its own`} data-testid="agent-limits">
              Limits…
            </button>
          </>
        )}
      </td>
    </tr>
  );
});

function ownSummary(limits: AgentLimits): string {
  return AGENT_LIMIT_KEYS.map((k) => `${AGENT_LIMIT_LABELS[k].label.toLowerCase()} ${formatLimit('perAgent', k, limits[k])}`).join(', ');
}

/** The editor over the limits in force: every per-agent and session limit, or one agent's own; checked by the engine's schema. */
function LimitsEditor({ scope, onScope, onDone }: { scope: EditScope; onScope: (s: EditScope) => void; onDone: () => void }) {
  const { actions, store } = useCockpit();
  const agents = useCockpitState((s) => s.agents);
  const riskAgents = useCockpitState((s) => s.risk?.agents);
  const inForce = useCockpitState((s) => s.risk?.limits ?? null);
  const agentInForce = scope.agentId === null ? null : (riskAgents?.get(scope.agentId) ?? null);
  const [opened] = useState(() => {
    const risk = store.getState().risk;
    const limits = risk?.limits ?? null;
    const agent = scope.agentId === null ? null : (risk?.agents.get(scope.agentId) ?? null);
    return { limits, agentLimits: agent?.limits ?? null };
  });
  const [fields, setFields] = useState<LimitsFormFields | null>(() =>
    opened.limits === null ? null : formFromLimits(opened.agentLimits === null ? opened.limits : { ...opened.limits, perAgent: opened.agentLimits }),
  );
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; fields: LimitsFormErrors; values: LimitsFormFields } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    form.current?.querySelector<HTMLInputElement>('input')?.focus();
  }, []);

  if (fields === null || inForce === null) return <p className="empty">Waiting for the engine’s limits…</p>;
  const agentOnly = scope.agentId !== null;
  const parsed = agentOnly ? parseAgentLimits(fields) : parseLimits(fields);
  const schemaErrors: LimitsFormErrors = parsed.ok ? {} : parsed.errors;
  const changedSinceOpen = agentOnly ? agentInForce !== null && opened.agentLimits !== null && diffAgentLimits(opened.agentLimits, agentInForce.limits).length > 0 : opened.limits !== null && diffLimits(opened.limits, inForce).length > 0;

  const errorFor = (path: string): string | null => {
    if (refusal !== null && refusal.fields[path] !== undefined && valueAt(refusal.values, path) === valueAt(fields, path)) return refusal.fields[path];
    if (!(submitted || touched.has(path))) return null;
    return schemaErrors[path] ?? null;
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    setSubmitted(true);
    setRefusal(null);
    setNotice(null);
    if (!parsed.ok) {
      const first = Object.keys(parsed.errors)[0];
      if (first !== undefined) form.current?.querySelector<HTMLInputElement>(`[data-path="${first}"]`)?.focus();
      return;
    }
    let outcome: ActionOutcome;
    setBusy(true);
    try {
      if (scope.agentId !== null) {
        const next = parsed.limits as AgentLimits;
        if (agentInForce !== null && diffAgentLimits(agentInForce.limits, next).length === 0) {
          setNotice('Nothing to apply: every limit is as in force.');
          return;
        }
        outcome = await actions.setAgentLimits(scope.agentId, next);
      } else {
        const next = parsed.limits as typeof inForce;
        if (diffLimits(inForce, next).length === 0) {
          setNotice('Nothing to apply: every limit is as in force.');
          return;
        }
        outcome = await actions.setRiskLimits(next);
      }
    } finally {
      setBusy(false);
    }
    if (outcome.status === 'done') onDone();
    else if (outcome.status === 'refused') setRefusal({ ...errorsFromCommand(outcome.error, agentOnly ? 'perAgent' : 'all'), values: fields });
  };

  const dropOwn = async (): Promise<void> => {
    if (scope.agentId === null) return;
    setBusy(true);
    const outcome = await actions.setAgentLimits(scope.agentId, null).finally(() => setBusy(false));
    if (outcome.status === 'done') onDone();
    else if (outcome.status === 'refused') setRefusal({ ...errorsFromCommand(outcome.error, 'perAgent'), values: fields });
  };

  const invalid = Object.keys(schemaErrors);
  const field = (group: LimitGroup, key: string, label: LimitLabel) => {
    const path = `${group}.${key}`;
    const error = errorFor(path);
    const id = `limits-${group}-${key}`;
    const values = fields[group] as Readonly<Record<string, string>>;
    const before = group === 'perAgent' ? (agentInForce?.limits ?? inForce.perAgent)[key as keyof AgentLimits] : inForce.session[key as keyof typeof inForce.session];
    const changed = values[key] !== String(before);
    return (
      <div key={path} className={`lf-field ${error ? 'invalid' : ''} ${changed ? 'changed' : ''}`} title={label.help}>
        <label htmlFor={id}>
          {label.label} <span className="dim">{label.unit}</span>
        </label>
        <input
          id={id}
          data-path={path}
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          value={values[key] ?? ''}
          aria-invalid={error !== null}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => {
            const value = e.target.value;
            setFields((f) => (f === null ? f : { ...f, [group]: { ...f[group], [key]: value } }));
            setNotice(null);
          }}
          onBlur={() => setTouched((t) => (t.has(path) ? t : new Set(t).add(path)))}
          data-testid={`limits-input-${group}-${key}`}
        />
        {error && (
          <span className="lf-error" id={`${id}-error`} data-testid={`limits-error-${group}-${key}`}>
            {error}
          </span>
        )}
      </div>
    );
  };

  const names = (path: string): string => {
    const [group, key] = path.split('.') as [LimitGroup, string];
    const label = group === 'perAgent' ? AGENT_LIMIT_LABELS[key as keyof typeof AGENT_LIMIT_LABELS] : SESSION_LIMIT_LABELS[key as keyof typeof SESSION_LIMIT_LABELS];
    return `${group === 'session' ? 'Session ' : ''}${label ? (group === 'session' ? label.label.toLowerCase() : label.label) : path}`;
  };

  return (
    <form
      ref={form}
      className="limits-form"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onDone();
        }
      }}
      aria-label="Change the hard pre-trade limits"
      data-testid="limits-form"
      noValidate
    >
      <div className="lf-head">
        <label className="lf-scope">
          <span className="label">Apply to</span>
          <select value={scope.agentId ?? ''} onChange={(e) => onScope({ agentId: e.target.value === '' ? null : e.target.value })} data-testid="limits-scope">
            <option value="">every agent and the session</option>
            {[...(riskAgents?.values() ?? [])].map((a) => (
              <option key={a.agentId} value={a.agentId}>
                {agents.get(a.agentId)?.name ?? a.agentId} only (own limits{a.ownLimits ? ', set' : ''})
              </option>
            ))}
          </select>
        </label>
        {changedSinceOpen && (
          <span className="lf-notice" role="status">
            The limits in force changed since the form opened; Apply replaces them with these.
          </span>
        )}
      </div>
      <div className="lf-groups">
        <fieldset className="lf-group">
          <legend>{agentOnly ? `${agents.get(scope.agentId ?? '')?.name ?? scope.agentId} — its own limits` : 'Each agent'}</legend>
          <div className="lf-grid">{AGENT_LIMIT_KEYS.map((k) => field('perAgent', k, AGENT_LIMIT_LABELS[k]))}</div>
        </fieldset>
        {!agentOnly && (
          <fieldset className="lf-group">
            <legend>The session (all agents together)</legend>
            <div className="lf-grid">{SESSION_LIMIT_KEYS.map((k) => field('session', k, SESSION_LIMIT_LABELS[k]))}</div>
          </fieldset>
        )}
      </div>
      <div className="lf-foot">
        <div className="lf-messages" role="alert" data-testid="limits-error">
          {refusal !== null ? (
            <span className="lf-refusal">
              <strong>The engine refused the change:</strong> {refusal.message}
            </span>
          ) : submitted && invalid.length > 0 ? (
            <span className="lf-refusal">
              <strong>Not applied — {invalid.length === 1 ? 'one limit is' : `${invalid.length} limits are`} not valid:</strong> {invalid.map((p) => `${names(p)}: ${schemaErrors[p]}`).join('; ')}
            </span>
          ) : null}
          {notice !== null && <span className="lf-notice">{notice}</span>}
        </div>
        <div className="lf-buttons">
          {agentOnly && agentInForce?.ownLimits && (
            <button type="button" className="btn" onClick={() => void dropOwn()} disabled={busy} data-testid="limits-drop-own" title="Hold the agent to the session’s per-agent limits again">
              Use the session’s limits
            </button>
          )}
          <button type="button" className="btn" onClick={onDone} disabled={busy}>
            Cancel <kbd>Esc</kbd>
          </button>
          <button type="submit" className="btn primary" disabled={busy} data-testid="limits-apply">
            {busy ? 'Applying…' : 'Apply…'}
          </button>
        </div>
      </div>
    </form>
  );
}

function valueAt(fields: LimitsFormFields, path: string): string | undefined {
  const [group, key] = path.split('.') as [LimitGroup, string];
  return (fields[group] as Readonly<Record<string, string>> | undefined)?.[key];
}

/** The volatility forecasts and each detector's state, or that the dynamic layer is not running. */
function DynamicSection() {
  const dynamic = useCockpitState((s) => s.risk?.dynamic);
  return (
    <section className="rv-dynamic" aria-labelledby="rv-dynamic-title" data-testid="dynamic-risk">
      <h3 id="rv-dynamic-title">Volatility and detectors</h3>
      {dynamic === undefined ? <p className="empty">Waiting for the engine’s risk state…</p> : dynamic === null ? <p className="empty" data-testid="dynamic-not-running">Dynamic risk is not running in this session: no volatility forecast, no detectors.</p> : <DynamicBody dynamic={dynamic} />}
    </section>
  );
}

function DynamicBody({ dynamic }: { dynamic: DynamicRiskView }) {
  return (
    <>
      <div className="vol">
        <div className="vol-item" title="Exponentially weighted forecast of the mid’s volatility over the next second">
          <span className="label">EWMA σ</span>
          <strong className="num" data-testid="sigma-ewma">
            {formatSigma(dynamic.ewmaBpsPerSqrtS)}
          </strong>
          <span className="dim">bps/√s</span>
        </div>
        <div className="vol-item" title="GARCH(1,1) forecast of the mid’s volatility over the next second">
          <span className="label">GARCH σ</span>
          <strong className="num" data-testid="sigma-garch">
            {formatSigma(dynamic.garchBpsPerSqrtS)}
          </strong>
          <span className="dim">bps/√s</span>
        </div>
      </div>
      <p className="models" data-testid="risk-models">
        {dynamic.models}
      </p>
      <ul className="detectors" aria-label="Detectors">
        {dynamic.detectors.map((d) => (
          <DetectorRow key={d.name} detector={d} rule={dynamic.rules.find((r) => r.detector === d.name) ?? null} />
        ))}
      </ul>
    </>
  );
}

function DetectorRow({ detector: d, rule }: { detector: DetectorView; rule: PostureRule | null }) {
  return (
    <li className={`detector ${d.firing ? 'firing' : ''}`} data-testid={`detector-${d.name}`}>
      <div className="detector-line">
        <span className="pill-led" aria-hidden="true" />
        <strong className="detector-name">{d.name}</strong>
        <span className={`detector-state ${d.firing ? 'firing' : ''}`} data-testid="detector-state">
          {d.firing ? `FIRING${d.since !== null ? ` since ${formatSimTime(d.since)}` : ''}` : d.value === null ? 'warming up' : 'quiet'}
        </span>
        <span className="num detector-value" title="The detector’s measure now, and the threshold it fires at">
          {formatMeasure(d.value)} <span className="dim">/ {formatMeasure(d.threshold)} {d.unit}</span>
        </span>
        <span className="detector-rule" title="What the posture rules do when it fires">
          {rule === null ? 'alert only' : `${rule.action === 'ALERT' ? 'alert only' : `→ ${rule.action}`}${rule.action !== 'ALERT' ? (rule.restoreOnClear ? ', restores' : ', waits for you') : ''}`}
        </span>
      </div>
      <p className="detector-reason">{d.reason}</p>
    </li>
  );
}

/** Who changed which limits, when and why, newest first. */
function LimitsHistory() {
  const history = useCockpitState((s) => s.risk?.history ?? null);
  const agents = useCockpitState((s) => s.agents);
  return (
    <section className="rv-history" aria-labelledby="rv-history-title">
      <h3 id="rv-history-title">Limit changes</h3>
      {history === null || history.length === 0 ? (
        <p className="empty">No limit has been changed in this session.</p>
      ) : (
        <ol className="history" data-testid="limits-history">
          {history.map((h) => (
            <HistoryRow key={h.key} row={h} agentName={typeof h.scope === 'object' ? (agents.get(h.scope.agentId)?.name ?? h.scope.agentId) : null} />
          ))}
        </ol>
      )}
    </section>
  );
}

const HistoryRow = memo(function HistoryRow({ row, agentName }: { row: LimitsChangeRow; agentName: string | null }) {
  const scope = row.scope === 'session' ? 'all agents & session' : row.scope === 'unrecorded' ? 'limits' : `${agentName} only`;
  const what = row.changes === null ? 'limits set (nothing earlier in the record to compare)' : row.changes.length === 0 ? 'no limit moved' : describeDeltas(row.changes);
  return (
    <li className="history-row" data-testid="limits-history-row">
      <div className="history-line">
        <span className="c-time" title={`wall clock ${row.at}`}>
          {formatSimTime(row.ts)}
        </span>
        <span className="history-by">{row.by}</span>
        <span className="history-scope">{scope}</span>
      </div>
      <div className="history-what">{what}</div>
      <div className="history-reason">“{row.reason}”</div>
    </li>
  );
});
