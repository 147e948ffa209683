/**
 * How a schedule becomes child orders. Every baseline says how many lots should be done by now and
 * by the next decision; `followSchedule` crosses the spread for what is late, rests the next slice
 * passively at the touch, and keeps resting orders that are still at the right price (they hold
 * their place in the queue). Pricing helpers are shared with the RL environment.
 */

import type { Side } from '../book/types';
import type { AgentOrderId } from '../venue/types';
import { clampToLimit } from './session';
import type { ChildOrder, DecisionAction, MarketView, StrategyStep } from './types';

/** Returns the price at which a resting order joins the touch on the agent's side. */
export function touchPrice(view: MarketView): number | undefined {
  const { side } = view.parent;
  const own = side === 'sell' ? view.bestAsk : view.bestBid;
  if (own !== undefined) return own;
  // An empty own side: one tick away from the opposite touch.
  const opp = side === 'sell' ? view.bestBid : view.bestAsk;
  if (opp === undefined) return undefined;
  return side === 'sell' ? opp + view.tickSize : opp - view.tickSize;
}

/** Returns the price one tick behind the touch (further from the market). */
export function deeperPrice(view: MarketView): number | undefined {
  const p = touchPrice(view);
  if (p === undefined) return undefined;
  return view.parent.side === 'sell' ? p + view.tickSize : p - view.tickSize;
}

/**
 * Returns the limit price that takes `size` lots from the visible opposite side, walking the levels
 * (the deepest visible level when the depth is short), or undefined when that side is empty.
 */
export function crossPrice(view: MarketView, size: number): number | undefined {
  const levels = view.parent.side === 'sell' ? view.depth.bids : view.depth.asks;
  let cum = 0;
  let price: number | undefined;
  for (const [p, s] of levels) {
    price = p;
    cum += s;
    if (cum >= size) break;
  }
  return price;
}

/** Returns whether an order of `side` at `price` would trade at once against `opposite`. */
export function isMarketable(side: Side, price: number, opposite: number | undefined): boolean {
  if (opposite === undefined) return false;
  return side === 'sell' ? price <= opposite : price >= opposite;
}

/** Cumulative lots a schedule wants done. */
export interface ScheduleTargets {
  /** Lots that should be filled by now. */
  readonly now: number;
  /** Lots that should be filled by the next decision. */
  readonly next: number;
}

/** How `followSchedule` labels and tolerates. */
export interface FollowOptions {
  /** Names the strategy at the start of each reason ("TWAP"). */
  readonly label: string;
  /** Extra named inputs for the decision record. */
  readonly inputs?: Readonly<Record<string, number>>;
  /** Lots the agent may lag the schedule before crossing; defaults to 0. */
  readonly tolerance?: number;
}

/**
 * Turns schedule targets into a step: cross for what is late (beyond the tolerance), rest the rest
 * of the next slice at the touch (within the parent's limit), cancel resting orders that are off
 * the touch or in excess. Late lots that cannot cross rest with the next slice.
 */
