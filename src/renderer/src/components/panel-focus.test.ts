import { describe, expect, it } from 'vitest';
import { nextPanelIndex } from './panel-focus';

describe('focus between panels', () => {
  it('movesForwardAndBackWrappingAroundAndStartsAtAnEndFromOutside', () => {
    expect(nextPanelIndex(4, 0, false)).toBe(1);
    expect(nextPanelIndex(4, 3, false)).toBe(0);
    expect(nextPanelIndex(4, 0, true)).toBe(3);
    expect(nextPanelIndex(4, 2, true)).toBe(1);
    expect(nextPanelIndex(4, -1, false)).toBe(0);
    expect(nextPanelIndex(4, -1, true)).toBe(3);
    expect(nextPanelIndex(0, -1, false)).toBe(-1);
  });
});
