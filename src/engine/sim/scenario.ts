/**
 * The market simulator's scenario: one instrument, its session, its fundamental value process, the
 * background agents' parameters and scheduled happenings (a flash crash). Scenario files are JSON
 * checked by a strict zod schema: an unknown key or an impossible value is an error naming the key
 * path and the file. Pure: the file reading lives in `node/sim-scenarios.ts`.
 */

import { z } from 'zod';

const rate = z.number().finite().nonnegative();
const positive = z.number().finite().positive();
const probability = z.number().finite().min(0).max(1);
const nonNegativeInt = z.number().int().nonnegative();
const positiveInt = z.number().int().positive();

/** A positive size or distance law; samples are rounded to integers of at least `min` (default 1). */
const distribution = z.discriminatedUnion('law', [
  z.strictObject({ law: z.literal('fixed'), value: positive }),
  z.strictObject({
    law: z.literal('lognormal'),
    /** Median of the law. */
    median: positive,
    /** Standard deviation of the log. */
    sigma: z.number().finite().nonnegative().max(5),
    max: positive.optional(),
  }),
  z.strictObject({
    law: z.literal('empirical'),
    /** Values at evenly spaced probabilities 0, 1/(n−1), …, 1, ascending; sampled by linear interpolation. */
    quantiles: z
      .array(positive)
      .min(2)
      .refine((q) => q.every((v, i) => i === 0 || v >= q[i - 1]!), { message: 'quantiles must be ascending' }),
  }),
]);

const latency = z.strictObject({
  /** Order entry latency: from the agent's decision to the order (or cancel) reaching the book. */
  entryMs: rate.default(0),
  /** Market data latency: the agent acts on the book as it was this long before. */
  marketDataMs: rate.default(0),
  /** Mean of an exponential jitter added to each latency draw. */
  jitterMs: rate.default(0),
});

const noLatency = { entryMs: 0, marketDataMs: 0, jitterMs: 0 };

const zeroIntelligence = z.strictObject({
  /** Limit orders per second, each side. */
  limitRate: rate,
  /** Market orders per second, each side. */
  marketRate: rate,
  /** Cancellation rate per resting order per second (each order lives an exponential time). */
  cancelRate: rate,
  /** Limit price distance from the opposite best, ticks (1 = one tick inside the opposite touch). */
  placement: distribution,
  limitSize: distribution,
  marketSize: distribution,
  /** Orders placed each side before the session opens, to seed the book. */
  initialOrdersPerSide: nonNegativeInt.default(40),
  latency: latency.default(noLatency),
});

const marketMakers = z.strictObject({
  count: nonNegativeInt,
  /** Mean time between re-quotes. */
  requoteMs: positive,
  /** Quoted spread around the maker's fair value when flat and calm, ticks (at least 1). */
  spreadTicks: z.number().int().min(1),
  /** Levels quoted each side. */
  levels: positiveInt.max(20),
  /** Distance between a maker's levels, ticks. */
  levelSpacingTicks: positiveInt,
  size: distribution,
  /** Quote shift per lot of inventory, ticks (against the inventory). */
  inventorySkewTicksPerLot: rate,
  /** Inventory beyond which the maker stops quoting the side that would add to it, lots. */
  maxInventory: positive,
  /** Extra half-spread per tick of recent mid volatility (EWMA of absolute mid changes between re-quotes). */
  volatilityWidening: rate,
  /** Weight of the latest mid in the maker's fair value EWMA (1 = the mid itself). */
  fairValueWeight: probability.default(1),
  /**
   * Weight of the fundamental value in the centre of the maker's quotes, against its fair value
   * from the mid (0, the default: the mid alone). Dealers who know the value, as in Glosten and
   * Milgrom (1985): they quote around it, so flow that carries no information moves the price only
   * until they re-quote, and the price follows the value, not the flow.
   */
  fundamentalWeight: probability.default(0),
  /**
   * The permanent-impact channel (off when absent): the makers shift the centre of their quotes by
   * what the signed aggressive order flow tells them, a propagator (Bouchaud et al. 2004) with
   * Kyle's (1985) permanent λ as its case without decay. See `sim/flow-impact.ts`.
   */
  flowImpact: z
    .strictObject({
      /** The shift for an aggressive order of one lot, ticks (λ). */
      ticks: positive,
      /** An order of v lots shifts the centre `ticks` × v^sizeExponent (1: linear, as Kyle's). */
      sizeExponent: z.number().finite().positive().max(1).default(1),
      /** The impact decays as (1 + t / decaySeconds)^−decayExponent (0, the default: permanent). */
      decayExponent: z.number().finite().nonnegative().max(2).default(0),
      decaySeconds: positive.default(1),
    })
    .optional(),
  latency: latency.default(noLatency),
});

