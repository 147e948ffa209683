import { commands, type ValidCommand } from './index';
import { fail, type CommandError, type CommandIssue } from './result';

/** The largest command accepted, in characters of its JSON text. */
export const MAX_COMMAND_CHARS = 16 * 1024;

export type Validation = { readonly ok: true; readonly command: ValidCommand } | { readonly ok: false; readonly error: CommandError };

/**
 * Checks a command by name against its schema. Returns the parsed command, or a typed error that
 * says what was received and what was expected; never throws.
 */
export function validateCommand(name: unknown, payload: unknown): Validation {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) {
    return failure('MALFORMED_MESSAGE', `command name must be a non-empty string of at most 64 characters, received ${describe(name)}`);
  }
  if (!Object.hasOwn(commands, name)) {
    return failure('UNKNOWN_COMMAND', `unknown command "${name}"; expected one of ${Object.keys(commands).join(', ')}`);
  }
  let size: number;
  try {
    size = JSON.stringify(payload ?? {}).length;
  } catch {
    return failure('MALFORMED_MESSAGE', `payload of ${name} is not plain JSON data`);
  }
  if (size > MAX_COMMAND_CHARS) {
    return failure('COMMAND_TOO_LARGE', `payload of ${name} is ${size} characters; the limit is ${MAX_COMMAND_CHARS}`);
  }
  const spec = commands[name as keyof typeof commands];
  const parsed = spec.request.safeParse(payload ?? {});
  if (!parsed.success) {
    const issues: CommandIssue[] = parsed.error.issues.map((i) => ({ path: i.path.map((p) => String(p)).join('.') || '(payload)', message: i.message }));
    return failure('INVALID_PAYLOAD', `invalid ${name}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  return { ok: true, command: { name, payload: parsed.data } as ValidCommand };
}

/** A command as it travels from the window to the engine host. */
export interface CommandMessage {
  readonly t: 'cmd';
  readonly id: number;
  readonly name: string;
  readonly payload: unknown;
}

export type Decoded =
  | { readonly ok: true; readonly id: number; readonly command: ValidCommand }
  | { readonly ok: false; readonly id: number | null; readonly error: CommandError };

/** Decodes and validates one command message from its JSON text (the WebSocket path). */
export function decodeCommandText(text: string): Decoded {
  if (text.length > MAX_COMMAND_CHARS + 256) {
    return { ok: false, id: null, error: { code: 'COMMAND_TOO_LARGE', message: `message is ${text.length} characters; the limit is ${MAX_COMMAND_CHARS + 256}` } };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: { code: 'MALFORMED_MESSAGE', message: `message is not JSON: ${text.slice(0, 80)}` } };
  }
  return decodeCommandMessage(value);
}

/** Validates one command message already parsed from JSON or received by structured clone. */
export function decodeCommandMessage(value: unknown): Decoded {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, id: null, error: { code: 'MALFORMED_MESSAGE', message: `expected {t: "cmd", id, name, payload}, received ${describe(value)}` } };
  }
  const msg = value as Record<string, unknown>;
  const id = typeof msg.id === 'number' && Number.isSafeInteger(msg.id) && msg.id >= 0 ? msg.id : null;
  if (msg.t !== 'cmd' || id === null) {
    return { ok: false, id, error: { code: 'MALFORMED_MESSAGE', message: 'expected {t: "cmd", id: non-negative integer, name, payload}' } };
  }
  const v = validateCommand(msg.name, msg.payload);
  return v.ok ? { ok: true, id, command: v.command } : { ok: false, id, error: v.error };
}

function failure(code: CommandError['code'], message: string, issues?: readonly CommandIssue[]): Validation {
  const r = fail(code, message, issues);
  return r as Validation;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.slice(0, 40)}"`;
  return typeof v;
}
