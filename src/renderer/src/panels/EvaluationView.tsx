import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { BacktestRow, HostInfo, PolicyReportTable } from '../../../engine/contract/index';
import { MAX_BACKTEST_SEEDS as MAX_SEEDS, MAX_BACKTEST_STRATEGIES as MAX_STRATEGIES } from '../../../engine/contract/index';
import { formatTimeOfDay, parseTimeOfDay } from '../../../engine/core/clock';
import { useCockpit, useCockpitState } from '../context';
import { formatBps, formatPercent, formatSize } from '../format/format';
import type { BacktestRequest, BacktestRun, RunningBacktest } from '../store/types';

/** Scenarios the engine ships. */
export const SCENARIOS = ['calm', 'calm-informed', 'volatile', 'thin', 'trending', 'flash-crash', 'lobster:GOOG', 'lobster:AAPL', 'lobster:AMZN'] as const;
/** Rule-based strategies offered as checkboxes. */
export const BASELINES = ['twap', 'vwap', 'pov', 'ac'] as const;

/** What the form holds, as typed. */
export interface EvalForm {
  readonly scenario: string;
  readonly seedFrom: string;
  readonly seedTo: string;
  readonly baselines: readonly string[];
  readonly learned: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: string;
  readonly horizonMinutes: string;
  /** Seconds between decisions. */
  readonly intervalSeconds: string;
  /** HH:MM[:SS], or empty for the open plus the pre-trade window (on a historical venue: the first slot). */
  readonly startTime: string;
}

export const defaultForm: EvalForm = {
  scenario: 'calm',
  seedFrom: '1',
  seedTo: '20',
  baselines: ['twap', 'vwap', 'pov', 'ac'],
  learned: '',
  side: 'buy',
  quantity: '20000',
  horizonMinutes: '30',
  intervalSeconds: '5',
  startTime: '',
};

