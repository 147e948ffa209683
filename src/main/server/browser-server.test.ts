import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { WebSocket } from 'ws';
import { EngineHost } from '../host/engine-host';
import { startBrowserServer, type RunningServer } from './browser-server';
import type { HostMessage } from '../../engine/contract/wire';

let dir: string;
let engine: EngineHost;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'serve-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>cockpit</title>');
  engine = new EngineHost({ seed: 5, dataDir: join(dir, 'data'), appVersion: 'test', backend: 'cpu', speed: 20 }, resolve(__dirname, '../host/engine-worker.ts'), require.resolve('tsx/cjs'));
  await engine.ready();
  server = await startBrowserServer({ host: '127.0.0.1', port: 0, rendererDir: renderer, engine });
}, 30_000);

afterAll(async () => {
  await server.close();
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

function origin(): string {
  return `http://127.0.0.1:${server.port}`;
}

function connect(query: string, headers: Record<string, string> = { origin: origin() }): Promise<WebSocket> {
  return new Promise((resolvePromise, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers });
    ws.once('open', () => resolvePromise(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextReply(ws: WebSocket, id: number | null): Promise<HostMessage & { t: 'res' }> {
  return new Promise((resolvePromise) => {
    const onMessage = (data: Buffer): void => {
      const msg = JSON.parse(data.toString()) as HostMessage;
      if (msg.t === 'res' && msg.id === id) {
        ws.off('message', onMessage);
        resolvePromise(msg);
      }
    };
    ws.on('message', onMessage);
  });
}

describe('browser-mode server', () => {
  it('printsAUrlOnLoopbackCarryingTheToken', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('servesThePageOnlyWithTheToken', async () => {
    expect((await fetch(`${origin()}/`)).status).toBe(403);
    expect((await fetch(`${origin()}/?token=wrong`)).status).toBe(403);
    const ok = await fetch(server.url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('cockpit');
  });

  it('servesFollowUpRequestsThroughTheCookieTheTokenedPageSet', async () => {
    const first = await fetch(server.url);
    const cookie = first.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^cockpit_token=/);
    expect((await fetch(`${origin()}/index.html`, { headers: { cookie } })).status).toBe(200);
  });

  it('sendsTheContentSecurityPolicyAsAHeaderAllowingOnlyItsOwnSocket', async () => {
    const res = await fetch(server.url);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).not.toContain('unsafe-eval');
  });

  it('refusesPathsOutsideTheRenderer', async () => {
    const res = await fetch(`${origin()}/..%2f..%2fetc%2fpasswd?token=${server.token}`);
    expect(res.status).toBe(404);
  });

  it('refusesAWebSocketWithoutTheToken', async () => {
    await expect(connect('')).rejects.toThrow('HTTP 403');
    await expect(connect('?token=nope')).rejects.toThrow('HTTP 403');
  });

  it('refusesAWebSocketFromAnotherOrigin', async () => {
    await expect(connect(`?token=${server.token}`, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect(`?token=${server.token}`, {})).rejects.toThrow('HTTP 403');
  });

  it('answersCommandsAndStreamsSequencedBatches', async () => {
    const ws = await connect(`?token=${server.token}`);
    const batches: Array<{ firstSeq: number; lastSeq: number }> = [];
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as HostMessage;
      if (msg.t === 'events') batches.push(msg.batch);
    });
    const reply = nextReply(ws, 1);
    ws.send(JSON.stringify({ t: 'cmd', id: 1, name: 'GetSnapshot', payload: {} }));
    const res = await reply;
    expect(res.result.ok).toBe(true);
    const value = (res.result as { ok: true; value: { snapshot: { lastSeq: number }; host: { backend: string } } }).value;
    expect(value.host.backend).toBe('cpu');
    // Frames come every 16 ms; a loaded machine may deliver them late, so wait for four (at most 5 s).
    for (let waited = 0; batches.length <= 3 && waited < 5_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(batches.length).toBeGreaterThan(3);
    for (let i = 1; i < batches.length; i++) expect(batches[i]!.firstSeq).toBe(batches[i - 1]!.lastSeq + 1);
    ws.close();
  });

  it('answersAMalformedOrInvalidCommandWithATypedErrorAndKeepsServing', async () => {
    const ws = await connect(`?token=${server.token}`);
    const bad = nextReply(ws, null);
    ws.send('not json');
    expect((await bad).result).toMatchObject({ ok: false, error: { code: 'MALFORMED_MESSAGE' } });
    const invalid = nextReply(ws, 2);
    ws.send(JSON.stringify({ t: 'cmd', id: 2, name: 'SetSpeed', payload: { speed: 'fast' } }));
    expect((await invalid).result).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    const unknown = nextReply(ws, 3);
    ws.send(JSON.stringify({ t: 'cmd', id: 3, name: 'DropTables', payload: {} }));
    expect((await unknown).result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    const good = nextReply(ws, 4);
    ws.send(JSON.stringify({ t: 'cmd', id: 4, name: 'KillAll', payload: { reason: 'server test' } }));
    expect((await good).result).toMatchObject({ ok: true, value: { state: 'halted' } });
    ws.close();
  });
  it('answersHostileFramesAtTheContractsEdgeAndKeepsServing', async () => {
    const ws = await connect(`?token=${server.token}`);
    // 4,000 levels of nesting: refused before anything recurses over it.
    const deep = `${'['.repeat(4000)}${']'.repeat(4000)}`;
    const nested = nextReply(ws, 10);
    ws.send(`{"t":"cmd","id":10,"name":"SetSpeed","payload":{"speed":${deep}}}`);
    expect((await nested).result).toMatchObject({ ok: false, error: { code: 'COMMAND_TOO_LARGE' } });
    // A frame over the message limit is answered, not a closed socket.
    const big = nextReply(ws, null);
    ws.send(JSON.stringify({ t: 'cmd', id: 11, name: 'KillAll', payload: { reason: 'x'.repeat(100_000) } }));
    expect((await big).result).toMatchObject({ ok: false, error: { code: 'COMMAND_TOO_LARGE' } });
    const binary = nextReply(ws, null);
    ws.send(Buffer.from([1, 2, 3]));
    expect((await binary).result).toMatchObject({ ok: false, error: { code: 'MALFORMED_MESSAGE' } });
    const extra = nextReply(ws, 12);
    ws.send(JSON.stringify({ t: 'cmd', id: 12, name: 'GetSnapshot', payload: {}, admin: true }));
    expect((await extra).result).toMatchObject({ ok: false, error: { code: 'MALFORMED_MESSAGE' } });
    const good = nextReply(ws, 13);
    ws.send(JSON.stringify({ t: 'cmd', id: 13, name: 'GetSnapshot', payload: {} }));
    expect((await good).result).toMatchObject({ ok: true });
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });

  it('answersABadlyEncodedPathWith400', async () => {
    const res = await fetch(`${origin()}/%E0%A4%A?token=${server.token}`);
    expect(res.status).toBe(400);
    const ok = await fetch(`${origin()}/?token=${server.token}`);
    expect(ok.status).toBe(200);
  });
});
