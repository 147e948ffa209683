import type { DecisionExplanation } from '../contract/events';
import type { ExecutionPolicy } from '../learn/policy';
import { actionLabel } from '../learn/explain';
import { PolicyStrategy } from '../rl/env-policy';
import type { ChildOrder, MarketView, StrategyStep } from '../execution/types';
import { signalSlots } from '../signals/market-signal';
import type { CockpitStrategy } from './session-kernel';

/** Whether an agent decides with the session's learned policy: its strategy is 'rl'. */
export function isLearned(spec: { readonly strategy: string }): boolean {
  return spec.strategy === 'rl';
}

export interface LearnedStrategyOptions {
  /** The name reports and the window show. */
  readonly name: string;
  readonly policy: ExecutionPolicy;
  /** The training environment's decisions per episode. */
  readonly steps: number;
  readonly side: 'buy' | 'sell';
  /** Explain every decision (integrated gradients, about a millisecond each); off in bulk runs. */
  readonly explain: boolean;
  /** The policy was trained with the market signal in its observation's signal slots (`signalSlots`); the session must keep one. */
  readonly observesSignal?: boolean;
}

/**
 * A trained policy as the cockpit runs it: it acts exactly as in its backtest (`PolicyStrategy`)
 * and, when asked to explain, keeps each decision's action values and feature attributions and
 * gives the explanation's sentence as the decision's reason.
 */
export class LearnedStrategy implements CockpitStrategy {
  readonly name: string;
  private readonly inner: PolicyStrategy;
  private last: DecisionExplanation | null = null;
  private lastLabel = '';
  private lastWhy: string | null = null;

  constructor(private readonly options: LearnedStrategyOptions) {
    this.name = options.name;
    this.inner = new PolicyStrategy({ name: options.name, steps: options.steps, policy: (obs) => this.act(obs), ...(options.observesSignal === true ? { signals: signalSlots } : {}) });
  }

  decide(view: MarketView): StrategyStep {
    if (this.options.observesSignal === true && view.signal === undefined) throw new Error(`policy ${this.name} decides on the market signal, which this session does not keep`);
    this.last = null;
    this.lastWhy = null;
    const step = this.inner.decide(view);
    if (this.lastWhy === null) return step;
    // What it did, then why: "crossed the spread for 100 and rested 100 at the touch (sell 1 slice ahead): order flow against us (+52%), …".
    return { ...step, reason: `${didWhat(step)} (${this.lastLabel}): ${this.lastWhy}` };
  }

  lastExplanation(): DecisionExplanation | null {
    return this.last;
  }

  private act(observation: Float32Array): number {
    const { policy, explain, side } = this.options;
    if (!explain) return policy.act(observation);
    const e = policy.explain(observation, { side, signalSlots: this.options.observesSignal === true });
    this.lastLabel = e.actionLabel;
    this.lastWhy = e.why;
    this.last = {
      valueKind: e.valueKind === 'q-value' ? 'q' : 'probability',
      values: e.actionValues,
      actions: e.actionValues.map((_, a) => actionLabel(a, side)),
      chosen: e.action,
      attributions: Object.fromEntries(e.features.map((f) => [f.feature, f.attribution])),
      baseline: e.baseline,
    };
    return e.action;
  }
}

/** Says what a step sends: "crossed the spread for 100 and rested 80 at the touch", "kept its resting order", "waited". */
export function didWhat(step: StrategyStep): string {
  const lots = (style: ChildOrder['style']): number => step.orders.filter((o) => o.style === style).reduce((n, o) => n + o.size, 0);
  const parts: string[] = [];
  const crossed = lots('cross');
  const rested = lots('passive') + lots('deeper');
  if (crossed > 0) parts.push(`crossed the spread for ${crossed}`);
  if (rested > 0) parts.push(`rested ${rested} at the touch`);
  if (parts.length > 0) return parts.join(' and ');
  if (step.action.kind === 'hold') return 'kept its resting order';
  if (step.action.kind === 'cancel') return `cancelled ${step.cancels.length} resting`;
  return 'waited';
}
