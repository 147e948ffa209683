/**
 * What a session's journal holds besides its events and commands, and when: the opening state
 * before the first event, a snapshot once SNAPSHOT_EVERY_EVENTS events have followed the last one,
 * and the sampled depth and limit use once SAMPLE_EVERY_NS of simulated time has passed since the
 * last sample. The one rule for the live engine loop and a what-if branch, so a replay of either
 * can show any moment from a snapshot and feed the depth ladder and the limit bars.
 */

import type { DepthView, EngineEvent } from '../../contract/events';
import type { RiskSample } from '../../kernel/snapshot';
import { SAMPLE_EVERY_NS, snapshotDue, type Journal } from './journal';

/** What the recorder reads of the session it journals (the session kernel). */
export interface RecordedSession {
  readonly lastSeq: number;
  now(): number;
  snapshot(): unknown;
  depth(): DepthView;
  riskSample(): RiskSample;
}

export class SessionRecorder {
  private snapshotSeq = 0;
  private sampleTs = -Infinity;

  constructor(
    readonly journal: Journal,
    private readonly session: RecordedSession,
  ) {}

  /** Records the state before the first event; call it before the session starts. */
  open(): void {
    this.journal.appendSnapshot(0, this.session.now(), this.session.snapshot());
  }

  /** Records one frame's events in one transaction, then the snapshot and the sample if they are due (`sampled`: the depth and limit use the caller has already read). */
  record(events: readonly EngineEvent[], sampled?: { readonly depth: DepthView; readonly risk: RiskSample }): void {
    this.journal.append(events);
    const s = this.session;
    if (snapshotDue(s.lastSeq, this.snapshotSeq)) {
      this.journal.appendSnapshot(s.lastSeq, s.now(), s.snapshot());
      this.snapshotSeq = s.lastSeq;
    }
    if (s.now() - this.sampleTs >= SAMPLE_EVERY_NS) {
      this.journal.appendSample(s.lastSeq, s.now(), sampled?.depth ?? s.depth(), sampled?.risk ?? s.riskSample());
      this.sampleTs = s.now();
    }
  }
}