export function followSchedule(view: MarketView, targets: ScheduleTargets, options: FollowOptions): StrategyStep {
  const { parent } = view;
  const q = parent.quantity;
  const tolerance = options.tolerance ?? 0;
  const targetNow = clampLots(Math.round(targets.now), q);
  const targetNext = Math.max(targetNow, clampLots(Math.round(targets.next), q));
  const behind = targetNow - view.filled;
  const opposite = parent.side === 'sell' ? view.bestBid : view.bestAsk;

  const orders: ChildOrder[] = [];
  const notes: string[] = [];
  let action: DecisionAction = { kind: 'wait', size: 0, price: null };

  // Late: cross for it at once.
  let crossSize = behind > tolerance ? Math.min(behind, view.quantityLeft) : 0;
  let crossAt: number | undefined;
  if (crossSize > 0) {
    const walk = crossPrice(view, crossSize);
    crossAt = walk === undefined ? undefined : clampToLimit(parent.side, walk, parent.limitPrice);
    if (crossAt === undefined) {
      notes.push(`${behind} lots behind but no ${parent.side === 'sell' ? 'bid' : 'ask'} to cross`);
      crossSize = 0;
    } else if (!isMarketable(parent.side, crossAt, opposite)) {
      notes.push(`${behind} lots behind but the limit ${parent.limitPrice} keeps it from crossing`);
      crossSize = 0;
    }
  }

  // The next slice rests at the touch; resting orders at that price keep their queue place. When
  // crossing is blocked (by the limit or an empty side), the late lots rest there too.
  const blocked = behind > tolerance && crossSize === 0;
  const passiveNeed = Math.max(0, targetNext - (blocked ? view.filled : Math.max(view.filled, targetNow)));
  const rawTouch = touchPrice(view);
  const restAt = rawTouch === undefined ? undefined : clampToLimit(parent.side, rawTouch, parent.limitPrice);
  const cancels: AgentOrderId[] = [];
  let kept = 0;
  for (const o of view.openOrders) {
    if (restAt !== undefined && o.price === restAt && kept + o.remaining <= passiveNeed) kept += o.remaining;
    else cancels.push(o.id);
  }
  const post = restAt === undefined ? 0 : Math.max(0, Math.min(passiveNeed - kept, view.quantityLeft - crossSize - kept));
  // A resting order that would cross is a crossing order; rest only at non-marketable prices.
  const postMarketable = restAt !== undefined && isMarketable(parent.side, restAt, opposite);

  if (crossSize > 0 && crossAt !== undefined) {
    orders.push({ style: 'cross', size: crossSize, price: crossAt, tif: 'IOC' });
    action = { kind: 'cross', size: crossSize, price: crossAt };
    notes.unshift(`${behind} lots behind (target ${targetNow}, filled ${view.filled}): crossed ${crossSize} ${parent.side === 'sell' ? 'down' : 'up'} to ${crossAt}`);
  } else if (behind <= 0) {
    notes.unshift(behind < 0 ? `${-behind} lots ahead of schedule (target ${targetNow}, filled ${view.filled})` : `on schedule (${view.filled} of ${targetNow} due)`);
  } else if (crossSize === 0 && behind <= tolerance) {
    notes.unshift(`${behind} lots behind, within the tolerance of ${tolerance}`);
  }
  if (post > 0 && restAt !== undefined && !postMarketable) {
    orders.push({ style: 'passive', size: post, price: restAt, tif: 'GTC' });
    if (action.kind === 'wait') action = { kind: 'post', size: post, price: restAt };
    const where = restAt === rawTouch ? `the ${parent.side === 'sell' ? 'ask' : 'bid'}` : 'the limit';
    notes.push(`rests ${post} at ${where} ${restAt} ${blocked ? 'for the late lots and the next slice' : 'for the next slice'} (${targetNext} due)`);
  } else if (kept > 0) {
    if (action.kind === 'wait') action = { kind: 'hold', size: 0, price: restAt ?? null };
    notes.push(`keeps ${kept} resting at ${restAt}`);
  }
  if (cancels.length > 0) {
    if (action.kind === 'wait') action = { kind: 'cancel', size: 0, price: null };
    notes.push(`cancelled ${cancels.length} off the touch or in excess`);
  }

  return {
    cancels,
    orders,
    action,
    reason: `${options.label}: ${notes.join('; ')}`,
    inputs: {
      timeLeftS: view.timeLeftNs / 1e9,
      quantityLeft: view.quantityLeft,
      targetNow,
      targetNext,
      behind,
      spreadTicks: view.spread / view.tickSize,
      imbalance: view.imbalance,
      volatilityBps: view.volatilityBpsPerSqrtS,
      recentVolume: view.recentVolume,
      working: view.working,
      ...options.inputs,
    },
  };
}

function clampLots(n: number, q: number): number {
  return Math.max(0, Math.min(q, n));
}
