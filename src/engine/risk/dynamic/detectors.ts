/**
 * Detectors on the market sampled once a second (the first three model-free) (risk/overlay.ts `MarketSample`):
 *
 * - flash crash: the mid moved at least `k` forecast standard deviations within `windowSeconds`,
 *   |ln(midₜ / midₜ₋W)| ≥ k · σ · √W, with σ the volatility forecast (bps per √s) taken at the
 *   window's start, so the crash's own moves do not raise the bar it is measured against;
 * - spread blow-out: the spread is at least `multiple` times its median over the last
 *   `medianSeconds`, and at least `minTicks`;
 * - depth vacuum: the thinner side's visible depth (top 5 levels) is at most `fraction` of its
 *   median over the last `medianSeconds` (an empty side is a vacuum).
 *
 * - volatile regime: the market regime of the last complete minute (the session's market signal,
 *   signals/regime.ts) is at least `stress` volatile (its centroid's standardised volatility,
 *   squashed to (−1, 1); the shipped regimes: volatile 0.81, tight −0.17, one-sided −0.36, calm
 *   −0.55). It stays silent where the session keeps no signal.
 *
 * Each warms up before it can fire, fires on the sample that crosses its threshold and clears once
 * it has stayed back under it for `holdSeconds`. Each reports plain data: firing, value, threshold,
 * unit and a sentence.
 */

import { z } from 'zod';
import { REGIME_STRESS } from '../../contract/events';
import { RollingWindow } from './window';
import type { DetectorView, MarketSample } from '../overlay';
import type { DetectorName } from '../posture';

export const flashCrashConfigSchema = z.object({ k: z.number().positive(), windowSeconds: z.number().int().min(2).max(600), holdSeconds: z.number().int().min(1).max(3_600) }).strict();
export const spreadBlowoutConfigSchema = z.object({ multiple: z.number().gt(1), minTicks: z.number().positive(), medianSeconds: z.number().int().min(30).max(7_200), holdSeconds: z.number().int().min(1).max(3_600) }).strict();
export const depthVacuumConfigSchema = z.object({ fraction: z.number().gt(0).lt(1), medianSeconds: z.number().int().min(30).max(7_200), holdSeconds: z.number().int().min(1).max(3_600) }).strict();
export const volatileRegimeConfigSchema = z.object({ stress: z.number().gt(-1).lt(1), holdSeconds: z.number().int().min(1).max(3_600) }).strict();
export type VolatileRegimeConfig = z.infer<typeof volatileRegimeConfigSchema>;
/** Fires in the shipped model's volatile regime only; clears a minute after the regime has changed. */
export const DEFAULT_VOLATILE_REGIME: VolatileRegimeConfig = { stress: REGIME_STRESS.volatile, holdSeconds: 60 };
export type FlashCrashConfig = z.infer<typeof flashCrashConfigSchema>;
export type SpreadBlowoutConfig = z.infer<typeof spreadBlowoutConfigSchema>;
export type DepthVacuumConfig = z.infer<typeof depthVacuumConfigSchema>;

/** A detector's edge on one sample, or null. */
export interface Edge {
  readonly edge: 'fired' | 'cleared';
  readonly value: number;
  readonly threshold: number;
  readonly reason: string;
}

/** The firing and clearing every detector shares: fire on crossing, clear after `hold` samples back under. */
abstract class Detector {
  protected firing = false;
  private since: number | null = null;
  private under = 0;
  protected value: number | null = null;
  protected threshold = NaN;
  protected sentence = 'warming up';

  constructor(
    readonly name: DetectorName,
    readonly unit: string,
    private readonly holdSamples: number,
  ) {}

  /** Takes the next sample; returns the edge it makes, if any. */
  sample(s: MarketSample): Edge | null {
    const m = this.measure(s);
    if (m === null) {
      this.value = null;
      return null;
    }
    this.value = m.value;
    this.threshold = m.threshold;
    this.sentence = m.reason;
    if (!this.firing) {
      if (!m.over) return null;
      this.firing = true;
      this.since = s.ts;
      this.under = 0;
      return { edge: 'fired', value: m.value, threshold: m.threshold, reason: m.reason };
    }
    if (m.over) {
      this.under = 0;
      return null;
    }
    if (++this.under < this.holdSamples) return null;
    this.firing = false;
    this.since = null;
    return { edge: 'cleared', value: m.value, threshold: m.threshold, reason: `${m.reason} for ${this.holdSamples} s` };
  }

  view(): DetectorView {
    return { name: this.name, firing: this.firing, value: this.value, threshold: this.threshold, unit: this.unit, reason: this.sentence, since: this.since };
  }

  /** The measure on this sample against its threshold, or null while warming up. */
  protected abstract measure(s: MarketSample): { value: number; threshold: number; over: boolean; reason: string } | null;
}

