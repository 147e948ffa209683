/**
 * The dynamic part of the overlay as the kernel drives it: once a simulated second the kernel samples
 * the market (`MarketSample`), the monitor (risk/dynamic) updates its volatility forecasts and
 * detectors and answers the detectors' edges, and the kernel carries out the posture rules
 * (risk/posture.ts) on them. Plain data both ways, so the window and the journal see the same.
 */

import type { DetectorName, PostureRule } from './posture';

/** The market as sampled once a simulated second: mid and spread (NaN with a side of the book empty) and the visible depth of the top 5 levels a side. */
export interface MarketSample {
  /** Simulated ns. */
  readonly ts: number;
  /** Price units. */
  readonly mid: number;
  /** Ticks. */
  readonly spread: number;
  /** Lots. */
  readonly bidDepth: number;
  readonly askDepth: number;
  /** The market regime of the last complete minute, when the session keeps a market signal (signals/market-signal.ts): its name and stress in (−1, 1). */
  readonly regime?: { readonly name: string; readonly stress: number } | null;
}

/** A detector firing or clearing, in words and numbers. */
export interface DetectorEdge {
  readonly detector: DetectorName;
  readonly edge: 'fired' | 'cleared';
  readonly reason: string;
  readonly value: number;
  readonly threshold: number;
}

/** The monitor the kernel samples into. */
export interface DynamicRisk {
  sample(s: MarketSample): readonly DetectorEdge[];
  view(): Omit<DynamicRiskView, 'rules'>;
}

/** One detector as the window shows it: whether it fires, its value against its threshold, and why in words. */
export interface DetectorView {
  readonly name: DetectorName;
  readonly firing: boolean;
  /** The detector's measure now (null while it warms up) and the threshold it fires at, in `unit`. */
  readonly value: number | null;
  readonly threshold: number;
  readonly unit: string;
  readonly reason: string;
  /** Simulated ns it has fired since, or null. */
  readonly since: number | null;
}

export interface DynamicRiskView {
  /** Forecast volatility of the mid for the next second, in bps per √s; null before enough samples. */
  readonly ewmaBpsPerSqrtS: number | null;
  readonly garchBpsPerSqrtS: number | null;
  /** The models and their parameters, in words. */
  readonly models: string;
  readonly detectors: readonly DetectorView[];
  readonly rules: readonly PostureRule[];
}