const informed = z.strictObject({
  count: nonNegativeInt,
  /** Decisions per second, each informed trader. */
  rate: rate,
  /** Trades only when the fundamental is beyond the opposite touch by this much, ticks. */
  thresholdTicks: rate,
  size: distribution,
  /**
   * Send an immediate-or-cancel limit at the fundamental less the threshold (buying) or plus it
   * (selling) instead of a market order capped at the touch: a value trader sweeps a dislocated
   * book back towards the fundamental. Off by default.
   */
  tradeUpToFundamental: z.boolean().default(false),
  latency: latency.default(noLatency),
});

const trend = z.strictObject({
  count: nonNegativeInt,
  /** Decisions per second, each trader. */
  rate: rate,
  /** Fast and slow EWMA time constants of the mid, seconds; the signal is fast − slow. */
  fastSeconds: positive,
  slowSeconds: positive,
  /** Trades when |signal| exceeds this, ticks. */
  thresholdTicks: rate,
  size: distribution,
  latency: latency.default(noLatency),
});

const hawkes = z.strictObject({
  /** Baseline intensity of market orders, per second. */
  baseRate: rate,
  /** Jump of the intensity per market order, per second. */
  alpha: rate,
  /** Decay rate of the excitation, per second. */
  beta: positive,
  /** Probability that a market order has the same side as the previous one. */
  sidePersistence: probability,
  size: distribution,
  latency: latency.default(noLatency),
});

const fundamental = z.strictObject({
  /** Typical 1-minute volatility of the fundamental value, basis points. */
  volatilityBpsPerMinute: rate,
  /** Volatility of the log-volatility (per square root of the mean-reversion time). */
  volOfVol: rate,
  /** Mean-reversion time of the log-volatility, minutes. */
  volMeanReversionMinutes: positive,
  /** Jumps per hour. */
  jumpRatePerHour: rate,
  /** Standard deviation of a jump, basis points. */
  jumpSizeBps: rate,
  /** Time between updates of the fundamental, milliseconds. */
  stepMs: positive,
  /** The volatility scales as the intraday profile to this power. */
  profileExponent: rate.default(0.5),
});

const backstop = z.strictObject({
  /** A side left empty gets a stub quote this far from the last mid, ticks. */
  distanceTicks: positiveInt,
  size: positiveInt,
  /**
   * Measure the distance from the mid of the last book with genuine (non-stub) bests on both sides,
   * instead of from the last mid, which may include an earlier stub (then each stub eaten puts the
   * next one further away and a selling burst walks the price to the floor). Off by default.
   */
  anchorToGenuineMid: z.boolean().default(false),
});

const event = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('liquidityWithdrawal'),
    atSeconds: rate,
    durationSeconds: positive,
    /** Share of market makers that pull their quotes. */
    share: probability.default(1),
    /** Over how long the makers come back after the withdrawal, seconds. */
    recoverySeconds: rate.default(0),
  }),
  z.strictObject({
    kind: z.literal('aggressiveSelling'),
    atSeconds: rate,
    durationSeconds: positive,
    /** Market sell orders per second during the burst. */
    rate: positive,
    size: distribution,
    /**
     * How far below the best bid one sell may trade, ticks: each sell is then an immediate-or-cancel
     * limit at that distance (market-order price protection, as exchanges apply). Unbounded when absent.
     */
    maxSweepTicks: positiveInt.optional(),
  }),
  z.strictObject({
    kind: z.literal('fundamentalJump'),
    atSeconds: rate,
    /** Signed jump of the fundamental, basis points. */
    bps: z.number().finite().min(-9000).max(9000),
  }),
]);

