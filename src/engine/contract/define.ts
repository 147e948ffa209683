import { z } from 'zod';

/** A command's entry in the contract: the schema its request must pass and its response type. */
export interface CommandSpec<Req extends z.ZodType, Res> {
  readonly request: Req;
  /** Type-only marker for the response; never read at run time. */
  readonly response?: Res;
  readonly summary: string;
}

/** Declares a command: `command<Response>()(schema, summary)`. */
export function command<Res>() {
  return <Req extends z.ZodType>(request: Req, summary: string): CommandSpec<Req, Res> => ({ request, summary });
}

/** A human action's reason: said once, recorded with the action. */
export const REASON_MAX = 500;

/** The schema of a human action's reason: the one rule, used by every command that takes one. */
export const reasonSchema = z.string().trim().min(1, 'a reason is required').max(REASON_MAX);
