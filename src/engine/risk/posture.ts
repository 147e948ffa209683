/**
 * Posture rules: what the overlay does to the execution agents when a dynamic-risk detector fires
 * (hold them to REDUCING, pause them, or only alert the trader), and what it gives back when the
 * detector clears. The rules are plain data the trader sets; `PostureBook` remembers which detector
 * put which agent in which posture, so an agent is given back only when every detector that held it
 * has cleared, and never an agent a human moved since. Model-free and venue-free: the kernel feeds
 * it the detectors' edges and carries out what it answers.
 */

import { z } from 'zod';

export const DETECTORS = ['flash-crash', 'spread-blowout', 'depth-vacuum', 'volatile-regime'] as const;
export type DetectorName = (typeof DETECTORS)[number];

/** REDUCING: the agents may only reduce their positions; PAUSE: they stop deciding and their orders are cancelled; ALERT: the trader is told, nothing moves. */
export type PostureAction = 'REDUCING' | 'PAUSE' | 'ALERT';

export interface PostureRule {
  readonly detector: DetectorName;
  readonly action: PostureAction;
  /** Whether the agents are given back (ACTIVE, or running) when the detector clears, or wait for the trader. */
  readonly restoreOnClear: boolean;
}

export const postureRuleSchema = z.object({ detector: z.enum(DETECTORS), action: z.enum(['REDUCING', 'PAUSE', 'ALERT']), restoreOnClear: z.boolean() }).strict();
export const postureRulesSchema = z
  .array(postureRuleSchema)
  .max(DETECTORS.length)
  .refine((rules) => new Set(rules.map((r) => r.detector)).size === rules.length, 'one rule a detector');

/**
 * The rules a session starts with: a flash crash or a depth vacuum holds the agents to REDUCING, a
 * spread blow-out pauses them; all given back on clear. A volatile regime only alerts: the regime
 * comes from a fitted model, and the overlay moves agents on its own only on model-free detectors;
 * the trader can set it to REDUCING or PAUSE (SetPostureRules).
 */
export const DEFAULT_POSTURE_RULES: readonly PostureRule[] = [
  { detector: 'flash-crash', action: 'REDUCING', restoreOnClear: true },
  { detector: 'spread-blowout', action: 'PAUSE', restoreOnClear: true },
  { detector: 'depth-vacuum', action: 'REDUCING', restoreOnClear: true },
  { detector: 'volatile-regime', action: 'ALERT', restoreOnClear: true },
];

/** What to do to an agent. */
export interface PostureMove {
  readonly agentId: string;
  readonly action: 'REDUCING' | 'PAUSE' | 'RESTORE_ACTIVE' | 'RESTORE_RUNNING';
}

/** Which detectors hold which agents in which posture. */
export class PostureBook {
  private readonly held = new Map<string, { action: 'REDUCING' | 'PAUSE'; by: Set<DetectorName> }>();

  constructor(private rules: readonly PostureRule[] = DEFAULT_POSTURE_RULES) {}

  get current(): readonly PostureRule[] {
    return this.rules;
  }

  setRules(rules: readonly PostureRule[]): void {
    this.rules = rules;
  }

  /** The rule for `detector`, or null when none is set (the detector then only alerts). */
  rule(detector: DetectorName): PostureRule | null {
    return this.rules.find((r) => r.detector === detector) ?? null;
  }

  /** `detector` fired: returns the moves for `eligible` agents (the ones trading now) under its rule. A PAUSE outranks a REDUCING already held. */
  fired(detector: DetectorName, eligible: readonly string[]): PostureMove[] {
    const rule = this.rule(detector);
    if (rule === null || rule.action === 'ALERT') return [];
    const moves: PostureMove[] = [];
    for (const agentId of eligible) {
      const h = this.held.get(agentId);
      if (h === undefined) {
        this.held.set(agentId, { action: rule.action, by: new Set([detector]) });
        moves.push({ agentId, action: rule.action });
      } else {
        h.by.add(detector);
        if (rule.action === 'PAUSE' && h.action === 'REDUCING') {
          h.action = 'PAUSE';
          moves.push({ agentId, action: 'PAUSE' });
        }
      }
    }
    return moves;
  }

  /** `detector` cleared: returns the agents to give back (those no other detector still holds, under a rule that restores). */
  cleared(detector: DetectorName): PostureMove[] {
    const restore = this.rule(detector)?.restoreOnClear ?? true;
    const moves: PostureMove[] = [];
    for (const [agentId, h] of this.held) {
      if (!h.by.delete(detector) || h.by.size > 0) continue;
      this.held.delete(agentId);
      if (restore) moves.push({ agentId, action: h.action === 'PAUSE' ? 'RESTORE_RUNNING' : 'RESTORE_ACTIVE' });
    }
    return moves;
  }

  /** Forgets an agent a human moved (its posture is theirs now). */
  release(agentId: string): void {
    this.held.delete(agentId);
  }
}
