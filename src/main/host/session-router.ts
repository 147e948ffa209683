import type { EventBatch } from '../../engine/contract/events';
import type { HostMessage } from '../../engine/contract/wire';
import type { CommandResult } from '../../engine/contract/result';
import { validateCommand, type Decoded } from '../../engine/contract/validate';
import { REPLAY_TRANSPORT, type ValidCommand } from '../../engine/contract/index';
import { sessionPath } from '../../engine/node/journal/sessions';
import { EngineHost, type EngineClient } from './engine-host';
import type { EngineOptions, ReplayWorkerOptions, SessionHandover } from './protocol';
import type { CommandPayload } from '../../engine/contract/index';
import { listScenarios } from '../../engine/node/files/sim-scenarios';
import { parseTimeOfDay } from '../../engine/core/clock';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where replays come from: the data folder's journals, played by the replay worker. */
export interface ReplaySource {
  /** The data folder whose sessions a window may open; null: none (a session without a journal). */
  readonly dataDir: string | null;
  /** The built replay worker (or its TypeScript source, with `sourceLoader`). */
  readonly workerPath: string;
  readonly sourceLoader?: string;
  readonly sqliteBinding?: string;
  readonly appVersion: string;
}

/** How the router starts a new live session (StartSession): the engine options the current one was started with, and the worker. */
export interface LiveStarter {
  readonly base: EngineOptions;
  readonly workerPath: string;
  readonly sourceLoader?: string;
  /** The folder recorded days are read from (throws when there is none). */
  readonly lobsterDir: () => string;
}

/**
 * The engine options of the session StartSession asks for: the current one's (data folder,
 * policy, backend) on the new market and speed, with who started it; or why there is none.
 */
export function startOptions(starter: LiveStarter, payload: CommandPayload<'StartSession'>, opening: SessionHandover): EngineOptions | string {
  const { scenario: _scenario, lobster: _lobster, startNs: _startNs, speed: _speed, opening: _opening, ...kept } = starter.base;
  const m = payload.market;
  if (m.kind === 'sim') {
    const shipped = listScenarios();
    if (!shipped.includes(m.scenario)) return `no scenario named "${m.scenario}"; the shipped ones are ${shipped.join(', ')}`;
    return { ...kept, seed: m.seed, scenario: m.scenario, speed: payload.speed, opening };
  }
  let dir: string;
  try {
    dir = starter.lobsterDir();
  } catch (err) {
    return `no recorded day can be opened: ${err instanceof Error ? err.message : String(err)}`;
  }
  const messages = join(dir, m.day);
  if (!existsSync(messages)) return `no recorded day ${m.day} in ${dir}`;
  return { ...kept, lobster: { messages }, ...(m.start === undefined ? {} : { startNs: parseTimeOfDay(m.start) }), speed: payload.speed, opening };
}

/** A window's connection through the router: the messages its transport decoded, or commands it already validated. */
export interface RoutedClient extends EngineClient {
  /** Carries out `command` for this window and resolves with its result. */
  execute(command: ValidCommand): Promise<CommandResult<unknown>>;
  /** Validates a raw command (Electron's IPC hands over name and payload) and carries it out. */
  request(name: unknown, payload: unknown): Promise<CommandResult<unknown>>;
}

/**
 * Routes each window either to the live session or to a replay of its own. Opening a recorded
 * session starts a replay worker for that window alone and feeds the window its batches instead
 * of the live ones; the transport commands and GetSnapshot then go to the replay, the kill switch
 * still to the live session (it must always reach it), and everything else is refused READ_ONLY:
 * a replaying window cannot send an order anywhere. Closing the replay (or the window) stops its
 * worker and the window is fed the live session again.
 */
export class SessionRouter {
  private readonly replays = new Set<EngineHost>();
  /** The windows fed the live session: each moves its feed to a new live engine. */
  private readonly following = new Set<(host: EngineHost, early: readonly EventBatch[]) => void>();
  private starting = false;

  constructor(
    private live: EngineHost,
    private readonly source: ReplaySource,
    private readonly starter: LiveStarter | null = null,
  ) {}

  /** The live session's engine now (a StartSession replaces it). */
  get liveEngine(): EngineHost {
    return this.live;
  }

  /**
   * Starts the session StartSession asks for and, once it is ready, makes it the live one: every
   * window fed the live session follows it, and the old engine stops (its journal closed, the
   * handover its last action). A session that cannot start leaves the old one running.
   */
  private async startSession(command: Extract<ValidCommand, { name: 'StartSession' }>, by: string): Promise<CommandResult<unknown>> {
    if (this.starter === null) return { ok: false, error: { code: 'REJECTED', message: 'this host cannot start sessions' } };
    if (this.starting) return { ok: false, error: { code: 'REJECTED', message: 'a session is already starting; wait for it' } };
    const m = command.payload.market;
    const detail = `${m.kind === 'sim' ? `${m.scenario} seed ${m.seed}` : `${m.day}${m.start === undefined ? '' : ` from ${m.start}`}`} at ${command.payload.speed}×`;
    const handover: SessionHandover = { by, at: new Date().toISOString(), reason: command.payload.reason, detail };
    const options = startOptions(this.starter, command.payload, handover);
    if (typeof options === 'string') return { ok: false, error: { code: 'REJECTED', message: options } };
    this.starting = true;
    try {
      const host = new EngineHost(options, this.starter.workerPath, this.starter.sourceLoader);
      // What the new session publishes before the windows move to it is kept for them, so each gets its stream from the first event.
      const early: EventBatch[] = [];
      const keepEarly = host.onBatch((b) => early.push(b));
      let started;
      try {
        started = await host.ready();
      } catch (err) {
        keepEarly();
        await host.stop();
        return { ok: false, error: { code: 'REJECTED', message: `the session could not start: ${err instanceof Error ? err.message : String(err)}` } };
      }
      const old = this.live;
      this.live = host;
      for (const follow of this.following) follow(host, early);
      keepEarly();
      await old.stop(handover);
      return { ok: true, value: { sessionId: started.sessionId, market: detail } };
    } finally {
      this.starting = false;
    }
  }

