/**
 * The dynamic-risk monitor the kernel samples the market into once a second (it implements
 * risk/overlay.ts `DynamicRisk`): the mid's log return feeds an EWMA and a GARCH(1,1) forecaster,
 * the GARCH forecast is the flash-crash detector's yardstick, and the spread and depth feed their
 * detectors. Its parameters are a zod-checked plain object: the ones a session uses are fitted on
 * the shared real days (`cockpit risk fit`, models/risk/dynamic-risk.json).
 */

import { z } from 'zod';
import type { DetectorEdge, DynamicRisk, DynamicRiskView, MarketSample } from '../overlay';
import { DEFAULT_VOLATILE_REGIME, depthVacuumConfigSchema, DepthVacuumDetector, flashCrashConfigSchema, FlashCrashDetector, spreadBlowoutConfigSchema, SpreadBlowoutDetector, volatileRegimeConfigSchema, VolatileRegimeDetector } from './detectors';
import { EwmaVolatility, Garch11, garchUnconditionalVariance, GridReturns, WARMUP_INIT } from './volatility';

export const dynamicRiskConfigSchema = z
  .object({
    ewma: z.object({ lambda: z.number().gt(0).lt(1) }).strict(),
    garch: z.object({ omega: z.number().positive(), alpha: z.number().min(0), beta: z.number().min(0) }).strict().refine((g) => g.alpha + g.beta <= 1, 'GARCH α + β must be at most 1'),
    flashCrash: flashCrashConfigSchema,
    spreadBlowout: spreadBlowoutConfigSchema,
    depthVacuum: depthVacuumConfigSchema,
    volatileRegime: volatileRegimeConfigSchema.optional(),
  })
  .strict();
export type DynamicRiskConfig = z.infer<typeof dynamicRiskConfigSchema>;

/** See the module comment. */
export class DynamicRiskMonitor implements DynamicRisk {
  private readonly returns = new GridReturns();
  private readonly ewma: EwmaVolatility;
  private readonly garch: Garch11;
  private readonly flash: FlashCrashDetector;
  private readonly spread: SpreadBlowoutDetector;
  private readonly depth: DepthVacuumDetector;
  private readonly regime: VolatileRegimeDetector;
  private readonly models: string;

  constructor(config: DynamicRiskConfig) {
    const c = dynamicRiskConfigSchema.parse(config);
    const unconditional = garchUnconditionalVariance(c.garch);
    this.ewma = new EwmaVolatility(c.ewma, WARMUP_INIT);
    this.garch = new Garch11(c.garch, Number.isFinite(unconditional) ? { kind: 'variance', varianceBps2: unconditional } : WARMUP_INIT);
    this.flash = new FlashCrashDetector(c.flashCrash, () => this.garch.forecastBps());
    this.spread = new SpreadBlowoutDetector(c.spreadBlowout);
    this.depth = new DepthVacuumDetector(c.depthVacuum);
    this.regime = new VolatileRegimeDetector(c.volatileRegime ?? DEFAULT_VOLATILE_REGIME);
    this.models = `EWMA λ ${c.ewma.lambda}; GARCH(1,1) ω ${c.garch.omega.toPrecision(3)} bps², α ${c.garch.alpha.toFixed(3)}, β ${c.garch.beta.toFixed(3)}; on 1 s mid returns`;
  }

  sample(s: MarketSample): readonly DetectorEdge[] {
    const r = this.returns.next(s.ts, s.mid);
    this.ewma.update(r);
    this.garch.update(r);
    const edges: DetectorEdge[] = [];
    for (const d of [this.flash, this.spread, this.depth, this.regime]) {
      const e = d.sample(s);
      if (e) edges.push({ detector: d.name, ...e });
    }
    return edges;
  }

  view(): Omit<DynamicRiskView, 'rules'> {
    const f = (x: number): number | null => (Number.isFinite(x) ? x : null);
    return { ewmaBpsPerSqrtS: f(this.ewma.forecastBps()), garchBpsPerSqrtS: f(this.garch.forecastBps()), models: this.models, detectors: [this.flash.view(), this.spread.view(), this.depth.view(), this.regime.view()] };
  }
}
