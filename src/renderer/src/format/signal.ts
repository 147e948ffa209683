import type { DecisionExplanation, SignalView } from '../../../engine/contract/index';

/** A probability as the signal strip shows it: "34%". */
export function percent(p: number): string {
  return `${Math.round(p * 100)}%`;
}

/** The direction in words and sign: "up +0.23", "down −0.31", "flat +0.04" (flat within ±0.1). */
export function describeDirection(direction: number): string {
  const word = direction > 0.1 ? 'up' : direction < -0.1 ? 'down' : 'flat';
  return `${word} ${direction >= 0 ? '+' : '−'}${Math.abs(direction).toFixed(2)}`;
}

/** The regime in words: "volatile (stress +0.81)", or "not yet known" before the first minute closes. */
export function describeRegime(signal: Pick<SignalView, 'regime' | 'regimeStress'>): string {
  if (signal.regime === null) return 'not yet known (the first minute has not closed)';
  return `${signal.regime.name} (stress ${signal.regimeStress >= 0 ? '+' : '−'}${Math.abs(signal.regimeStress).toFixed(2)})`;
}

/**
 * What the market signal did in a learned policy's decision: each signal slot's attribution as a
 * share of all the attributions, "direction +12%, regime −3%"; null when the explanation has no
 * signal slots.
 */
export function signalContribution(e: Pick<DecisionExplanation, 'attributions'>): string | null {
  const a = e.attributions;
  const d = a.signal0;
  const r = a.signal1;
  if (d === undefined || r === undefined) return null;
  const total = Object.values(a).reduce((n, x) => n + Math.abs(x), 0);
  if (!(total > 0)) return 'direction 0%, regime 0%';
  const share = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.round((Math.abs(x) / total) * 100)}%`;
  return `direction ${share(d)}, regime ${share(r)}`;
}
