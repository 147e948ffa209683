import { useRef } from 'react';
import { writeText } from '../components/dom-text';
import { useCockpitState, useStoreListener } from '../context';
import { formatSimTime, formatSpeed } from '../format/format';
import type { CockpitState } from '../store/types';

const selectClock = (s: CockpitState) => s.simTimeNs;
const selectSeq = (s: CockpitState) => s.lastSeq;

/** Session, clock, speed, engine state, link and inference backend, always in view. */
export function StatusBar() {
  const session = useCockpitState((s) => s.session);
  const connection = useCockpitState((s) => s.connection);
  const sync = useCockpitState((s) => s.sync);
  const host = useCockpitState((s) => s.host);
  const replay = useCockpitState((s) => s.replay?.status ?? null);
  const clock = useRef<HTMLSpanElement>(null);
  const seq = useRef<HTMLSpanElement>(null);

  useStoreListener(selectClock, (ns, s) => {
    if (clock.current !== null) writeText(clock.current, s.session === null ? '--:--:--.---' : formatSimTime(ns));
  });
  useStoreListener(selectSeq, (n) => {
    if (seq.current !== null) writeText(seq.current, String(n));
  });

  const link = connection.status !== 'connected' ? connection.status : sync === 'live' ? 'connected' : sync === 'waiting' ? 'syncing' : 'resyncing';
  return (
    <footer className={`status-bar ${session?.state ?? 'unknown'}`} data-testid="status-bar">
      <span className="sb-item">
        <span className="label">Session</span> <span data-testid="session-id">{session?.id ?? '—'}</span>
      </span>
      <span className="sb-item">
        <span className="label">Scenario</span> <span data-testid="scenario">{session?.market ?? '—'}</span>
      </span>
      <span className="sb-item">
        <span className="label">Symbol</span> {session?.symbol ?? '—'}
      </span>
      <span className="sb-item sb-clock">
        <span className="label">Sim</span>{' '}
        <span ref={clock} data-testid="sim-clock" className="num">
          --:--:--.---
        </span>
      </span>
      <span className="sb-item">
        <span className="label">Speed</span> <span data-testid="speed">{replay === null ? formatSpeed(session?.speed) : replay.speed === 'max' ? 'max' : formatSpeed(replay.speed)}</span>
      </span>
      {replay === null ? (
        <span className={`sb-item engine-state state-${session?.state ?? 'unknown'}`}>
          <span className="label">Engine</span> <strong data-testid="engine-state">{session?.state ?? '—'}</strong>
        </span>
      ) : (
        <span className="sb-item engine-state state-replay">
          <span className="label">Replay</span> <strong data-testid="engine-state">{replay.state}</strong>
        </span>
      )}
      <span className="sb-spacer" />
      <span className="sb-item">
        <span className="label">Seq</span> <span ref={seq} className="num" data-testid="seq" />
      </span>
      <span className={`sb-item link link-${link}`} title={connection.detail ?? undefined} data-testid="connection">
        <span className="link-dot" aria-hidden="true" />
        {connection.transport} · {link}
      </span>
      <span className="sb-item" title={host ? `${host.backendDetail}${host.journalPath ? ` · journal ${host.journalPath}` : ''}` : undefined}>
        <span className="label">Inference</span> <span data-testid="backend">{host?.backend ?? '—'}</span>
      </span>
      <span className="sb-item dim">{host ? `v${host.version}` : ''}</span>
    </footer>
  );
}
