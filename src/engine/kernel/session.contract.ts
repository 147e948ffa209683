import { z } from 'zod';
import { command, reasonSchema as reason } from '../contract/define';
import type { SessionSnapshot } from './snapshot';
import type { EventBatch, SessionState } from '../contract/events';
import type { ReplayStatus } from '../replay/replay.contract';
import { TIME_OF_DAY } from '../core/clock';


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
  /** What a new session can run on (StartSession), and what this one runs on. */
  readonly markets: SessionMarkets;
}

/** The markets a session can start on: the shipped scenarios and the recorded days of the data folder. */
export interface SessionMarkets {
  readonly scenarios: readonly string[];
  readonly days: readonly RecordedDay[];
  /** This session's market, as StartSession would be given it. */
  readonly current: StartSessionMarket;
}

/** A recorded LOBSTER day a session can run on, as its file name says it. */
export interface RecordedDay {
  /** The message file's name in the data folder. */
  readonly file: string;
  readonly ticker: string;
  /** YYYY-MM-DD. */
  readonly date: string;
  readonly levels: number;
  /** The span the file covers, ns since midnight. */
  readonly fromNs: number;
  readonly toNs: number;
}

/** The market a StartSession runs on: a scenario and seed, or a recorded day (by file name) from a time of day. */
export const startSessionMarketSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sim'), scenario: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a shipped scenario name, such as calm'), seed: z.number().int('a seed is a whole number').min(0).max(0xffffffff) }).strict(),
  z
    .object({
      kind: z.literal('lobster'),
      day: z.string().max(200).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*_message_\d+\.csv(\.gz)?$/, 'a LOBSTER message file name of the data folder (no path)'),
      start: z.string().regex(TIME_OF_DAY, 'a time of day HH:MM or HH:MM:SS').optional(),
    })
    .strict(),
]);
export type StartSessionMarket = z.output<typeof startSessionMarketSchema>;

/** Commands of the host around the live session: a new one in its place. */
export const hostCommands = {
  StartSession: command<{ sessionId: string; market: string }>()(
    z.object({ market: startSessionMarketSchema, speed: z.number().finite().min(0.1).max(1000), reason }).strict(),
    'Ends the live session (its journal closed) and starts a new one on a scenario and seed, or on a recorded day from a time of day, at a speed; every window follows it.',
  ),
} as const;

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
