/**
 * What every workflow takes besides its options: a progress sink and a cancellation signal. A
 * workflow is an async function `(options, context) => Promise<result>`; the CLI and the window
 * call the same one.
 */

/** How far a workflow is: `done` of `total` units (episodes, for a backtest). */
export interface WorkflowProgress {
  readonly done: number;
  readonly total: number;
}

export interface WorkflowContext {
  /** Told as work finishes; may be called often (callers throttle what they show). */
  readonly onProgress?: (progress: WorkflowProgress) => void;
  /** Aborting it stops the workflow as soon as it can; the workflow then rejects with `WorkflowCancelled`. */
  readonly signal?: AbortSignal;
}

/** A workflow stopped because its signal was aborted. */
export class WorkflowCancelled extends Error {
  constructor(reason: string) {
    super(`cancelled: ${reason}`);
    this.name = 'WorkflowCancelled';
  }
}

/** The reason an aborted signal carries, as a sentence. */
export function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return typeof r === 'string' ? r : r instanceof Error && r.name !== 'AbortError' ? r.message : 'cancelled';
}

/** Throws `WorkflowCancelled` if `signal` has been aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new WorkflowCancelled(abortReason(signal));
}
