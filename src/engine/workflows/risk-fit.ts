import type { DetectorName } from '../risk/posture';
/**
 * Fits the dynamic-risk monitor on the shared real days: each LOBSTER day is replayed on its
 * historical venue and sampled once a second exactly as a session samples its market
 * (`marketSample`); EWMA's λ and GARCH(1,1) are fitted by Gaussian maximum likelihood on each day's
 * 1 s mid returns and on the days pooled (each with its own warm-up); the pooled parameters are the
 * ones sessions use. Each detector's threshold is then chosen on the same days by one rule: the
 * loosest value of its measure any real day reaches, with a margin, so that no real day would have
 * fired (these are ordinary days: an alarm on one is a false alarm). The false alarms each day gets
 * at the chosen thresholds are counted by running the monitor itself over the samples.
 */

import { NS_PER_SECOND } from '../core/clock';
import { marketSample } from '../execution/kernel';
import type { MarketSample } from '../risk/overlay';
import type { Venue } from '../venue/types';
import { fitEwma, fitGarch11, type EwmaFit, type GarchFit } from '../risk/dynamic/fit';
import { gridReturnsBps } from '../risk/dynamic/volatility';
import { DynamicRiskMonitor, dynamicRiskConfigSchema, type DynamicRiskConfig } from '../risk/dynamic/monitor';
import { throwIfCancelled, type WorkflowContext } from './workflow';

/** A real day to fit on: its name and a venue replaying it from its open, with its tick. */
export interface RealDay {
  readonly name: string;
  /** Price levels a side the file shows: the depth detector needs the 5 it sums (a 1-level file cannot measure it). */
  readonly levels: number;
  readonly open: () => Promise<{ readonly venue: Venue; readonly tickSize: number; readonly startNs: number; readonly endNs: number }>;
}

export interface DayFit {
  readonly name: string;
  readonly samples: number;
  readonly ewma: EwmaFit;
  readonly garch: GarchFit;
  /** The detectors' loosest measures that day: the largest flash-crash statistic (σ), the largest spread multiple, the smallest depth share. */
  readonly maxFlashSigma: number;
  readonly maxSpreadMultiple: number;
  /** Null on a day whose file shows fewer than the 5 levels the depth is summed over. */
  readonly minDepthShare: number | null;
}

export interface RiskFitReport {
  readonly days: readonly DayFit[];
  readonly pooled: { readonly ewma: EwmaFit; readonly garch: GarchFit };
  /** What sessions use: the pooled models and the chosen thresholds. */
  readonly config: DynamicRiskConfig;
  readonly rule: string;
  /** Alerts each detector gives each real day at the chosen thresholds. */
  readonly falseAlarms: ReadonlyArray<{ readonly name: string; readonly 'flash-crash': number; readonly 'spread-blowout': number; readonly 'depth-vacuum': number | null }>;
}

/** The windows and holds the thresholds are chosen for. */
const WINDOWS = { flashCrash: { windowSeconds: 30, holdSeconds: 60 }, spreadBlowout: { minTicks: 4, medianSeconds: 600, holdSeconds: 30 }, depthVacuum: { medianSeconds: 600, holdSeconds: 30 } } as const;
/** Levels a side the depth detector sums. */
const DEPTH_LEVELS = 5;
/** The margin past the loosest real-day measure. */
const MARGIN = 1.25;

/** Samples a real day once a second from its start to its end. */
export async function sampleDay(day: RealDay): Promise<MarketSample[]> {
  const { venue, tickSize, startNs, endNs } = await day.open();
  const out: MarketSample[] = [];
  let t = Math.ceil(startNs / NS_PER_SECOND) * NS_PER_SECOND;
  venue.elapse(t - venue.now());
  for (; t <= endNs; t += NS_PER_SECOND) {
    if (t > venue.now()) venue.elapse(t - venue.now());
    out.push(marketSample(venue, t, tickSize));
  }
  return out;
}

