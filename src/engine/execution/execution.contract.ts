import { z } from 'zod';
import { command, reasonSchema } from '../contract/define';
import { TIME_OF_DAY } from '../core/clock';
import type { StrategyReport } from './backtest';

/** One strategy's row of a backtest, as the cockpit's evaluation view shows it. */
export type BacktestRow = Omit<StrategyReport, 'kappaT' | 'seedShortfallsBps'>;

/** A finished backtest: what ran and the per-strategy figures (positive shortfall = cost). */
export interface BacktestResult {
  readonly scenario: string;
  readonly seeds: readonly [number, number];
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly horizonSeconds: number;
  /** Start times of day (HH:MM:SS) of the first and the last episode. */
  readonly starts: readonly [string, string];
  readonly strategies: readonly BacktestRow[];
  readonly wallSeconds: number;
}

/** The most seeds and strategies one backtest from the window may run. */
export const MAX_BACKTEST_SEEDS = 200;
export const MAX_BACKTEST_STRATEGIES = 8;

/**
 * How many workflows the window may have at once: one runs (it already uses every core through its
 * worker pool) and a few wait; beyond that a request is answered BUSY.
 */
export const WORKFLOW_QUEUE_LIMITS = { running: 1, waiting: 3 } as const;

/** A client's name for a workflow it starts, so it can follow and cancel it. */
const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a job id of 1 to 64 letters, digits, _ or -');

export const executionCommands = {
  RunBacktest: command<BacktestResult>()(
    z
      .object({
        /** A shipped scenario's name, or `lobster:TICKER` for the historical venue on that LOBSTER day. */
        scenario: z.string().min(1).max(64).regex(/^([a-z0-9-]+|lobster:(AAPL|AMZN|GOOG))$/, 'a shipped scenario name or lobster:AAPL|AMZN|GOOG'),
        /** Simulator seeds start at 1; on a historical venue the seeds are the episode slots, from 0. */
        seedFrom: z.number().int().min(0).max(1_000_000),
        seedTo: z.number().int().min(0).max(1_000_000),
        /** The client's id for this run (WorkflowUpdated events carry it; CancelWorkflow takes it); one is made up when absent. */
        jobId: jobId.optional(),
        /** One strategy per entry (a baseline, rl:DIR or fixed:URGENCY+LEAD), each at most once. */
        strategies: z
          .array(z.string().min(2).max(200).regex(/^[^,\s]+$/, 'one strategy per entry, without commas or spaces'))
          .min(1)
          .max(MAX_BACKTEST_STRATEGIES)
          .refine((list) => new Set(list.map((e) => e.toLowerCase())).size === list.length, 'each strategy at most once'),
        side: z.enum(['buy', 'sell']),
        quantity: z.number().int().min(1).max(10_000_000),
        horizonSeconds: z.number().int().min(60).max(23_400),
        /** Seconds between decisions (default 5); the horizon must be a whole number of them. */
        intervalSeconds: z.number().int().min(1).max(3_600).optional(),
        /** Episode start time of day, HH:MM[:SS]; on a historical venue the start of slot 0. Absent: the open plus the pre-trade window. */
        startTime: z.string().regex(TIME_OF_DAY, 'a time of day HH:MM or HH:MM:SS').optional(),
      })
      .strict()
      .refine((v) => v.seedTo >= v.seedFrom && v.seedTo - v.seedFrom < MAX_BACKTEST_SEEDS, { message: `seeds must run from seedFrom to seedTo, at most ${MAX_BACKTEST_SEEDS} of them`, path: ['seedTo'] })
      .refine((v) => v.intervalSeconds === undefined || (v.intervalSeconds < v.horizonSeconds && v.horizonSeconds % v.intervalSeconds === 0), {
        message: 'the horizon must be a whole number (at least 2) of decision intervals',
        path: ['intervalSeconds'],
      }),
    'Runs strategies on the same seeds of a scenario, off the engine loop (through the workflow queue, in a worker thread), and returns the figures with 95% intervals; WorkflowUpdated events report its progress.',
  ),
  CancelWorkflow: command<{ jobId: string; state: 'cancelled' }>()(
    z.object({ jobId, reason: reasonSchema }).strict(),
    'Cancels a queued or running workflow (a backtest); its request is answered CANCELLED.',
  ),
} as const;
