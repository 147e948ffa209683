import { useCallback, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { SessionListing } from '../../../engine/contract/index';
import { useCockpit, useCockpitState } from '../context';
import { formatSimTime } from '../format/format';
import { BranchForm, Comparison } from './WhatIf';
import { StartSessionForm } from './StartSession';

/** The simulated span of a listed session, or a dash. */
export function sessionSpan(s: Pick<SessionListing, 'firstTs' | 'lastTs'>): string {
  return s.firstTs === null || s.lastTs === null ? '—' : `${formatSimTime(s.firstTs)} – ${formatSimTime(s.lastTs)}`;
}

/** How a session ended, in words a trader reads at a glance (shape as well as colour). */
export const END_LABEL: Record<SessionListing['end'], string> = {
  running: '● recording',
  clean: '✓ closed',
  abnormal: '⚠ cut off',
  unknown: '? not recorded',
};

/**
 * The recorded sessions of the data folder: when each ran, on what, with which agents, for how
 * long and how it ended, and a branch's parent; Open replays one in this window.
 */
export function ReplayView({ active }: { active: boolean }) {
  const { actions, ui } = useCockpit();
  const replaying = useCockpitState((s) => s.replay?.status.sessionId ?? null);
  const branchAt = useStore(ui, (s) => s.branchAt);
  const whatIf = useCockpitState((s) => s.whatIf);
  const [list, setList] = useState<{ sessions: readonly SessionListing[]; live: string | null; policies: readonly string[] } | null>(null);
  const [loading, setLoading] = useState(false);

  const refresh = useCallback(async () => {
    setLoading(true);
    const got = await actions.replay.list();
    setLoading(false);
    if (got !== null) setList(got);
  }, [actions]);

  useEffect(() => {
    if (active) void refresh();
  }, [active, refresh]);
  // A branch written is a new session of the list.
  useEffect(() => {
    if (active && whatIf.last !== null) void refresh();
  }, [active, whatIf.last, refresh]);

  const sessions = list === null ? [] : [...list.sessions].reverse();
  return (
    <div className="replay-view" data-testid="replay-view">
      {replaying === null && <StartSessionForm />}
      {branchAt !== null && <BranchForm point={branchAt} policies={list?.policies ?? []} />}
      {whatIf.running !== null && (
        <div className="dim" role="status" data-testid="branch-running">
          Branching {whatIf.running.sessionId} at event {whatIf.running.atSeq.toLocaleString('en-US')}: re-running it to there, then on to its end…
        </div>
      )}
      {whatIf.last !== null && <Comparison result={whatIf.last} />}
      <div className="replay-view-head">
        <span className="dim">
          {list === null ? (loading ? 'Reading the sessions…' : '') : `${list.sessions.length} recorded session${list.sessions.length === 1 ? '' : 's'}, newest first`}
        </span>
        <button type="button" className="btn tiny" onClick={() => void refresh()} disabled={loading} data-testid="sessions-refresh">
          Refresh
        </button>
      </div>
      <div className="table-scroll">
        <table className="sessions-table" data-testid="sessions-table">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Started</th>
              <th scope="col">Market</th>
              <th scope="col">Agents</th>
              <th scope="col">Simulated</th>
              <th scope="col" className="num">
                Events
              </th>
              <th scope="col">Ended</th>
              <th scope="col" aria-label="Open" />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => {
              const live = s.id === list?.live;
              return (
                <tr key={s.id} data-testid="session-row" data-session={s.id} className={s.id === replaying ? 'on' : ''}>
                  <td>
                    <span className="mono">{s.id}</span>
                    {live && <span className="tag">live</span>}
                    {s.parent !== null && (
                      <span className="dim" data-testid="session-parent">
                        {' '}
                        branch of {s.parent.sessionId} at event {s.parent.atSeq.toLocaleString('en-US')}
                      </span>
                    )}
                  </td>
                  <td>{s.createdAt === null ? '—' : s.createdAt.replace('T', ' ').slice(0, 19)}</td>
                  <td>{s.problem === null ? s.market : <span className="bad">unreadable: {s.problem}</span>}</td>
                  <td title={s.agents.join(', ')}>{s.agents.length}</td>
                  <td className="num">{sessionSpan(s)}</td>
                  <td className="num">{s.events.toLocaleString('en-US')}</td>
                  <td className={`end-${s.end}`}>{END_LABEL[s.end]}</td>
                  <td>
                    <button
                      type="button"
                      className="btn tiny"
                      onClick={() => void actions.replay.open(s.id)}
                      disabled={s.problem !== null || s.events === 0 || s.id === replaying}
                      title={live ? 'Replay the live session as recorded so far' : `Replay ${s.id}`}
                      data-testid="session-open"
                    >
                      {s.id === replaying ? 'Open' : 'Replay'}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
