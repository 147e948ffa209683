import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { Journal } from '../../engine/node/journal/journal';
import { marketLabel, startMarketOf } from '../../engine/node/journal/sessions';
import { policyReport } from '../../engine/node/models/policy-card';
import { ReplayPlayer } from '../../engine/replay/player';
import { fail, type CommandResult } from '../../engine/contract/result';
import type { EventBatch } from '../../engine/contract/events';
import type { HostInfo, ReplayStatus, SessionSnapshot } from '../../engine/contract/index';
import type { ReplayWorkerOptions, ToWorkerMessage, WorkerMessage } from './protocol';

/**
 * Plays one recorded session to one window: the journal opened read-only, a `ReplayPlayer` over
 * it on the same 16 ms frame as a live session, each batch with the depth and limit use sampled
 * nearest before it. It has no kernel, no venue and no gate: every command but the transport and
 * the snapshot is refused READ_ONLY, so nothing a replaying window sends reaches a market.
 */

const FRAME_MS = 16;

const port = parentPort;
if (!port) throw new Error('replay-worker must run in a worker thread');
const options = workerData as ReplayWorkerOptions;

function post(msg: WorkerMessage): void {
  port!.postMessage(msg);
}

function main(): void {
  const journal = Journal.open(options.journalPath, options.sqliteBinding);
  const meta = journal.meta();
  if (meta === null) throw new Error(`${options.journalPath} is a schema-${journal.schema} journal, which recorded too little to replay`);
  if (journal.seek(0).snapshot === null) {
    throw new Error(`session ${meta.sessionId} was recorded before sessions kept their opening state, so it cannot be shown from its start; \`cockpit replay verify ${meta.sessionId}\` still re-simulates it`);
  }
  const player = new ReplayPlayer(journal, meta.startNs);
  const endTs = (): number => (journal.events(journal.lastSeq, journal.lastSeq)[0]?.ts ?? meta.startNs);
  const status = (): ReplayStatus => ({
    sessionId: meta.sessionId,
    state: player.state,
    speed: player.speed,
    position: player.position,
    lastSeq: journal.lastSeq,
    simTimeNs: player.simTimeNs,
    startNs: meta.startNs,
    endNs: endTs(),
  });
  const rlAgent = meta.agents.find((a) => (a as { strategy?: unknown }).strategy === 'rl') as
    | { side: 'buy' | 'sell'; quantity: number; horizonSeconds: number; intervalSeconds: number }
    | undefined;
  const host: HostInfo = {
    version: options.appVersion,
    backend: 'replay',
    backendDetail: `replay of ${meta.sessionId} (${marketLabel(meta.market)}, seed ${meta.seed}, recorded by version ${meta.appVersion}): decisions are read from the journal, nothing is inferred or sent`,
    policyDir: meta.policy.dir,
    policyReport: readPolicyReport(meta.policy.dir),
    policyOrder: rlAgent ?? { side: 'buy', quantity: 0, horizonSeconds: 0, intervalSeconds: 0 },
    journalPath: journal.path,
    // A replay starts nothing; the market is the recorded one.
    markets: { scenarios: [], days: [], current: startMarketOf(meta.market, meta.seed) },
  };

  /** A batch as the live session would have sent it: the events, then the sampled state at its end. */
  const withSamples = (batch: EventBatch): EventBatch => {
    const sample = journal.sampleAt(batch.simTimeNs, batch.lastSeq);
    return { ...batch, ...(sample === null ? {} : { depth: sample.depth, ...(sample.risk === undefined ? {} : { risk: sample.risk }) }), replay: status() };
  };

  let lastWall = performance.now();
  let wasPlaying = false;
  setInterval(() => {
    const now = performance.now();
    const dt = now - lastWall;
    lastWall = now;
    if (player.state !== 'playing') {
      // The frame a replay ends on says so once; a paused one is silent, as a paused session is.
      if (wasPlaying) post({ t: 'events', batch: withSamples({ firstSeq: player.position + 1, lastSeq: player.position, simTimeNs: player.simTimeNs, events: [] }) });
      wasPlaying = false;
      return;
    }
    wasPlaying = true;
    const batch = player.advance(dt) ?? { firstSeq: player.position + 1, lastSeq: player.position, simTimeNs: player.simTimeNs, events: [] };
    post({ t: 'events', batch: withSamples(batch) });
  }, FRAME_MS);

  port!.on('message', (msg: ToWorkerMessage) => {
    if (msg.t === 'stop') {
      journal.close();
      process.exit(0);
    }
    if (msg.t === 'refused') return;
    let result: CommandResult<unknown>;
    try {
      result = handle(msg.command.name, msg.command.payload);
    } catch (err) {
      result = fail('REJECTED', err instanceof Error ? err.message : String(err));
    }
    post({ t: 'res', id: msg.id, result });
  });

  function handle(name: string, payload: unknown): CommandResult<unknown> {
    switch (name) {
      case 'OpenReplay':
        return { ok: true, value: { replay: status(), markers: journal.markers() } };
      case 'GetSnapshot': {
        // The nearest snapshot at or before the position, and the events from it to the position.
        const position = player.position;
        const found = journal.seek(position);
        if (found.snapshot === null) return fail('INTERNAL', `the journal has no snapshot at or before event ${position}`);
        const snapshot = found.snapshot.state as SessionSnapshot;
        const catchUp = withSamples({ firstSeq: found.snapshot.seq + 1, lastSeq: position, simTimeNs: player.simTimeNs, events: found.events });
        return { ok: true, value: { snapshot, host, catchUp, replay: status() } };
      }
      case 'PlayReplay':
        player.play();
        return { ok: true, value: { replay: status() } };
      case 'PauseReplay':
        player.pause();
        return { ok: true, value: { replay: status() } };
      case 'SetReplaySpeed':
        player.setSpeed((payload as { speed: number | 'max' }).speed);
        return { ok: true, value: { replay: status() } };
      case 'StepReplay': {
        const batch = player.step((payload as { events: number }).events);
        if (batch !== null) post({ t: 'events', batch: withSamples(batch) });
        return { ok: true, value: { replay: status() } };
      }
      case 'SeekReplay': {
        const p = payload as { seq: number } | { ts: number };
        if ('seq' in p) player.seekTo(p.seq);
        else player.seekToTime(p.ts);
        return { ok: true, value: { replay: status() } };
      }
      default:
        return fail('READ_ONLY', `${name}: this window replays session ${meta!.sessionId}, which sends nothing to any market; close the replay to act on the live session`);
    }
  }

  post({ t: 'ready', sessionId: meta.sessionId, journalPath: journal.path, backend: 'replay' });
}

/** The recorded policy's model card, or why it cannot be shown (the replay runs either way). */
function readPolicyReport(dir: string): HostInfo['policyReport'] {
  try {
    return policyReport(dir);
  } catch (err) {
    return { problem: err instanceof Error ? err.message : String(err) };
  }
}

try {
  main();
} catch (err) {
  post({ t: 'fatal', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