function wholeNumber(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

/** Returns the RunBacktest request for a form, or what is wrong with it. */
export function requestFromForm(f: EvalForm): { readonly request: BacktestRequest } | { readonly error: string } {
  const seedFrom = wholeNumber(f.seedFrom);
  const seedTo = wholeNumber(f.seedTo);
  const historical = f.scenario.startsWith('lobster:');
  if (seedFrom === null || seedTo === null || seedFrom < (historical ? 0 : 1)) {
    return { error: historical ? 'Episode slots are whole numbers from 0.' : 'Seeds must be whole numbers from 1.' };
  }
  if (seedTo < seedFrom) return { error: `Seeds run from ${seedFrom} to ${seedTo}: the last must not be below the first.` };
  if (seedTo - seedFrom >= MAX_SEEDS) return { error: `At most ${MAX_SEEDS} seeds; got ${seedTo - seedFrom + 1}.` };
  const learned = f.learned
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const strategies = [...f.baselines, ...learned];
  if (strategies.length === 0) return { error: 'Choose at least one strategy.' };
  if (strategies.length > MAX_STRATEGIES) return { error: `At most ${MAX_STRATEGIES} strategies; got ${strategies.length}.` };
  const quantity = wholeNumber(f.quantity);
  if (quantity === null || quantity < 1) return { error: 'Quantity must be a whole number of lots, at least 1.' };
  const minutes = Number(f.horizonMinutes.trim());
  if (!Number.isFinite(minutes) || minutes < 1 || minutes > 390) return { error: 'Horizon must be 1 to 390 minutes.' };
  const horizonSeconds = Math.round(minutes * 60);
  const intervalSeconds = wholeNumber(f.intervalSeconds);
  if (intervalSeconds === null || intervalSeconds < 1 || intervalSeconds >= horizonSeconds || horizonSeconds % intervalSeconds !== 0) {
    return { error: `Decisions every whole number of seconds that divides the horizon (${horizonSeconds} s).` };
  }
  const start = f.startTime.trim();
  let startTime: string | null = null;
  if (start !== '') {
    try {
      startTime = formatTimeOfDay(parseTimeOfDay(start));
    } catch {
      return { error: 'Start must be a time of day HH:MM[:SS], or empty.' };
    }
  }
  const request = { scenario: f.scenario, seedFrom, seedTo, strategies, side: f.side, quantity, horizonSeconds, intervalSeconds };
  return { request: startTime === null ? request : { ...request, startTime } };
}

type Figure = BacktestRow['shortfallBps'];

function formatFigure(f: Figure | null): string {
  if (f === null) return '—';
  return f.ci95 === null ? formatBps(f.mean) : `${formatBps(f.mean)} [${formatBps(f.ci95[0])}, ${formatBps(f.ci95[1])}]`;
}

/** Returns how an interval against TWAP reads: cheaper when wholly below zero, costlier when wholly above. */
export function vsTwapTone(f: Figure | null): 'cheaper' | 'costlier' | '' {
  if (f === null || f.ci95 === null) return '';
  if (f.ci95[1] < 0) return 'cheaper';
  if (f.ci95[0] > 0) return 'costlier';
  return '';
}

/** Returns how a training market reads: a scenario as is, a recorded day `lobster:…/AAPL_2012-06-21_…` as "AAPL 2012-06-21 (recorded day)". */
export function trainingLabel(name: string): string {
  if (!name.startsWith('lobster:')) return name;
  const file = name.slice('lobster:'.length).split(/[\\/]/).pop() ?? '';
  const m = /^([A-Z0-9.]+)_(\d{4}-\d{2}-\d{2})_/.exec(file);
  return m ? `${m[1]} ${m[2]} (recorded day)` : `${file} (recorded day)`;
}

function describeRun(r: BacktestRun): string {
  const q = r.request;
  return `${q.scenario} · seeds ${q.seedFrom}–${q.seedTo}${q.startTime === undefined ? '' : ` from ${q.startTime}`} · ${q.side} ${formatSize(q.quantity)} · ${Math.round(q.horizonSeconds / 60)} min${q.intervalSeconds === undefined ? '' : ` / ${q.intervalSeconds} s`}`;
}

/** Runs strategies on the same seeds of a scenario and compares their costs with 95% intervals. */
export function EvaluationView({ active }: { active: boolean }) {
  const { actions } = useCockpit();
  const running = useCockpitState((s) => s.evaluation.running);
  const runs = useCockpitState((s) => s.evaluation.runs);
  const policyDir = useCockpitState((s) => s.host?.policyDir ?? null);
  const policyOrder = useCockpitState((s) => s.host?.policyOrder ?? null);
  const report = useCockpitState((s) => s.host?.policyReport ?? null);
  const [form, setForm] = useState<EvalForm>(defaultForm);
  // A backtest's id, or 'card' for the running policy's model card.
  const [shownId, setShownId] = useState<number | 'card' | null>(null);
  const first = useRef<HTMLSelectElement>(null);
  const id = useId();
  const checked = requestFromForm(form);
  const shown = shownId === 'card' ? null : (runs.find((r) => r.id === shownId) ?? runs[0] ?? null);
  const cardName = report === null ? null : 'problem' in report ? 'policy' : report.name;

  useEffect(() => {
    if (active) first.current?.focus();
  }, [active]);

  // A new result is shown as it arrives.
  const newest = runs[0]?.id;
  useEffect(() => setShownId(newest ?? null), [newest]);

  const set = <K extends keyof EvalForm>(key: K, value: EvalForm[K]): void => setForm((f) => ({ ...f, [key]: value }));
  /** Fills the form with the running policy beside TWAP, VWAP and AC, on the order it was trained to work (its horizon and decision interval are required). */
  const usePolicyOrder = (): void => {
    if (policyDir === null || policyOrder === null) return;
    setForm((f) => ({
      ...f,
      baselines: ['twap', 'vwap', 'ac'],
      learned: `rl:${policyDir}`,
      side: policyOrder.side,
      quantity: String(policyOrder.quantity),
      horizonMinutes: String(policyOrder.horizonSeconds / 60),
      intervalSeconds: String(policyOrder.intervalSeconds),
    }));
  };
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    if ('request' in checked && running === null) void actions.runBacktest(checked.request);
  };

  return (
    <div className="evaluation">
      <form className="eval-form" onSubmit={onSubmit} aria-label="Backtest">
        <label>
          <span className="label">Scenario</span>
          <select ref={first} value={form.scenario} onChange={(e) => set('scenario', e.target.value)} data-testid="eval-scenario">
            {SCENARIOS.map((s) => (
              <option key={s} value={s}>
                {s.startsWith('lobster:') ? `${s.slice('lobster:'.length)} 2012-06-21, historical` : s}
              </option>
            ))}
          </select>
          {form.scenario.startsWith('lobster:') && (
            <span className="hint" data-testid="eval-attribution">
              Replayed NASDAQ order book; seeds are episode slots from 10:00, or from the start time. Data courtesy of LOBSTER (lobsterdata.com).
            </span>
          )}
        </label>
        <div className="eval-pair">
          <label>
            <span className="label">Seeds from</span>
            <input inputMode="numeric" value={form.seedFrom} onChange={(e) => set('seedFrom', e.target.value)} data-testid="eval-seed-from" size={5} />
          </label>
          <label>
            <span className="label">to</span>
            <input inputMode="numeric" value={form.seedTo} onChange={(e) => set('seedTo', e.target.value)} data-testid="eval-seed-to" size={5} />
          </label>
        </div>
        <fieldset className="eval-strategies">
          <legend className="label">Strategies</legend>
          {BASELINES.map((b) => (
            <label key={b} className="check">
              <input
                type="checkbox"
                checked={form.baselines.includes(b)}
                onChange={(e) => set('baselines', e.target.checked ? [...form.baselines, b] : form.baselines.filter((x) => x !== b))}
                data-testid={`eval-strategy-${b}`}
              />
              {b}
            </label>
          ))}
          <input
            className="eval-learned"
            placeholder={`${policyDir === null ? 'rl:MODEL_DIR' : `rl:${policyDir}`}, fixed:on-schedule+2`}
            value={form.learned}
            onChange={(e) => set('learned', e.target.value)}
            aria-label="Learned policies and fixed tactics, comma separated"
            data-testid="eval-learned"
          />
          {policyOrder !== null && (
            <button
              type="button"
              className="btn tiny"
              onClick={usePolicyOrder}
              title={`Backtest the running policy against TWAP, VWAP and AC on the order it was trained for: ${policyOrder.side} ${formatSize(policyOrder.quantity)} over ${policyOrder.horizonSeconds / 60} min, a decision every ${policyOrder.intervalSeconds} s`}
              data-testid="eval-policy-order"
            >
              Running policy
            </button>
          )}
        </fieldset>
        <label>
          <span className="label">Side</span>
          <select value={form.side} onChange={(e) => set('side', e.target.value === 'sell' ? 'sell' : 'buy')} data-testid="eval-side">
            <option value="buy">buy</option>
            <option value="sell">sell</option>
          </select>
        </label>
        <label>
          <span className="label">Quantity (lots)</span>
          <input inputMode="numeric" value={form.quantity} onChange={(e) => set('quantity', e.target.value)} data-testid="eval-quantity" size={8} />
        </label>
        <label>
          <span className="label">Horizon (min)</span>
          <input inputMode="decimal" value={form.horizonMinutes} onChange={(e) => set('horizonMinutes', e.target.value)} data-testid="eval-horizon" size={4} />
        </label>
        <label>
          <span className="label">Every (s)</span>
          <input inputMode="numeric" value={form.intervalSeconds} onChange={(e) => set('intervalSeconds', e.target.value)} data-testid="eval-interval" size={3} title="Seconds between decisions; a learned policy needs the interval it was trained with" />
        </label>
        <label>
          <span className="label">Start</span>
          <input value={form.startTime} onChange={(e) => set('startTime', e.target.value)} placeholder="HH:MM" data-testid="eval-start" size={5} title="Episode start time of day; empty: the open plus the pre-trade window (historical: 10:00). On a historical day, the start of slot 0." />
        </label>
        <button type="submit" className="btn primary" disabled={running !== null || 'error' in checked} data-testid="eval-run" aria-describedby={`${id}-status`}>
          {running !== null ? 'Running…' : 'Run'}
        </button>
        {running !== null && (
          <button type="button" className="btn" onClick={() => void actions.cancelBacktest()} data-testid="eval-cancel" title="Stops the backtest: its worker threads end and nothing is kept">
            Cancel
          </button>
        )}
        <span id={`${id}-status`} className={'error' in checked ? 'eval-status invalid' : 'eval-status'} role="status">
          {'error' in checked ? checked.error : running !== null ? <RunningNote running={running} /> : ''}
        </span>
      </form>

      <div className="eval-results" aria-busy={running !== null}>
        {(runs.length > 1 || (cardName !== null && runs.length > 0)) && (
          <div className="eval-history" role="group" aria-label="Model card and recent backtests">
            {cardName !== null && (
              <button type="button" className={`btn tiny ${shown === null ? 'selected' : ''}`} aria-pressed={shown === null} onClick={() => setShownId('card')} data-testid="policy-card-tab">
                Model card · {cardName}
              </button>
            )}
            {runs.map((r) => (
              <button key={r.id} type="button" className={`btn tiny ${r === shown ? 'selected' : ''}`} aria-pressed={r === shown} onClick={() => setShownId(r.id)}>
                {describeRun(r)}
              </button>
            ))}
          </div>
        )}
        {shown === null ? (
          report !== null ? (
            <PolicyCard report={report} />
          ) : (
            <p className="empty">{running !== null ? 'Running the backtest…' : 'Run a backtest to compare strategies on the same seeds.'}</p>
          )
        ) : (
          <ResultTable run={shown} />
        )}
      </div>
    </div>
  );
}

