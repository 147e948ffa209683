import { describe, expect, it } from 'vitest';
import { NS_PER_SECOND as S, parseTimeOfDay } from '../core/clock';
import { SequentialIds } from '../core/ids';
import type { EngineEvent } from '../contract/events';
import { loadScenario } from '../node/files/sim-scenarios';
import { createSimVenue } from '../sim/sim-venue';
import { simSessionMarket } from './market';
import { DEFAULT_AGENTS, DEFAULT_LIMITS, SessionKernel } from './session-kernel';
import { baselineStrategies } from './strategies';

const crash = loadScenario('flash-crash');

describe('a simulated session market', () => {
  it('startsAtItsOpenUnlessToldATimeOfDay', () => {
    const open = simSessionMarket(crash, 5);
    expect(open.venue.now()).toBe(crash.session.openSeconds * S);
    const late = simSessionMarket(crash, 5, parseTimeOfDay('11:20'));
    expect(late.venue.now()).toBe(parseTimeOfDay('11:20'));
    expect(late.openNs).toBe(open.openNs);
  });

  it('isTheSameMarketAsOneRunFromTheOpenToThatTime', () => {
    const late = simSessionMarket(crash, 5, parseTimeOfDay('10:00'));
    const ran = createSimVenue(crash, 5);
    ran.elapse(parseTimeOfDay('10:00') - ran.now());
    expect(late.venue.l2(10)).toEqual(ran.l2(10));
    expect(late.venue.bestBid()).toBeGreaterThan(0);
  });

  it('refusesAStartOutsideTheScenariosDay', () => {
    expect(() => simSessionMarket(crash, 5, parseTimeOfDay('09:00'))).toThrow('a session on "flash-crash" starts between its open at 09:30 and its close at 16:00, received 09:00');
    expect(() => simSessionMarket(crash, 5, parseTimeOfDay('16:00'))).toThrow('received 16:00');
    expect(() => simSessionMarket(crash, 5, Number.NaN)).toThrow('received NaN');
  });

  it('startsTheAgentsFromThereSoTheyTradeThroughTheCrash', () => {
    const start = parseTimeOfDay('11:20');
    const kernel = new SessionKernel(
      { ids: new SequentialIds(), strategies: baselineStrategies },
      { sessionId: 's', seed: 5, speed: 1, market: simSessionMarket(crash, 5, start), agents: DEFAULT_AGENTS, limits: DEFAULT_LIMITS },
    );
    const events: EngineEvent[] = [];
    kernel.subscribe((e) => events.push(e));
    kernel.start();
    kernel.elapse(60 * S);
    const started = events.filter((e): e is Extract<EngineEvent, { kind: 'AgentStarted' }> => e.kind === 'AgentStarted');
    expect(started.map((e) => e.agentId)).toHaveLength(DEFAULT_AGENTS.length);
    DEFAULT_AGENTS.forEach((spec, i) => expect(started[i]?.startNs).toBe(start + spec.startAfterSeconds * S));
    const crashNs = parseTimeOfDay('11:30');
    for (const e of started) expect(e.endNs).toBeGreaterThan(crashNs);
  });
});
