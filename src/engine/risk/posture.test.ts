import { describe, expect, it } from 'vitest';
import { DEFAULT_POSTURE_RULES, PostureBook, postureRulesSchema } from './posture';

describe('PostureBook', () => {
  it('holdsAgentsUntilEveryDetectorThatHeldThemClears', () => {
    const book = new PostureBook();
    expect(book.fired('flash-crash', ['a', 'b'])).toEqual([
      { agentId: 'a', action: 'REDUCING' },
      { agentId: 'b', action: 'REDUCING' },
    ]);
    // A spread blow-out pauses them: a pause outranks the REDUCING already held.
    expect(book.fired('spread-blowout', ['a', 'b'])).toEqual([
      { agentId: 'a', action: 'PAUSE' },
      { agentId: 'b', action: 'PAUSE' },
    ]);
    expect(book.cleared('flash-crash')).toEqual([]);
    book.release('b');
    expect(book.cleared('spread-blowout')).toEqual([{ agentId: 'a', action: 'RESTORE_RUNNING' }]);
  });

  it('onlyAlertsOrKeepsThePostureWhereTheRulesSaySo', () => {
    const book = new PostureBook([
      { detector: 'flash-crash', action: 'ALERT', restoreOnClear: true },
      { detector: 'depth-vacuum', action: 'REDUCING', restoreOnClear: false },
    ]);
    expect(book.fired('flash-crash', ['a'])).toEqual([]);
    expect(book.fired('spread-blowout', ['a'])).toEqual([]);
    expect(book.fired('depth-vacuum', ['a'])).toEqual([{ agentId: 'a', action: 'REDUCING' }]);
    expect(book.cleared('depth-vacuum')).toEqual([]);
  });

  it('refusesTwoRulesForOneDetector', () => {
    expect(postureRulesSchema.safeParse(DEFAULT_POSTURE_RULES).success).toBe(true);
    expect(postureRulesSchema.safeParse([...DEFAULT_POSTURE_RULES, DEFAULT_POSTURE_RULES[0]]).success).toBe(false);
    expect(postureRulesSchema.safeParse([{ detector: 'flash-crash', action: 'SELL_EVERYTHING', restoreOnClear: true }]).success).toBe(false);
  });
});
