import { describe, expect, it } from 'vitest';
import { benchJournal, benchSeek, sessionEvents } from './journal-bench';
import { SNAPSHOT_EVERY_EVENTS } from '../node/journal/journal';

describe('the journal bench', () => {
  it('numbersTheEventsOfSeveralDaysAsOneStream', () => {
    // A calm day publishes fewer than 100,000 events, so this takes the next seed's day too.
    const { events } = sessionEvents(100_000, 7);
    expect(events).toHaveLength(100_000);
    expect(events.every((e, i) => e.seq === i + 1)).toBe(true);
    expect(new Set(events.map((e) => e.kind)).has('TradePrinted')).toBe(true);
  });

  it('writesEveryEventThroughBothWritersAndReportsTheirFigures', () => {
    const r = benchJournal({ events: 3_000, batch: 500, repetitions: 2, seed: 3 });
    expect(r.journal.runsEventsPerSecond).toHaveLength(2);
    expect(r.plainInsert.runsEventsPerSecond).toHaveLength(2);
    expect(r.eventsPerSecond).toBe(r.journal.eventsPerSecond);
    // Same rows, same table: the files differ only by the journal's meta and commands tables.
    expect(r.bytesPerEvent).toBeGreaterThanOrEqual(r.plainInsert.bytesPerEvent);
    expect(r.ratio).toBeCloseTo(r.journal.eventsPerSecond / r.plainInsert.eventsPerSecond, 2);
  });

  it('seeksFromSnapshotsReadingFewerEventsThanFromTheStart', () => {
    const r = benchSeek({ events: 3 * SNAPSHOT_EVERY_EVENTS + 500, seeks: 6, seed: 3 });
    // A snapshot once SNAPSHOT_EVERY_EVENTS events have followed the last (checked each simulated minute).
    expect(r.setup.snapshots).toBe(3);
    expect(r.seekMs.meanEventsRead).toBeLessThan(SNAPSHOT_EVERY_EVENTS + 1_000);
    expect(r.fromStartMs.meanEventsRead).toBeGreaterThan(r.seekMs.meanEventsRead);
  });
});
