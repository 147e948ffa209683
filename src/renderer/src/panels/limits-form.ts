import { agentLimitsSchema, type AgentLimits, type CommandError, type RiskLimits, type SessionLimits } from '../../../engine/contract/index';
// The one rule for a whole set of limits; contract/index.ts re-exports the per-agent and session parts but not this one yet.
import { riskLimitsSchema } from '../../../engine/contract/index';
import { AGENT_LIMIT_KEYS, SESSION_LIMIT_KEYS } from '../format/limits';

/** The limits form as typed: every per-agent and session limit as text. */
export interface LimitsFormFields {
  readonly perAgent: Readonly<Record<keyof AgentLimits, string>>;
  readonly session: Readonly<Record<keyof SessionLimits, string>>;
}

/** What is wrong with the form, by field path (`perAgent.priceCollarBps`), in the engine's schema's words; `form` for what names no field. */
export type LimitsFormErrors = Readonly<Record<string, string>>;

export type ParsedLimits = { readonly ok: true; readonly limits: RiskLimits } | { readonly ok: false; readonly errors: LimitsFormErrors };
export type ParsedAgentLimits = { readonly ok: true; readonly limits: AgentLimits } | { readonly ok: false; readonly errors: LimitsFormErrors };

/** Returns the form filled with `limits` as they are in force. */
export function formFromLimits(limits: RiskLimits): LimitsFormFields {
  return { perAgent: textOf(limits.perAgent, AGENT_LIMIT_KEYS), session: textOf(limits.session, SESSION_LIMIT_KEYS) };
}

function textOf<K extends string>(values: Readonly<Record<K, number>>, keys: readonly K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const k of keys) out[k] = String(values[k]);
  return out;
}

/**
 * Reads a number as typed: thousands separators, underscores and spaces are ignored. Returns
 * undefined for an empty field and NaN for text that is not a number, so the schema says what is
 * wrong with it; the ranges are the schema's alone.
 */
export function readNumber(text: string): number | undefined {
  const plain = text.replace(/[\s,_]/g, '');
  if (plain === '') return undefined;
  return Number(plain);
}

function numbersOf(fields: Readonly<Record<string, string>>): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = readNumber(v);
  return out;
}

/** Reads the whole form against the engine's schema for a set of limits (riskLimitsSchema). */
export function parseLimits(form: LimitsFormFields): ParsedLimits {
  const r = riskLimitsSchema.safeParse({ perAgent: numbersOf(form.perAgent), session: numbersOf(form.session) });
  return r.success ? { ok: true, limits: r.data } : { ok: false, errors: errorsOf(r.error.issues, '') };
}

/** Reads the per-agent part of the form against the engine's schema for one agent's own limits (agentLimitsSchema). */
export function parseAgentLimits(form: LimitsFormFields): ParsedAgentLimits {
  const r = agentLimitsSchema.safeParse(numbersOf(form.perAgent));
  return r.success ? { ok: true, limits: r.data } : { ok: false, errors: errorsOf(r.error.issues, 'perAgent') };
}

/** The first message per field path; `prefix` is the group the issues' paths are relative to. */
function errorsOf(issues: ReadonlyArray<{ readonly path: readonly PropertyKey[]; readonly message: string }>, prefix: string): LimitsFormErrors {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.') || 'form';
    out[path] ??= issue.message;
  }
  return out;
}

/**
 * Returns what the engine said when it refused a change of limits: its message, and its schema's
 * findings by form field (the command's paths start at `limits.`).
 */
export function errorsFromCommand(error: CommandError, group: 'all' | 'perAgent' = 'all'): { readonly message: string; readonly fields: LimitsFormErrors } {
  const fields: Record<string, string> = {};
  for (const issue of error.issues ?? []) {
    const m = /^limits(?:\.(.+))?$/.exec(issue.path);
    if (m === null || m[1] === undefined) continue;
    const path = group === 'perAgent' ? `perAgent.${m[1]}` : m[1];
    fields[path] ??= issue.message;
  }
  return { message: error.message, fields };
}
