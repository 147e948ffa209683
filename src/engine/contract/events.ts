import type { Side } from '../book/types';
import type { RiskLimits } from '../risk/limits';
import type { AgentLifecycle, RiskDenial, TradingState } from '../risk/gate';
import type { RiskSample } from '../kernel/snapshot';
import type { ReplayStatus } from '../replay/replay.contract';
import type { DetectorName, PostureAction, PostureRule } from '../risk/posture';
import type { AgentOverride, OverrideField } from '../agents/agents.contract';

/** What the engine is doing: running the clock, paused by a human, or halted by the kill switch. */
export type SessionState = 'running' | 'paused' | 'halted';
/** An agent's life: deciding, paused, stopped for good, finished, or working its position back to flat. */
export type AgentState = AgentLifecycle;

/**
 * Everything the engine publishes. Kinds are past-tense nouns; every event carries its sequence
 * number (`seq`, +1 per event from 1) and simulated time (`ts`, ns since the session's midnight).
 */
export type EngineEvent =
  | Ev<'SessionStarted', { sessionId: string; seed: number; market: string; symbol: string }>
  /** `state`: the session's state after the event, as the engine has it (a paused session under the kill switch is halted). */
  | Ev<'SessionPaused', { reason: string; state: SessionState }>
  | Ev<'SessionResumed', { reason: string; state: SessionState }>
  | Ev<'SpeedChanged', { speed: number; reason: string }>
  | Ev<'QuoteChanged', { bid: number; ask: number; bidSize: number; askSize: number }>
  | Ev<'TradePrinted', { price: number; size: number; aggressor: Side }>
  /** Every step of an order's life carries `exposure`: the agent's position and working orders after it. */
  | Ev<'OrderAccepted', { agentId: string; orderId: string; side: Side; price: number | null; size: number; resting: number; exposure: OrderExposure }>
  /** Refused before the venue (by the gate: `denial` set) or by the venue (`denial` null). */
  | Ev<'OrderDenied', { agentId: string; orderId: string; side: Side; price: number | null; size: number; code: string; detail: string; denial: RiskDenial | null }>
  /** `agent`: the agent's fills after this one, as the engine computes them (the window shows them as they are). */
  | Ev<'OrderFilled', { agentId: string; orderId: string; side: Side; price: number; size: number; liquidity: 'maker' | 'taker'; remaining: number; agent: AgentFillFigures; exposure: OrderExposure }>
  | Ev<'OrderCancelled', { agentId: string; orderId: string; lots: number; reason: string; exposure: OrderExposure }>
  /** The unfilled rest of an IOC or market order, cancelled on arrival. */
  | Ev<'OrderExpired', { agentId: string; orderId: string; lots: number; exposure: OrderExposure }>
  | Ev<'DecisionMade', { agentId: string; action: string; size: number; price: number | null; reason: string; inputs: Readonly<Record<string, number>>; explanation: DecisionExplanation | null }>
  | Ev<'AgentStarted', { agentId: string; arrivalMid: number; startNs: number; endNs: number }>
  | Ev<'AgentStateChanged', { agentId: string; state: AgentState; reason: string }>
  /** The trader launched an agent on a new parent order (`spec`: its strategy and parent order, AgentSpec as the kernel takes it). */
  | Ev<'AgentLaunched', { agentId: string; name: string; strategy: string; side: Side; quantity: number; horizonNs: number; intervalNs: number; limitPrice: number | null; participation: number | null; urgency: number; participationCap: number | null }>
  /**
   * The trader changed an agent's parameters (`changed`), or the engine used up a pause price it
   * reached (`by` 'engine'); `overrides`: every parameter changed so far, with its original;
   * `params`: the parameters as they now stand (at least the changed ones).
   */
  | Ev<'AgentOverridden', { agentId: string; changed: readonly OverrideField[]; overrides: readonly AgentOverride[]; params: Partial<Record<OverrideField, number | null>>; by: string; reason: string }>
  /** A finished agent the trader took off the views. */
  | Ev<'AgentRetired', { agentId: string; reason: string }>
  | Ev<'KillSwitchEngaged', { reason: string; agentsHalted: number; ordersCancelled: number; state: SessionState }>
  | Ev<'KillSwitchReleased', { reason: string; state: SessionState }>
  /** `agentId` set: that agent's own limits changed (`limits.perAgent` are then its limits). `by`: who (the window, a client); `at`: wall clock. */
  | Ev<'RiskLimitsChanged', { limits: RiskLimits; reason: string; by: string; at: string; agentId: string | null; ownLimits: boolean }>
  /** The session's trading state (`agentId` null) or an agent's changed: ACTIVE, REDUCING or HALTED. */
  | Ev<'TradingStateChanged', { agentId: string | null; state: TradingState; reason: string; ordersCancelled: number }>
  /** A detector fired or cleared; `action`: what the posture rules did about it, in words (`agents`: the agents it moved). */
  | Ev<'RiskAlert', { detector: DetectorName; edge: 'fired' | 'cleared'; reason: string; value: number; threshold: number; action: PostureAction | 'RESTORED' | null; agents: readonly string[] }>
  | Ev<'PostureRulesChanged', { rules: readonly PostureRule[]; reason: string; by: string }>
  /** The market signal changed (sampled once a simulated second; see SignalView). */
  | Ev<'SignalUpdated', { signal: SignalView }>
  /**
   * A human action, for the audit trail: who (`by`), what (`command`, `detail`), why, when (`at`:
   * wall clock; `ts`: simulated) and how it ended (`ok`, the refusal's `code`). Every command the
   * session carries out or refuses publishes one (a snapshot read is no action); the host publishes
   * one for each workflow it starts or cancels.
   */
  | Ev<'ActionRecorded', { by: string; at: string; command: string; reason: string | null; ok: boolean; code: string | null; detail: string }>
  /** A workflow the window started (a backtest) changed state or made progress; `done` of `total` units (episodes). */
  | Ev<'WorkflowUpdated', { jobId: string; workflow: WorkflowName; state: WorkflowState; done: number; total: number; detail: string }>;

