import type {
  BranchResult,
  ReplayStatus,
  TimelineMarkers,
  AgentLimits,
  AgentView,
  BacktestResult,
  CommandRequest,
  DecisionExplanation,
  DepthView,
  DetectorName,
  DynamicRiskView,
  HostInfo,
  LimitUse,
  PostureAction,
  SignalView,
  RiskLimits,
  SessionState,
  TradingState,
  WorkflowState,
} from '../../../engine/contract/index';
import type { Side } from '../../../engine/book/types';
import type { FillMark, OrderRow } from './orders';

/** How the window reaches the engine. */
export type Transport = 'electron' | 'browser';

/** The link's health as the status bar shows it. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting';

/** Whether the window's state follows the engine: before the first snapshot, live, or healing a gap. */
export type SyncPhase = 'waiting' | 'live' | 'resyncing';

export interface Connection {
  readonly transport: Transport;
  readonly status: ConnectionStatus;
  readonly detail: string | null;
}

export interface SessionInfo {
  readonly id: string;
  readonly seed: number;
  readonly market: string;
  readonly symbol: string;
  readonly tickSize: number;
  readonly startNs: number;
  readonly state: SessionState;
  readonly speed: number;
}

/** Prices in ticks, sizes in lots. */
export interface Quote {
  readonly bid: number;
  readonly ask: number;
  readonly bidSize: number;
  readonly askSize: number;
  readonly ts: number;
}

export interface TapeRow {
  readonly key: string;
  readonly ts: number;
  readonly price: number;
  readonly size: number;
  /** Unknown for trades that came in a snapshot. */
  readonly aggressor: Side | null;
}

export interface DecisionRow {
  readonly seq: number;
  readonly ts: number;
  readonly agentId: string;
  readonly agentName: string;
  readonly action: string;
  readonly size: number;
  /** Limit price in ticks, or null for a market order or no order. */
  readonly price: number | null;
  readonly reason: string;
  /** The features the agent decided on, by name. */
  readonly inputs: Readonly<Record<string, number>>;
  /** Why a learned policy chose this action; null for rule-based agents. */
  readonly explanation: DecisionExplanation | null;
}

/** A backtest as the evaluation view asked for it. */
export type BacktestRequest = CommandRequest<'RunBacktest'>;

/** One finished backtest the evaluation view can show again. */
export interface BacktestRun {
  readonly id: number;
  readonly request: BacktestRequest;
  readonly result: BacktestResult;
}

/** The backtest on the way: its job id (for progress and cancel), where the engine's queue has it, and how far it is. */
export interface RunningBacktest {
  readonly request: BacktestRequest;
  readonly jobId: string;
  readonly state: WorkflowState;
  /** Episodes (and AC pilots) done of the total; 0 of 0 until the engine reports. */
  readonly done: number;
  readonly total: number;
}

/** The evaluation view's state: the backtest on the way, if any, and the last few results, newest first. */
export interface EvaluationState {
  readonly running: RunningBacktest | null;
  readonly runs: readonly BacktestRun[];
}

export type ActivityTone = 'info' | 'good' | 'warn' | 'danger';

/** One line of the activity log: an engine event that matters to a human, or a cockpit-side failure. */
export interface ActivityRow {
  readonly key: string;
  readonly ts: number;
  readonly source: 'engine' | 'cockpit';
  readonly tone: ActivityTone;
  readonly title: string;
  readonly detail: string | null;
  readonly reason: string | null;
}

/** One second of price in ticks: from trades when the second had any, else from the mid. */
export interface Bar {
  readonly second: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly fromTrades: boolean;
}

/** Bars for the chart; a new `epoch` means "draw everything again" rather than "update the tail". */
export interface ChartData {
  readonly epoch: number;
  readonly bars: readonly Bar[];
}

/** Everything the window knows. Replaced, never mutated: each batch pass produces one new state. */
export interface CockpitState {
  readonly connection: Connection;
  readonly sync: SyncPhase;
  readonly host: HostInfo | null;
  readonly session: SessionInfo | null;
  readonly lastSeq: number;
  readonly simTimeNs: number;
  readonly quote: Quote | null;
  readonly lastTrade: TapeRow | null;
  /** Newest first. */
  readonly tape: readonly TapeRow[];
  readonly chart: ChartData;
  readonly agents: ReadonlyMap<string, AgentView>;
  /** Newest first. */
  readonly decisions: readonly DecisionRow[];
  /** Newest first. */
  readonly activity: readonly ActivityRow[];
  readonly killSwitch: { readonly engaged: boolean; readonly reason: string | null };
  /** The risk overlay: limits, their use, trading states, the record of changes, the dynamic layer; null before the first snapshot. */
  readonly risk: RiskState | null;
  /** Denials and risk alerts as they happened, newest first. */
  readonly riskFeed: readonly RiskFeedRow[];
  /** The book's top levels as last sampled (prices in ticks, sizes in lots). */
  readonly depth: DepthView | null;
  readonly evaluation: EvaluationState;
  /** Every order of the session seen by this window, the agents' and the trader's, by order id (oldest first). */
  readonly orders: ReadonlyMap<string, OrderRow>;
  /** Every human action of the session, newest first: the audit trail. */
  readonly audit: readonly AuditRow[];
  /** The session's recent fills, oldest first (the chart marks them and draws each agent's running VWAP). */
  readonly fills: readonly FillMark[];
  /** The what-if branch on the way, and the last one's comparison with its parent. */
  readonly whatIf: { readonly running: { readonly sessionId: string; readonly atSeq: number } | null; readonly last: BranchResult | null };
  /** The recorded session this window replays, with its timeline; null: the window shows the live session. */
  readonly replay: ReplayView | null;
  readonly signal: SignalState;
}

