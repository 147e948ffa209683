import { z } from 'zod';
import { command } from '../contract/define';
import type { StrategyReport } from './backtest';

/** One strategy's row of a backtest, as the cockpit's evaluation view shows it. */
export type BacktestRow = Omit<StrategyReport, 'kappaT'>;

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

const MAX_SEEDS = 200;

export const executionCommands = {
  RunBacktest: command<BacktestResult>()(
    z
      .object({
        /** A shipped scenario's name, or `lobster:TICKER` for the historical venue on that LOBSTER day. */
        scenario: z.string().min(1).max(64).regex(/^([a-z0-9-]+|lobster:(AAPL|AMZN|GOOG))$/, 'a shipped scenario name or lobster:AAPL|AMZN|GOOG'),
        /** Simulator seeds start at 1; on a historical venue the seeds are the episode slots, from 0. */
        seedFrom: z.number().int().min(0).max(1_000_000),
        seedTo: z.number().int().min(0).max(1_000_000),
        strategies: z.array(z.string().min(2).max(200)).min(1).max(8),
        side: z.enum(['buy', 'sell']),
        quantity: z.number().int().min(1).max(10_000_000),
        horizonSeconds: z.number().int().min(60).max(23_400),
        /** Seconds between decisions (default 5); the horizon must be a whole number of them. */
        intervalSeconds: z.number().int().min(1).max(3_600).optional(),
        /** Episode start time of day, HH:MM; on a historical venue the start of slot 0. Absent: the open plus the pre-trade window. */
        startTime: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day HH:MM')
          .optional(),
      })
      .strict()
      .refine((v) => v.seedTo >= v.seedFrom && v.seedTo - v.seedFrom < MAX_SEEDS, { message: `seeds must run from seedFrom to seedTo, at most ${MAX_SEEDS} of them`, path: ['seedTo'] })
      .refine((v) => v.intervalSeconds === undefined || (v.intervalSeconds < v.horizonSeconds && v.horizonSeconds % v.intervalSeconds === 0), {
        message: 'the horizon must be a whole number (at least 2) of decision intervals',
        path: ['intervalSeconds'],
      }),
    'Runs strategies on the same seeds of a scenario, off the engine loop, and returns the figures with 95% intervals.',
  ),
} as const;
