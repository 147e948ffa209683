import type { AgentOverride, OverrideField } from '../../../engine/contract/index';
import { formatPercent, formatPrice, formatSimTime } from './format';

/** What each overridable parameter is called on the agent's card. */
export const OVERRIDE_LABELS: Readonly<Record<OverrideField, string>> = {
  urgency: 'Urgency',
  participationCap: 'Participation cap',
  limitPrice: 'Limit price',
  endNs: 'Horizon ends',
  pauseAtPrice: 'Pause at price',
};

/** A parameter's value as the card shows it: urgency as a multiple, a cap as a share, prices to the tick, the horizon's end as a time; `none` for null. */
export function formatOverrideValue(field: OverrideField, value: number | null, tickSize: number): string {
  if (value === null) return 'none';
  switch (field) {
    case 'urgency':
      return `${value}×`;
    case 'participationCap':
      return formatPercent(value);
    case 'endNs':
      return formatSimTime(value);
    case 'limitPrice':
    case 'pauseAtPrice':
      return formatPrice(value, tickSize);
  }
}

/** Overrides in one line, each with what it was: `urgency 2× (was 1×) · participation cap 10.0% (was none)`. */
export function describeOverrides(overrides: readonly AgentOverride[], tickSize: number): string {
  return overrides.map((o) => `${OVERRIDE_LABELS[o.field].toLowerCase()} ${formatOverrideValue(o.field, o.value, tickSize)} (was ${formatOverrideValue(o.field, o.original, tickSize)})`).join(' · ');
}