function RunningNote({ running }: { running: RunningBacktest }) {
  const request = running.request;
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const started = Date.now();
    const t = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <>
      <span className="spinner" aria-hidden="true" /> {request.strategies.join(', ')} on {request.scenario}, seeds {request.seedFrom}–{request.seedTo} ·{' '}
      {running.state === 'queued' ? (
        'waiting in the queue'
      ) : running.total > 0 ? (
        <>
          <progress className="eval-progress" max={running.total} value={running.done} aria-label="Backtest progress" data-testid="eval-progress" /> {running.done}/{running.total} episodes
        </>
      ) : (
        'starting'
      )}{' '}
      · {seconds} s
    </>
  );
}

function ResultTable({ run }: { run: BacktestRun }) {
  const r = run.result;
  return (
    <table className="eval-table" data-testid="eval-table">
      <caption>
        {r.scenario} · seeds {r.seeds[0]}–{r.seeds[1]} · <span data-testid="eval-starts">{r.starts[0] === r.starts[1] ? `from ${r.starts[0]}` : `starts ${r.starts[0]}–${r.starts[1]}`}</span> · {r.side} {formatSize(r.quantity)} lots over {Math.round(r.horizonSeconds / 60)} min · wall{' '}
        <span data-testid="eval-wall">{r.wallSeconds.toFixed(1)} s</span> · bps, positive = cost, [95% interval]
      </caption>
      <thead>
        <tr>
          <th scope="col">Strategy</th>
          <th scope="col" className="num">
            Episodes
          </th>
          <th scope="col" className="num" title="Implementation shortfall against the arrival mid">
            Shortfall
          </th>
          <th scope="col" className="num" title="Shortfall caused by the strategy's own orders (against the same seed without them)">
            Impact
          </th>
          <th scope="col" className="num" title="Paired difference to TWAP on the same seeds; green = cheaper than TWAP with 95% confidence">
            vs TWAP
          </th>
          <th scope="col" className="num" title="Standard deviation of shortfall across episodes">
            Timing risk
          </th>
          <th scope="col" className="num">
            Fill rate
          </th>
          <th scope="col" className="num" title="Spread paid on fills (negative = earned)">
            Spread paid
          </th>
        </tr>
      </thead>
      <tbody>
        {r.strategies.map((s) => (
          <tr key={s.name} data-strategy={s.name}>
            <th scope="row" title={s.name}>
              {s.name}
            </th>
            <td className="num">{s.episodes}</td>
            <td className="num" data-col="shortfall">
              {formatFigure(s.shortfallBps)}
            </td>
            <td className="num">{formatFigure(s.impactBps)}</td>
            <td className={`num vs-twap ${vsTwapTone(s.vsTwapBps)}`}>{formatFigure(s.vsTwapBps)}</td>
            <td className="num">{Number.isFinite(s.timingRiskBps) ? s.timingRiskBps.toFixed(1) : '—'}</td>
            <td className="num">{formatPercent(s.fillRate)}</td>
            <td className="num">{formatBps(s.spreadPaidBps)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The running policy's model card: what it trained on, its summary, and its held-out tables as they were measured. */
function PolicyCard({ report }: { report: HostInfo['policyReport'] }) {
  if ('problem' in report) {
    return (
      <p className="empty" data-testid="policy-card-problem">
        The running policy's model card cannot be shown: {report.problem}
      </p>
    );
  }
  const [summary, ...notes] = report.notes;
  return (
    <section className="policy-card" data-testid="policy-card" aria-label={`Model card of ${report.name}`}>
      <h3>
        {report.name} <span className="policy-algo">{report.algorithm}</span>
      </h3>
      <p className="policy-facts">
        Trained on {report.trainedOn.map(trainingLabel).join(', ')} · {report.steps.toLocaleString('en-US')} steps in {Math.round(report.wallSeconds)} s · {report.backend}
      </p>
      {summary !== undefined && <p className="policy-summary">{summary.replace(/^Summary: /, '')}</p>}
      {report.evaluations.length === 0 ? <p className="empty">Not evaluated on held-out seeds yet.</p> : report.evaluations.map((e) => <CardTable key={e.title} table={e} />)}
      <details className="policy-notes">
        <summary>How it was trained and selected</summary>
        {notes.map((n) => (
          <p key={n}>{n}</p>
        ))}
        <code>{report.trainCommand}</code>
      </details>
    </section>
  );
}

function CardTable({ table }: { table: PolicyReportTable }) {
  const columns = Object.keys(table.rows[0] ?? {});
  const [first, ...rest] = columns;
  return (
    <table className="eval-table card-table" data-testid="policy-card-table">
      <caption title={table.command}>{table.title}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c} scope="col" className={c === first ? '' : 'num'}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row, i) => (
          <tr key={i}>
            <th scope="row">{String(row[first ?? ''] ?? '')}</th>
            {rest.map((c) => (
              <td key={c} className="num">
                {row[c] === null || row[c] === undefined ? 'n/a' : String(row[c])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={columns.length} className={`card-verdict ${table.wins ? 'wins' : ''}`} data-testid="policy-card-verdict">
            {table.verdict}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
