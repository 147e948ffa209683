import type { Side } from '../../book/types';
import type { EngineEvent } from '../../contract/events';
import { formatClock } from '../../core/clock';
import type { JournalCommand, JournalMeta } from './journal';

/**
 * What `cockpit sessions export` writes from a journal: rows of the agents' fills, their decisions
 * and the human's commands, built from the journal's events and commands by pure functions, and
 * written as CSV (RFC 4180) or JSON Lines. The CLI only reads the journal and writes the text.
 */

/** The kinds of row an export holds; each JSONL line carries its kind as `type`. */
export type ExportKind = 'fill' | 'decision' | 'action';
/** The text formats an export is written in. */
export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** What an export can hold: one kind of row, or all three. */
export const EXPORT_SELECTIONS = ['fills', 'decisions', 'actions', 'all'] as const;
export type ExportSelection = (typeof EXPORT_SELECTIONS)[number];

/** A cell: written as it is in JSONL; in CSV empty for null and as JSON for an object or array. */
export type ExportCell = string | number | boolean | null | object;
/** One row, its cells named by its table's columns. */
export type ExportRow = Readonly<Record<string, ExportCell>>;

/** The rows of one kind with their columns in the order CSV writes them. */
export interface ExportTable {
  readonly kind: ExportKind;
  /** The plural name the kind goes by in `--what` and in the file names of a CSV export of all. */
  readonly name: Exclude<ExportSelection, 'all'>;
  readonly columns: readonly string[];
  readonly rows: readonly ExportRow[];
}

/** What an export reads from a journal. */
export interface ExportSource {
  readonly meta: JournalMeta | null;
  readonly events: readonly EngineEvent[];
  readonly commands: readonly JournalCommand[];
}

const FILL_COLUMNS = [
  'seq',
  'time',
  'tsNs',
  'agentId',
  'agentName',
  'orderId',
  'side',
  'price',
  'size',
  'liquidity',
  'remaining',
  'agentFilled',
  'agentAvgPrice',
  'agentShortfallBps',
  'position',
  'openOrders',
  'workingLots',
] as const;
const DECISION_COLUMNS = ['seq', 'time', 'tsNs', 'agentId', 'agentName', 'action', 'size', 'price', 'reason', 'inputs', 'explanation'] as const;
const ACTION_COLUMNS = ['wallTime', 'time', 'simTsNs', 'afterSeq', 'by', 'name', 'reason', 'ok', 'errorCode', 'payload'] as const;

/**
 * Returns each agent's spec by its id. The kernel numbers the agents `agent-1`, `agent-2`, … in the
 * order of its config's agents (one SequentialIds per session, `ids.next('agent')` per spec), and
 * the meta records those specs in that order. Empty without a meta (schema 1).
 */
export function agentSpecsById(meta: JournalMeta | null): ReadonlyMap<string, { readonly name: string; readonly side: Side | null }> {
  const specs = new Map<string, { name: string; side: Side | null }>();
  meta?.agents.forEach((spec, i) => {
    const { name, side } = (spec ?? {}) as { name?: unknown; side?: unknown };
    if (typeof name === 'string') specs.set(`agent-${i + 1}`, { name, side: side === 'buy' || side === 'sell' ? side : null });
  });
  return specs;
}

/** Returns each agent's name by its id (see agentSpecsById). */
export function agentNames(meta: JournalMeta | null): ReadonlyMap<string, string> {
  return new Map([...agentSpecsById(meta)].map(([id, spec]) => [id, spec.name]));
}

