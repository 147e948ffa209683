import { commands, type ValidCommand } from './index';
import { fail, type CommandError, type CommandIssue } from './result';

/** The largest command accepted, in characters of its JSON text. */
export const MAX_COMMAND_CHARS = 16 * 1024;
/** The deepest nesting of objects and arrays a command may have (the deepest schema needs 4). */
export const MAX_COMMAND_DEPTH = 16;
/** The most values (objects, arrays and leaves) a command may hold. */
export const MAX_COMMAND_VALUES = 4096;
/** The largest message text, envelope included. */
export const MAX_MESSAGE_CHARS = MAX_COMMAND_CHARS + 256;

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
  const shape = boundedPlainData(payload ?? {});
  if (shape !== null) return failure(shape.code, `payload of ${name} ${shape.message}`);
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
  if (text.length > MAX_MESSAGE_CHARS) {
    return { ok: false, id: null, error: { code: 'COMMAND_TOO_LARGE', message: `message is ${text.length} characters; the limit is ${MAX_MESSAGE_CHARS}` } };
  }
  if (text.length === 0) return { ok: false, id: null, error: { code: 'MALFORMED_MESSAGE', message: 'message is empty; expected a JSON text {t: "cmd", id, name, payload}' } };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: { code: 'MALFORMED_MESSAGE', message: `message is not JSON: ${text.slice(0, 80)}` } };
  }
  return decodeCommandMessage(value);
}

/**
 * Validates one command message already parsed from JSON or received by structured clone: the
 * envelope, then the command. This is the one place the envelope is checked, for every transport.
 */
export function decodeCommandMessage(value: unknown): Decoded {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, id: null, error: { code: 'MALFORMED_MESSAGE', message: `expected {t: "cmd", id, name, payload}, received ${describe(value)}` } };
  }
  const msg = value as Record<string, unknown>;
  const id = typeof msg.id === 'number' && Number.isSafeInteger(msg.id) && msg.id >= 0 ? msg.id : null;
  const extra = Object.keys(msg).find((k) => k !== 't' && k !== 'id' && k !== 'name' && k !== 'payload');
  if (extra !== undefined) {
    return { ok: false, id, error: { code: 'MALFORMED_MESSAGE', message: `unexpected field ${JSON.stringify(extra.slice(0, 40))} in the envelope; expected {t: "cmd", id, name, payload}` } };
  }
  if (msg.t !== 'cmd' || id === null) {
    return { ok: false, id, error: { code: 'MALFORMED_MESSAGE', message: 'expected {t: "cmd", id: non-negative integer, name, payload}' } };
  }
  const v = validateCommand(msg.name, msg.payload);
  return v.ok ? { ok: true, id, command: v.command } : { ok: false, id, error: v.error };
}

/**
 * Returns why `value` is not plain JSON data of bounded depth and size, or null when it is. Walks
 * iteratively, so a hostile nesting cannot overflow the stack here or later (the structured clone
 * that carries a command to the engine's thread recurses).
 */
export function boundedPlainData(value: unknown): { readonly code: 'COMMAND_TOO_LARGE' | 'MALFORMED_MESSAGE'; readonly message: string } | null {
  const stack: Array<readonly [unknown, number]> = [[value, 1]];
  const seen = new Set<object>();
  let values = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as readonly [unknown, number];
    if (++values > MAX_COMMAND_VALUES) return { code: 'COMMAND_TOO_LARGE', message: `holds more than ${MAX_COMMAND_VALUES} values` };
    // Numbers that JSON cannot carry (NaN, ±Infinity) are the schema's to refuse, with their path.
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') continue;
    if (typeof v !== 'object') return { code: 'MALFORMED_MESSAGE', message: `is not plain JSON data (holds a ${typeof v})` };
    if (seen.has(v)) return { code: 'MALFORMED_MESSAGE', message: 'is not plain JSON data (an object appears twice in it, or contains itself)' };
    seen.add(v);
    if (depth > MAX_COMMAND_DEPTH) return { code: 'COMMAND_TOO_LARGE', message: `nests deeper than ${MAX_COMMAND_DEPTH} levels` };
    if (Array.isArray(v)) {
      for (const item of v) stack.push([item, depth + 1]);
      continue;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return { code: 'MALFORMED_MESSAGE', message: 'is not plain JSON data (holds an object that is not a plain object)' };
    for (const item of Object.values(v)) stack.push([item, depth + 1]);
  }
  return null;
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
