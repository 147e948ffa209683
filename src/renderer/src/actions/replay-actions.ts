import type { BranchResult, CockpitApi, CommandError, LimitsPatch, ReplayStatus, SessionListing } from '../../../engine/contract/index';
import type { CockpitStore } from '../store/cockpit-store';
import { addCockpitActivity } from '../store/reduce';
import { askReason, pushToast, type UiStore } from '../store/ui-store';
import { describeError } from './describe-error';

/** What the window can do with recorded sessions: list them, open one in place of the live stream, move through it. */
export interface ReplayActions {
  /** The data folder's sessions and the live one's id; null when the engine refused (a toast says why). */
  list(): Promise<{ readonly sessions: readonly SessionListing[]; readonly live: string | null; readonly policies: readonly string[] } | null>;
  /** Opens a recorded session in this window, paused at its start; every panel then shows it. */
  open(sessionId: string): Promise<boolean>;
  /** Back to the live session. */
  close(): Promise<boolean>;
  play(): Promise<void>;
  pause(): Promise<void>;
  /** Plays a paused replay, pauses a playing one. */
  toggle(): Promise<void>;
  setSpeed(speed: number | 'max'): Promise<void>;
  step(events?: number): Promise<void>;
  /** Moves to just after event `seq`, or to simulated time `ts`; the panels are rebuilt there. */
  seek(target: { readonly seq: number } | { readonly ts: number }): Promise<void>;
  /**
   * Branches a recorded session at an event with another policy or other limits (asking why): the
   * engine re-runs it to there, changes it, runs on, and journals the branch as a session of its
   * own; the comparison with its parent is kept in the store. Resolves with it, or null.
   */
  branch(request: { readonly sessionId: string; readonly atSeq: number; readonly modelDir?: string; readonly limits?: LimitsPatch }): Promise<BranchResult | null>;
}

/**
 * Creates the replay actions. `resync` rebuilds the window from a fresh snapshot: after opening,
 * closing or moving a replay the stream is another one, and what the panels hold is not its past.
 * The transport changes nothing anywhere, so it asks for no reason.
 */
export function createReplayActions(api: CockpitApi, store: CockpitStore, ui: UiStore, resync: () => void): ReplayActions {
  const refused = (label: string, error: CommandError): void => {
    const message = describeError(error);
    pushToast(ui, { tone: 'error', title: `${label} failed · ${error.code}`, message });
    store.setState((s) => addCockpitActivity(s, 'danger', `${label} failed: ${error.code}`, message));
  };
  const setStatus = (status: ReplayStatus): void =>
    store.setState((s) => (s.replay === null || s.replay.status.sessionId !== status.sessionId ? s : { ...s, replay: { ...s.replay, status } }));

  const transport = async (label: string, invoke: () => ReturnType<CockpitApi['invoke']>, after?: () => void): Promise<void> => {
    const res = (await invoke()) as Awaited<ReturnType<CockpitApi['invoke']>> & ({ ok: true; value: { replay: ReplayStatus } } | { ok: false; error: CommandError });
    if (!res.ok) return refused(label, res.error);
    setStatus(res.value.replay);
    after?.();
  };

  const actions: ReplayActions = {
    list: async () => {
      const res = await api.invoke('ListSessions', {});
      if (res.ok) return res.value;
      refused('List sessions', res.error);
      return null;
    },
    open: async (sessionId) => {
      const res = await api.invoke('OpenReplay', { sessionId });
      if (!res.ok) {
        refused('Open replay', res.error);
        return false;
      }
      store.setState((s) => addCockpitActivity({ ...s, replay: { status: res.value.replay, markers: res.value.markers } }, 'info', `Replay of ${sessionId} opened`, 'read-only: nothing sent from this window reaches a market until the replay is closed'));
      resync();
      return true;
    },
    close: async () => {
      const res = await api.invoke('CloseReplay', {});
      if (!res.ok) {
        refused('Close replay', res.error);
        return false;
      }
      store.setState((s) => addCockpitActivity({ ...s, replay: null }, 'info', 'Back to the live session', res.value.live));
      resync();
      return true;
    },
    play: () => transport('Play', () => api.invoke('PlayReplay', {})),
    pause: () => transport('Pause', () => api.invoke('PauseReplay', {})),
    toggle: () => (store.getState().replay?.status.state === 'playing' ? actions.pause() : actions.play()),
    setSpeed: (speed) => transport('Replay speed', () => api.invoke('SetReplaySpeed', { speed })),
    step: (events = 1) => transport('Step', () => api.invoke('StepReplay', { events })),
    seek: (target) => transport('Seek', () => api.invoke('SeekReplay', target), resync),
    branch: async (request) => {
      const what = [request.modelDir === undefined ? null : `policy ${request.modelDir}`, request.limits === undefined ? null : 'changed limits'].filter(Boolean).join(' and ');
      const reason = await askReason(ui, {
        title: `What-if: branch ${request.sessionId} at event ${request.atSeq.toLocaleString('en-US')}`,
        detail: `Re-runs the session to that event, switches to ${what || 'nothing'} there and runs on to its end; the branch is journaled as a session of its own, linked to its parent. Nothing reaches a market.`,
        defaultReason: 'what-if from the replay',
        confirmLabel: 'Branch',
        danger: false,
      });
      if (reason === null) return null;
      store.setState((s) => ({ whatIf: { ...s.whatIf, running: { sessionId: request.sessionId, atSeq: request.atSeq } } }));
      const res = await api.invoke('BranchSession', { ...request, reason });
      if (!res.ok) {
        store.setState((s) => ({ whatIf: { ...s.whatIf, running: null } }));
        refused('What-if branch', res.error);
        return null;
      }
      store.setState((s) => addCockpitActivity({ ...s, whatIf: { running: null, last: res.value } }, 'info', `Branch ${res.value.sessionId} written`, `${request.sessionId} at event ${request.atSeq}; parts at ${res.value.comparison.firstDivergenceSeq === null ? 'no event (identical)' : `event ${res.value.comparison.firstDivergenceSeq}`}`, reason));
      return res.value;
    },
  };
  return actions;
}
