/**
 * A strategy that runs where the kernel can preempt it (a worker thread on the Node side) answers
 * within a deadline or is stopped. This is the error it leaves: the kernel's one path for a failed
 * strategy (`Kernel.decide`) cancels the agent's orders, halts it and publishes the message as the
 * reason, so the trader reads what happened.
 */

/** What the agent was doing when its deadline passed: loading its strategies, building its strategy, or deciding. */
export type DeadlineStage = 'load' | 'build' | 'decision';

/** Whether this call ran past the deadline (`now`), or an earlier one did and the agent is already halted (`earlier`). */
export type DeadlineMissedWhen = 'now' | 'earlier';

/** An agent's strategy did not answer within its deadline; its worker was stopped and the agent is halted. */
export class DecisionDeadlineMissed extends Error {
  override readonly name = 'DecisionDeadlineMissed';

  constructor(
    /** The agent's name, as the session lists it. */
    readonly agent: string,
    /** The deadline it missed, ms of wall time. */
    readonly deadlineMs: number,
    readonly stage: DeadlineStage,
    readonly when: DeadlineMissedWhen = 'now',
  ) {
    super(deadlineMessage(agent, deadlineMs, stage, when));
  }
}

/** Whether `message` is a DecisionDeadlineMissed's (for `agent`): a miss is wall-clock chance, which a record must carry. */
export function isDeadlineMissMessage(message: string, agent: string): boolean {
  return message.startsWith(`${agent} missed its `) ? message.endsWith('; its worker was stopped and it is halted') : message.startsWith(`${agent} is halted: it missed its `);
}

function deadlineMessage(agent: string, ms: number, stage: DeadlineStage, when: DeadlineMissedWhen): string {
  const deadline = stage === 'decision' ? `its ${ms} ms decision deadline` : stage === 'build' ? `its ${ms} ms deadline to build its strategy` : `its ${ms} ms deadline to load its strategies`;
  if (when === 'earlier') return `${agent} is halted: it missed ${deadline} earlier and its worker was stopped`;
  return `${agent} missed ${deadline}; its worker was stopped and it is halted`;
}
