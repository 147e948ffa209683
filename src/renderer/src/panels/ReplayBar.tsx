import { memo, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import type { TimelineMarker, TimelineMarkerKind } from '../../../engine/contract/index';
import { useCockpit, useCockpitState } from '../context';
import { formatSimTime } from '../format/format';

/** Replay speeds offered, simulated seconds per wall second. */
export const REPLAY_SPEEDS = [0.1, 0.5, 1, 2, 5, 10, 25, 50, 100, 'max'] as const;

/** Each kind of marker: its shape (so that it reads without colour) and its words. */
export const MARKER_KINDS: ReadonlyArray<{ readonly kind: TimelineMarkerKind; readonly shape: string; readonly label: string }> = [
  { kind: 'fill', shape: '▲', label: 'fills' },
  { kind: 'denial', shape: '✕', label: 'denials' },
  { kind: 'alert', shape: '◆', label: 'alerts' },
  { kind: 'action', shape: '●', label: 'human actions' },
];

/** Returns where a moment sits on a timeline from `startNs` to `endNs`, 0..1. */
export function timelineShare(ts: number, startNs: number, endNs: number): number {
  if (!(endNs > startNs)) return 0;
  return Math.min(1, Math.max(0, (ts - startNs) / (endNs - startNs)));
}

/** Returns the simulated time at a share of the timeline, whole nanoseconds. */
export function timelineTime(share: number, startNs: number, endNs: number): number {
  return Math.round(startNs + Math.min(1, Math.max(0, share)) * (endNs - startNs));
}

/** The next marker after `seq` (or before it, `direction` -1), for jumping along the timeline. */
export function adjacentMarker(markers: readonly TimelineMarker[], seq: number, direction: 1 | -1): TimelineMarker | null {
  if (direction === 1) return markers.find((m) => m.seq > seq) ?? null;
  return markers.findLast((m) => m.seq < seq) ?? null;
}

/**
 * The replay's transport and timeline, above the panels whenever a recorded session is open: what
 * is replayed, play and pause, step, speed, and a timeline of the session with its fills, denials,
 * alerts and human actions marked; a click (or the arrow keys) moves there.
 */
export function ReplayBar() {
  const { actions, ui } = useCockpit();
  const replay = useCockpitState((s) => s.replay);
  const market = useCockpitState((s) => s.session?.market ?? '');
  const track = useRef<HTMLDivElement>(null);
  if (replay === null) return null;
  const { status, markers } = replay;
  const { startNs, endNs } = status;
  const playing = status.state === 'playing';

  const seekAt = (e: MouseEvent<HTMLDivElement>): void => {
    const box = track.current?.getBoundingClientRect();
    if (box === undefined || box.width <= 0) return;
    void actions.replay.seek({ ts: timelineTime((e.clientX - box.left) / box.width, startNs, endNs) });
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    const span = endNs - startNs;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const dir = e.key === 'ArrowRight' ? 1 : -1;
      if (e.shiftKey) {
        // Shift+arrow: to the next or previous marked event.
        const m = adjacentMarker(markers.markers, status.position, dir);
        if (m !== null) void actions.replay.seek({ seq: m.seq });
      } else {
        void actions.replay.seek({ ts: Math.round(Math.min(endNs, Math.max(startNs, status.simTimeNs + (dir * span) / 100))) });
      }
    } else if (e.key === 'Home') {
      e.preventDefault();
      void actions.replay.seek({ seq: 0 });
    } else if (e.key === 'End') {
      e.preventDefault();
      void actions.replay.seek({ seq: status.lastSeq });
    }
  };

  return (
    <section className="replay-bar" aria-label="Replay" data-testid="replay-bar">
      <div className="replay-row">
        <strong className="replay-badge" title="Nothing sent from this window reaches a market while a replay is open">
          REPLAY · read-only
        </strong>
        <span className="replay-what" data-testid="replay-session">
          {status.sessionId}
        </span>
        <span className="dim">{market}</span>
        <span className="replay-transport" role="group" aria-label="Transport">
          <button type="button" className="btn tiny" onClick={() => void actions.replay.seek({ seq: 0 })} title="To the start (Home)" data-testid="replay-start">
            ⇤ Start
          </button>
          <button type="button" className="btn tiny" onClick={() => void actions.replay.toggle()} disabled={status.state === 'ended'} data-testid="replay-play" aria-pressed={playing}>
            {playing ? '⏸ Pause' : '▶ Play'}
          </button>
          <button type="button" className="btn tiny" onClick={() => void actions.replay.step(1)} disabled={status.state === 'ended'} title="Show the next event" data-testid="replay-step">
            Step ›
          </button>
          <label className="replay-speed">
            <span className="label">Speed</span>
            <select
              value={String(status.speed)}
              onChange={(e) => void actions.replay.setSpeed(e.target.value === 'max' ? 'max' : Number(e.target.value))}
              data-testid="replay-speed"
            >
              {REPLAY_SPEEDS.map((s) => (
                <option key={s} value={String(s)}>
                  {s === 'max' ? 'as fast as possible' : `${s}×`}
                </option>
              ))}
            </select>
          </label>
        </span>
        <span className="replay-position num" data-testid="replay-position">
          event {status.position.toLocaleString('en-US')} / {status.lastSeq.toLocaleString('en-US')} · {formatSimTime(status.simTimeNs)} · {status.state}
        </span>
        <span className="sb-spacer" />
        <button
          type="button"
          className="btn tiny"
          onClick={() => {
            void actions.replay.pause();
            ui.setState({ view: 'replay', branchAt: { sessionId: status.sessionId, atSeq: Math.max(1, status.position), ts: status.simTimeNs } });
          }}
          disabled={status.lastSeq === 0}
          title="Branch the session here with another policy or other limits, and compare"
          data-testid="replay-branch"
        >
          What-if from here…
        </button>
        <button type="button" className="btn tiny" onClick={() => void actions.replay.close()} data-testid="replay-close">
          Back to live
        </button>
      </div>
      <div
        ref={track}
        className="timeline"
        role="slider"
        tabIndex={0}
        aria-label="Replay timeline: click to move there; arrows move by 1% of the session, Shift+arrows to the next marker, Home and End"
        aria-valuemin={0}
        aria-valuemax={status.lastSeq}
        aria-valuenow={status.position}
        aria-valuetext={`event ${status.position} at ${formatSimTime(status.simTimeNs)}`}
        onClick={seekAt}
        onKeyDown={onKey}
        data-testid="replay-timeline"
      >
        <TimelineMarks markers={markers.markers} startNs={startNs} endNs={endNs} />
        <span className="timeline-cursor" style={{ left: `${timelineShare(status.simTimeNs, startNs, endNs) * 100}%` }} data-testid="replay-cursor" />
      </div>
      <div className="timeline-legend">
        <span className="num">{formatSimTime(startNs)}</span>
        {MARKER_KINDS.map((k) => (
          <span key={k.kind} className={`legend legend-${k.kind}`} data-testid={`legend-${k.kind}`}>
            {k.shape} {markers.counts[k.kind].toLocaleString('en-US')} {k.label}
          </span>
        ))}
        <span className="sb-spacer" />
        <span className="num">{formatSimTime(endNs)}</span>
      </div>
    </section>
  );
}

/** The markers, drawn once per timeline: the cursor moves every frame, they do not. */
const TimelineMarks = memo(function TimelineMarks({ markers, startNs, endNs }: { markers: readonly TimelineMarker[]; startNs: number; endNs: number }) {
  return (
    <>
      {markers.map((m, i) => (
        <span
          key={i}
          className={`marker marker-${m.kind}`}
          style={{ left: `${timelineShare(m.ts, startNs, endNs) * 100}%` }}
          title={`${formatSimTime(m.ts)} · event ${m.seq} · ${m.label}`}
          data-kind={m.kind}
          data-seq={m.seq}
        />
      ))}
    </>
  );
});
