/** A live session for the kernel's tests: the default agents on the calm simulator, and commands sent as a window sends them. */

import { simSessionMarket } from '../../kernel/market';
import { SequentialIds } from '../../core/ids';
import { NS_PER_SECOND } from '../../core/clock';
import type { EngineEvent } from '../../contract/events';
import type { CommandResult } from '../../contract/result';
import { validateCommand } from '../../contract/validate';
import { loadScenario } from '../files/sim-scenarios';
import { DEFAULT_AGENTS, DEFAULT_LIMITS, SessionKernel, isSessionCommand } from '../../kernel/session-kernel';
import { baselineStrategies } from '../../kernel/strategies';

/** A calm session (seed 3) with the default agents, `seconds` simulated seconds in, and every event it published. */
export function calmSession(seconds = 60): { kernel: SessionKernel; events: EngineEvent[] } {
  const kernel = new SessionKernel({ ids: new SequentialIds(), strategies: baselineStrategies }, { sessionId: 's', seed: 3, speed: 5, market: simSessionMarket(loadScenario('calm'), 3), agents: DEFAULT_AGENTS, limits: DEFAULT_LIMITS });
  const events: EngineEvent[] = [];
  kernel.subscribe((e) => events.push(e));
  kernel.start();
  kernel.elapse(seconds * NS_PER_SECOND);
  return { kernel, events };
}

/** Validates a command as the edge does and has the kernel carry it out for 'test window'. */
export function sendCommand(kernel: SessionKernel, name: string, payload: unknown): CommandResult<unknown> {
  const v = validateCommand(name, payload);
  if (!v.ok) return { ok: false, error: v.error };
  if (!isSessionCommand(v.command)) throw new Error(`${name} runs beside the kernel`);
  return kernel.execute(v.command, 'test window');
}
