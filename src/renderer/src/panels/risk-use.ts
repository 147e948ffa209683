import type { LimitUse } from '../../../engine/contract/index';

/** Share of a limit from which the window warns that it is near. A display choice, not a limit. */
export const NEAR_LIMIT = 0.8;

/** How close a use is to its limit: clear of it, near it, or at (or past) it; unknown without a figure. */
export type UseLevel = 'ok' | 'near' | 'at' | 'unknown';

/** Returns the level of a share of a limit (1 = the limit). */
export function levelOf(share: number | null): UseLevel {
  if (share === null || !Number.isFinite(share)) return 'unknown';
  return share >= 1 ? 'at' : share >= NEAR_LIMIT ? 'near' : 'ok';
}

/** Returns `used` as a share of `max`, or null when either is not a figure (an unlimited max is a share of 0). */
export function shareOf(used: number, max: number): number | null {
  if (!Number.isFinite(used) || !(max > 0)) return null;
  if (max === Infinity) return 0;
  return Math.max(0, used) / max;
}

/**
 * The position as the position limits see it: the long side counts working buys as if filled, the
 * short side working sells (lots, each 0 or more), with their shares of the limits.
 */
export interface PositionUse {
  readonly long: number;
  readonly short: number;
  readonly longShare: number | null;
  readonly shortShare: number | null;
}

/** Returns the position use of `use` against a long and a short limit (lots). */
export function positionUse(use: LimitUse, maxLongLots: number, maxShortLots: number): PositionUse {
  const long = Math.max(0, use.position + use.workingBuyLots);
  const short = Math.max(0, use.workingSellLots - use.position);
  return { long, short, longShare: shareOf(long, maxLongLots), shortShare: shareOf(short, maxShortLots) };
}

/** Returns the loss (0 for a profit) as a share of the daily loss limit, or null without a P&L (a position and no mid to mark it). */
export function lossShare(pnl: number | null, maxDailyLoss: number): number | null {
  if (pnl === null || !Number.isFinite(pnl)) return null;
  return shareOf(Math.max(0, -pnl), maxDailyLoss);
}
