/**
 * The one queue workflows started from the window go through: at most `running` at once, at most
 * `waiting` more in line, and a typed BUSY beyond that. Each job has a client-given id, its own
 * abort signal (CancelWorkflow aborts it, queued or running) and a life reported to `onChange`:
 * queued → running → done | failed | cancelled, with progress while it runs.
 */

import type { WorkflowState } from '../contract/events';
import type { WorkflowContext, WorkflowProgress } from './workflow';
import { WorkflowCancelled } from './workflow';

export interface QueueLimits {
  readonly running: number;
  readonly waiting: number;
}

/** A change to report: the job's state, how far it is, and a sentence (the error or the reason on a failure or cancel). */
export interface JobChange {
  readonly jobId: string;
  readonly state: WorkflowState;
  readonly done: number;
  readonly total: number;
  readonly detail: string;
}

export type Submitted<T> =
  | { readonly ok: true; readonly result: Promise<T> }
  | { readonly ok: false; readonly code: 'BUSY' | 'REJECTED'; readonly message: string };

interface Job {
  readonly id: string;
  readonly controller: AbortController;
  readonly start: () => void;
  progress: WorkflowProgress;
  running: boolean;
}

export class WorkflowQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly line: Job[] = [];
  private active = 0;

  constructor(
    private readonly limits: QueueLimits,
    private readonly onChange: (change: JobChange) => void,
  ) {
    if (!(limits.running >= 1) || !(limits.waiting >= 0)) throw new Error(`a workflow queue runs at least one job and holds no negative line, received ${JSON.stringify(limits)}`);
  }

  /** The jobs queued or running. */
  get size(): number {
    return this.jobs.size;
  }

  /** Queues `run` under `jobId`; it starts when a slot is free. */
  submit<T>(jobId: string, run: (context: WorkflowContext) => Promise<T>): Submitted<T> {
    if (this.jobs.has(jobId)) return { ok: false, code: 'REJECTED', message: `a workflow "${jobId}" is already queued or running; give each run its own job id` };
    const waiting = this.line.length;
    if (this.active >= this.limits.running && waiting >= this.limits.waiting) {
      return { ok: false, code: 'BUSY', message: `${this.active} workflow${this.active === 1 ? ' is' : 's are'} running and ${waiting} waiting, the most the queue holds (${this.limits.running} running, ${this.limits.waiting} waiting); try again when one finishes` };
    }
    let settle!: { resolve: (v: T) => void; reject: (e: unknown) => void };
    const result = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
    const controller = new AbortController();
    const job: Job = {
      id: jobId,
      controller,
      progress: { done: 0, total: 0 },
      running: false,
      start: () => {
        job.running = true;
        this.active++;
        this.report(job, 'running', '');
        const context: WorkflowContext = {
          signal: controller.signal,
          onProgress: (p) => {
            job.progress = p;
            if (!controller.signal.aborted) this.report(job, 'running', '');
          },
        };
        let promise: Promise<T>;
        try {
          promise = run(context);
        } catch (err) {
          promise = Promise.reject(err);
        }
        promise.then(
          (value) => {
            this.finish(job, controller.signal.aborted ? 'cancelled' : 'done', controller.signal.aborted ? this.reasonOf(job) : '');
            if (controller.signal.aborted) settle.reject(new WorkflowCancelled(this.reasonOf(job)));
            else settle.resolve(value);
          },
          (err: unknown) => {
            const cancelled = controller.signal.aborted || err instanceof WorkflowCancelled;
            this.finish(job, cancelled ? 'cancelled' : 'failed', cancelled ? this.reasonOf(job) : err instanceof Error ? err.message : String(err));
            settle.reject(cancelled && !(err instanceof WorkflowCancelled) ? new WorkflowCancelled(this.reasonOf(job)) : err);
          },
        );
      },
    };
    controller.signal.addEventListener('abort', () => {
      if (job.running) return; // the running workflow sees its signal and ends; finish() reports it
      const at = this.line.indexOf(job);
      if (at >= 0) this.line.splice(at, 1);
      this.jobs.delete(job.id);
      this.report(job, 'cancelled', this.reasonOf(job));
      settle.reject(new WorkflowCancelled(this.reasonOf(job)));
    });
    this.jobs.set(jobId, job);
    this.line.push(job);
    this.report(job, 'queued', waiting === 0 && this.active < this.limits.running ? '' : `${waiting + this.active} ahead`);
    this.pump();
    return { ok: true, result };
  }

  /** Cancels a queued or running job; false when there is none by that id. */
  cancel(jobId: string, reason: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job) return false;
    if (!job.controller.signal.aborted) job.controller.abort(reason);
    return true;
  }

  /** Cancels every job (the host is stopping). */
  cancelAll(reason: string): void {
    for (const id of [...this.jobs.keys()]) this.cancel(id, reason);
  }

  private reasonOf(job: Job): string {
    const r: unknown = job.controller.signal.reason;
    return typeof r === 'string' ? r : 'cancelled';
  }

  private finish(job: Job, state: WorkflowState, detail: string): void {
    this.active--;
    this.jobs.delete(job.id);
    this.report(job, state, detail);
    this.pump();
  }

  private pump(): void {
    while (this.active < this.limits.running && this.line.length > 0) (this.line.shift() as Job).start();
  }

  private report(job: Job, state: WorkflowState, detail: string): void {
    this.onChange({ jobId: job.id, state, done: job.progress.done, total: job.progress.total, detail });
  }
}
