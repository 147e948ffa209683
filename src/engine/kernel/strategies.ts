import { DEFAULT_AC_LAMBDA } from '../execution/schedules';
import { PovStrategy, SessionAlmgrenChrissStrategy, TwapStrategy, VwapStrategy } from '../execution/strategies';
import type { AgentSpec, CockpitStrategy, StrategyContext, StrategyFactory } from './session-kernel';

/** The strategies a session can run without loading a model. */
export const BASELINE_STRATEGIES = ['twap', 'vwap', 'pov', 'ac'] as const;

/** POV's participation rate in the cockpit's default agents (an agent's own `participation` otherwise). */
const POV_RATE = 0.1;

/**
 * Builds the baseline strategies: TWAP, VWAP on the market's intraday profile, POV at 10%, and
 * Almgren–Chriss calibrated on the session's market at its first decision.
 * Anything else is refused with the names it knows.
 */
export const baselineStrategies: StrategyFactory = (spec: AgentSpec, ctx: StrategyContext): CockpitStrategy => {
  switch (spec.strategy) {
    case 'twap':
      return new TwapStrategy();
    case 'vwap':
      return new VwapStrategy(ctx.market.volumeProfile);
    case 'pov':
      return new PovStrategy(spec.participation ?? POV_RATE);
    case 'ac':
      return new SessionAlmgrenChrissStrategy(spec.riskAversion ?? DEFAULT_AC_LAMBDA);
    default:
      throw new Error(`unknown strategy "${spec.strategy}"; the session knows ${BASELINE_STRATEGIES.join(', ')}`);
  }
};

/**
 * Returns a factory whose agents for which `switches(spec)` holds decide with `before`'s strategy
 * up to simulated time `afterTs` and with `after`'s from the first decision after it (a what-if
 * branch's change of policy); the other agents are `before`'s. Both strategies are built when the
 * agent starts, so the second sees the same agent and parent order; a strategy that keeps state
 * between decisions would start the second with none (the policy strategy keeps none).
 */
export function switchStrategiesAt(before: StrategyFactory, after: StrategyFactory, afterTs: number, switches: (spec: AgentSpec) => boolean): StrategyFactory {
  return (spec, context) => {
    const first = before(spec, context);
    if (!switches(spec)) return first;
    const second = after(spec, context);
    let current = first;
    return {
      get name() {
        return current.name;
      },
      decide(view) {
        current = view.ts > afterTs ? second : first;
        return current.decide(view);
      },
      lastExplanation: () => current.lastExplanation?.() ?? null,
    };
  };
}
