import { PovStrategy, TwapStrategy, VwapStrategy } from '../execution/strategies';
import type { AgentSpec, CockpitStrategy, StrategyContext, StrategyFactory } from './session-kernel';

/** The strategies a session can run without loading a model. */
export const BASELINE_STRATEGIES = ['twap', 'vwap', 'pov'] as const;

/** POV's participation rate in the cockpit's default agents. */
const POV_RATE = 0.1;

/**
 * Builds the baseline strategies: TWAP, VWAP on the market's intraday profile, and POV at 10%.
 * Anything else is refused with the names it knows.
 */
export const baselineStrategies: StrategyFactory = (spec: AgentSpec, ctx: StrategyContext): CockpitStrategy => {
  switch (spec.strategy) {
    case 'twap':
      return new TwapStrategy();
    case 'vwap':
      return new VwapStrategy(ctx.market.volumeProfile);
    case 'pov':
      return new PovStrategy(POV_RATE);
    default:
      throw new Error(`unknown strategy "${spec.strategy}"; the session knows ${BASELINE_STRATEGIES.join(', ')}`);
  }
};
