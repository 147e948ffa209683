import { z } from 'zod';
import { RATE_WINDOW_MAX_SECONDS } from './exposure';

/**
 * Hard pre-trade limits that hold whatever an agent sends; they never depend on a model. `perAgent`
 * bounds each agent on its own, `session` the whole session's agents together. Prices are the
 * venue's price units, sizes lots, money the instrument's currency, windows simulated seconds.
 */
export interface RiskLimits {
  readonly perAgent: AgentLimits;
  readonly session: SessionLimits;
}

/** What each agent may do on its own. */
export interface AgentLimits {
  /** Largest order, in lots. */
  readonly maxOrderLots: number;
  /** Largest order's value (price × lots), in currency. */
  readonly maxOrderNotional: number;
  /** Farthest a limit price may be from the reference price (the mid), in basis points. */
  readonly priceCollarBps: number;
  /** Largest long position, counting working buy orders as if filled, in lots. */
  readonly maxLongLots: number;
  /** Largest short position, counting working sell orders as if filled, in lots. */
  readonly maxShortLots: number;
  /** Most working orders. */
  readonly maxOpenOrders: number;
  /** Most orders accepted in any `rateWindowSeconds`. */
  readonly maxOrdersPerWindow: number;
  readonly rateWindowSeconds: number;
  /** Largest loss since the session began (realised plus marked to the mid), in currency; past it only orders that reduce the position pass. */
  readonly maxDailyLoss: number;
  /** An order the same as one the agent sent in an earlier decision less than this long ago (side, kind, price, size) is a duplicate. */
  readonly duplicateWindowSeconds: number;
}

/** What the session's agents may do together. */
export interface SessionLimits {
  readonly maxLongLots: number;
  readonly maxShortLots: number;
  readonly maxOpenOrders: number;
  readonly maxOrdersPerWindow: number;
  readonly rateWindowSeconds: number;
  readonly maxDailyLoss: number;
}

/** The limits a live session starts with. */
export const DEFAULT_LIMITS: RiskLimits = {
  perAgent: {
    maxOrderLots: 5_000,
    maxOrderNotional: 5_000_000,
    priceCollarBps: 200,
    maxLongLots: 50_000,
    maxShortLots: 50_000,
    maxOpenOrders: 20,
    maxOrdersPerWindow: 50,
    rateWindowSeconds: 1,
    maxDailyLoss: 250_000,
    duplicateWindowSeconds: 1,
  },
  session: {
    maxLongLots: 100_000,
    maxShortLots: 100_000,
    maxOpenOrders: 100,
    maxOrdersPerWindow: 200,
    rateWindowSeconds: 1,
    maxDailyLoss: 1_000_000,
  },
};

const lots = z.number().int().min(1).max(10_000_000);
const count = z.number().int().min(1).max(100_000);
const money = z.number().finite().positive().max(1e12);
/** An order-rate window: up to RATE_WINDOW_MAX_SECONDS (the gate keeps that much history). */
const seconds = z.number().finite().positive().max(RATE_WINDOW_MAX_SECONDS);

/** The range each per-agent limit may be set to: the one schema, wherever limits come in. */
export const agentLimitsSchema = z
  .object({
    maxOrderLots: lots,
    maxOrderNotional: money,
    priceCollarBps: z.number().finite().min(1, 'a price collar must be at least 1 bp').max(5_000),
    maxLongLots: lots,
    maxShortLots: lots,
    maxOpenOrders: count,
    maxOrdersPerWindow: count,
    rateWindowSeconds: seconds,
    maxDailyLoss: money,
    duplicateWindowSeconds: z.number().finite().min(0).max(3_600),
  })
  .strict();

/** The range each session-wide limit may be set to. */
export const sessionLimitsSchema = z
  .object({
    maxLongLots: lots,
    maxShortLots: lots,
    maxOpenOrders: count,
    maxOrdersPerWindow: count,
    rateWindowSeconds: seconds,
    maxDailyLoss: money,
  })
  .strict();

export const riskLimitsSchema = z.object({ perAgent: agentLimitsSchema, session: sessionLimitsSchema }).strict();

/** What the gate keeps of each change of limits: who, when (wall clock and simulated), why, and the limits after it. */
export interface LimitsChange {
  readonly by: string;
  readonly at: string;
  readonly ts: number;
  readonly reason: string;
  /** The agent whose own limits changed, or null for the session's. */
  readonly agentId: string | null;
  /** For an agent's change: whether it has limits of its own after it (false: dropped back to the session's). */
  readonly ownLimits: boolean;
  /** The limits after the change (for an agent's, `perAgent` is what that agent is held to). */
  readonly limits: RiskLimits;
}

/**
 * Returns the limits an episode of one parent order runs under (backtests, evaluations, training):
 * the session's defaults, with the largest order and the position raised to the parent quantity
 * where that is larger (an execution session never sends more than its parent order holds, and its
 * final sweep may send all of it at once), and no order-value or loss limit in the way of a parent
 * order whose price scale the defaults do not know (an episode's prices are ticks, not currency).
 */
export function episodeLimits(parentQuantity: number, base: RiskLimits = DEFAULT_LIMITS): RiskLimits {
  const q = (n: number): number => Math.max(n, parentQuantity);
  return {
    perAgent: { ...base.perAgent, maxOrderLots: q(base.perAgent.maxOrderLots), maxLongLots: q(base.perAgent.maxLongLots), maxShortLots: q(base.perAgent.maxShortLots), maxOrderNotional: Infinity, maxDailyLoss: Infinity },
    session: { ...base.session, maxLongLots: q(base.session.maxLongLots), maxShortLots: q(base.session.maxShortLots), maxDailyLoss: Infinity },
  };
}

/** Returns `base` with some per-agent limits changed. */
export function withAgentLimits(change: Partial<AgentLimits>, base: RiskLimits = DEFAULT_LIMITS): RiskLimits {
  return { ...base, perAgent: { ...base.perAgent, ...change } };
}

/** Some limits changed, the others left as they are: a what-if branch's change of limits. */
export interface LimitsPatch {
  readonly perAgent?: Partial<AgentLimits>;
  readonly session?: Partial<SessionLimits>;
}

/** What a patch of limits may hold: the limits' own names and ranges (the same schemas), any of them. */
export const limitsPatchSchema = z.object({ perAgent: agentLimitsSchema.partial().optional(), session: sessionLimitsSchema.partial().optional() }).strict();

/** The names a patch can change, as `perAgent.maxOrderLots`, `session.maxDailyLoss`, …, in the schemas' order. */
export const LIMIT_KEYS: readonly string[] = [...Object.keys(agentLimitsSchema.shape).map((k) => `perAgent.${k}`), ...Object.keys(sessionLimitsSchema.shape).map((k) => `session.${k}`)];

/** Returns `base` with the limits `patch` names changed to its values. */
export function applyLimitsPatch(base: RiskLimits, patch: LimitsPatch): RiskLimits {
  return { perAgent: { ...base.perAgent, ...patch.perAgent }, session: { ...base.session, ...patch.session } };
}
