import type { Side } from '../book/types';
import type { AgentState, DepthView, EngineEvent, SessionState, SignalView } from '../contract/events';
import type { AgentLimits, LimitsChange, RiskLimits } from '../risk/limits';
import type { LimitUse, TradingState } from '../risk/gate';
import type { DynamicRiskView } from '../risk/overlay';
import type { AgentOverride, OverrideField } from '../agents/agents.contract';

/** What the window shows of one agent. Prices in ticks, sizes in lots. */
export interface AgentView {
  readonly id: string;
  readonly name: string;
  readonly strategy: string;
  readonly state: AgentState;
  readonly side: Side;
  readonly quantity: number;
  readonly filled: number;
  /** Average fill price in ticks, or null before the first fill. */
  readonly avgPrice: number | null;
  /** Mid at the parent order's arrival, in ticks; null before the agent starts. */
  readonly arrivalMid: number | null;
  /** Implementation shortfall so far against the arrival mid, in basis points (positive = cost). */
  readonly shortfallBps: number | null;
  /** Share of the horizon elapsed, 0..1, at the snapshot's time. */
  readonly scheduleElapsed: number;
  /** When the parent order started and when its horizon ends (ns since midnight). */
  readonly startNs: number;
  readonly endNs: number;
  /** Lots resting in the agent's working orders. */
  readonly working: number;
  readonly lastReason: string | null;
  /** The parameters the trader can override, as they stand (an override's entry has the original). */
  readonly params: Readonly<Record<OverrideField, number | null>>;
  /** The parameters the trader changed, with their originals, who changed them, when and why. */
  readonly overrides: readonly AgentOverride[];
  /** Whether the agent decides on the market signal (a policy trained with it); absent in snapshots journaled before it was kept. */
  readonly observesSignal?: boolean;
}

/** The whole session state; with the events after `lastSeq`, it is the live state. */
export interface SessionSnapshot {
  readonly lastSeq: number;
  readonly session: {
    readonly id: string;
    readonly seed: number;
    readonly market: string;
    readonly symbol: string;
    /** Price of one tick in currency, for display. */
    readonly tickSize: number;
    readonly state: SessionState;
    readonly speed: number;
    readonly simTimeNs: number;
    readonly startNs: number;
  };
  readonly quote: { readonly bid: number; readonly ask: number; readonly bidSize: number; readonly askSize: number } | null;
  /** Recent trade prices (ticks) by time, oldest first, at most a few thousand. */
  readonly trades: ReadonlyArray<{ readonly ts: number; readonly price: number; readonly size: number }>;
  readonly agents: readonly AgentView[];
  readonly risk: RiskView;
  readonly depth: DepthView;
  /** The last human actions (the audit trail's ActionRecorded events), oldest first, at most SNAPSHOT_ACTIONS; absent in snapshots journaled before it was kept. */
  readonly actions?: ReadonlyArray<Extract<EngineEvent, { kind: 'ActionRecorded' }>>;
  /** The market signal after the last event; null before it has seen one, absent when the session keeps none. */
  readonly signal?: SignalView | null;
}

/** How many of the last human actions a snapshot carries. */
export const SNAPSHOT_ACTIONS = 500;

/** The risk overlay as the window shows it: limits and their use now, trading states, the record of limit changes. */
export interface RiskView {
  readonly killSwitch: boolean;
  readonly reason: string | null;
  readonly limits: RiskLimits;
  readonly session: { readonly state: TradingState; readonly reason: string; readonly use: LimitUse };
  /** Each agent's trading state, the per-agent limits it is held to (its own where `ownLimits`) and its use of them. */
  readonly agents: ReadonlyArray<{ readonly agentId: string; readonly state: TradingState; readonly reason: string; readonly limits: AgentLimits; readonly ownLimits: boolean; readonly use: LimitUse; readonly participation: number | null }>;
  /** The last changes of limits: who, when, why. */
  readonly history: readonly LimitsChange[];
  /** Volatility forecasts, detectors and posture rules; null when the session runs without them. */
  readonly dynamic: DynamicRiskView | null;
}

/** What each limit is used for now, sampled with every event batch (not an event: it moves with every order and every mark). */
export interface RiskSample {
  readonly session: LimitUse;
  readonly agents: Readonly<Record<string, LimitUse>>;
  /** Each started agent's share of the volume traded since its start (its fills over its fills and the market's), 0..1. */
  readonly participation: Readonly<Record<string, number>>;
  readonly dynamic: DynamicRiskView | null;
}

