import type { RiskLimits } from '../../../engine/contract/index';

/** Reads the limits form; returns the limits or what is wrong with them. */
export function parseLimits(form: { maxOrderLots: string; priceCollarBps: string; maxOpenOrders: string }): { limits: RiskLimits } | { error: string } {
  const maxOrderLots = Number(form.maxOrderLots);
  const priceCollarBps = Number(form.priceCollarBps);
  const maxOpenOrders = Number(form.maxOpenOrders);
  if (!Number.isInteger(maxOrderLots) || maxOrderLots < 1 || maxOrderLots > 1_000_000) return { error: 'Max order: a whole number of lots from 1 to 1,000,000.' };
  if (!Number.isFinite(priceCollarBps) || priceCollarBps < 1 || priceCollarBps > 5_000) return { error: 'Price collar: from 1 to 5,000 bps.' };
  if (!Number.isInteger(maxOpenOrders) || maxOpenOrders < 1 || maxOpenOrders > 1_000) return { error: 'Open orders: a whole number from 1 to 1,000.' };
  return { limits: { maxOrderLots, priceCollarBps, maxOpenOrders } };
}
