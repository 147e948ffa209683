import type { CommandResult } from './result';
import type { EventBatch } from './events';
import type { CommandMessage } from './validate';

/**
 * Messages between a window and the engine host, the same over Electron IPC, the worker channel and
 * the browser-mode WebSocket (`/ws?token=…`, JSON text frames).
 */
export type ClientMessage = CommandMessage;

export type HostMessage =
  | { readonly t: 'res'; readonly id: number | null; readonly result: CommandResult<unknown> }
  | { readonly t: 'events'; readonly batch: EventBatch };

/** The query parameter that carries the per-run token in browser mode. */
export const TOKEN_PARAM = 'token';
/** The WebSocket path in browser mode. */
export const WS_PATH = '/ws';
