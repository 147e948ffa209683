import type { Side } from '../book/types';
import type { AgentState } from '../contract/events';
import type { AgentView } from '../kernel/snapshot';
import type { Quote } from '../market/standin-market';

/** A block to buy or sell over a horizon. Sizes in lots, times in ns. */
export interface ParentOrder {
  readonly side: Side;
  readonly quantity: number;
  readonly startNs: number;
  readonly horizonNs: number;
}

export interface Decision {
  /** 'cross' takes liquidity now; 'wait' does nothing until the next decision. */
  readonly action: 'cross' | 'wait';
  readonly size: number;
  readonly reason: string;
}

/**
 * Time-weighted slicing: at each decision it trades what brings the filled quantity up to the
 * straight-line schedule, crossing the spread for it. The execution issue replaces this with the
 * full strategy family; it is here so the skeleton has an agent to supervise and to kill.
 */
export class TwapAgent {
  private agentState: AgentState = 'running';
  private filled = 0;
  private notional = 0;
  private nextAt: number;
  private lastReason: string | null = null;

  constructor(
    readonly id: string,
    readonly name: string,
    private readonly parent: ParentOrder,
    private readonly arrivalMid: number,
    private readonly intervalNs: number,
  ) {
    this.nextAt = parent.startNs + intervalNs;
  }

  get side(): Side {
    return this.parent.side;
  }

  get state(): AgentState {
    return this.agentState;
  }

  /** Returns when the agent next wants to decide, or undefined when it will not. */
  nextDecisionAt(): number | undefined {
    return this.agentState === 'running' ? this.nextAt : undefined;
  }

  /** Decides at time `now` given the touch. */
  decide(now: number, quote: Readonly<Quote>): Decision {
    this.nextAt = now + this.intervalNs;
    const elapsed = Math.min(1, (now - this.parent.startNs) / this.parent.horizonNs);
    const target = Math.round(this.parent.quantity * elapsed);
    const behind = target - this.filled;
    const touch = this.parent.side === 'sell' ? quote.bidSize : quote.askSize;
    let decision: Decision;
    if (behind <= 0) {
      decision = { action: 'wait', size: 0, reason: `on schedule: ${this.filled} of ${target} due` };
    } else {
      const pct = Math.round((behind / this.parent.quantity) * 1000) / 10;
      decision = {
        action: 'cross',
        size: behind,
        reason: `crossed for ${behind}: ${pct}% of the order behind schedule, ${touch} shown at the touch`,
      };
    }
    this.lastReason = decision.reason;
    return decision;
  }

  /** Records a fill. */
  onFill(price: number, size: number): void {
    this.filled += size;
    this.notional += price * size;
    if (this.filled >= this.parent.quantity) this.agentState = 'done';
  }

  /** Sets the agent's state on a human's or the risk overlay's word; returns false if it cannot. */
  transition(to: AgentState): boolean {
    if (this.agentState === 'killed' || this.agentState === 'done') return false;
    if (to === 'running' && this.agentState !== 'paused') return false;
    if (to === 'paused' && this.agentState !== 'running') return false;
    this.agentState = to;
    return true;
  }

  /** Returns the agent as the window shows it. */
  view(now: number): AgentView {
    const avg = this.filled > 0 ? this.notional / this.filled : null;
    const sign = this.parent.side === 'sell' ? 1 : -1;
    return {
      id: this.id,
      name: this.name,
      strategy: 'TWAP',
      state: this.agentState,
      side: this.parent.side,
      quantity: this.parent.quantity,
      filled: this.filled,
      avgPrice: avg,
      arrivalMid: this.arrivalMid,
      shortfallBps: avg === null ? null : (sign * (this.arrivalMid - avg) / this.arrivalMid) * 10_000,
      scheduleElapsed: Math.max(0, Math.min(1, (now - this.parent.startNs) / this.parent.horizonNs)),
      lastReason: this.lastReason,
    };
  }
}
