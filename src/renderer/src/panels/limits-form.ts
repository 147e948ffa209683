import type { RiskLimits } from '../../../engine/contract/index';

/** The per-agent limits the form edits; the rest stay as they are. */
export type LimitsFormFields = { maxOrderLots: string; priceCollarBps: string; maxOpenOrders: string };

/** Reads the limits form over the limits in force; returns the new limits or what is wrong with them. */
export function parseLimits(form: LimitsFormFields, base: RiskLimits): { limits: RiskLimits } | { error: string } {
  const maxOrderLots = Number(form.maxOrderLots);
  const priceCollarBps = Number(form.priceCollarBps);
  const maxOpenOrders = Number(form.maxOpenOrders);
  if (!Number.isInteger(maxOrderLots) || maxOrderLots < 1 || maxOrderLots > 10_000_000) return { error: 'Max order: a whole number of lots from 1 to 10,000,000.' };
  if (!Number.isFinite(priceCollarBps) || priceCollarBps < 1 || priceCollarBps > 5_000) return { error: 'Price collar: from 1 to 5,000 bps.' };
  if (!Number.isInteger(maxOpenOrders) || maxOpenOrders < 1 || maxOpenOrders > 100_000) return { error: 'Open orders: a whole number from 1 to 100,000.' };
  return { limits: { ...base, perAgent: { ...base.perAgent, maxOrderLots, priceCollarBps, maxOpenOrders } } };
}