  /** Connects a window (`by` names it in the record of what it sends); `send` delivers the host's messages to it. */
  connect(send: (msg: HostMessage) => void, by: string): RoutedClient {
    const onBatch = (batch: EventBatch): void => send({ t: 'events', batch });
    let feed: () => void = this.live.onBatch(onBatch);
    // A new live session: a window on the live one is fed the new one; a replaying window keeps its replay.
    const follow = (host: EngineHost, early: readonly EventBatch[]): void => {
      if (replay !== null || closed) return;
      feed();
      for (const b of early) onBatch(b);
      feed = host.onBatch(onBatch);
    };
    this.following.add(follow);
    let replay: { host: EngineHost; sessionId: string } | null = null;
    // Opening and closing go one at a time, so two quick opens cannot leave two replays running.
    let switching: Promise<unknown> = Promise.resolve();
    let closed = false;

    const stopReplay = async (): Promise<void> => {
      if (replay === null) return;
      const { host } = replay;
      replay = null;
      feed();
      feed = closed ? () => {} : this.live.onBatch(onBatch);
      this.replays.delete(host);
      await host.stop();
    };

    const open = async (command: Extract<ValidCommand, { name: 'OpenReplay' }>): Promise<CommandResult<unknown>> => {
      if (this.source.dataDir === null) return { ok: false, error: { code: 'REJECTED', message: 'this engine keeps no journals, so there is no recorded session to open' } };
      let path: string;
      try {
        path = sessionPath(this.source.dataDir, command.payload.sessionId);
      } catch (err) {
        return { ok: false, error: { code: 'REJECTED', message: err instanceof Error ? err.message : String(err) } };
      }
      const options: ReplayWorkerOptions = { journalPath: path, appVersion: this.source.appVersion, ...(this.source.sqliteBinding ? { sqliteBinding: this.source.sqliteBinding } : {}) };
      const host = new EngineHost(options, this.source.workerPath, this.source.sourceLoader);
      try {
        await host.ready();
      } catch (err) {
        await host.stop();
        return { ok: false, error: { code: 'REJECTED', message: `session ${command.payload.sessionId} cannot be replayed: ${err instanceof Error ? err.message : String(err)}` } };
      }
      if (closed) {
        await host.stop();
        return { ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: 'the window closed' } };
      }
      const opened = await host.execute(command, by);
      if (!opened.ok) {
        await host.stop();
        return opened;
      }
      await stopReplay();
      this.replays.add(host);
      replay = { host, sessionId: command.payload.sessionId };
      feed();
      feed = host.onBatch(onBatch);
      return opened;
    };

    const execute = (command: ValidCommand): Promise<CommandResult<unknown>> => {
      if (command.name === 'StartSession') {
        if (replay !== null) return Promise.resolve({ ok: false, error: { code: 'READ_ONLY', message: `StartSession: this window replays session ${replay.sessionId}; close the replay to start a live session` } });
        return this.startSession(command, by);
      }
      if (command.name === 'OpenReplay') {
        const done = switching.then(() => open(command));
        switching = done;
        return done;
      }
      if (command.name === 'CloseReplay') {
        const done = switching.then(async (): Promise<CommandResult<unknown>> => {
          if (replay === null) return { ok: false, error: { code: 'REJECTED', message: 'this window has no replay open' } };
          await stopReplay();
          const started = await this.live.ready();
          return { ok: true, value: { live: started.journalPath === null ? null : started.sessionId } };
        });
        switching = done;
        return done;
      }
      if (replay === null) {
        if (REPLAY_TRANSPORT.has(command.name) && command.name !== 'GetSnapshot') {
          return Promise.resolve({ ok: false, error: { code: 'REJECTED', message: `${command.name}: this window has no replay open; open a recorded session first` } });
        }
        return this.live.execute(command, by);
      }
      if (REPLAY_TRANSPORT.has(command.name)) return replay.host.execute(command, by);
      // The kill switch reaches the live session from anywhere; listing and branching sessions work on the data folder.
      if (command.name === 'KillAll' || command.name === 'ListSessions' || command.name === 'BranchSession') return this.live.execute(command, by);
      return Promise.resolve({
        ok: false,
        error: { code: 'READ_ONLY', message: `${command.name}: this window replays session ${replay.sessionId}, which sends nothing to any market; close the replay to act on the live session (Kill all still halts it)` },
      });
    };

    return {
      execute,
      request: (name, payload) => {
        const v = validateCommand(name, payload);
        // The live engine answers a refusal at the edge and journals it.
        if (!v.ok) return this.live.request(name, payload, by);
        return execute(v.command);
      },
      receive: (decoded: Decoded) => {
        if (!decoded.ok) {
          send({ t: 'res', id: decoded.id, result: this.live.refuse(null, decoded.error) });
          return;
        }
        void execute(decoded.command).then((result) => send({ t: 'res', id: decoded.id, result }));
      },
      close: () => {
        closed = true;
        this.following.delete(follow);
        feed();
        void switching.then(() => stopReplay());
      },
    };
  }

  /** Stops every window's replay (the live engine is its host's to stop). */
  async stop(): Promise<void> {
    await Promise.all([...this.replays].map((h) => h.stop()));
    this.replays.clear();
  }
}
