import type { z } from 'zod';
import { hostCommands, sessionCommands } from '../kernel/session.contract';
import { riskCommands } from '../risk/risk.contract';
import { agentCommands } from '../agents/agents.contract';
import { executionCommands } from '../execution/execution.contract';
import { replayCommands } from '../replay/replay.contract';
import { tradingCommands } from '../kernel/trading.contract';
import type { CommandSpec } from './define';
import type { CommandResult } from './result';
import type { EventBatch } from './events';

export * from './result';
export * from './events';
export type { HostInfo, PolicyReport, PolicyReportTable, RecordedDay, SessionMarkets, StartSessionMarket } from '../kernel/session.contract';
export type { ManualOrderResult, ManualOrderStatus } from '../kernel/trading.contract';
export type { SessionSnapshot, AgentView, RiskView, RiskSample } from '../kernel/snapshot';
export type { AgentOverride, OverrideField } from '../agents/agents.contract';
export type { DetectorView, DynamicRiskView } from '../risk/overlay';
export type { DetectorName, PostureRule, PostureAction } from '../risk/posture';
export { postureRulesSchema, DEFAULT_POSTURE_RULES } from '../risk/posture';
export type { RiskLimits, AgentLimits, SessionLimits, LimitsChange, LimitsPatch } from '../risk/limits';
export { DEFAULT_LIMITS, withAgentLimits, agentLimitsSchema, sessionLimitsSchema, riskLimitsSchema } from '../risk/limits';
export type { RiskDenial, RiskDenialCode, TradingState, LimitUse } from '../risk/gate';
export type { BranchRequest, BranchResult, BranchChange, SessionComparison, AgentComparison, AgentFigures, SessionTotals } from '../replay/branch-types';
export type { ReplayStatus, SessionListing, TimelineMarker, TimelineMarkers, TimelineMarkerKind, SessionEnd } from '../replay/replay.contract';
export { REPLAY_TRANSPORT, REPLAY_STEP_MAX } from '../replay/replay.contract';
export type { BacktestResult, BacktestRow } from '../execution/execution.contract';
export { MAX_BACKTEST_SEEDS, MAX_BACKTEST_STRATEGIES, WORKFLOW_QUEUE_LIMITS } from '../execution/execution.contract';

/** Every command the engine host answers, by name; each domain owns its part. */
export const commands = { ...sessionCommands, ...hostCommands, ...riskCommands, ...agentCommands, ...executionCommands, ...replayCommands, ...tradingCommands } as const;

type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandRequest<K extends CommandName> = z.input<Commands[K]['request']>;
export type CommandPayload<K extends CommandName> = z.output<Commands[K]['request']>;
export type CommandResponse<K extends CommandName> = Commands[K] extends CommandSpec<z.ZodType, infer R> ? R : never;

/** A command that passed validation, narrowed by name. */
export type ValidCommand = { [K in CommandName]: { readonly name: K; readonly payload: CommandPayload<K> } }[CommandName];

/** The one API the window gets (`window.cockpit` in Electron, the WebSocket bridge in a browser). */
export interface CockpitApi {
  readonly transport: 'electron' | 'browser';
  invoke<K extends CommandName>(name: K, payload: CommandRequest<K>): Promise<CommandResult<CommandResponse<K>>>;
  /** Subscribes to event batches; returns the unsubscribe function. */
  onEvents(listener: (batch: EventBatch) => void): () => void;
}
