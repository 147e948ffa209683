import type { CockpitApi, CommandName, CommandRequest, CommandResponse, CommandResult, EventBatch } from '../../../engine/contract/index';
import { TOKEN_PARAM, WS_PATH, type HostMessage } from '../../../engine/contract/wire';

/** The browser link's health. */
export type BridgeStatus = 'connecting' | 'connected' | 'reconnecting';

/** The CockpitApi over the browser-mode WebSocket, plus what only a socket has: status and close. */
export interface BrowserBridge extends CockpitApi {
  readonly transport: 'browser';
  /** Subscribes to status changes (called at once with the current status); returns the unsubscribe. */
  onStatus(listener: (status: BridgeStatus, detail: string | null) => void): () => void;
  /** Closes the socket for good. */
  close(): void;
}

/** The part of a WebSocket the bridge uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { readonly data: unknown }) => void) | null;
  onclose: ((ev: { readonly code: number; readonly reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface BridgeOptions {
  /** The socket URL, token included (see `socketUrlFor`). */
  readonly url: string;
  readonly createSocket?: (url: string) => SocketLike;
  /** Delay before reconnect attempt `n` (1-based). */
  readonly backoffMs?: (attempt: number) => number;
  /** How long a command may wait for its answer before it is reported as unanswered. */
  readonly commandTimeoutMs?: number;
  /** Longer waits for commands that take long by design, by name (a backtest runs for up to minutes). */
  readonly slowCommandTimeoutMs?: Partial<Record<CommandName, number>>;
  readonly timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
}

const OPEN = 1;

/** Returns the browser-mode socket URL for a page URL: same host, `/ws`, the page's token. */
export function socketUrlFor(pageUrl: string): { readonly url: string; readonly token: string | null } {
  const page = new URL(pageUrl);
  const token = page.searchParams.get(TOKEN_PARAM);
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token === null ? '' : `?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
  return { url: `${scheme}//${page.host}${WS_PATH}${query}`, token };
}

/** Returns 250 ms doubling to at most 8 s, with a little jitter so many windows do not reconnect in step. */
export function defaultBackoffMs(attempt: number): number {
  const base = Math.min(8_000, 250 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.85 + Math.random() * 0.3));
}

/**
 * Creates the WebSocket bridge. Commands are sent only over an open socket; one sent on a closed
 * socket, or still unanswered when the socket closes or the timeout passes, resolves as
 * ENGINE_UNAVAILABLE, never rejects. The socket reconnects with backoff until `close()`.
 */
export function createBrowserBridge(options: BridgeOptions): BrowserBridge {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const backoff = options.backoffMs ?? defaultBackoffMs;
  const timeoutMs = options.commandTimeoutMs ?? 15_000;
  const slowTimeoutMs: Partial<Record<CommandName, number>> = options.slowCommandTimeoutMs ?? { RunBacktest: 10 * 60_000 };
  const timers = options.timers ?? { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) };

  type Pending = { readonly name: string; readonly resolve: (r: CommandResult<unknown>) => void; readonly timer: unknown };
  const pending = new Map<number, Pending>();
  const eventListeners = new Set<(batch: EventBatch) => void>();
  const statusListeners = new Set<(status: BridgeStatus, detail: string | null) => void>();
  let status: BridgeStatus = 'connecting';
  let detail: string | null = null;
  let socket: SocketLike | null = null;
  let nextId = 1;
  let attempt = 0;
  let reconnectTimer: unknown = null;
  let closed = false;

  function setStatus(next: BridgeStatus, nextDetail: string | null): void {
    if (next === status && nextDetail === detail) return;
    status = next;
    detail = nextDetail;
    for (const l of statusListeners) l(status, detail);
  }

  function unavailable(message: string): CommandResult<never> {
    return { ok: false, error: { code: 'ENGINE_UNAVAILABLE', message } };
  }

  function settle(id: number, result: CommandResult<unknown>): void {
    const p = pending.get(id);
    if (p === undefined) return;
    pending.delete(id);
    timers.clearTimeout(p.timer);
    p.resolve(result);
  }

  function connect(): void {
    reconnectTimer = null;
    let s: SocketLike;
    try {
      s = createSocket(options.url);
    } catch (err) {
      scheduleReconnect(`cannot open ${options.url}: ${String(err)}`);
      return;
    }
    socket = s;
    s.onopen = () => {
      attempt = 0;
      setStatus('connected', null);
    };
    s.onmessage = (ev) => {
      if (typeof ev.data === 'string') receive(ev.data);
    };
    s.onerror = () => {
      // Every error is followed by a close, which is where the bridge reacts.
    };
    s.onclose = (ev) => {
      if (socket !== s) return;
      socket = null;
      for (const id of [...pending.keys()]) settle(id, unavailable(`the engine link closed before answering (code ${ev.code})`));
      if (!closed) scheduleReconnect(ev.reason ? `closed: ${ev.reason} (${ev.code})` : `closed (${ev.code})`);
    };
  }

  function scheduleReconnect(why: string): void {
    attempt += 1;
    const delay = backoff(attempt);
    setStatus('reconnecting', `${why}; retry ${attempt} in ${Math.round(delay / 100) / 10} s`);
    reconnectTimer = timers.setTimeout(connect, delay);
  }

  function receive(text: string): void {
    let msg: HostMessage;
    try {
      msg = JSON.parse(text) as HostMessage;
    } catch {
      console.warn(`engine link: dropped a frame that is not JSON: ${text.slice(0, 80)}`);
      return;
    }
    if (msg?.t === 'events' && typeof msg.batch === 'object' && msg.batch !== null) {
      for (const l of eventListeners) l(msg.batch);
    } else if (msg?.t === 'res' && typeof msg.id === 'number') {
      settle(msg.id, msg.result);
    } else if (msg?.t === 'res') {
      console.warn('engine link: the host refused a message it could not attribute', msg.result);
    } else {
      console.warn(`engine link: dropped a frame of unknown type: ${text.slice(0, 80)}`);
    }
  }

  connect();

  return {
    transport: 'browser',
    invoke<K extends CommandName>(name: K, payload: CommandRequest<K>): Promise<CommandResult<CommandResponse<K>>> {
      const s = socket;
      if (s === null || s.readyState !== OPEN) {
        return Promise.resolve(unavailable(`${name} not sent: the engine link is ${closed ? 'closed' : status}`));
      }
      const id = nextId++;
      return new Promise<CommandResult<CommandResponse<K>>>((resolve) => {
        const wait = slowTimeoutMs[name] ?? timeoutMs;
        const timer = timers.setTimeout(() => settle(id, unavailable(`${name} got no answer within ${wait / 1000} s`)), wait);
        pending.set(id, { name, resolve: resolve as (r: CommandResult<unknown>) => void, timer });
        try {
          s.send(JSON.stringify({ t: 'cmd', id, name, payload }));
        } catch (err) {
          settle(id, unavailable(`${name} not sent: ${String(err)}`));
        }
      });
    },
    onEvents(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      listener(status, detail);
      return () => statusListeners.delete(listener);
    },
    close() {
      closed = true;
      if (reconnectTimer !== null) timers.clearTimeout(reconnectTimer);
      const s = socket;
      socket = null;
      for (const id of [...pending.keys()]) settle(id, unavailable('the engine link was closed'));
      s?.close(1000, 'window closed');
    },
  };
}