/**
 * The market signal as the window shows it: the direction model's probabilities that the mean mid
 * over its horizon (book events) ends below, within or above its threshold, up − down, whether its
 * windows are full, and the regime of the last complete minute with its stress: tanh of its
 * centroid's standardised volatility (0 at the real days' average, towards +1 for the volatile
 * regime, towards −1 for the calm one; 0 before the first minute closes).
 */
export interface SignalView {
  readonly model: string;
  readonly horizonEvents: number;
  readonly down: number;
  readonly flat: number;
  readonly up: number;
  readonly direction: number;
  readonly warm: boolean;
  readonly regime: { readonly name: string; readonly index: number; readonly sinceNs: number } | null;
  readonly regimeStress: number;
}

/**
 * The regime stress from which a regime counts as volatile (the risk overlay's volatile-regime
 * detector by default, the window's warning, the explanation's words) and below which as calm.
 */
export const REGIME_STRESS = { volatile: 0.5, calm: -0.4 } as const;

/** Whether a regime stress counts as volatile (REGIME_STRESS.volatile or above). */
export function isVolatileStress(stress: number): boolean {
  return stress >= REGIME_STRESS.volatile;
}

/** An agent's fills so far: lots, average price (ticks, null before the first) and shortfall against its arrival mid (bps, positive = cost; null before the agent starts). */
export interface AgentFillFigures {
  readonly filled: number;
  readonly avgPrice: number | null;
  readonly shortfallBps: number | null;
}

/** An agent's exposure after an order's step: signed position, working orders and the lots in them. */
export interface OrderExposure {
  readonly position: number;
  readonly openOrders: number;
  readonly workingLots: number;
}

/** The workflows the window can start: a backtest, a what-if branch of a recorded session. */
export type WorkflowName = 'backtest' | 'branch';
/** A workflow's life: waiting in the queue, running, and one of three ends. */
export type WorkflowState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

type Ev<K extends string, P> = { readonly kind: K; readonly seq: number; readonly ts: number } & { readonly [F in keyof P]: P[F] };

export type EngineEventKind = EngineEvent['kind'];

/** Why a learned policy chose its action: what it valued and which features drove it. */
export interface DecisionExplanation {
  /** 'q' for action values (DQN), 'probability' for a policy's action probabilities (PPO). */
  readonly valueKind: 'q' | 'probability';
  /** One value per action, in `actions` order. */
  readonly values: readonly number[];
  readonly actions: readonly string[];
  readonly chosen: number;
  /** Each feature's share of the chosen action's value against `baseline` (integrated gradients). */
  readonly attributions: Readonly<Record<string, number>>;
  /** What the attributions are measured against, in words. */
  readonly baseline: string;
}

/** Aggregated depth, best first: [price ticks, size lots]. */
export interface DepthView {
  readonly bids: ReadonlyArray<readonly [number, number]>;
  readonly asks: ReadonlyArray<readonly [number, number]>;
}

/** An event before the kernel stamps it with its sequence number. */
export type UnsequencedEvent = EngineEvent extends infer E ? (E extends EngineEvent ? Omit<E, 'seq'> : never) : never;

/**
 * Events as the window receives them: at most one batch per animation frame. `firstSeq..lastSeq`
 * are the events' sequence numbers; a batch whose firstSeq is not the previous lastSeq + 1 means
 * events were lost on the way, and the window asks for a snapshot. An empty batch
 * (lastSeq = firstSeq - 1) only moves the clock.
 */
export interface EventBatch {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly simTimeNs: number;
  readonly events: readonly EngineEvent[];
  /** The book's top levels at the end of the batch (sampled state, not an event). */
  readonly depth?: DepthView;
  /** What each limit is used for at the end of the batch, with the volatility forecasts and detectors (sampled state). */
  readonly risk?: RiskSample;
  /** Set on a replay's batches: where the replay stands after them. */
  readonly replay?: ReplayStatus;
}
