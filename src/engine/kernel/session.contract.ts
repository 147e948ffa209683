import { z } from 'zod';
import { command, reasonSchema as reason } from '../contract/define';
import type { SessionSnapshot } from './snapshot';
import type { EventBatch, SessionState } from '../contract/events';
import type { ReplayStatus } from '../replay/replay.contract';


/** One evaluation table of a policy's model card, as the window shows it. */
export interface PolicyReportTable {
  readonly title: string;
  /** The command that reproduces it. */
  readonly command: string;
  /** Column name → cell, one record per strategy. */
  readonly rows: ReadonlyArray<Readonly<Record<string, string | number | null>>>;
  readonly verdict: string;
  /** Whether the policy won on every criterion: below TWAP and VWAP with the intervals clear of zero, timing risk no higher. */
  readonly wins: boolean;
}

/** What the window shows of the running policy's model card: how it was trained and how it did on held-out seeds. */
export interface PolicyReport {
  readonly name: string;
  readonly algorithm: string;
  /** Simulator scenarios and recorded days (`lobster:FILE`) it trained on. */
  readonly trainedOn: readonly string[];
  readonly steps: number;
  readonly wallSeconds: number;
  readonly backend: string;
  readonly trainCommand: string;
  /** The card's notes; the first is its summary. */
  readonly notes: readonly string[];
  readonly evaluations: readonly PolicyReportTable[];
}

/** Host facts the window shows beside the session: inference backend, version, journal, the running policy. */
export interface HostInfo {
  readonly version: string;
  readonly backend: string;
  readonly backendDetail: string;
  /** The policy the session runs, as an `rl:` entry of a backtest names it (relative to the application root). */
  readonly policyDir: string;
  /** Its model card, or why it could not be read (the policy still runs). */
  readonly policyReport: PolicyReport | { readonly problem: string };
  /** The parent order it was trained to work: a backtest of it must use this horizon and decision interval. */
  readonly policyOrder: { readonly side: 'buy' | 'sell'; readonly quantity: number; readonly horizonSeconds: number; readonly intervalSeconds: number };
  readonly journalPath: string | null;
}

export const sessionCommands = {
  GetSnapshot: command<{ snapshot: SessionSnapshot; host: HostInfo; catchUp?: EventBatch; replay?: ReplayStatus }>()(
    z.object({}).strict(),
    'Returns the whole session state and the last event sequence number it includes. A replay answers with its nearest snapshot and, in `catchUp`, the events from there to where it stands.',
  ),
  SetSpeed: command<{ speed: number }>()(
    z.object({ speed: z.number().finite().min(0.1).max(1000), reason: reason.optional() }).strict(),
    'Sets how many simulated seconds pass per wall second.',
  ),
  PauseSession: command<{ state: SessionState }>()(z.object({ reason }).strict(), 'Stops the simulated clock.'),
  ResumeSession: command<{ state: SessionState }>()(z.object({ reason }).strict(), 'Starts the simulated clock again.'),
} as const;
