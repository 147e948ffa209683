import { NS_PER_SECOND } from '../core/clock';
import { PovStrategy, TwapStrategy, VwapStrategy } from '../execution/strategies';
import type { AgentSpec, CockpitStrategy, StrategyContext, StrategyFactory } from './session-kernel';

/** The strategies a session can run without loading a model. */
export const BASELINE_STRATEGIES = ['twap', 'vwap', 'pov'] as const;

/** POV's participation rate in the cockpit's default agents. */
const POV_RATE = 0.1;

/**
 * Builds the baseline strategies: TWAP, VWAP on the scenario's intraday profile, and POV at 10%.
 * Anything else is refused with the names it knows.
 */
export const baselineStrategies: StrategyFactory = (spec: AgentSpec, ctx: StrategyContext): CockpitStrategy => {
  switch (spec.strategy) {
    case 'twap':
      return new TwapStrategy();
    case 'vwap': {
      const originNs = ctx.scenario.session.openSeconds * NS_PER_SECOND;
      const intraday = ctx.scenario.intraday ?? { bucketSeconds: ctx.scenario.session.durationSeconds, profile: [1] };
      return new VwapStrategy({ originNs, bucketNs: intraday.bucketSeconds * NS_PER_SECOND, weights: intraday.profile });
    }
    case 'pov':
      return new PovStrategy(POV_RATE);
    default:
      throw new Error(`unknown strategy "${spec.strategy}"; the session knows ${BASELINE_STRATEGIES.join(', ')}`);
  }
};
