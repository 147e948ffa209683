import { formatClock, NS_PER_SECOND } from '../../../engine/core/clock';

/** Midnight UTC of the session day the chart puts the simulated clock on, in epoch seconds. */
export const SESSION_DAY_EPOCH_S = Date.UTC(2026, 0, 2) / 1000;

const decimalsCache = new Map<number, number>();

/** Returns how many decimals a price on this tick grid needs (0.01 → 2, 0.5 → 1, 5 → 0). */
export function priceDecimals(tickSize: number): number {
  const cached = decimalsCache.get(tickSize);
  if (cached !== undefined) return cached;
  let d = 0;
  while (d < 10 && Math.abs(Math.round(tickSize * 10 ** d) - tickSize * 10 ** d) > 1e-9 * 10 ** d) d++;
  decimalsCache.set(tickSize, d);
  return d;
}

/** Returns the price of `ticks` in currency, the only place ticks become decimals. */
export function ticksToPrice(ticks: number, tickSize: number): number {
  return Number((ticks * tickSize).toFixed(priceDecimals(tickSize) + 1));
}

/**
 * Formats a price given in ticks on the tick grid's decimals; `extra` adds digits for values between
 * ticks (a mid, an average fill).
 */
export function formatPrice(ticks: number | null | undefined, tickSize: number, extra = 0): string {
  if (ticks === null || ticks === undefined || !Number.isFinite(ticks)) return '—';
  return (ticks * tickSize).toFixed(priceDecimals(tickSize) + extra);
}

const sizeFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Formats a size in lots with thousands separators. */
export function formatSize(lots: number | null | undefined): string {
  if (lots === null || lots === undefined || !Number.isFinite(lots)) return '—';
  return sizeFormat.format(lots);
}

/** Formats basis points with one decimal and an explicit sign. */
export function formatBps(bps: number | null | undefined): string {
  if (bps === null || bps === undefined || !Number.isFinite(bps)) return '—';
  const fixed = bps.toFixed(1);
  return bps > 0 && fixed !== '0.0' ? `+${fixed}` : fixed === '-0.0' ? '0.0' : fixed;
}

/** Formats a 0..1 share as a whole percentage. */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${Math.round(share * 100)}%`;
}

/** Formats simulated nanoseconds since the session's midnight as HH:MM:SS.mmm. */
export function formatSimTime(ns: number): string {
  if (!Number.isFinite(ns) || ns < 0) return '--:--:--.---';
  return formatClock(ns);
}

/** Formats a speed multiplier: ×1, ×0.5, ×1000. */
export function formatSpeed(speed: number | null | undefined): string {
  if (speed === null || speed === undefined || !Number.isFinite(speed)) return '—';
  return `×${Number(speed.toPrecision(4))}`;
}

/** Returns the whole simulated second an event time falls in. */
export function simSecond(ns: number): number {
  return Math.floor(ns / NS_PER_SECOND);
}

/** Returns the chart's UTC time (integer epoch seconds) for a whole simulated second. */
export function chartTime(second: number): number {
  return SESSION_DAY_EPOCH_S + second;
}
