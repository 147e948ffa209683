import { z } from 'zod';

/** Hard pre-trade limits that hold whatever an agent sends; they never depend on a model. */
export interface RiskLimits {
  /** Largest child order, in lots. */
  readonly maxOrderLots: number;
  /** Farthest a limit price may be from the mid, in basis points. */
  readonly priceCollarBps: number;
  /** Most working orders one agent may have. */
  readonly maxOpenOrders: number;
}

/** The limits a live session starts with. */
export const DEFAULT_LIMITS: RiskLimits = { maxOrderLots: 5_000, priceCollarBps: 200, maxOpenOrders: 20 };

/** The range each limit may be set to: the one schema of a limits object, wherever limits come in. */
export const riskLimitsShape = {
  maxOrderLots: z.number().int().min(1).max(1_000_000),
  priceCollarBps: z.number().finite().min(1).max(5_000),
  maxOpenOrders: z.number().int().min(1).max(1_000),
} as const;

/**
 * Returns the limits an episode of one parent order runs under (backtests, evaluations, training):
 * the session's defaults, with the largest order raised to the parent quantity where that is larger,
 * since an execution session never sends more than its parent order holds (its final sweep may send
 * all of it at once).
 */
export function episodeLimits(parentQuantity: number, base: RiskLimits = DEFAULT_LIMITS): RiskLimits {
  return { ...base, maxOrderLots: Math.max(base.maxOrderLots, parentQuantity) };
}
