import { z } from 'zod';
import { command, reasonSchema as reason } from '../contract/define';

/** An order's id as the window and the journal name it: the agent's id (or `trader`), a slash, its number. */
const orderId = z.string().regex(/^[A-Za-z0-9_-]{1,64}\/\d{1,12}$/, 'an order id is AGENT/NUMBER, as the blotter shows it (trader/3, agent-2/17)');
/** Lots: whole, positive, and not beyond what any limit could let through. */
const lots = z.number().int('a quantity is a whole number of lots').min(1, 'a quantity is at least 1 lot').max(1_000_000_000);
/** A price in the venue's price units (ticks on the simulator; $0.0001 on LOBSTER), whole and positive. */
const price = z.number().int('a price is a whole number of price units (the ticket converts it)').min(1, 'a price is positive');

/** How a manual order turned out at once: resting, filled whole, its rest expired (IOC, or an FOK the book could not fill), or refused by the gate or the venue. */
export type ManualOrderStatus = 'working' | 'filled' | 'expired' | 'denied';

export interface ManualOrderResult {
  readonly orderId: string;
  readonly status: ManualOrderStatus;
  /** Lots filled on arrival. */
  readonly filled: number;
  /** Why the gate or the venue refused it (status denied), with its numbers; null otherwise. */
  readonly refusal: { readonly by: 'risk' | 'venue'; readonly code: string; readonly detail: string } | null;
}

export const placeOrderSchema = z
  .object({
    side: z.enum(['buy', 'sell']),
    quantity: lots,
    type: z.enum(['limit', 'market']),
    price: price.optional(),
    /** Day rests until filled, cancelled or the session ends; IOC takes what is there and cancels the rest; FOK fills whole at once or not at all. */
    tif: z.enum(['day', 'ioc', 'fok']),
    postOnly: z.boolean().default(false),
    reason,
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.type === 'limit' && o.price === undefined) ctx.addIssue({ code: 'custom', path: ['price'], message: 'a limit order needs a price' });
    if (o.type === 'market' && o.price !== undefined) ctx.addIssue({ code: 'custom', path: ['price'], message: 'a market order takes no price' });
    if (o.type === 'market' && o.tif === 'day') ctx.addIssue({ code: 'custom', path: ['tif'], message: 'a market order never rests: choose IOC or FOK' });
    if (o.postOnly && (o.type !== 'limit' || o.tif !== 'day')) ctx.addIssue({ code: 'custom', path: ['postOnly'], message: 'post-only is for a day limit order, which rests instead of trading' });
  });

/** The trader's own orders: sent through the same risk gate as the agents', journaled with who and why. */
export const tradingCommands = {
  PlaceOrder: command<ManualOrderResult>()(placeOrderSchema, "Sends the trader's own order (the desk's) through the risk gate to the venue."),
  CancelOrder: command<{ orderId: string; lots: number }>()(z.object({ orderId, reason }).strict(), "Cancels a working order: the trader's own, or an agent's (the agent decides again at its next decision)."),
  ModifyOrder: command<ManualOrderResult & { replaced: string }>()(
    z
      .object({ orderId, price: price.optional(), quantity: lots.optional(), reason })
      .strict()
      .refine((o) => o.price !== undefined || o.quantity !== undefined, { message: 'a modify changes the price, the quantity or both' }),
    "Changes the trader's own working order's price or quantity: cancelled and replaced through the gate (a replacement the gate refuses leaves the order cancelled, and says why).",
  ),
} as const;