/** See the module comment. `sigma` is the volatility forecast now (bps per √s; NaN while it warms up). */
export class FlashCrashDetector extends Detector {
  private readonly mids: RollingWindow;
  private readonly sigmas: RollingWindow;

  constructor(
    private readonly config: FlashCrashConfig,
    private readonly sigma: () => number,
  ) {
    super('flash-crash', 'σ', config.holdSeconds);
    this.mids = new RollingWindow(config.windowSeconds + 1);
    this.sigmas = new RollingWindow(config.windowSeconds + 1);
  }

  protected measure(s: MarketSample): { value: number; threshold: number; over: boolean; reason: string } | null {
    this.mids.push(s.mid);
    this.sigmas.push(this.sigma());
    if (!this.mids.full) return null;
    const from = this.mids.oldest();
    const sigma = this.sigmas.oldest();
    if (!(from > 0) || !(s.mid > 0) || !(sigma > 0)) return null;
    const w = this.config.windowSeconds;
    const moveBps = 1e4 * Math.log(s.mid / from);
    const sds = Math.abs(moveBps) / (sigma * Math.sqrt(w));
    const over = sds >= this.config.k;
    const dir = moveBps < 0 ? 'fell' : 'rose';
    return {
      value: sds,
      threshold: this.config.k,
      over,
      reason: `the mid ${dir} ${Math.abs(moveBps).toFixed(1)} bps in ${w} s: ${sds.toFixed(1)}σ of the forecast ${sigma.toFixed(2)} bps/√s (fires at ${this.config.k}σ)`,
    };
  }
}

/** See the module comment. */
export class SpreadBlowoutDetector extends Detector {
  private readonly spreads: RollingWindow;

  constructor(private readonly config: SpreadBlowoutConfig) {
    super('spread-blowout', '× median', config.holdSeconds);
    this.spreads = new RollingWindow(config.medianSeconds);
  }

  protected measure(s: MarketSample): { value: number; threshold: number; over: boolean; reason: string } | null {
    const median = this.spreads.median();
    const warm = this.spreads.length >= Math.min(this.config.medianSeconds, 120);
    this.spreads.push(s.spread);
    if (!warm || !(median > 0)) return null;
    // A side empty: the spread is unbounded.
    const spread = Number.isFinite(s.spread) ? s.spread : Infinity;
    const multiple = spread / median;
    const over = multiple >= this.config.multiple && spread >= this.config.minTicks;
    return {
      value: Number.isFinite(multiple) ? multiple : 1e9,
      threshold: this.config.multiple,
      over,
      reason: Number.isFinite(spread)
        ? `the spread is ${spread.toFixed(0)} ticks, ${multiple.toFixed(1)}× its ${this.config.medianSeconds} s median of ${median.toFixed(1)} (fires at ${this.config.multiple}× and ${this.config.minTicks} ticks)`
        : 'a side of the book is empty: no spread',
    };
  }
}

/** See the module comment. */
export class DepthVacuumDetector extends Detector {
  private readonly depths: RollingWindow;

  constructor(private readonly config: DepthVacuumConfig) {
    super('depth-vacuum', '× median', config.holdSeconds);
    this.depths = new RollingWindow(config.medianSeconds);
  }

  protected measure(s: MarketSample): { value: number; threshold: number; over: boolean; reason: string } | null {
    const thinner = Math.min(s.bidDepth, s.askDepth);
    const median = this.depths.median();
    const warm = this.depths.length >= Math.min(this.config.medianSeconds, 120);
    this.depths.push(thinner);
    if (!warm || !(median > 0)) return null;
    const share = thinner / median;
    const side = s.bidDepth <= s.askDepth ? 'bid' : 'ask';
    return {
      value: share,
      threshold: this.config.fraction,
      over: share <= this.config.fraction,
      reason: `the ${side} shows ${thinner.toFixed(0)} lots in its top 5 levels, ${(share * 100).toFixed(0)}% of its ${this.config.medianSeconds} s median of ${median.toFixed(0)} (fires at ${(this.config.fraction * 100).toFixed(0)}%)`,
    };
  }
}

/** See the module comment. */
export class VolatileRegimeDetector extends Detector {
  constructor(private readonly config: VolatileRegimeConfig) {
    super('volatile-regime', 'stress', config.holdSeconds);
  }

  protected measure(s: MarketSample): { value: number; threshold: number; over: boolean; reason: string } | null {
    const r = s.regime;
    if (!r) return null;
    const over = r.stress >= this.config.stress;
    return {
      value: r.stress,
      threshold: this.config.stress,
      over,
      reason: `the market regime is ${r.name} (stress ${r.stress.toFixed(2)}; fires at ${this.config.stress.toFixed(2)})`,
    };
  }
}
