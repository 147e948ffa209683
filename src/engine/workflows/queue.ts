/**
 * The one queue workflows started from the window go through: at most `running` at once, at most
 * `waiting` more in line, and a typed BUSY beyond that. Each job has a client-given id, its own
 * abort signal (CancelWorkflow aborts it, queued or running) and a life reported to `onChange`:
 * queued → running → done | failed | cancelled, with progress while it runs.
 */

import type { WorkflowName, WorkflowState } from '../contract/events';
import type { WorkflowContext, WorkflowProgress } from './workflow';
import { abortReason, WorkflowCancelled } from './workflow';

export interface QueueLimits {
  readonly running: number;
  readonly waiting: number;
}

/** A change to report: the job's state, how far it is, and a sentence (the error or the reason on a failure or cancel). */
export interface JobChange {
  readonly jobId: string;
  readonly workflow: WorkflowName;
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
  readonly workflow: WorkflowName;
  readonly controller: AbortController;
  readonly run: (context: WorkflowContext) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
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

  /** Queues `run`, a `workflow`, under `jobId`; it starts when a slot is free. */
  submit<T>(jobId: string, workflow: WorkflowName, run: (context: WorkflowContext) => Promise<T>): Submitted<T> {
    if (this.jobs.has(jobId)) return { ok: false, code: 'REJECTED', message: `a workflow "${jobId}" is already queued or running; give each run its own job id` };
    const waiting = this.line.length;
    if (this.active >= this.limits.running && waiting >= this.limits.waiting) {
      return { ok: false, code: 'BUSY', message: `${this.active} workflow${this.active === 1 ? ' is' : 's are'} running and ${waiting} waiting, the most the queue holds (${this.limits.running} running, ${this.limits.waiting} waiting); try again when one finishes` };
    }
    let job!: Job;
    const result = new Promise<T>((resolve, reject) => {
      job = { id: jobId, workflow, controller: new AbortController(), run, resolve: resolve as (value: unknown) => void, reject, progress: { done: 0, total: 0 }, running: false };
    });
    job.controller.signal.addEventListener('abort', () => this.onAbort(job));
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

  /** Runs a job: its progress is reported while it runs, and its end settles its result. */
  private start(job: Job): void {
    const { signal } = job.controller;
    job.running = true;
    this.active++;
    this.report(job, 'running', '');
    const context: WorkflowContext = {
      signal,
      onProgress: (p) => {
        job.progress = p;
        if (!signal.aborted) this.report(job, 'running', '');
      },
    };
    let promise: Promise<unknown>;
    try {
      promise = job.run(context);
    } catch (err) {
      promise = Promise.reject(err);
    }
    promise.then(
      (value) => {
        if (signal.aborted) return this.cancelled(job);
        this.finish(job, 'done', '');
        job.resolve(value);
      },
      (err: unknown) => {
        if (signal.aborted || err instanceof WorkflowCancelled) return this.cancelled(job);
        this.finish(job, 'failed', err instanceof Error ? err.message : String(err));
        job.reject(err);
      },
    );
  }

  /** A queued job leaves the line at once; a running one sees its signal and ends (see start). */
  private onAbort(job: Job): void {
    if (job.running) return;
    const at = this.line.indexOf(job);
    if (at >= 0) this.line.splice(at, 1);
    this.jobs.delete(job.id);
    this.report(job, 'cancelled', abortReason(job.controller.signal));
    job.reject(new WorkflowCancelled(abortReason(job.controller.signal)));
  }

  private cancelled(job: Job): void {
    const reason = abortReason(job.controller.signal);
    this.finish(job, 'cancelled', reason);
    job.reject(new WorkflowCancelled(reason));
  }

  private finish(job: Job, state: WorkflowState, detail: string): void {
    this.active--;
    this.jobs.delete(job.id);
    this.report(job, state, detail);
    this.pump();
  }

  private pump(): void {
    while (this.active < this.limits.running && this.line.length > 0) this.start(this.line.shift() as Job);
  }

  private report(job: Job, state: WorkflowState, detail: string): void {
    this.onChange({ jobId: job.id, workflow: job.workflow, state, done: job.progress.done, total: job.progress.total, detail });
  }
}