/** Returns a row per OrderFilled of the agents, in stream order: the fill with the agent's figures and exposure after it. */
export function fillRows(events: readonly EngineEvent[], names: ReadonlyMap<string, string>): ExportRow[] {
  const rows: ExportRow[] = [];
  for (const e of events) {
    if (e.kind !== 'OrderFilled') continue;
    rows.push({
      ...eventPlace(e, e.agentId, names),
      orderId: e.orderId,
      side: e.side,
      price: e.price,
      size: e.size,
      liquidity: e.liquidity,
      remaining: e.remaining,
      agentFilled: e.agent.filled,
      agentAvgPrice: e.agent.avgPrice,
      agentShortfallBps: e.agent.shortfallBps,
      position: e.exposure.position,
      openOrders: e.exposure.openOrders,
      workingLots: e.exposure.workingLots,
    });
  }
  return rows;
}

/** Returns a row per DecisionMade, in stream order: the action, its reason, the inputs and a learned policy's explanation (null for the others). */
export function decisionRows(events: readonly EngineEvent[], names: ReadonlyMap<string, string>): ExportRow[] {
  const rows: ExportRow[] = [];
  for (const e of events) {
    if (e.kind !== 'DecisionMade') continue;
    rows.push({ ...eventPlace(e, e.agentId, names), action: e.action, size: e.size, price: e.price, reason: e.reason, inputs: e.inputs, explanation: e.explanation });
  }
  return rows;
}

/** Returns a row per recorded command, in the order they arrived: when, where in the stream, who, what, why and its outcome. */
export function actionRows(commands: readonly JournalCommand[]): ExportRow[] {
  return commands.map((c) => {
    const reason = (c.payload as { reason?: unknown } | null)?.reason;
    return {
      wallTime: c.wallTime,
      time: c.simTs === null ? null : formatClock(c.simTs),
      simTsNs: c.simTs,
      afterSeq: c.afterSeq,
      by: c.by,
      name: c.name,
      reason: typeof reason === 'string' ? reason : null,
      ok: c.ok,
      errorCode: c.errorCode,
      // A command's payload is JSON the journal parsed: null, a value or an object (a JSON cell in CSV).
      payload: (c.payload ?? null) as ExportCell,
    };
  });
}

/** Returns the tables `what` selects from a journal's contents, fills, decisions and actions in that order. */
export function exportTables(source: ExportSource, what: ExportSelection): ExportTable[] {
  const names = agentNames(source.meta);
  const tables: ExportTable[] = [];
  if (what === 'fills' || what === 'all') tables.push({ kind: 'fill', name: 'fills', columns: FILL_COLUMNS, rows: fillRows(source.events, names) });
  if (what === 'decisions' || what === 'all') tables.push({ kind: 'decision', name: 'decisions', columns: DECISION_COLUMNS, rows: decisionRows(source.events, names) });
  if (what === 'actions' || what === 'all') tables.push({ kind: 'action', name: 'actions', columns: ACTION_COLUMNS, rows: actionRows(source.commands) });
  return tables;
}

/** Writes a table as CSV: a header row, then one record per row, lines ended by CRLF (RFC 4180). */
export function formatCsv(table: ExportTable): string {
  const lines = [table.columns.map(csvField), ...table.rows.map((r) => table.columns.map((c) => csvField(csvText(r[c] ?? null))))];
  return lines.map((l) => `${l.join(',')}\r\n`).join('');
}

/** Writes the tables as JSON Lines: one object per row with its kind as `type` first, the tables one after the other. */
export function formatJsonl(tables: readonly ExportTable[]): string {
  return tables.map((t) => t.rows.map((r) => `${JSON.stringify({ type: t.kind, ...r })}\n`).join('')).join('');
}

/** Quotes a CSV field when it holds a comma, a double quote, CR or LF, doubling the quotes inside (RFC 4180 §2.6–2.7). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The text of a cell in CSV: empty for null, JSON for an object or array. */
function csvText(cell: ExportCell): string {
  if (cell === null) return '';
  return typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
}

/** The cells that place an agent's event: its seq, simulated time (clock and ns) and agent. */
function eventPlace(e: EngineEvent, agentId: string, names: ReadonlyMap<string, string>): ExportRow {
  return { seq: e.seq, time: formatClock(e.ts), tsNs: e.ts, agentId, agentName: names.get(agentId) ?? null };
}