/** The market signal: the last reading (null before one, or when the session keeps none) and its direction once a simulated second, oldest first. */
export interface SignalState {
  readonly now: SignalView | null;
  readonly series: ReadonlyArray<{ readonly second: number; readonly direction: number }>;
}

/** One human action as the audit trail shows it: who, what, why, when (wall clock and simulated), how it ended. */
export interface AuditRow {
  readonly seq: number;
  readonly ts: number;
  readonly at: string;
  readonly by: string;
  readonly command: string;
  readonly detail: string;
  readonly reason: string | null;
  readonly ok: boolean;
  readonly code: string | null;
}

/** A replay open in the window: where it stands and what its timeline marks. */
export interface ReplayView {
  readonly status: ReplayStatus;
  readonly markers: TimelineMarkers;
}

/** A trading state with why it was set. */
export interface TradingPosture {
  readonly state: TradingState;
  readonly reason: string;
}

/** One agent's part of the risk overlay: its trading state, the per-agent limits it is held to and its use of them. */
export interface AgentRisk extends TradingPosture {
  readonly agentId: string;
  readonly limits: AgentLimits;
  /** Whether the agent has limits of its own rather than the session's per-agent ones. */
  readonly ownLimits: boolean;
  readonly use: LimitUse;
  /** The agent's share of the volume traded since it started, 0..1 (null before it starts). */
  readonly participation: number | null;
}

/** The group a limit belongs to in `RiskLimits`. */
export type LimitGroup = keyof RiskLimits;

/** One limit that a change moved, from and to. */
export interface LimitDelta {
  readonly group: LimitGroup;
  readonly key: string;
  readonly from: number;
  readonly to: number;
}

/** One change of limits for the record: who, when (wall clock and simulated), why, what it applied to and what it moved. */
export interface LimitsChangeRow {
  readonly key: string;
  readonly by: string;
  /** Wall clock, ISO 8601. */
  readonly at: string;
  readonly ts: number;
  readonly reason: string;
  /** 'session' for the limits of every agent and the session; an agent id for its own limits; 'unrecorded' when the record does not say (the snapshot's history). */
  readonly scope: 'session' | 'unrecorded' | { readonly agentId: string };
  /** What moved; null when it is not known (the oldest change of a snapshot's history has nothing before it to compare). */
  readonly changes: readonly LimitDelta[] | null;
}

/** The risk overlay as the window holds it; use and `dynamic` follow each batch's sample. */
export interface RiskState {
  readonly limits: RiskLimits;
  readonly session: TradingPosture & { readonly use: LimitUse };
  /** In the engine's agent order. */
  readonly agents: ReadonlyMap<string, AgentRisk>;
  /** Newest first. */
  readonly history: readonly LimitsChangeRow[];
  /** Volatility forecasts, detectors and posture rules; null when the session runs without them. */
  readonly dynamic: DynamicRiskView | null;
}

/** An order the gate or the venue refused, with the reason in words; repeats of the same refusal fold into one row. */
export interface DenialFeedRow {
  readonly kind: 'denial';
  readonly key: string;
  readonly ts: number;
  readonly agentId: string;
  readonly agentName: string;
  readonly code: string;
  readonly detail: string;
  readonly side: 'buy' | 'sell';
  readonly size: number;
  /** Ticks; null for a market order. */
  readonly price: number | null;
  readonly orderId: string;
  /** How many denials of this agent with this code the row stands for (the latest one's figures shown). */
  readonly count: number;
}

/** A dynamic-risk detector that fired or cleared, why, and what the posture rules did. */
export interface AlertFeedRow {
  readonly kind: 'alert';
  readonly key: string;
  readonly ts: number;
  readonly detector: DetectorName;
  readonly edge: 'fired' | 'cleared';
  readonly reason: string;
  readonly value: number;
  readonly threshold: number;
  readonly action: PostureAction | 'RESTORED' | null;
  /** Names of the agents the action moved. */
  readonly agents: readonly string[];
}

export type RiskFeedRow = DenialFeedRow | AlertFeedRow;