/** Runs the fit; see the module comment. */
export async function riskFit(days: readonly RealDay[], context: WorkflowContext = {}): Promise<RiskFitReport> {
  const sampled: Array<{ name: string; levels: number; samples: MarketSample[]; returns: number[] }> = [];
  for (const day of days) {
    throwIfCancelled(context.signal);
    const samples = await sampleDay(day);
    sampled.push({ name: day.name, levels: day.levels, samples, returns: gridReturnsBps(samples) });
    context.onProgress?.({ done: sampled.length, total: days.length * 2 });
  }
  const pooled = { ewma: fitEwma(sampled.map((d) => d.returns)), garch: fitGarch11(sampled.map((d) => d.returns)) };
  const models = { ewma: { lambda: pooled.ewma.lambda }, garch: { omega: pooled.garch.omega, alpha: pooled.garch.alpha, beta: pooled.garch.beta } };
  // Measure each detector's statistic with thresholds no day can reach, so none fires and every sample is measured.
  const measuring: DynamicRiskConfig = {
    ...models,
    flashCrash: { k: 1e12, ...WINDOWS.flashCrash },
    spreadBlowout: { multiple: 1e12, ...WINDOWS.spreadBlowout },
    depthVacuum: { fraction: 1e-12, ...WINDOWS.depthVacuum },
  };
  const fits: DayFit[] = [];
  for (const d of sampled) {
    const monitor = new DynamicRiskMonitor(measuring);
    let flash = 0;
    let spread = 0;
    let depth = Infinity;
    for (const s of d.samples) {
      monitor.sample(s);
      const [f, sp, dp] = monitor.view().detectors;
      if (f?.value != null) flash = Math.max(flash, f.value);
      if (sp?.value != null && sp.value < 1e9) spread = Math.max(spread, sp.value);
      if (dp?.value != null) depth = Math.min(depth, dp.value);
    }
    fits.push({ name: d.name, samples: d.samples.length, ewma: fitEwma(d.returns), garch: fitGarch11(d.returns), maxFlashSigma: flash, maxSpreadMultiple: spread, minDepthShare: d.levels >= DEPTH_LEVELS ? depth : null });
    await new Promise((resolve) => setImmediate(resolve));
  }
  const depthDays = fits.filter((f) => f.minDepthShare !== null);
  if (depthDays.length === 0) throw new Error(`the depth detector needs a day whose file shows at least ${DEPTH_LEVELS} levels a side; none of ${days.map((d) => d.name).join(', ')} does`);
  const config = dynamicRiskConfigSchema.parse({
    ...models,
    flashCrash: { k: roundUp(Math.max(...fits.map((f) => f.maxFlashSigma)) * MARGIN, 0.5), ...WINDOWS.flashCrash },
    spreadBlowout: { multiple: roundUp(Math.max(...fits.map((f) => f.maxSpreadMultiple)) * MARGIN, 0.5), ...WINDOWS.spreadBlowout },
    depthVacuum: { fraction: roundDown(Math.min(...depthDays.map((f) => f.minDepthShare as number)) / MARGIN, 0.01, 0.01), ...WINDOWS.depthVacuum },
  });
  const falseAlarms: RiskFitReport['falseAlarms'][number][] = [];
  for (const d of sampled) {
    const monitor = new DynamicRiskMonitor(config);
    // The samples carry no regime (no market signal runs here): the regime detector stays silent.
    const counts: Record<DetectorName, number> = { 'flash-crash': 0, 'spread-blowout': 0, 'depth-vacuum': 0, 'volatile-regime': 0 };
    for (const s of d.samples) for (const e of monitor.sample(s)) if (e.edge === 'fired') counts[e.detector] += 1;
    falseAlarms.push({ name: d.name, 'flash-crash': counts['flash-crash'], 'spread-blowout': counts['spread-blowout'], 'depth-vacuum': d.levels >= DEPTH_LEVELS ? counts['depth-vacuum'] : null });
    context.onProgress?.({ done: days.length + falseAlarms.length, total: days.length * 2 });
  }
  const rule = `each threshold is the loosest value its measure reaches on any of the ${days.length} real days, with a ${MARGIN}× margin (flash crash: the largest ${WINDOWS.flashCrash.windowSeconds} s move in forecast σ, ×${MARGIN}, rounded up to 0.5; spread: the largest multiple of its ${WINDOWS.spreadBlowout.medianSeconds} s median, ×${MARGIN}, rounded up to 0.5; depth: the smallest share of its median on the days whose files show ${DEPTH_LEVELS} levels or more, ÷${MARGIN}, rounded down to 0.01, at least 0.01)`;
  return { days: fits, pooled, config, rule, falseAlarms };
}

function roundUp(x: number, step: number): number {
  return Math.ceil(x / step) * step;
}

function roundDown(x: number, step: number, min: number): number {
  return Math.max(min, Math.floor(x / step) * step);
}
