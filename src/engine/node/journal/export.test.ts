import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../contract/events';
import { DEFAULT_AGENTS } from '../../kernel/session-kernel';
import { csvField, exportTables, formatCsv, formatJsonl, type ExportSource } from './export';
import { schemaOneJournal, testMeta, testSessionEvents } from './fixtures/test-journal';
import { Journal } from './journal';

/** Reads RFC 4180 CSV back into records (quoted fields with doubled quotes, CRLF between records), to check what formatCsv wrote. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  expect(field === '' && record.length === 0, 'the text ends with a whole record').toBe(true);
  return records;
}

const REASON = 'halt, "now"\r\nthe spread is gone';
let dir: string;
let source: ExportSource;
let events: EngineEvent[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'export-'));
  events = testSessionEvents();
  const path = join(dir, 's1.sqlite');
  const journal = Journal.create(path, testMeta);
  journal.append(events);
  journal.recordCommand('2026-01-02T00:00:01.000Z', 'KillAll', { reason: REASON }, true, null, { by: 'electron window', afterSeq: 40, simTs: events[39]!.ts });
  journal.recordCommand('2026-01-02T00:00:02.000Z', 'SetSpeed', { speed: 0 }, false, 'INVALID_SPEED');
  journal.close();
  const read = Journal.open(path);
  source = { meta: read.meta(), events: read.events(), commands: read.commands() };
  read.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sessions export rows', () => {
  it('buildsOneRowPerFillDecisionAndCommandOfTheJournal', () => {
    const [fills, decisions, actions] = exportTables(source, 'all');
    const fillCount = events.filter((e) => e.kind === 'OrderFilled').length;
    const decisionCount = events.filter((e) => e.kind === 'DecisionMade').length;
    expect(fillCount, 'the session has fills to export').toBeGreaterThan(0);
    expect(decisionCount, 'the session has decisions to export').toBeGreaterThan(0);
    expect(fills!.rows.length).toBe(fillCount);
    expect(decisions!.rows.length).toBe(decisionCount);
    expect(actions!.rows.length).toBe(2);
    expect(exportTables(source, 'decisions').map((t) => t.kind)).toEqual(['decision']);
  });

  it('namesEachAgentByItsSpecInTheOrderTheKernelNumberedThem', () => {
    const started = events.filter((e) => e.kind === 'AgentStarted').map((e) => e.agentId);
    expect(started).toEqual(['agent-1', 'agent-2', 'agent-3']);
    const [fills, decisions] = exportTables(source, 'all');
    for (const row of [...fills!.rows, ...decisions!.rows]) {
      const index = Number(String(row.agentId).slice('agent-'.length)) - 1;
      expect(row.agentName).toBe(DEFAULT_AGENTS[index]!.name);
    }
    const first = events.find((e) => e.kind === 'OrderFilled')!;
    expect(fills!.rows[0]).toMatchObject({ seq: first.seq, tsNs: first.ts, time: expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3}$/) });
  });

  it('placesACommandWhereItTookEffectAndLeavesARefusedOneUnplaced', () => {
    const [, , actions] = exportTables(source, 'all');
    expect(actions!.rows[0]).toMatchObject({ name: 'KillAll', by: 'electron window', afterSeq: 40, simTsNs: events[39]!.ts, reason: REASON, ok: true, errorCode: null });
    expect(actions!.rows[1]).toMatchObject({ name: 'SetSpeed', by: null, afterSeq: null, time: null, reason: null, ok: false, errorCode: 'INVALID_SPEED', payload: { speed: 0 } });
  });

  it('roundTripsACsvFieldWithACommaQuotesAndALineBreak', () => {
    const actions = exportTables(source, 'actions')[0]!;
    const records = parseCsv(formatCsv(actions));
    expect(records.length).toBe(1 + actions.rows.length);
    expect(records.every((r) => r.length === actions.columns.length)).toBe(true);
    const reason = actions.columns.indexOf('reason');
    expect(records[1]![reason]).toBe(REASON);
    expect(JSON.parse(records[1]![actions.columns.indexOf('payload')]!)).toEqual({ reason: REASON });
    expect(records[2]![reason], 'a null cell is empty').toBe('');
    expect(csvField('plain'), 'a field without specials is left bare').toBe('plain');
  });

  it('writesDecisionsAsCsvWithTheInputsAsJsonInOneCell', () => {
    const decisions = exportTables(source, 'decisions')[0]!;
    const records = parseCsv(formatCsv(decisions));
    expect(records.length).toBe(1 + decisions.rows.length);
    const inputs = decisions.columns.indexOf('inputs');
    expect(JSON.parse(records[1]![inputs]!)).toEqual(decisions.rows[0]!.inputs);
  });

  it('writesOneParsableJsonLinePerRowWithItsType', () => {
    const tables = exportTables(source, 'all');
    const lines = formatJsonl(tables).split('\n');
    expect(lines.pop(), 'the text ends with a newline').toBe('');
    const objects = lines.map((l) => JSON.parse(l) as { type: string });
    expect(objects.length).toBe(tables.reduce((n, t) => n + t.rows.length, 0));
    for (const t of tables) expect(objects.filter((o) => o.type === t.kind).length).toBe(t.rows.length);
    expect(objects.find((o) => o.type === 'action')).toMatchObject({ reason: REASON, payload: { reason: REASON } });
  });

  it('exportsASchemaOneJournalWithoutAgentNames', () => {
    const path = join(dir, 'old.sqlite');
    schemaOneJournal(path);
    const old = Journal.open(path);
    const tables = exportTables({ meta: old.meta(), events: old.events(), commands: old.commands() }, 'all');
    old.close();
    expect(tables.map((t) => t.rows.length)).toEqual([0, 0, 1]);
    expect(tables[2]!.rows[0]).toMatchObject({ name: 'KillAll', reason: 'x', by: null, afterSeq: null });
  });
});
