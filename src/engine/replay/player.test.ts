import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, EventBatch } from '../contract/events';
import { Journal } from '../node/journal/journal';
import { testMeta, testSessionEvents } from '../node/journal/fixtures/test-journal';
import { ReplayPlayer } from './player';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A journal of the fixture session (200 simulated seconds of calm), with a snapshot every 100 events. */
function recorded(): { journal: Journal; events: EngineEvent[] } {
  const dir = mkdtempSync(join(tmpdir(), 'player-'));
  dirs.push(dir);
  const events = testSessionEvents();
  const journal = Journal.create(join(dir, 's.sqlite'), testMeta);
  journal.append(events);
  for (let seq = 100; seq <= events.length; seq += 100) journal.appendSnapshot(seq, events[seq - 1]!.ts, { lastSeq: seq });
  return { journal, events };
}

const seqs = (batches: readonly (EventBatch | null)[]): number[] => batches.flatMap((b) => (b === null ? [] : b.events.map((e) => e.seq)));

describe('a replay player', () => {
  it('playsTheRecordedStreamInOrderAtItsSpeedWithNoGap', () => {
    const { journal, events } = recorded();
    const player = new ReplayPlayer(journal, testMeta.startNs);
    expect(player.state).toBe('paused');
    expect(player.advance(16)).toBeNull();
    player.setSpeed(50);
    player.play();
    const batches: (EventBatch | null)[] = [];
    for (let i = 0; i < 400 && player.state !== 'ended'; i++) batches.push(player.advance(16));
    expect(player.state).toBe('ended');
    expect(seqs(batches)).toEqual(events.map((e) => e.seq));
    // Each batch holds what falls due in its frame: nothing later than the time it reports.
    for (const b of batches) if (b !== null) expect(b.events.every((e) => e.ts <= b.simTimeNs)).toBe(true);
    // At 50×, a 16 ms frame covers 0.8 simulated seconds.
    const first = batches.find((b) => b !== null)!;
    expect(first.simTimeNs).toBe(testMeta.startNs + Math.round(16 * 1e6 * 50) * (batches.indexOf(first) + 1));
    journal.close();
  });

  it('stepsEventByEventAndPlaysAsFastAsPossible', () => {
    const { journal, events } = recorded();
    const player = new ReplayPlayer(journal, testMeta.startNs);
    expect(player.step()?.events.map((e) => e.seq)).toEqual([1]);
    expect(player.step(3)?.events.map((e) => e.seq)).toEqual([2, 3, 4]);
    player.setSpeed('max');
    player.play();
    const rest = player.advance(16);
    expect(rest?.firstSeq).toBe(5);
    expect(rest?.lastSeq).toBe(events.length);
    expect(player.step()).toBeNull();
    expect(() => player.step(0)).toThrow('a step is a whole number of events');
    journal.close();
  });

  it('seeksToAnyMomentFromTheNearestSnapshot', () => {
    const { journal, events } = recorded();
    const player = new ReplayPlayer(journal, testMeta.startNs);
    const at = player.seekTo(250);
    expect(at.snapshot).toEqual({ lastSeq: 200 });
    expect(at.events.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 201 + i));
    expect(at.simTimeNs).toBe(events[249]!.ts);
    // Play goes on from there.
    expect(player.step()?.events[0]?.seq).toBe(251);
    const back = player.seekTo(40);
    expect(back.snapshot).toBeNull();
    expect(back.events).toHaveLength(40);
    const t = events[300]!.ts;
    expect(player.seekToTime(t).seq).toBe(events.filter((e) => e.ts <= t).at(-1)!.seq);
    expect(player.seekTo(0)).toMatchObject({ seq: 0, events: [] });
    expect(() => player.seekTo(events.length + 1)).toThrow(`seeks to an event from 0 to ${events.length}`);
    journal.close();
  });

  it('refusesASpeedOutsideItsRange', () => {
    const { journal } = recorded();
    const player = new ReplayPlayer(journal, testMeta.startNs);
    for (const bad of [0, 0.05, 101, Number.NaN, -1]) expect(() => player.setSpeed(bad)).toThrow('a replay plays from 0.1× to 100×');
    player.setSpeed(0.1);
    player.setSpeed(100);
    expect(player.speed).toBe(100);
    journal.close();
  });
});
