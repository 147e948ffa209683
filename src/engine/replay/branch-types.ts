/**
 * What a what-if branch of a recorded session is asked for and what it answers, as plain JSON, so a
 * contract can carry both to and from the window (workflows/branch.ts runs it; workflows/
 * compare-sessions.ts builds the comparison).
 */

import type { AgentState, LimitsPatch } from '../contract/index';

/** Where to branch a recorded session and what to change there: a policy, limits, or both. */
export interface BranchRequest {
  /** The parent's event after which the branch goes its own way (1 to the parent's last). */
  readonly atSeq: number;
  /** Another policy folder for the learned agent, from its first decision after the branch point. */
  readonly modelDir?: string;
  /** Limits changed at the branch point, through the kernel's SetRiskLimits. */
  readonly limits?: LimitsPatch;
}

/** What changed at the branch point. */
export interface BranchChange {
  readonly policy: { readonly dir: string; readonly sha256: string } | null;
  readonly limits: LimitsPatch | null;
}

/** A session's risk events, counted: the gate's and venue's refusals by code, detector alerts, halts and kills. */
export interface RiskEventCounts {
  /** OrderDenied events by their code (gate denials and venue rejections alike). */
  readonly denials: Readonly<Record<string, number>>;
  /** RiskAlert events that fired (for an agent: those that moved it). */
  readonly alerts: number;
  /** TradingStateChanged to HALTED (for the session: any agent's or the session's). */
  readonly halts: number;
  /** AgentStateChanged to killed (a kill, the kill switch, a failed strategy). */
  readonly kills: number;
}

/** One agent in one session, as the comparison shows it. */
export interface AgentFigures extends RiskEventCounts {
  /** Lots filled on the parent order's side. */
  readonly filled: number;
  /** Volume-weighted fill price in price units; null before the first fill. */
  readonly avgPrice: number | null;
  /** Implementation shortfall of the fills against the arrival mid, bps, positive = cost: the kernel's own figure (OrderFilled.agent); null without fills. */
  readonly shortfallBps: number | null;
  /** The mid when the agent started; null when it never started. */
  readonly arrivalMid: number | null;
  /** The mid's move from the agent's arrival to the session's end, bps of the arrival mid, positive = against the agent (up for a buy); null without both mids. */
  readonly impactBps: number | null;
  /** The agent's state at the end, from its last AgentStateChanged (null: none, it kept the state it started in). */
  readonly state: AgentState | null;
}

/** An agent side by side in the two sessions. */
export interface AgentComparison {
  readonly agentId: string;
  readonly name: string;
  readonly a: AgentFigures;
  readonly b: AgentFigures;
}

/** A session as a whole. */
export interface SessionTotals extends RiskEventCounts {
  readonly sessionId: string | null;
  readonly events: number;
  /** Simulated time of the last event, ns since midnight; null without events. */
  readonly lastTs: number | null;
  /** Lots filled by every agent on its parent order's side. */
  readonly filled: number;
  /** The mid of the last quote (QuoteChanged); null without one. */
  readonly endMid: number | null;
  /** KillSwitchEngaged events. */
  readonly killSwitches: number;
}

/** Two sessions side by side (a parent as `a`, its branch as `b`), and the first event where their streams differ. */
export interface SessionComparison {
  /** The first sequence number whose journal row differs (or is on one side only); null when the streams are the same. */
  readonly firstDivergenceSeq: number | null;
  readonly a: SessionTotals;
  readonly b: SessionTotals;
  readonly agents: readonly AgentComparison[];
}

/** A branch written: its session and journal, where it left which parent with what change, and the comparison with the parent. */
export interface BranchResult {
  readonly sessionId: string;
  readonly path: string;
  readonly parentId: string;
  readonly atSeq: number;
  readonly change: BranchChange;
  readonly comparison: SessionComparison;
}
