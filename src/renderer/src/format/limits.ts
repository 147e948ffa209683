import type { AgentLimits, SessionLimits } from '../../../engine/contract/index';
import type { LimitDelta, LimitGroup } from '../store/types';

/** How the window names and measures one limit. Ranges are the engine's (risk/limits.ts), never repeated here. */
export interface LimitLabel {
  readonly label: string;
  /** Short unit shown beside the number; empty for a count. */
  readonly unit: string;
  /** What the limit bounds, in words (the field's hint and tooltip). */
  readonly help: string;
}

/** The per-agent limits in the order the form and the record show them. */
export const AGENT_LIMIT_LABELS = {
  maxOrderLots: { label: 'Max order', unit: 'lots', help: 'Largest order an agent may send' },
  maxOrderNotional: { label: 'Max order value', unit: 'ccy', help: 'Largest order value (price × lots), in the instrument’s currency' },
  priceCollarBps: { label: 'Price collar', unit: 'bps', help: 'Farthest a limit price may be from the mid' },
  maxLongLots: { label: 'Max long', unit: 'lots', help: 'Largest long position, counting working buy orders as if filled' },
  maxShortLots: { label: 'Max short', unit: 'lots', help: 'Largest short position, counting working sell orders as if filled' },
  maxOpenOrders: { label: 'Working orders', unit: '', help: 'Most working orders at once' },
  maxOrdersPerWindow: { label: 'Order rate', unit: '', help: 'Most orders accepted in any rate window' },
  rateWindowSeconds: { label: 'Rate window', unit: 's', help: 'Length of the order-rate window, simulated seconds' },
  maxDailyLoss: { label: 'Daily loss', unit: 'ccy', help: 'Largest loss since the session began (realised plus marked to the mid); past it only orders that reduce the position pass' },
  duplicateWindowSeconds: { label: 'Duplicate window', unit: 's', help: 'The same order (side, kind, price, size) sent by an earlier decision less than this long ago is a duplicate' },
} as const satisfies Record<keyof AgentLimits, LimitLabel>;

/** The session-wide limits (all agents together). */
export const SESSION_LIMIT_LABELS = {
  maxLongLots: { label: 'Max long', unit: 'lots', help: 'Largest long position of all agents together, counting working buys' },
  maxShortLots: { label: 'Max short', unit: 'lots', help: 'Largest short position of all agents together, counting working sells' },
  maxOpenOrders: { label: 'Working orders', unit: '', help: 'Most working orders of all agents together' },
  maxOrdersPerWindow: { label: 'Order rate', unit: '', help: 'Most orders of all agents accepted in any rate window' },
  rateWindowSeconds: { label: 'Rate window', unit: 's', help: 'Length of the session’s order-rate window, simulated seconds' },
  maxDailyLoss: { label: 'Daily loss', unit: 'ccy', help: 'Largest loss of all agents together since the session began' },
} as const satisfies Record<keyof SessionLimits, LimitLabel>;

export const AGENT_LIMIT_KEYS = Object.keys(AGENT_LIMIT_LABELS) as (keyof AgentLimits)[];
export const SESSION_LIMIT_KEYS = Object.keys(SESSION_LIMIT_LABELS) as (keyof SessionLimits)[];

/** Returns the label of limit `key` in `group`, or null for a limit this window does not know (a newer engine's). */
export function limitLabel(group: LimitGroup, key: string): LimitLabel | null {
  const labels: Readonly<Record<string, LimitLabel>> = group === 'perAgent' ? AGENT_LIMIT_LABELS : SESSION_LIMIT_LABELS;
  return labels[key] ?? null;
}

const amount = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** Formats a limit's value as the engine holds it, with thousands separators (∞ for no limit). */
export function formatLimitValue(value: number): string {
  if (value === Infinity) return '∞';
  if (!Number.isFinite(value)) return '—';
  return amount.format(value);
}

/** Formats a limit with its unit: "5,000 lots", "±200 bps", "1 s". */
export function formatLimit(group: LimitGroup, key: string, value: number): string {
  const unit = limitLabel(group, key)?.unit ?? '';
  const text = formatLimitValue(value);
  if (key === 'priceCollarBps') return `±${text} ${unit}`;
  return unit === '' ? text : `${text} ${unit}`;
}

/** Says what a change of limits moved: "session max long 100,000 → 80,000 lots; price collar ±200 → ±1 bps". */
export function describeDeltas(deltas: readonly LimitDelta[]): string {
  return deltas
    .map((d) => {
      const label = limitLabel(d.group, d.key);
      const name = `${d.group === 'session' ? 'session ' : ''}${(label?.label ?? d.key).toLowerCase()}`;
      const unit = label?.unit ?? '';
      const v = (x: number): string => (d.key === 'priceCollarBps' ? `±${formatLimitValue(x)}` : formatLimitValue(x));
      return `${name} ${v(d.from)} → ${v(d.to)}${unit ? ` ${unit}` : ''}`;
    })
    .join('; ');
}