/** The zod schema of a scenario file. */
export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1).regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    description: z.string().min(1),
    instrument: z.strictObject({
      symbol: z.string().min(1),
      /** Currency per tick. */
      tickSize: positive,
      /** Shares per lot. */
      lotSize: positiveInt,
      /** Starting price, ticks. */
      startPriceTicks: positiveInt,
    }),
    session: z.strictObject({
      /** Session open, seconds after midnight (the venue clock is ns after midnight). */
      openSeconds: rate.max(86_400),
      durationSeconds: positive.max(86_400),
    }),
    /** Activity multipliers by time bucket from the open (normalised to a mean of 1 when loaded). */
    intraday: z
      .strictObject({
        bucketSeconds: positive,
        profile: z.array(positive).min(1),
      })
      .optional(),
    fundamental,
    zeroIntelligence,
    marketMakers,
    informed,
    momentum: trend,
    meanReversion: trend,
    hawkes,
    backstop,
    /**
     * How the execution agent's resting orders fill. 'queue' (the default): they rest in the book and
     * the background agents trade with them in price-time priority. 'trade-through': they stay out of
     * the book and fill only when a trade prints at a better price than theirs or the opposite best
     * reaches it (the conservative backtesting rule: a resting order fills when the price comes
     * through it, never from flow that leaves the price where it is).
     */
    agentFills: z.enum(['queue', 'trade-through']).default('queue'),
    events: z.array(event).default([]),
  })
  .superRefine((s, ctx) => {
    if (s.hawkes.alpha >= s.hawkes.beta) {
      ctx.addIssue({
        code: 'custom',
        path: ['hawkes', 'alpha'],
        message: `alpha / beta is the branching ratio and must be below 1 for a stationary process, received alpha ${s.hawkes.alpha} and beta ${s.hawkes.beta}`,
      });
    }
    for (const key of ['momentum', 'meanReversion'] as const) {
      if (s[key].fastSeconds >= s[key].slowSeconds) {
        ctx.addIssue({
          code: 'custom',
          path: [key, 'fastSeconds'],
          message: `fastSeconds must be below slowSeconds, received ${s[key].fastSeconds} and ${s[key].slowSeconds}`,
        });
      }
    }
    s.events.forEach((e, i) => {
      if (e.atSeconds >= s.session.durationSeconds) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'atSeconds'],
          message: `an event must fall inside the session (seconds from the open below ${s.session.durationSeconds}), received ${e.atSeconds}`,
        });
      }
    });
  });

/** A validated scenario, defaults filled in. */
export type Scenario = z.output<typeof scenarioSchema>;
/** A scenario as written in a file. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A size or distance law. */
export type Distribution = z.output<typeof distribution>;
/** One agent's latency parameters. */
export type LatencyParams = z.output<typeof latency>;
/** A scheduled happening. */
export type ScenarioEvent = z.output<typeof event>;

/** A scenario that does not pass the schema; every problem names its key path and the source. */
export class ScenarioError extends Error {
  readonly source: string;
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[]) {
    super(`${source}: invalid scenario:\n  ${problems.join('\n  ')}`);
    this.name = 'ScenarioError';
    this.source = source;
    this.problems = problems;
  }
}

/** Validates parsed JSON as a scenario; throws a `ScenarioError` naming `source` and each bad key path. */
export function parseScenario(json: unknown, source: string): Scenario {
  const r = scenarioSchema.safeParse(json);
  if (r.success) return r.data;
  const problems = r.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[') : '(root)';
    const keys = 'keys' in issue && Array.isArray(issue.keys) ? ` (${(issue.keys as string[]).join(', ')})` : '';
    return `${path}: ${issue.message}${keys}`;
  });
  throw new ScenarioError(source, problems);
}
