/**
 * Strategies that misbehave on purpose, for the agent sandbox's tests and `cockpit bench risk`:
 * 'hang' decides as TWAP `hangAfter` times and then never returns, 'hang-building' never returns
 * from being built, 'spin' busy-loops for `spinMs`
 * of wall time and then decides as TWAP, 'throw' throws, and 'tally' decides as TWAP with what it
 * sees of its fills in its inputs (so a test can tell they reach a worker whole); any other name is
 * a baseline. A worker loads this module by its file, like the
 * live strategies.
 */

import { performance } from 'node:perf_hooks';
import { TwapStrategy } from '../../execution/strategies';
import type { MarketView, StrategyStep } from '../../execution/types';
import { baselineStrategies } from '../../kernel/strategies';
import type { CockpitStrategy, StrategyFactory } from '../../kernel/session-kernel';

/** What `misbehavingStrategies` is given (plain JSON). */
export interface MisbehavingArgs {
  /** How long 'spin' busy-loops at each decision, ms (default 2000). */
  readonly spinMs?: number;
  /** How many decisions 'hang' takes as TWAP before it hangs (default 0: it hangs at its first). */
  readonly hangAfter?: number;
}

/** The message 'throw' throws. */
export const THROWN_MESSAGE = 'the throwing test strategy refuses to decide';

/** Returns a factory of the misbehaving strategies above, and the baselines for any other name. */
export function misbehavingStrategies(args: MisbehavingArgs = {}): StrategyFactory {
  const spinMs = args.spinMs ?? 2_000;
  return (spec, context) => {
    switch (spec.strategy) {
      case 'hang':
        return new HangingStrategy(args.hangAfter ?? 0);
      case 'hang-building':
        for (;;) {
          // Hangs.
        }
      case 'spin':
        return new SpinningStrategy(spinMs);
      case 'throw':
        return {
          name: 'throw',
          decide: () => {
            throw new Error(THROWN_MESSAGE);
          },
        };
      case 'tally':
        return new TallyingStrategy();
      default:
        return baselineStrategies(spec, context);
    }
  };
}

/** Decides as TWAP `hangAfter` times, then never returns: only stopping its thread ends it. */
class HangingStrategy implements CockpitStrategy {
  readonly name = 'hang';
  private readonly twap = new TwapStrategy();
  private decisions = 0;

  constructor(private readonly hangAfter: number) {}

  decide(view: MarketView): StrategyStep {
    if (this.decisions++ < this.hangAfter) return this.twap.decide(view);
    for (;;) {
      // Hangs.
    }
  }
}

/** Busy-loops for `spinMs` at every decision, then decides as TWAP. */
class SpinningStrategy implements CockpitStrategy {
  readonly name = 'spin';
  private readonly twap = new TwapStrategy();

  constructor(private readonly spinMs: number) {}

  decide(view: MarketView): StrategyStep {
    const until = performance.now() + this.spinMs;
    while (performance.now() < until) {
      // Spins.
    }
    return this.twap.decide(view);
  }
}

/** Decides as TWAP, with the fills it sees in its inputs: how many, their lots, and a checksum of every field. */
class TallyingStrategy implements CockpitStrategy {
  readonly name = 'tally';
  private readonly twap = new TwapStrategy();

  decide(view: MarketView): StrategyStep {
    const step = this.twap.decide(view);
    let lots = 0;
    let checksum = 0;
    view.fills.forEach((f, i) => {
      lots += f.size;
      checksum += (i + 1) * (f.price + 3 * f.size + 7 * f.midBefore + 11 * f.remaining + 13 * f.orderId + (f.liquidity === 'maker' ? 17 : 19) + (f.ts % 1_000_003));
    });
    return { ...step, inputs: { ...step.inputs, fills: view.fills.length, fillLots: lots, fillChecksum: checksum } };
  }
}
