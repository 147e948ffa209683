/**
 * Labels for the signal models: the direction of the mid over the next k events, as in the
 * limit-order-book literature (Ntakaris et al. 2018, Zhang et al. 2019, "DeepLOB"): the mean of the
 * next k mids against the mid now, up or down when it moves by more than a threshold, flat otherwise.
 * Averaging the k future mids smooths the label so one bounce at the horizon does not decide it.
 */

/** The three classes, in the order of every model's outputs. */
export const CLASSES = ['down', 'flat', 'up'] as const;
export type Direction = (typeof CLASSES)[number];
export const DOWN = 0;
export const FLAT = 1;
export const UP = 2;
/** A label that cannot be known (fewer than k events follow). */
export const NO_LABEL = -1;

/** How a label is drawn. */
export interface LabelSpec {
  /** Horizon, events. */
  readonly horizon: number;
  /** Smallest move of the mean future mid, ticks, that counts as up or down. */
  readonly thresholdTicks: number;
}

/** Throws unless `spec` is a positive integer horizon and a non-negative threshold. */
export function checkLabelSpec(spec: LabelSpec): void {
  if (!Number.isSafeInteger(spec.horizon) || spec.horizon <= 0) throw new Error(`the horizon must be a positive integer number of events, received ${spec.horizon}`);
  if (!(spec.thresholdTicks >= 0) || !Number.isFinite(spec.thresholdTicks)) throw new Error(`the threshold must be a non-negative number of ticks, received ${spec.thresholdTicks}`);
}

/**
 * Returns the label of every event from the mids (price units, one per event): `UP`, `FLAT`,
 * `DOWN`, or `NO_LABEL` for the last `horizon` events. Label t compares mean(mid[t+1..t+k]) with
 * mid[t]; `tickSize` is price units per tick.
 */
export function directionLabels(mids: ArrayLike<number>, spec: LabelSpec, tickSize: number): Int8Array {
  checkLabelSpec(spec);
  const n = mids.length;
  const k = spec.horizon;
  const theta = spec.thresholdTicks * tickSize;
  const out = new Int8Array(n).fill(NO_LABEL);
  // A running sum of the next k mids.
  let sum = 0;
  for (let j = 1; j <= k && j < n; j++) sum += mids[j] as number;
  for (let t = 0; t + k < n; t++) {
    const d = sum / k - (mids[t] as number);
    out[t] = d > theta ? UP : d < -theta ? DOWN : FLAT;
    sum += (mids[t + k + 1] as number | undefined) ?? 0;
    sum -= mids[t + 1] as number;
  }
  return out;
}

/**
 * Returns the persistence prediction for every event: the label whose horizon has just ended
 * (label t − k, fully known at t), `NO_LABEL` for the first k events.
 */
export function persistencePredictions(labels: Int8Array, horizon: number): Int8Array {
  const out = new Int8Array(labels.length).fill(NO_LABEL);
  for (let t = horizon; t < labels.length; t++) out[t] = labels[t - horizon] as number;
  return out;
}

/** Class counts and shares of the labelled events among `indices` (all events when omitted). */
export interface ClassBalance {
  readonly n: number;
  readonly counts: Readonly<Record<Direction, number>>;
  readonly shares: Readonly<Record<Direction, number>>;
}

/** Returns the class balance of `labels` (events with `NO_LABEL` left out). */
export function classBalance(labels: ArrayLike<number>): ClassBalance {
  const c = [0, 0, 0];
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (y >= 0) c[y] = (c[y] as number) + 1;
  }
  const n = (c[0] as number) + (c[1] as number) + (c[2] as number);
  const share = (x: number): number => (n > 0 ? x / n : 0);
  return {
    n,
    counts: { down: c[DOWN] as number, flat: c[FLAT] as number, up: c[UP] as number },
    shares: { down: share(c[DOWN] as number), flat: share(c[FLAT] as number), up: share(c[UP] as number) },
  };
}
