import { createStore, type StoreApi } from 'zustand/vanilla';

/** A request for the reason behind a human action; resolved with the reason, or null if cancelled. */
export interface ReasonRequest {
  readonly id: number;
  readonly title: string;
  readonly detail: string;
  readonly defaultReason: string;
  readonly confirmLabel: string;
  readonly danger: boolean;
  readonly resolve: (reason: string | null) => void;
}

export interface Toast {
  readonly id: number;
  readonly tone: 'error' | 'info';
  readonly title: string;
  readonly message: string;
}

/** What the lower region shows: the live agents and decisions, the order ticket and blotter, the audit trail, the risk view, the evaluation view, or the recorded sessions. */
export type LowerView = 'live' | 'orders' | 'audit' | 'risk' | 'evaluation' | 'replay';

/** Window-only state: the open reason prompt, the toasts and the lower region's view. */
export interface UiState {
  readonly prompt: ReasonRequest | null;
  readonly toasts: readonly Toast[];
  readonly view: LowerView;
  /** The trader's working order the ticket is changing, or null (the ticket places new orders). */
  readonly modifying: { readonly orderId: string; readonly side: 'buy' | 'sell'; readonly price: number; readonly remaining: number } | null;
  /** Bumped to move the keyboard's focus to the ticket. */
  readonly ticketFocus: number;
  /** The agent whose card is open (its parameters and the trader's overrides), or null. */
  readonly tuning: string | null;
  /** Where the trader asked for a what-if branch of the replay (the form is open), or null. */
  readonly branchAt: BranchPoint | null;
}

/** A moment of a replayed session to branch from: the event, its simulated time. */
export interface BranchPoint {
  readonly sessionId: string;
  readonly atSeq: number;
  readonly ts: number;
}

export type UiStore = StoreApi<UiState>;

const MAX_TOASTS = 5;
let ids = 0;

/** Creates the window-only store. */
export function createUiStore(): UiStore {
  return createStore<UiState>()(() => ({ prompt: null, toasts: [], view: 'live', branchAt: null, modifying: null, ticketFocus: 0, tuning: null }));
}

/**
 * Opens the reason prompt and resolves with the trimmed reason, or null when cancelled. A new
 * request replaces an open one (which resolves null), so a kill is never stuck behind another prompt.
 */
export function askReason(ui: UiStore, request: Omit<ReasonRequest, 'id' | 'resolve'>): Promise<string | null> {
  return new Promise((resolve) => {
    ui.getState().prompt?.resolve(null);
    ids += 1;
    const id = ids;
    ui.setState({
      prompt: {
        ...request,
        id,
        resolve: (reason) => {
          if (ui.getState().prompt?.id === id) ui.setState({ prompt: null });
          resolve(reason === null ? null : reason.trim() || null);
        },
      },
    });
  });
}

/** Shows a toast; returns its id. */
export function pushToast(ui: UiStore, toast: Omit<Toast, 'id'>): number {
  ids += 1;
  const id = ids;
  ui.setState((s) => ({ toasts: [...s.toasts, { ...toast, id }].slice(-MAX_TOASTS) }));
  return id;
}

/** Removes a toast. */
export function dismissToast(ui: UiStore, id: number): void {
  ui.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

/** Shows `view` in the lower region. */
export function setView(ui: UiStore, view: LowerView): void {
  if (ui.getState().view !== view) ui.setState({ view });
}
