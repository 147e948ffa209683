import { describe, expect, it } from 'vitest';
import { describeDirection, describeRegime, signalContribution } from './signal';

describe('the market signal in words', () => {
  it('saysTheDirectionAndTheRegime', () => {
    expect(describeDirection(0.234)).toBe('up +0.23');
    expect(describeDirection(-0.31)).toBe('down −0.31');
    expect(describeDirection(0.04)).toBe('flat +0.04');
    expect(describeRegime({ regime: { name: 'volatile', index: 0, sinceNs: 0 }, regimeStress: 0.809 })).toBe('volatile (stress +0.81)');
    expect(describeRegime({ regime: null, regimeStress: 0 })).toMatch(/not yet known/);
  });

  it('givesTheSignalSlotsShareOfAllAttributions', () => {
    expect(signalContribution({ attributions: { timeLeft: 0.5, signal0: 0.3, signal1: -0.2 } })).toBe('direction +30%, regime −20%');
    expect(signalContribution({ attributions: { timeLeft: 0.5 } })).toBeNull();
  });
});
