/**
 * Two recorded sessions side by side (typically a parent and its what-if branch), from their
 * journals' events alone: per agent and for the session, what was filled at what price and cost,
 * how the market moved against each agent, the risk events, and the first event where the two
 * streams part.
 *
 * Definitions, so both columns mean the same thing:
 * - Shortfall is the kernel's own figure, published with every fill (`OrderFilled.agent`, the one
 *   the window shows): the fills' average price against the agent's arrival mid, in bps, positive
 *   = cost. It covers what was filled; a session usually ends before an agent's horizon, so the
 *   episode rule of execution/metrics.ts (unfilled lots valued at the end) would charge lots the
 *   session never had to trade.
 * - Impact is the mid's move from the agent's arrival to the session's last quote, bps of the
 *   arrival mid, positive = against the agent (up for a buy, down for a sell). Against a parent,
 *   the branch's column minus the parent's is the change's effect on it: the same market with and
 *   without the change.
 * - Risk events are counted from the stream: OrderDenied by code, RiskAlert fired, TradingStateChanged
 *   to HALTED, AgentStateChanged to killed, KillSwitchEngaged.
 */

import type { EngineEvent } from '../contract/events';
import { costSign } from '../execution/types';
import { agentSpecsById } from '../node/journal/export';
import type { JournalMeta } from '../node/journal/journal';
import type { AgentComparison, AgentFigures, SessionComparison, SessionTotals } from '../replay/branch-types';
import { compareStreams } from './recorded-run';

/** What the comparison reads of a session: its meta (for the agents' names and sides) and its events in order. */
export interface ComparedSession {
  readonly meta: JournalMeta | null;
  readonly events: readonly EngineEvent[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Figures = Mutable<Omit<AgentFigures, 'denials'>> & { denials: Record<string, number> };

function emptyFigures(): Figures {
  return { filled: 0, avgPrice: null, shortfallBps: null, arrivalMid: null, impactBps: null, state: null, denials: {}, alerts: 0, halts: 0, kills: 0 };
}

function count(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}

/** Reads one session's figures: per agent id, and the session's totals. */
function figures(session: ComparedSession): { agents: Map<string, Figures>; totals: SessionTotals } {
  const agents = new Map<string, Figures>();
  const agent = (id: string): Figures => {
    let f = agents.get(id);
    if (f === undefined) agents.set(id, (f = emptyFigures()));
    return f;
  };
  const denials: Record<string, number> = {};
  let alerts = 0;
  let halts = 0;
  let killSwitches = 0;
  let endMid: number | null = null;
  let sessionId: string | null = session.meta?.sessionId ?? null;
  for (const e of session.events) {
    switch (e.kind) {
      case 'SessionStarted':
        sessionId ??= e.sessionId;
        break;
      case 'AgentStarted':
        agent(e.agentId).arrivalMid = e.arrivalMid;
        break;
      case 'OrderFilled': {
        const f = agent(e.agentId);
        f.filled = e.agent.filled;
        f.avgPrice = e.agent.avgPrice;
        f.shortfallBps = e.agent.shortfallBps;
        break;
      }
      case 'OrderDenied':
        count(agent(e.agentId).denials, e.code);
        count(denials, e.code);
        break;
      case 'RiskAlert':
        if (e.edge !== 'fired') break;
        alerts += 1;
        for (const id of e.agents) agent(id).alerts += 1;
        break;
      case 'TradingStateChanged':
        if (e.state !== 'HALTED') break;
        halts += 1;
        if (e.agentId !== null) agent(e.agentId).halts += 1;
        break;
      case 'AgentStateChanged': {
        const f = agent(e.agentId);
        f.state = e.state;
        if (e.state === 'killed') f.kills += 1;
        break;
      }
      case 'KillSwitchEngaged':
        killSwitches += 1;
        break;
      case 'QuoteChanged':
        endMid = (e.bid + e.ask) / 2;
        break;
      default:
        break;
    }
  }
  const specs = agentSpecsById(session.meta);
  for (const [id, f] of agents) {
    const side = specs.get(id)?.side ?? null;
    if (side !== null && endMid !== null && f.arrivalMid !== null && f.arrivalMid > 0) f.impactBps = ((costSign(side) * (endMid - f.arrivalMid)) / f.arrivalMid) * 10_000;
  }
  let filled = 0;
  let kills = 0;
  for (const f of agents.values()) {
    filled += f.filled;
    kills += f.kills;
  }
  const last = session.events.at(-1);
  return { agents, totals: { sessionId, events: session.events.length, lastTs: last?.ts ?? null, filled, endMid, killSwitches, denials, alerts, halts, kills } };
}

/** The numeric order of agent ids (`agent-2` before `agent-10`), others after by name. */
function byAgentNumber(x: string, y: string): number {
  const nx = /^agent-(\d+)$/.exec(x);
  const ny = /^agent-(\d+)$/.exec(y);
  if (nx && ny) return Number(nx[1]) - Number(ny[1]);
  return nx ? -1 : ny ? 1 : x.localeCompare(y);
}

/** Returns sessions `a` and `b` side by side; see the module comment for what each figure is. */
export function compareSessions(a: ComparedSession, b: ComparedSession): SessionComparison {
  const fa = figures(a);
  const fb = figures(b);
  const namesA = agentSpecsById(a.meta);
  const namesB = agentSpecsById(b.meta);
  const ids = [...new Set([...namesA.keys(), ...namesB.keys(), ...fa.agents.keys(), ...fb.agents.keys()])].sort(byAgentNumber);
  const agents: AgentComparison[] = ids.map((agentId) => ({
    agentId,
    name: namesA.get(agentId)?.name ?? namesB.get(agentId)?.name ?? agentId,
    a: fa.agents.get(agentId) ?? emptyFigures(),
    b: fb.agents.get(agentId) ?? emptyFigures(),
  }));
  return { firstDivergenceSeq: compareStreams(a.events, b.events).firstDivergenceSeq, a: fa.totals, b: fb.totals, agents };
}
