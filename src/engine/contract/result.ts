/** Stable codes for a command the engine host did not carry out. */
export type CommandErrorCode =
  | 'MALFORMED_MESSAGE'
  | 'COMMAND_TOO_LARGE'
  | 'UNKNOWN_COMMAND'
  | 'INVALID_PAYLOAD'
  | 'REJECTED'
  | 'ENGINE_UNAVAILABLE'
  /** The workflow queue is full (see WORKFLOW_QUEUE_LIMITS); try again when one finishes. */
  | 'BUSY'
  /** The workflow was cancelled before it finished. */
  | 'CANCELLED'
  /** The window replays a recorded session: nothing it sends reaches a market. */
  | 'READ_ONLY'
  | 'INTERNAL';

export interface CommandIssue {
  readonly path: string;
  readonly message: string;
}

/** A command's typed failure: a code to act on, a sentence to show, and the schema's findings. */
export interface CommandError {
  readonly code: CommandErrorCode;
  readonly message: string;
  readonly issues?: readonly CommandIssue[];
}

export type CommandResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CommandError };

/** Returns a successful result. */
export function ok<T>(value: T): CommandResult<T> {
  return { ok: true, value };
}

/** Returns a failed result. */
export function fail<T = never>(code: CommandErrorCode, message: string, issues?: readonly CommandIssue[]): CommandResult<T> {
  return issues ? { ok: false, error: { code, message, issues } } : { ok: false, error: { code, message } };
}
