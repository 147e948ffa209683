import { useState, type FormEvent } from 'react';
import type { AgentFigures, BranchResult, LimitsPatch } from '../../../engine/contract/index';
import { useCockpit, useCockpitState } from '../context';
import { formatBps, formatSimTime, formatSize } from '../format/format';
import type { BranchPoint } from '../store/ui-store';

/** The limits the form offers to change at the branch point, with their words. */
export const BRANCH_LIMITS = [
  { key: 'maxOrderLots', label: 'Max order (lots)' },
  { key: 'maxPositionLots', label: 'Max position (lots)' },
  { key: 'priceCollarBps', label: 'Price collar (bps)' },
] as const;

/** Returns the branch request of the form's fields, or what is wrong with them. */
export function branchRequest(point: BranchPoint, policy: string, limits: Readonly<Record<string, string>>): { readonly modelDir?: string; readonly limits?: LimitsPatch } | { readonly error: string } {
  const perAgent: Record<string, number> = {};
  for (const { key, label } of BRANCH_LIMITS) {
    const text = (limits[key] ?? '').trim();
    if (text === '') continue;
    if (!/^\d+$/.test(text) || Number(text) < 1) return { error: `${label}: a whole number from 1, or empty to keep the recorded one` };
    perAgent[key] = Number(text);
  }
  const change = {
    ...(policy === '' ? {} : { modelDir: policy }),
    ...(Object.keys(perAgent).length === 0 ? {} : { limits: { perAgent } as LimitsPatch }),
  };
  if (change.modelDir === undefined && change.limits === undefined) return { error: `Choose another policy or change a limit: a branch of ${point.sessionId} with no change would be the session itself` };
  return change;
}

/** The form a what-if starts from: the moment, the policy to switch to, the limits to change. */
export function BranchForm({ point, policies }: { point: BranchPoint; policies: readonly string[] }) {
  const { actions, ui } = useCockpit();
  const running = useCockpitState((s) => s.whatIf.running !== null);
  const [policy, setPolicy] = useState('');
  const [limits, setLimits] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const req = branchRequest(point, policy, limits);
    if ('error' in req) return setError(req.error);
    setError(null);
    const done = await actions.replay.branch({ sessionId: point.sessionId, atSeq: point.atSeq, ...req });
    if (done !== null) ui.setState({ branchAt: null });
  };

  return (
    <form className="branch-form" onSubmit={(e) => void submit(e)} data-testid="branch-form" noValidate>
      <strong>
        What-if: branch {point.sessionId} at event {point.atSeq.toLocaleString('en-US')} ({formatSimTime(point.ts)})
      </strong>
      <label>
        <span className="label">Policy from there</span>{' '}
        <select value={policy} onChange={(e) => setPolicy(e.target.value)} data-testid="branch-policy">
          <option value="">the recorded one</option>
          {policies.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      {BRANCH_LIMITS.map(({ key, label }) => (
        <label key={key}>
          <span className="label">{label}</span>{' '}
          <input
            className="num"
            inputMode="numeric"
            size={7}
            value={limits[key] ?? ''}
            placeholder="recorded"
            onChange={(e) => setLimits({ ...limits, [key]: e.target.value })}
            data-testid={`branch-limit-${key}`}
          />
        </label>
      ))}
      <button type="submit" className="btn tiny" disabled={running} data-testid="branch-run">
        {running ? 'Branching…' : 'Branch and compare'}
      </button>
      <button type="button" className="btn tiny" onClick={() => ui.setState({ branchAt: null })}>
        Cancel
      </button>
      {error !== null && (
        <span className="bad" role="alert" data-testid="branch-error">
          {error}
        </span>
      )}
    </form>
  );
}

const bps = (v: number | null): string => (v === null ? '—' : formatBps(v));
/** An agent that never changed state ran from its start (or never started). */
const endState = (f: AgentFigures): string => f.state ?? (f.arrivalMid === null ? 'not started' : 'running');
const count = (f: AgentFigures): number => Object.values(f.denials).reduce((n, k) => n + k, 0);

/** A figure of both sessions and the change, one row of the comparison. */
function Row({ label, a, b, delta }: { label: string; a: string; b: string; delta: string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{a}</td>
      <td className="num">{b}</td>
      <td className="num dim">{delta}</td>
    </tr>
  );
}

function diff(a: number | null, b: number | null, fmt: (v: number) => string): string {
  if (a === null || b === null) return '';
  const d = b - a;
  return d === 0 ? '=' : `${d > 0 ? '+' : '−'}${fmt(Math.abs(d))}`;
}

/** The branch and its parent side by side: where they part, and per agent the shortfall, impact and risk events. */
export function Comparison({ result }: { result: BranchResult }) {
  const { actions } = useCockpit();
  const c = result.comparison;
  return (
    <section className="comparison" data-testid="comparison" aria-label="What-if comparison">
      <div className="comparison-head">
        <strong>
          {result.parentId} → branch {result.sessionId}
        </strong>
        <span data-testid="comparison-parts">
          {c.firstDivergenceSeq === null ? 'the streams never part' : `parts at event ${c.firstDivergenceSeq.toLocaleString('en-US')}`} (branched after event {result.atSeq.toLocaleString('en-US')}
          {result.change.policy !== null ? `, policy ${result.change.policy.dir}` : ''}
          {result.change.limits !== null ? ', limits changed' : ''})
        </span>
        <button type="button" className="btn tiny" onClick={() => void actions.replay.open(result.sessionId)} data-testid="comparison-open-branch">
          Replay the branch
        </button>
      </div>
      <div className="comparison-agents">
        {c.agents.map((ag) => (
          <table key={ag.agentId} className="sessions-table comparison-table" data-testid="comparison-agent">
            <thead>
              <tr>
                <th scope="col">{ag.name}</th>
                <th scope="col" className="num">
                  parent
                </th>
                <th scope="col" className="num">
                  branch
                </th>
                <th scope="col" className="num">
                  change
                </th>
              </tr>
            </thead>
            <tbody>
              <Row label="Filled (lots)" a={formatSize(ag.a.filled)} b={formatSize(ag.b.filled)} delta={diff(ag.a.filled, ag.b.filled, formatSize)} />
              <Row label="Shortfall vs arrival" a={bps(ag.a.shortfallBps)} b={bps(ag.b.shortfallBps)} delta={diff(ag.a.shortfallBps, ag.b.shortfallBps, (v) => v.toFixed(1))} />
              <Row label="Impact (mid move)" a={bps(ag.a.impactBps)} b={bps(ag.b.impactBps)} delta={diff(ag.a.impactBps, ag.b.impactBps, (v) => v.toFixed(1))} />
              <Row label="Denials" a={String(count(ag.a))} b={String(count(ag.b))} delta={diff(count(ag.a), count(ag.b), String)} />
              <Row label="Alerts · halts · kills" a={`${ag.a.alerts} · ${ag.a.halts} · ${ag.a.kills}`} b={`${ag.b.alerts} · ${ag.b.halts} · ${ag.b.kills}`} delta="" />
              <Row label="State at the end" a={endState(ag.a)} b={endState(ag.b)} delta="" />
            </tbody>
          </table>
        ))}
      </div>
    </section>
  );
}
