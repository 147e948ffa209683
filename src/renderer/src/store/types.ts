import type { AgentView, BacktestResult, CommandRequest, DecisionExplanation, DepthView, HostInfo, RiskLimits, SessionState, WorkflowState } from '../../../engine/contract/index';
import type { Side } from '../../../engine/book/types';

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
  /** Hard pre-trade limits, from the last snapshot. */
  readonly limits: RiskLimits | null;
  /** The book's top levels as last sampled (prices in ticks, sizes in lots). */
  readonly depth: DepthView | null;
  readonly evaluation: EvaluationState;
}
