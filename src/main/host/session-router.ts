import type { EventBatch } from '../../engine/contract/events';
import type { HostMessage } from '../../engine/contract/wire';
import type { CommandResult } from '../../engine/contract/result';
import { validateCommand, type Decoded } from '../../engine/contract/validate';
import { REPLAY_TRANSPORT, type ValidCommand } from '../../engine/contract/index';
import { sessionPath } from '../../engine/node/journal/sessions';
import { EngineHost, type EngineClient } from './engine-host';
import type { ReplayWorkerOptions } from './protocol';

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

  constructor(
    private readonly live: EngineHost,
    private readonly source: ReplaySource,
  ) {}

  /** Connects a window (`by` names it in the record of what it sends); `send` delivers the host's messages to it. */
  connect(send: (msg: HostMessage) => void, by: string): RoutedClient {
    const onBatch = (batch: EventBatch): void => send({ t: 'events', batch });
    let feed: () => void = this.live.onBatch(onBatch);
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
