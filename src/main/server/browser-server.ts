import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeCommandText, MAX_MESSAGE_CHARS } from '../../engine/contract/validate';
import { TOKEN_PARAM, WS_PATH, type HostMessage } from '../../engine/contract/wire';
import type { EngineEndpoint } from '../host/engine-host';
import { contentSecurityPolicy } from '../csp';

export interface BrowserServerOptions {
  readonly host: string;
  readonly port: number;
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
  /** The engine, or the router that also gives each window replays of its own. */
  readonly engine: EngineEndpoint;
  /** A fixed token for tests; by default a random one per run. */
  readonly token?: string;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const COOKIE = 'cockpit_token';
/** The largest WebSocket frame read at all (bytes): 64 times the largest message. */
const MAX_FRAME_BYTES = MAX_MESSAGE_CHARS * 4 * 64;
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

/**
 * Serves the built renderer over HTTP and the engine's contract over a WebSocket, for machines
 * without the Electron runtime. Nothing is answered without the per-run token (in the URL, or in
 * the strict same-site cookie the first tokened page load sets); the WebSocket also checks that
 * the page asking comes from this server (Origin) and that the Host header names it (against DNS
 * rebinding).
 */
export async function startBrowserServer(options: BrowserServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const validToken = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false;
    const buf = Buffer.from(candidate);
    return buf.length === tokenBuf.length && timingSafeEqual(buf, tokenBuf);
  };
  let port = 0;
  const allowedHosts = (): Set<string> => new Set([`${options.host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);

  const authorised = (req: IncomingMessage, url: URL): boolean => validToken(url.searchParams.get(TOKEN_PARAM)) || validToken(readCookie(req, COOKIE));
  const hostOk = (req: IncomingMessage): boolean => allowedHosts().has(req.headers.host ?? '');

  const server: Server = createServer((req, res) => {
    void handleHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end('internal error');
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (!hostOk(req)) return refuse(res, 421, 'unknown Host header');
    if (!authorised(req, url)) return refuse(res, 403, 'a valid token is required: open the URL that `cockpit serve` printed');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'only GET is served');
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    } catch {
      return refuse(res, 400, 'the path is not valid percent-encoding');
    }
    const file = normalize(join(options.rendererDir, rel));
    if (!file.startsWith(normalize(options.rendererDir) + sep)) return refuse(res, 404, 'not found');
    let body: Buffer;
    try {
      if (!(await stat(file)).isFile()) return refuse(res, 404, 'not found');
      body = await readFile(file);
    } catch {
      return refuse(res, 404, 'not found');
    }
    const headers: Record<string, string> = {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      // hostOk has checked the Host header: the page's socket goes back to the same host and port.
      'content-security-policy': contentSecurityPolicy(`ws://${req.headers.host ?? ''}`),
    };
    if (validToken(url.searchParams.get(TOKEN_PARAM))) {
      headers['set-cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  // Frames up to the limit are read, so one a little too long is answered COMMAND_TOO_LARGE by the
  // contract; a frame far beyond it (over MAX_FRAME_BYTES) closes the socket with 1009.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const origin = req.headers.origin;
    const originOk = origin !== undefined && [...allowedHosts()].some((h) => origin === `http://${h}`);
    if (url.pathname !== WS_PATH || !hostOk(req) || !originOk || !authorised(req, url)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, `browser window (${req.socket.remoteAddress ?? 'unknown address'})`));
  });

  function attach(ws: WebSocket, by: string): void {
    const send = (msg: HostMessage): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    };
    const client = options.engine.connect(send, by);
    ws.on('message', (data, isBinary) => {
      try {
        client.receive(isBinary ? { ok: false, id: null, error: { code: 'MALFORMED_MESSAGE', message: 'expected a JSON text frame, received a binary one' } } : decodeCommandText(data.toString()));
      } catch (err) {
        send({ t: 'res', id: null, result: { ok: false, error: { code: 'INTERNAL', message: `the server failed on a message: ${err instanceof Error ? err.message : String(err)}` } } });
      }
    });
    ws.on('close', () => client.close());
    ws.on('error', () => client.close());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${shownHost}:${port}/?${TOKEN_PARAM}=${token}`;
  return {
    url,
    port,
    token,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(`cockpit: ${message}\n`);
}

function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/** Returns whether an address is a loopback address. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
